from binome.audit.kinds import Kind

KINDS = [
    Kind("privacy.export", "Export des données d'une personne (droit d'accès)", "export"),
    Kind("privacy.person_erased", "Effacement ou anonymisation d'une personne", "change"),
    Kind("privacy.retention_applied", "Application des durées de conservation", "change"),
    Kind("privacy.document_updated", "Registre ou AIPD modifié", "change"),
    Kind("privacy.document_exported", "Registre ou AIPD exporté", "export"),
    Kind("privacy.people_read", "Consultation de la liste des personnes (données personnelles)", "read"),
]
