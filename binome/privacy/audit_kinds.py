from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("privacy.export", _("Export des données d'une personne (droit d'accès)"), "export"),
    Kind("privacy.person_erased", _("Effacement ou anonymisation d'une personne"), "change"),
    Kind("privacy.retention_applied", _("Application des durées de conservation"), "change"),
    Kind("privacy.document_updated", _("Registre ou AIPD modifié"), "change"),
    Kind("privacy.document_exported", _("Registre ou AIPD exporté"), "export"),
    Kind(
        "privacy.people_read",
        _("Consultation de la liste des personnes (données personnelles)"),
        "read",
    ),
]
