from binome.audit.kinds import Kind

KINDS = [
    Kind("involvement.action_created", "Action d'implication ajoutée", "change"),
    Kind("involvement.action_changed", "Action d'implication modifiée", "change"),
    Kind("involvement.action_deleted", "Action d'implication supprimée", "change"),
    Kind("involvement.evidence_added", "Pièce justificative ajoutée", "change"),
    Kind("involvement.evidence_deleted", "Pièce justificative supprimée", "change"),
    Kind("involvement.evidence_read", "Pièce justificative consultée", "read"),
    Kind("involvement.aci_report_exported", "Rapport ACI exporté", "export"),
    Kind("involvement.programme_created", "Programme créé", "change"),
    Kind("involvement.programme_changed", "Programme modifié", "change"),
    Kind("involvement.workshop_created", "Atelier ajouté", "change"),
    Kind("involvement.workshop_changed", "Atelier modifié", "change"),
]
