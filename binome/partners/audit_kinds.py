from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("partners.gates_updated", _("Étapes exigées du recrutement modifiées"), "change"),
    Kind("partners.candidacy_received", _("Candidature reçue (formulaire public)"), "change"),
    Kind("partners.created", _("Fiche de patient partenaire créée"), "change"),
    Kind("partners.decision", _("Décision sur un patient partenaire (étape)"), "change"),
    Kind("partners.meeting_note_added", _("Compte rendu de rencontre ajouté"), "change"),
    Kind("partners.evaluated", _("Évaluation d'une candidature"), "change"),
    Kind("partners.account_linked", _("Compte relié à une fiche de patient partenaire"), "change"),
    Kind("partners.profile_updated", _("Profil de patient partenaire modifié"), "change"),
    Kind("partners.team_part_updated", _("Partie équipe d'une fiche modifiée"), "change"),
    Kind("partners.training_added", _("Formation ajoutée"), "change"),
    Kind("partners.training_proof_read", _("Justificatif de formation consulté"), "read"),
    Kind("partners.profile_read", _("Consultation d'une fiche de patient partenaire"), "read"),
    Kind("partners.pool_read", _("Consultation du vivier de patients partenaires"), "read"),
    Kind("partners.call_updated", _("Appel à candidatures modifié"), "change"),
    Kind("partners.criterion_added", _("Critère d'évaluation ajouté"), "change"),
    Kind("partners.criterion_retired", _("Critère d'évaluation retiré"), "change"),
    Kind("partners.charter_published", _("Nouvelle version de la charte publiée"), "change"),
    Kind("partners.charter_signed", _("Charte signée"), "change"),
    Kind(
        "partners.pool_member_invited", _("Structure invitée dans le vivier de la CPTS"), "change"
    ),
    Kind("partners.pool_member_joined", _("Structure entrée dans le vivier de la CPTS"), "change"),
    Kind("partners.pool_member_left", _("Adhésion au vivier de la CPTS terminée"), "change"),
    Kind("partners.pool_shared", _("Profil partagé dans le vivier de la CPTS (accord)"), "change"),
    Kind("partners.pool_withdrawn", _("Partage du profil dans le vivier retiré"), "change"),
]
