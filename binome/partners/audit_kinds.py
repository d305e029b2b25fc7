from binome.audit.kinds import Kind

KINDS = [
    Kind("partners.gates_updated", "Étapes exigées du recrutement modifiées", "change"),
    Kind("partners.candidacy_received", "Candidature reçue (formulaire public)", "change"),
    Kind("partners.created", "Fiche de patient partenaire créée", "change"),
    Kind("partners.decision", "Décision sur un patient partenaire (étape)", "change"),
    Kind("partners.meeting_note_added", "Compte rendu de rencontre ajouté", "change"),
    Kind("partners.evaluated", "Évaluation d'une candidature", "change"),
    Kind("partners.account_linked", "Compte relié à une fiche de patient partenaire", "change"),
    Kind("partners.profile_updated", "Profil de patient partenaire modifié", "change"),
    Kind("partners.team_part_updated", "Partie équipe d'une fiche modifiée", "change"),
    Kind("partners.training_added", "Formation ajoutée", "change"),
    Kind("partners.training_proof_read", "Justificatif de formation consulté", "read"),
    Kind("partners.profile_read", "Consultation d'une fiche de patient partenaire", "read"),
    Kind("partners.pool_read", "Consultation du vivier de patients partenaires", "read"),
    Kind("partners.call_updated", "Appel à candidatures modifié", "change"),
    Kind("partners.criterion_added", "Critère d'évaluation ajouté", "change"),
    Kind("partners.criterion_retired", "Critère d'évaluation retiré", "change"),
    Kind("partners.charter_published", "Nouvelle version de la charte publiée", "change"),
    Kind("partners.charter_signed", "Charte signée", "change"),
]
