from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind(
        "messaging.preference_changed",
        _("Choix du moyen de rappel (e-mail, SMS) et accord pour les SMS"),
        "change",
    ),
    Kind("messaging.sms_stopped", _("Réponse STOP : plus aucun SMS vers ce numéro"), "change"),
    Kind("messaging.sms_failed", _("SMS non remis après plusieurs essais"), "change"),
]
