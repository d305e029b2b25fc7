from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind(
        "accompaniment.refused", _("Action refusée (consentement du patient ou rôle)"), "security"
    ),
    Kind(
        "accompaniment.referral_created", _("Patient orienté vers un patient partenaire"), "change"
    ),
    Kind(
        "accompaniment.imported",
        _("Accompagnement repris du tableur de l'équipe (consentements papier)"),
        "change",
    ),
    Kind("accompaniment.list_viewed", _("Liste des accompagnements consultée"), "read"),
    Kind("accompaniment.today_viewed", _("Page « Aujourd'hui » du partenaire consultée"), "read"),
    Kind("accompaniment.viewed", _("Accompagnement consulté"), "read"),
    Kind("accompaniment.consent_ledger_viewed", _("Registre des consentements consulté"), "read"),
    Kind(
        "accompaniment.patient_page_viewed",
        _("Page « Mon accompagnement » consultée par le patient"),
        "read",
    ),
    Kind(
        "accompaniment.dashboard_viewed", _("Tableau de bord des accompagnements consulté"), "read"
    ),
    Kind("accompaniment.contact_logged", _("Échange noté"), "change"),
    Kind("accompaniment.key_moment_added", _("Moment clé ajouté"), "change"),
    Kind("accompaniment.alert_raised", _("Alerte urgente lancée"), "change"),
    Kind("accompaniment.alert_acknowledged", _("Alerte urgente prise en compte"), "change"),
    Kind(
        "accompaniment.alert_escalated", _("Alerte urgente transmise à la coordination"), "change"
    ),
    Kind(
        "accompaniment.handed_back",
        _("Orientation déclinée ou accompagnement rendu par le partenaire"),
        "change",
    ),
    Kind(
        "accompaniment.reassigned",
        _("Accompagnement confié à un autre patient partenaire"),
        "change",
    ),
    Kind("accompaniment.ended", _("Accompagnement terminé"), "change"),
    Kind("accompaniment.consent_given", _("Consentement enregistré"), "change"),
    Kind("accompaniment.consent_withdrawn", _("Consentement retiré"), "change"),
    Kind("accompaniment.consent_form_exported", _("Formulaire de consentement imprimé"), "export"),
    Kind("accompaniment.consent_link_created", _("Lien de consentement en ligne créé"), "change"),
    Kind("accompaniment.consent_page_viewed", _("Page de consentement en ligne ouverte"), "read"),
    Kind(
        "accompaniment.patient_account_linked",
        _("Compte patient relié à son accompagnement"),
        "change",
    ),
    Kind("accompaniment.feedback_given", _("Avis du patient enregistré"), "change"),
    Kind("accompaniment.reminder_sent", _("Rappel ou avertissement d'échéance envoyé"), "change"),
    Kind("accompaniment.supervision_added", _("Séance de supervision notée"), "change"),
    Kind("accompaniment.load_viewed", _("Charge des patients partenaires consultée"), "read"),
    Kind("accompaniment.calendar_read", _("Agenda privé du partenaire téléchargé"), "read"),
    Kind(
        "accompaniment.calendar_renewed",
        _("Adresse de l'agenda privé créée ou renouvelée"),
        "security",
    ),
    Kind("accompaniment.calendar_closed", _("Adresse de l'agenda privé désactivée"), "security"),
]
