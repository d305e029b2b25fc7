from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("involvement.action_created", _("Action d'implication ajoutée"), "change"),
    Kind("involvement.action_changed", _("Action d'implication modifiée"), "change"),
    Kind("involvement.action_deleted", _("Action d'implication supprimée"), "change"),
    Kind("involvement.evidence_added", _("Pièce justificative ajoutée"), "change"),
    Kind("involvement.evidence_deleted", _("Pièce justificative supprimée"), "change"),
    Kind("involvement.evidence_read", _("Pièce justificative consultée"), "read"),
    Kind("involvement.aci_report_exported", _("Rapport ACI exporté"), "export"),
    Kind("involvement.programme_created", _("Programme créé"), "change"),
    Kind("involvement.programme_changed", _("Programme modifié"), "change"),
    Kind("involvement.workshop_created", _("Atelier ajouté"), "change"),
    Kind("involvement.workshop_changed", _("Atelier modifié"), "change"),
    Kind(
        "involvement.paper_feedback_entered",
        _("Avis papier d'un atelier saisi par l'équipe"),
        "change",
    ),
]
