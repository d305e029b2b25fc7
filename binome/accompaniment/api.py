"""Peer accompaniment over the API, under the same isolation and consent rules as the pages
(binome.accompaniment.access): 404 for what the caller may not open, consent-filtered fields."""

import datetime as dt
from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import BaseModel

from binome.accompaniment import consent_text, services, stats
from binome.accompaniment.access import (
    access_for,
    get_accompaniment,
    patient_summary,
    roles_of,
)
from binome.accompaniment.models import (
    Accompaniment,
    AccompanimentQuerySet,
    Alert,
    Consent,
    ConsentPurpose,
    Contact,
    KeyMoment,
    Pathway,
    PathwayMoment,
    SupervisionSession,
)
from binome.api.base import ApiError
from binome.api.core import (
    DoneOut,
    LocalTime,
    PageRows,
    Pagination,
    PlausibleDate,
    PlausibleDateTime,
    attribute,
    cleaned,
    rows_of,
    structure_for,
)
from binome.audit.services import record
from binome.partners.models import Partner
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=["Pair-accompagnement"])


class ConsentOut(Schema):
    id: UUID = Field(alias="public_id")
    purpose: str
    method: str
    text_version: str
    given_at: datetime
    withdrawn_at: datetime | None


class PatientSummaryOut(BaseModel):  # plain pydantic, for the list: see AccompanimentRowOut
    name: str
    first_name: str
    last_name: str
    pathway: str


class PatientOut(PatientSummaryOut):
    phone: str | None = None
    email: str | None = None


def access_of(acc, request):
    """The caller's access to this accompaniment, cached on it for the schema's resolvers."""
    if getattr(acc, "_access", None) is None:
        acc._access = access_for(request.user, roles_of(request, acc.structure), acc)
    return acc._access


# A plain pydantic model, validated from the dictionaries the list builds: django-ninja's
# Schema reads every field of every row through its attribute getter (1.1 ms for 50 rows,
# against 0.07 ms). Its docstring is the OpenAPI description.
class AccompanimentRowOut(BaseModel):
    """A row of the list: the patient's first name and initial, as on the list page."""

    id: UUID
    structure: str
    status: str
    partner: UUID
    partner_name: str
    referred_by: UUID
    referred_at: datetime
    first_contact_due_at: datetime
    first_contact_at: datetime | None
    ended_at: datetime | None
    end_reason: str
    patient: PatientSummaryOut


class AccompanimentOut(AccompanimentRowOut, Schema):
    """An accompaniment, the patient named by first name and initial."""

    id: UUID = Field(alias="public_id")
    resolve_structure = attribute("structure.slug")
    resolve_partner = attribute("partner.public_id")
    resolve_partner_name = attribute("partner.full_name")
    resolve_referred_by = attribute("referred_by.public_id")

    @staticmethod
    def resolve_patient(obj, context):
        return access_of(obj, context["request"]).patient_summary()


class KeyMomentOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    label: str
    date: dt.date
    time: LocalTime | None


class ContactOut(Schema):
    id: UUID
    occurred_at: datetime
    channel: str
    place: str
    duration_minutes: int
    private_notes: str | None = None
    summary_to_share: str | None = None


class AlertOut(Schema):
    id: UUID = Field(alias="public_id")
    raised_at: datetime
    message: str | None = None
    acknowledged_at: datetime | None
    acknowledged_by: str | None = None
    escalated_at: datetime | None
    response: str | None = None


class ReferralOut(AccompanimentOut):
    """The referral just made, with the patient as its referrer sees them."""

    patient: PatientOut

    @staticmethod
    def resolve_patient(obj, context):
        return access_of(obj, context["request"]).patient_fields()


class HandoverOut(Schema):
    id: UUID = Field(alias="public_id")
    partner: str
    kind: str
    handed_at: datetime
    reason: str | None = None
    reassigned_to: str | None = None
    reassigned_at: datetime | None = None


class HandBackIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class ReassignIn(Schema):
    partner: UUID


class AccompanimentDetailOut(ReferralOut):
    """One accompaniment, every field decided by binome.accompaniment.access, as on its page."""

    handovers: list[HandoverOut] = Field(alias="handovers_list")

    notes_for_partner: str | None = None
    consents: list[ConsentOut] = Field(alias="consents_list")
    key_moments: list[KeyMomentOut] | None = Field(alias="key_moments_list")
    contact_count: int
    alerts: list[AlertOut] = Field(alias="alerts_list")

    @staticmethod
    def resolve_notes_for_partner(obj, context):
        return (
            obj.notes_for_partner
            if access_of(obj, context["request"]).reads_referral_message
            else None
        )


class ReferralIn(Schema):
    structure: str = Field(description="slug or id of the structure")
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = Field("", max_length=150)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    pathway: Pathway = Pathway.OTHER
    partner: UUID
    consents: list[ConsentPurpose]
    consent_method: Consent.Method = Consent.Method.SIGNED_FORM
    notes_for_partner: str = Field("", max_length=1000)
    moments: list[PathwayMoment] = Field(
        default_factory=list, description="moments du parcours que l'accompagnement touchera"
    )
    submission_token: str = Field("", max_length=64)


class ContactIn(Schema):
    occurred_at: PlausibleDateTime | None = None
    channel: Contact.Channel = Contact.Channel.PHONE
    place: Contact.Place = Contact.Place.REMOTE
    duration_minutes: int = Field(30, ge=1, le=600)
    private_notes: str = Field("", max_length=10000)
    summary_to_share: str = Field("", max_length=5000)
    submission_token: str = Field("", max_length=64)


class KeyMomentIn(Schema):
    kind: KeyMoment.Kind
    label: str = Field("", max_length=120)
    date: PlausibleDate
    time: LocalTime | None = None
    wants_support: bool = True


class AlertIn(Schema):
    message: str = Field(min_length=1, max_length=2000)


class AlertAcknowledgeIn(Schema):
    response: str = Field("", max_length=2000)


def _visible(request):
    """Accompaniments the caller may open, across their structures: the pages' rule, per structure."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for structure in request.binome.structures:
        condition |= AccompanimentQuerySet.visibility(
            request.user, roles_of(request, structure), structure
        )
    return Accompaniment.objects.filter(condition)


# The list's columns, read as tuples: a row shows the patient as every list does (first
# name and initial, whatever the caller's role and the consents), so no row needs the
# caller's access computed, only the visibility rule above.
_ROW_COLUMNS = {
    "id": "public_id",
    "structure": "structure__slug",
    "status": "status",
    "partner": "partner__public_id",
    "partner_first_name": "partner__first_name",
    "partner_last_name": "partner__last_name",
    "referred_by": "referred_by__public_id",
    "referred_at": "referred_at",
    "first_contact_due_at": "first_contact_due_at",
    "first_contact_at": "first_contact_at",
    "ended_at": "ended_at",
    "end_reason": "end_reason",
    "patient_first_name": "patient__first_name",
    "patient_last_name": "patient__last_name",
    "patient_pathway": "patient__pathway",
}


def _rows(page):
    rows = rows_of(page, _ROW_COLUMNS)
    for row in rows:
        first, last = row.pop("partner_first_name"), row.pop("partner_last_name")
        row["partner_name"] = f"{first} {last}".strip()
        row["patient"] = patient_summary(
            row.pop("patient_first_name"), row.pop("patient_last_name"), row.pop("patient_pathway")
        )
    return rows


@router.get(
    "/",
    response=list[AccompanimentRowOut],
    summary=_("Les accompagnements que l'utilisateur peut voir"),
)
@paginate(Pagination)
def accompaniments(request, status: str = ""):
    qs = _visible(request)
    if status in Accompaniment.Status.values:
        qs = qs.filter(status=status)
    record("accompaniment.list_viewed", request=request, actor=request.user, api=True)
    return PageRows(qs.order_by("-referred_at", "-id"), _ROW_COLUMNS, _rows)


class SupervisionOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    date: dt.date
    supervisor_name: str
    duration_minutes: int
    private_notes: str


class SupervisionIn(Schema):
    structure: str
    date: PlausibleDate
    supervisor_name: str = Field("", max_length=200)
    duration_minutes: int = Field(60, ge=1, le=600)
    private_notes: str = Field("", max_length=10000)


def _structures_with(request, *roles):
    wanted = {str(r) for r in roles}
    return [s for s in request.binome.structures if roles_of(request, s) & wanted]


@router.get(
    "/supervision/",
    response=list[SupervisionOut],
    summary=_("Mes séances de supervision (notes privées : moi seul·e)"),
)
@paginate(Pagination)
def supervision(request):
    return (
        SupervisionSession.objects.filter(
            structure__in=_structures_with(request, Role.PARTNER),
            partner__membership__user=request.user,
        )
        .select_related("structure")
        .order_by("-date", "-id")
    )


@router.post(
    "/supervision/", response={201: SupervisionOut}, summary=_("Noter une séance de supervision")
)
def add_supervision(request, payload: SupervisionIn):
    if not _structures_with(request, Role.PARTNER):
        raise PermissionDenied
    structure = structure_for(request, payload.structure)
    partner = Partner.objects.filter(
        structure=structure, membership__user=request.user, membership__is_active=True
    ).first()
    if Role.PARTNER not in roles_of(request, structure) or partner is None:
        raise PermissionDenied
    data = payload.dict()
    data.pop("structure")
    session = SupervisionSession(structure=structure, partner=partner, **data)
    services.save(
        session,
        "accompaniment.supervision_added",
        request=request,
        user=request.user,
        structure=structure,
    )
    return Status(201, session)


@router.get(
    "/dashboard", summary=_("Délais, accompagnements ouverts, alertes, avis (coordination)")
)
def dashboard(request, structure: str = ""):
    if structure:
        s = structure_for(request, structure)
    else:
        s = next(iter(_structures_with(request, Role.COORDINATOR)), None)
    if s is None or Role.COORDINATOR not in roles_of(request, s):
        raise PermissionDenied
    data = stats.kept_figures(s)
    del data["figures_version"]  # the page's key for what it keeps, not a figure
    record(
        "accompaniment.dashboard_viewed", request=request, actor=request.user, structure=s, api=True
    )
    data["structure"] = s.slug
    data["by_partner"] = [
        {
            "partner": str(r["partner__public_id"]),
            "name": f"{r['partner__first_name']} {r['partner__last_name']}".strip(),
            "open": r["n"],
            "ceiling": r["partner__max_active_accompaniments"],
        }
        for r in data["by_partner"]
    ]
    return data


@router.post(
    "/referrals",
    response={201: ReferralOut},
    summary="Orienter un patient vers un patient partenaire",
)
def create_referral(request, payload: ReferralIn):
    if not any(m.role == Role.PROFESSIONAL for m in request.binome.memberships):
        raise PermissionDenied
    structure = structure_for(request, payload.structure)
    referrer = next(
        (
            m
            for m in request.binome.memberships
            if m.structure_id == structure.pk and m.role == Role.PROFESSIONAL
        ),
        None,
    )
    if referrer is None:
        raise PermissionDenied
    if not payload.phone and not payload.email:
        raise HttpError(422, _("Indiquez au moins un téléphone ou une adresse e-mail."))
    missing = [p for p in consent_text.REQUIRED if p not in payload.consents]
    if missing:
        raise HttpError(
            422,
            _(
                "Sans l'accord du patient pour être contacté et pour transmettre ses coordonnées, l'orientation n'est pas possible."
            ),
        )
    if payload.consent_method == Consent.Method.ONLINE:
        raise HttpError(422, _("Le consentement en ligne se donne par le lien envoyé au patient."))
    available = {
        s.partner.public_id: s
        for s in services.suggest_partners(structure, payload.pathway, moments=payload.moments)
    }
    suggestion = available.get(payload.partner)
    if suggestion is None:
        raise HttpError(422, "Patient partenaire inconnu dans cette structure.")
    if not suggestion.is_available:
        raise HttpError(
            422, f"Ce patient partenaire n'est pas disponible : {suggestion.excluded_reason}"
        )
    acc = services.create_referral(
        structure=structure,
        referrer=referrer,
        patient_data={
            "first_name": payload.first_name,
            "last_name": payload.last_name,
            "phone": payload.phone,
            "email": payload.email,
            "pathway": payload.pathway,
        },
        purposes=sorted(set(payload.consents)),
        method=payload.consent_method,
        partner=suggestion.partner,
        notes=payload.notes_for_partner,
        submission_token=payload.submission_token,
        moments=payload.moments,
        request=request,
    )
    acc, access = get_accompaniment(request, acc.public_id)
    acc._access = access
    return Status(201, acc)


@router.get(
    "/{public_id}",
    response=AccompanimentDetailOut,
    summary=_("Un accompagnement (selon le rôle et les consentements)"),
)
def accompaniment_detail(request, public_id: str):
    acc, access = get_accompaniment(request, public_id)
    acc._access = access
    acc.consents_list = list(
        Consent.objects.filter(patient=acc.patient).order_by("purpose", "-given_at")
    )
    acc.key_moments_list = list(acc.key_moments.all()) if access.sees_key_moments else None
    acc.contact_count = acc.contacts.count()
    acc.alerts_list = [
        access.alert_fields(a) for a in acc.alerts.select_related("acknowledged_by")[:20]
    ]
    acc.handovers_list = (
        []
        if access.is_patient
        else [
            access.handover_fields(h)
            for h in acc.handovers.select_related("partner", "reassigned_to")
        ]
    )
    record(
        "accompaniment.viewed",
        request=request,
        structure=acc.structure,
        target=acc,
        subject=acc.patient.user,
        api=True,
    )
    return acc


@router.post(
    "/{public_id}/hand-back",
    response=AccompanimentOut,
    summary=_(
        "Décliner l'orientation ou rendre l'accompagnement (le patient partenaire ; raison pour la coordination)"
    ),
)
def hand_back(request, public_id: str, payload: HandBackIn):
    acc, access = get_accompaniment(request, public_id)
    if not access.can_hand_back:
        raise PermissionDenied
    services.hand_back(acc, user=request.user, reason=payload.reason, request=request)
    acc.refresh_from_db()
    return acc


@router.post(
    "/{public_id}/reassign",
    response=AccompanimentOut,
    summary=_("Confier l'accompagnement à un autre patient partenaire (coordination)"),
)
def reassign(request, public_id: str, payload: ReassignIn):
    acc, access = get_accompaniment(request, public_id)
    if not access.can_reassign:
        raise PermissionDenied
    partner = Partner.objects.filter(structure=acc.structure, public_id=payload.partner).first()
    if partner is None:
        raise HttpError(422, "Patient partenaire inconnu dans cette structure.")
    services.reassign(acc, to_partner=partner, user=request.user, request=request)
    acc, access = get_accompaniment(request, public_id)
    acc._access = access
    return acc


def _partner_only(request, public_id):
    acc, access = get_accompaniment(request, public_id)
    if not access.can_log:
        raise PermissionDenied
    return acc, access


@router.get(
    "/{public_id}/contacts",
    response=list[ContactOut],
    summary=_("Les échanges (notes privées : le partenaire seul)"),
)
@paginate(Pagination)
def contacts(request, public_id: str):
    acc, access = get_accompaniment(request, public_id)
    if not access.sees_contact_log:
        raise PermissionDenied
    rows = [access.contact_fields(c) for c in acc.contacts.all()[:500]]
    record(
        "accompaniment.viewed",
        request=request,
        structure=acc.structure,
        target=acc,
        subject=acc.patient.user,
        api=True,
        contacts=True,
    )
    return rows


@router.post(
    "/{public_id}/contacts",
    response={201: ContactOut},
    summary=_("Noter un échange (le patient partenaire)"),
)
def add_contact(request, public_id: str, payload: ContactIn):
    acc, access = _partner_only(request, public_id)
    data = payload.dict()
    token = data.pop("submission_token")
    if data["occurred_at"] is None:
        data["occurred_at"] = timezone.now()
    elif data["occurred_at"] > timezone.now() + timezone.timedelta(minutes=5):
        raise HttpError(422, _("Cet échange ne peut pas être dans le futur."))
    contact = services.log_contact(
        acc, user=request.user, data=data, submission_token=token, request=request
    )
    return Status(201, access.contact_fields(contact))


@router.post(
    "/{public_id}/key-moments",
    response={201: KeyMomentOut},
    summary=_("Ajouter un moment clé du parcours"),
)
def add_key_moment(request, public_id: str, payload: KeyMomentIn):
    acc, _access = _partner_only(request, public_id)
    return Status(
        201, services.add_key_moment(acc, user=request.user, data=payload.dict(), request=request)
    )


@router.post(
    "/{public_id}/alerts", response={201: AlertOut}, summary=_("Lancer une alerte urgente")
)
def add_alert(request, public_id: str, payload: AlertIn):
    acc, access = _partner_only(request, public_id)
    return Status(
        201,
        access.alert_fields(
            services.raise_alert(acc, user=request.user, message=payload.message, request=request)
        ),
    )


@router.post(
    "/alerts/{public_id}/acknowledge",
    response=AlertOut,
    summary=_("Prendre en compte une alerte urgente"),
)
def acknowledge_alert(request, public_id: str, payload: AlertAcknowledgeIn):
    alert = get_object_or_404_scoped(
        Alert.objects.select_related("accompaniment"), public_id=public_id
    )
    acc, access = get_accompaniment(request, alert.accompaniment.public_id)
    if not access.can_acknowledge_alerts:
        services.refuse_alert_acknowledgement(alert, user=request.user, request=request)
    alert.accompaniment = acc
    return access.alert_fields(
        services.acknowledge_alert(
            alert, user=request.user, response=payload.response, request=request
        )
    )


@router.get(
    "/partners/suggestions",
    summary=_("Patients partenaires suggérés pour une orientation (charge, plafond, limites)"),
)
def suggestions(request, structure: str = "", pathway: Pathway = Pathway.OTHER, moments: str = ""):
    """``structure``: slug or id; by default the first structure where the caller refers patients.
    ``moments``: the moments of the pathway the referral touches, comma-separated (annonce, fin-de-vie…)."""
    referring = {Role.PROFESSIONAL, Role.COORDINATOR}
    if structure:
        s = structure_for(request, structure)
    else:
        s = next((x for x in request.binome.structures if roles_of(request, x) & referring), None)
    if s is None or not roles_of(request, s) & referring:
        raise PermissionDenied
    return [
        {
            "partner": str(x.partner.public_id),
            "name": x.partner.full_name,
            "load": x.load,
            "ceiling": x.ceiling,
            "available": x.is_available,
            "matches": x.matches,
            "reason": x.excluded_reason,
        }
        for x in services.suggest_partners(
            s, pathway, moments=[m for m in moments.split(",") if m in PathwayMoment.values]
        )
    ]


# Consents of an accompaniment's patient: the page's rules (Access.can_manage_consents) --------


class ConsentIn(Schema):
    purpose: ConsentPurpose
    method: Consent.Method = Field(
        description=gettext_lazy(
            "Papier signé, accord oral recueilli, ou en ligne (le patient lui-même)"
        )
    )


class ConsentLinkOut(Schema):
    url: str
    expires_in_days: int


def _consent_manager(request, public_id):
    acc, access = get_accompaniment(request, public_id)
    if not access.can_manage_consents:
        raise PermissionDenied(
            _(
                "Seuls le professionnel qui oriente, la coordination et le patient gèrent ses consentements."
            )
        )
    return acc, access


@router.get(
    "/{public_id}/consents",
    response=list[ConsentOut],
    summary=_("Les consentements du patient, donnés et retirés"),
)
def consents(request, public_id: str):
    acc, _access = get_accompaniment(request, public_id)
    with transaction.atomic():
        record(
            "accompaniment.viewed",
            request=request,
            structure=acc.structure,
            target=acc,
            subject=acc.patient.user,
            api=True,
            part="consents",
        )
    return list(Consent.objects.filter(patient=acc.patient).order_by("purpose", "-given_at"))


@router.post(
    "/{public_id}/consents",
    response={201: ConsentOut, 403: ApiError, 404: ApiError, 422: ApiError},
    summary=_("Enregistrer un consentement du patient (déjà actif : rien ne change)"),
)
def give_consent(request, public_id: str, payload: ConsentIn):
    acc, access = _consent_manager(request, public_id)
    if access.is_patient and payload.method != Consent.Method.ONLINE:
        raise HttpError(422, _("Le patient donne son accord en ligne : méthode « online »."))
    if not access.is_patient and payload.method == Consent.Method.ONLINE:
        raise HttpError(
            422,
            _(
                "Un accord en ligne se donne par le patient lui-même (lien envoyé) : choisissez papier ou oral."
            ),
        )
    consent = services.give_consent(
        acc.patient, payload.purpose, method=payload.method, user=request.user, request=request
    )
    return Status(201, consent)


@router.post(
    "/consents/{public_id}/withdraw",
    response={200: ConsentOut, 403: ApiError, 404: ApiError},
    summary=_(
        "Retirer un consentement (effet immédiat ; « être contacté » retiré termine l'accompagnement)"
    ),
)
def withdraw_consent(request, public_id: str):
    consent = get_object_or_404_scoped(
        Consent.objects.select_related("patient"), public_id=public_id
    )
    acc = Accompaniment.objects.filter(patient=consent.patient).order_by("-referred_at").first()
    if acc is None:
        raise Http404
    _consent_manager(request, acc.public_id)
    return services.withdraw_consent(consent, user=request.user, request=request)


@router.post(
    "/{public_id}/consent-link",
    response={201: ConsentLinkOut, 403: ApiError, 404: ApiError},
    summary=_("Envoyer au patient le lien pour donner son accord en ligne"),
)
def consent_link(request, public_id: str):
    acc, access = _consent_manager(request, public_id)
    if access.is_patient:
        raise PermissionDenied(_("Le lien est envoyé par l'équipe."))
    url = services.create_consent_link(acc, user=request.user, request=request)
    return Status(201, {"url": url, "expires_in_days": services.CONSENT_LINK_DAYS})


# --- the page actions' twins (issue 16): same forms, same services ------------------------


class EndIn(Schema):
    reason: str
    comment: str = Field("", max_length=500)


class PatientFeedbackIn(Schema):
    usefulness: int = Field(
        description=gettext_lazy("1 pas du tout, 2 un peu, 3 assez, 4 beaucoup"), ge=0, le=10
    )
    felt_listened_to: bool = True
    would_recommend: bool = True
    comment: str = Field("", max_length=2000)


@router.post(
    "/{public_id}/end",
    response={200: AccompanimentOut, 422: ApiError},
    summary=_("Terminer l'accompagnement (le patient à tout moment, l'équipe qui le suit)"),
)
def end(request, public_id: str, payload: EndIn):
    from binome.accompaniment.forms import EndForm

    acc, access = get_accompaniment(request, public_id)
    if not access.can_end:
        raise PermissionDenied
    data = cleaned(EndForm(payload.dict(), patient=access.is_patient))
    services.end_accompaniment(
        acc,
        user=request.user,
        role=access.ended_by_role,
        reason=data["reason"],
        comment=data["comment"],
        request=request,
    )
    acc, access = get_accompaniment(request, public_id)
    acc._access = access
    return acc


@router.post(
    "/{public_id}/feedback",
    response={201: DoneOut, 422: ApiError},
    summary=_("Donner son avis sur l'accompagnement (le patient, une fois)"),
)
def feedback(request, public_id: str, payload: PatientFeedbackIn):
    from binome.accompaniment.forms import FeedbackForm
    from binome.api.core import form_data

    acc, access = get_accompaniment(request, public_id)
    if not access.is_patient:
        raise PermissionDenied
    data = form_data(payload)
    for box in ("felt_listened_to", "would_recommend"):
        if not data[box]:
            data.pop(box)  # an unchecked box: nothing sent
    given = services.give_feedback(
        acc, data=cleaned(FeedbackForm(data)), user=request.user, request=request
    )
    return Status(201, {"id": given.public_id, "detail": _("Merci pour votre avis !")})
