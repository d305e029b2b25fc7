from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "binome.partners"
    label = "partners"
    verbose_name = "Patients partenaires"

    def ready(self):
        from binome.partners import signals  # noqa: F401
