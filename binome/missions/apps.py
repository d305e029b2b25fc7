from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "binome.missions"
    label = "missions"
    verbose_name = "Missions"
