"""Personal data of partners and candidates: what is exported and erased, and why the rest is not."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binome.partners.models import (
    Charter,
    CharterSignature,
    Decision,
    Evaluation,
    MeetingNote,
    Partner,
    PartnerTag,
    PoolShare,
    RecruitmentCall,
    Training,
)
from binome.privacy.registry import not_personal, register


def _partners(person):
    q = Q(email__in=person.emails) if person.emails else Q(pk__in=[])
    if person.user is not None:
        q |= Q(membership__user=person.user)
    return Partner.objects.filter(q)


def _of_partner(model):
    return lambda person: model.objects.filter(partner__in=_partners(person))


BLANK_PROFILE = {
    "first_name": _("Personne effacée"),
    "last_name": "",
    "email": "",
    "phone": "",
    "commune": "",
    "motivation": "",
    "how_heard": "",
    "lived_experience": "",
    "association": "",
    "availability": "",
    "limits_note": "",
    "compensation_note": "",
    "photo": "",
    "team_notes": "",
    "training_plan": "",
    "supervision_arrangement": "",
    "submission_token": "",
    "status": Partner.Status.ENDED,
}

register(
    Partner,
    fields=[
        "first_name",
        "last_name",
        "email",
        "phone",
        "commune",
        "motivation",
        "how_heard",
        "submitted_at",
        "status",
        "lived_experience",
        "association",
        "availability",
        "limits_note",
        "preferred_status",
        "compensation_note",
        "photo",
        "team_notes",
        "training_plan",
        "supervision_arrangement",
        "hours_per_month",
    ],
    subject=_partners,
    # The row stays (missions, signatures and accompaniments point to it) but says nothing more.
    erase="anonymise",
    anonymise=BLANK_PROFILE,
    structure_path="structure",
    order=500,
)
register(
    PartnerTag,
    fields=["kind", "label"],
    subject=_of_partner(PartnerTag),
    erase="delete",
    structure_path="partner__structure",
)
register(
    Training,
    fields=["kind", "title", "organisation", "completed_on", "hours", "proof", "proof_name"],
    subject=_of_partner(Training),
    erase="delete",
    structure_path="partner__structure",
)
register(
    MeetingNote,
    fields=["met_on", "participants", "notes"],
    subject=_of_partner(MeetingNote),
    erase="delete",
    structure_path="partner__structure",
)
register(
    Evaluation,
    fields=["rating", "comment"],
    subject=_of_partner(Evaluation),
    erase="delete",
    structure_path="partner__structure",
)
register(
    Decision,
    fields=["from_status", "to_status", "reason", "decided_at"],
    subject=_of_partner(Decision),
    erase="anonymise",
    anonymise={"reason": ""},
    structure_path="partner__structure",
)
register(
    CharterSignature,
    fields=["signer_role", "method", "signed_at"],
    subject=lambda person: (
        CharterSignature.objects.filter(user=person.user)
        if person.user
        else CharterSignature.objects.none()
    ),
    erase="keep",
    keep_reason=_(
        "Preuve de l'engagement réciproque signé ; la personne signataire est anonymisée avec son compte."
    ),
    structure_path="charter__structure",
)
register(
    PoolShare,
    fields=["structure", "consented_at", "withdrawn_at"],
    subject=lambda person: PoolShare.objects.filter(origin__in=_partners(person)),
    erase="keep",
    keep_reason=_(
        "Trace de l'accord donné puis retiré dans le vivier partagé ; elle ne porte que des "
        "dates, et la fiche qu'elle désigne est anonymisée."
    ),
    structure_path="origin__structure",
)
not_personal(Charter, ["text"], reason=_("Texte de la charte de l'équipe, le même pour tous."))
not_personal(
    RecruitmentCall,
    ["introduction", "what_we_offer"],
    reason=_("Texte public de l'appel à candidatures."),
)
