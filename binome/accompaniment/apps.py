from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "binome.accompaniment"
    label = "accompaniment"
    verbose_name = "Pair-accompagnement et tandems"
