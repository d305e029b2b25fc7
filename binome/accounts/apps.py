from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "binome.accounts"
    label = "accounts"
    verbose_name = "Comptes et connexion"

    def ready(self):
        from binome.accounts import signals  # noqa: F401
