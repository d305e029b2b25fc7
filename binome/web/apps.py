from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "binome.web"
    label = "web"
    verbose_name = "Interface"

    def ready(self):
        # Registers the start-up check of the backing services (Redis, object storage).
        from binome.core import backing_services  # noqa: F401
        from binome.core.choices import install

        install()  # get_FOO_display() from cached labels (binome/core/choices.py)
