from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TandemsConfig(AppConfig):
    name = "binome.tandems"
    label = "tandems"
    verbose_name = _("Tandems médecin–patient partenaire et groupes d'analyse de pratiques")
