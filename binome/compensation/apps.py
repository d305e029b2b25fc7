from django.apps import AppConfig


class CompensationConfig(AppConfig):
    name = "binome.compensation"
    label = "compensation"
    verbose_name = "Indemnisation et temps"
