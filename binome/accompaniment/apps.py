from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "binome.accompaniment"
    label = "accompaniment"
    verbose_name = "Pair-accompagnement"

    def ready(self):
        from django.db.models.signals import post_migrate

        from binome.accompaniment import signals
        from binome.core.db_statistics import refresh_after_migrate

        post_migrate.connect(refresh_after_migrate, sender=self)
        signals.connect_figures_receivers()
