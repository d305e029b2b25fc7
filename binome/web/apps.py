from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "binome.web"
    label = "web"
    verbose_name = "Interface"
