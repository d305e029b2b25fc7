from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "binome.accompaniment"
    label = "accompaniment"
    verbose_name = "Pair-accompagnement"

    def ready(self):
        from binome.accompaniment import signals  # noqa: F401
