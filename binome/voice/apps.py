from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "binome.voice"
    label = "voice"
    verbose_name = "Voix des usagers"
