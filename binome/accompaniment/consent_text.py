"""The consent texts shown to the patient (form, online page). A change of wording gets a new
version: each Consent row keeps the version the patient agreed to."""

from django.utils.translation import gettext_lazy as _

from binome.accompaniment.models import ConsentPurpose

# 2026-12: the information the GDPR requires (art. 13) added beside the consents.
VERSION = "2026-12"

INTRODUCTION = _(
    "Votre équipe de soins vous propose d'être accompagné·e par un patient partenaire : une personne "
    "qui a elle-même vécu un parcours de soins, formée à l'accompagnement, tenue à la discrétion. "
    "Ce n'est pas un professionnel de santé : il n'a pas accès à votre dossier médical. "
    "Chaque accord ci-dessous est séparé ; vous pouvez le retirer à tout moment, sans justification, "
    "et cela ne change rien à vos soins."
)

TEXTS = {
    ConsentPurpose.CONTACT_BY_PARTNER: _(
        "J'accepte qu'un patient partenaire de l'équipe prenne contact avec moi pour me proposer un accompagnement."
    ),
    ConsentPurpose.SHARE_CONTACT_DETAILS: _(
        "J'accepte que mon prénom, mon nom et mes coordonnées (téléphone, e-mail) soient transmis à ce patient partenaire."
    ),
    ConsentPurpose.SHARE_SUMMARIES: _(
        "J'accepte que le patient partenaire transmette à l'équipe soignante un court résumé de nos échanges, "
        "limité à ce que j'ai accepté de partager. Ses notes personnelles ne sont jamais transmises."
    ),
    ConsentPurpose.JOINT_CONSULTATION: _(
        "J'accepte une consultation commune avec mon médecin et le patient partenaire."
    ),
}

# Without these the referral cannot be made.
REQUIRED = (ConsentPurpose.CONTACT_BY_PARTNER, ConsentPurpose.SHARE_CONTACT_DETAILS)


# The retention kinds that concern an accompanied patient (binome.privacy.retention).
RETENTION_KEYS = ("contact_notes", "closed_accompaniments", "audit_log")

RIGHTS = _(
    "Vous pouvez accéder à vos données, les faire rectifier ou effacer, en limiter l'usage ou vous y opposer, "
    "et retirer chaque accord à tout moment, sans justification et sans conséquence sur vos soins : auprès de "
    "votre équipe, du patient partenaire, ou depuis votre espace en ligne."
)
CNIL = _(
    "Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL "
    "(Commission nationale de l'informatique et des libertés, www.cnil.fr, 3 place de Fontenoy, 75007 Paris)."
)


def gdpr_notice(structure) -> list[dict]:
    """The information of GDPR article 13 shown with the consents (paper form, online page,
    the patient's page). Controller, purposes, legal basis and recipients come from the
    structure's processing register entry (binome.privacy.documents: one place to edit);
    the retention periods from the retention table in force (binome.privacy.retention)."""
    from binome.privacy.documents import document_for
    from binome.privacy.models import ProcessingDocument
    from binome.privacy.retention import KINDS_BY_KEY, days

    register = {
        s["key"]: s for s in document_for(structure, ProcessingDocument.Kind.REGISTER).sections
    }
    sections = [
        {"title": register[key]["title"], "body": register[key]["body"]}
        for key in ("controller", "purposes", "legal_basis", "recipients")
        if key in register
    ]
    retention = "\n".join(
        f"- {KINDS_BY_KEY[key].label} : {days(key)} jours {KINDS_BY_KEY[key].starts}"
        for key in RETENTION_KEYS
    )
    sections.append({"title": str(_("Durées de conservation")), "body": retention})
    sections.append({"title": str(_("Vos droits")), "body": str(RIGHTS)})
    sections.append({"title": str(_("Réclamation")), "body": str(CNIL)})
    return sections
