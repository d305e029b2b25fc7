from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "binome.imports"
    label = "imports"
    verbose_name = "Import de tableurs"
