from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "binome.messaging"
    label = "messaging"
    verbose_name = "Rappels par e-mail et SMS"
