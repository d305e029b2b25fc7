from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "binome.networks"
    label = "networks"
    verbose_name = "Réseaux régionaux et maturité"
