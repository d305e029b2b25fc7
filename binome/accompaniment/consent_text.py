"""The consent texts shown to the patient (form, online page). A change of wording gets a new
version: each Consent row keeps the version the patient agreed to."""

from django.utils.translation import gettext_lazy as _

from binome.accompaniment.models import ConsentPurpose

VERSION = "2026-01"

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
