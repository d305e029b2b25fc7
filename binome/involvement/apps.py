from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "binome.involvement"
    label = "involvement"
    verbose_name = "Implication des usagers"
