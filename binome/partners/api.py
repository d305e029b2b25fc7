"""API of the partner pool and candidacies: /api/v1/partners/."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel

from binome.api.base import ApiError
from binome.api.core import DoneOut, PageRows, Pagination, attribute, roles_in, structure_for
from binome.audit.services import record
from binome.partners import services
from binome.partners.models import Partner, PartnerTag
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=["Patients partenaires"])


# A plain pydantic model validated from partner_out()'s dictionaries: django-ninja's Schema
# reads every field of every row through its attribute getter and resolvers (team preset:
# about 3 ms for a page of 50). Its docstring would be the OpenAPI description.
class PartnerOut(BaseModel):
    id: UUID
    structure: str
    first_name: str
    last_name: str
    status: str
    status_label: str
    skills: list[str]
    languages: list[str]
    limits: list[str]
    conditions: list[str] | None = None
    lived_experience: str | None = None
    email: str | None = None
    phone: str | None = None
    motivation: str | None = None


# The columns partner_out() reads: a list reads only these (a partner has some forty).
PARTNER_OUT_FIELDS = (
    "public_id",
    "structure__slug",
    "membership_id",
    "first_name",
    "last_name",
    "status",
    "lived_experience",
    "email",
    "phone",
    "motivation",
    *services.SHARE_FIELDS,
)


def partner_out(partner, request, tags=None) -> dict:
    """A partner as the caller may read them, for every endpoint that answers a PartnerOut:
    the private parts the partner shares (services.visible_parts), contact details for the
    coordination and themselves, the candidacy's text for the staff. ``tags``: the
    partner's (kind, label) pairs when a list read them for the whole page."""
    if tags is None:
        tags = partner.tags.values_list("kind", "label")
    parts = services.visible_parts(
        partner,
        is_self=partner.membership_id in _own_ids(request),
        roles=roles_in(request, partner.structure),
    )
    labels = {kind: [] for kind in PartnerTag.Kind.values}
    for kind, label in tags:
        labels[kind].append(label)
    return {
        "id": partner.public_id,
        "structure": partner.structure.slug,
        "first_name": partner.first_name,
        "last_name": partner.last_name,
        "status": partner.status,
        "status_label": partner.get_status_display(),
        "skills": labels[PartnerTag.Kind.SKILL],
        "languages": labels[PartnerTag.Kind.LANGUAGE],
        "limits": labels[PartnerTag.Kind.LIMIT],
        "conditions": labels[PartnerTag.Kind.CONDITION] if parts["conditions"] else None,
        "lived_experience": partner.lived_experience if parts["lived_experience"] else None,
        "email": partner.email if parts["contact"] else None,
        "phone": partner.phone if parts["contact"] else None,
        "motivation": partner.motivation if parts["recruitment"] else None,
    }


class CandidacyOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    first_name: str
    last_name: str
    status: str
    source: str
    submitted_at: str

    @staticmethod
    def resolve_submitted_at(obj):
        return obj.submitted_at.isoformat()


class PartnerIn(Schema):
    structure: str
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    commune: str = Field("", max_length=120)
    motivation: str = Field("", max_length=5000)


def _own_ids(request):
    return {m.pk for m in request.binome.memberships if m.role == Role.PARTNER}


def _queryset(request):
    return services.visible_partners(request.user, request.binome.memberships).select_related(
        "structure"
    )


def _page_out(page, request):
    """partner_out() for a page of partners, their tags read in one query as pairs."""
    tags = {partner.pk: [] for partner in page}
    for partner_id, kind, label in PartnerTag.objects.filter(partner__in=tags).values_list(
        "partner_id", "kind", "label"
    ):
        tags[partner_id].append((kind, label))
    return [partner_out(partner, request, tags[partner.pk]) for partner in page]


@router.get(
    "/",
    response=list[PartnerOut],
    summary="Patients partenaires visibles (vivier, ou sa propre fiche)",
)
@paginate(Pagination)
def list_partners(request, status: str | None = None):
    if not any(m.role in (*services.STAFF, Role.PARTNER) for m in request.binome.memberships):
        raise PermissionDenied
    qs = _queryset(request)
    if status:
        qs = qs.filter(status=status)
    record("partners.pool_read", request=request, api=True)
    return PageRows(
        qs.only(*PARTNER_OUT_FIELDS).order_by("structure__name", "last_name", "first_name", "pk"),
        None,
        lambda page: _page_out(page, request),
    )


@router.get(
    "/candidacies/", response=list[CandidacyOut], summary="Candidatures en cours de recrutement"
)
@paginate(Pagination)
def list_candidacies(request):
    staff = {m.structure_id for m in request.binome.memberships if m.role in services.STAFF}
    if not staff:
        raise PermissionDenied
    return (
        Partner.objects.filter(structure_id__in=staff, status__in=Partner.PIPELINE_STATUSES)
        .select_related("structure")
        .order_by("-submitted_at", "pk")
    )


@router.get("/{public_id}", response=PartnerOut, summary=_("Une fiche de patient partenaire"))
def get_partner(request, public_id: str):
    partner = get_object_or_404_scoped(_queryset(request), public_id=public_id)
    record(
        "partners.profile_read",
        request=request,
        target=partner,
        structure=partner.structure,
        api=True,
    )
    return partner_out(partner, request)


@router.post(
    "/", response={201: PartnerOut}, summary=_("Ajouter une personne au recrutement (coordination)")
)
def create_partner(request, payload: PartnerIn):
    structure = structure_for(request, payload.structure)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    data = payload.dict(exclude={"structure", "motivation"})
    partner = services.create_team_partner(
        structure, data, request=request, motivation=payload.motivation
    )
    return Status(201, partner_out(_queryset(request).get(pk=partner.pk), request))


class StatusDecisionIn(Schema):
    to_status: Partner.Status
    reason: str = Field(min_length=1, max_length=2000)


@router.post(
    "/{public_id}/decisions",
    response=PartnerOut,
    summary=_(
        "Faire passer une personne à l'étape suivante du recrutement (coordination ; étapes exigées de l'équipe)"
    ),
)
def decide(request, public_id: str, payload: StatusDecisionIn):
    partner = get_object_or_404_scoped(_queryset(request), public_id=public_id)
    if Role.COORDINATOR not in roles_in(request, partner.structure):
        raise PermissionDenied
    services.decide(
        partner,
        to_status=payload.to_status,
        reason=payload.reason,
        actor=request.user,
        request=request,
    )
    return partner_out(_queryset(request).get(pk=partner.pk), request)


# The charter: current version, signatures, sign (the page « Charte ») ------------------------


class SignatureOut(Schema):
    id: UUID = Field(alias="public_id")
    signer: str
    signer_role: str
    method: str
    signed_at: str

    @staticmethod
    def resolve_signer(obj):
        return str(obj.user)

    @staticmethod
    def resolve_signed_at(obj):
        return obj.signed_at.isoformat()


class CharterOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    version: int
    title: str
    text: str
    change_note: str
    published_at: str
    signed_by_me: bool
    signatures: list[SignatureOut] = Field(
        description=gettext_lazy("Toutes pour la coordination, la sienne pour les autres")
    )


class SignIn(Schema):
    structure: str
    version: int = Field(
        description=gettext_lazy(
            "La version lue : refus si une nouvelle version a été publiée entre-temps"
        )
    )
    agree: bool = Field(
        description=gettext_lazy("« J'ai lu la charte et je m'engage à la respecter »")
    )


class RecordSignatureIn(Schema):
    structure: str
    member: UUID = Field(description=gettext_lazy("L'appartenance (membre) qui a signé"))
    method: str
    signed_on: str = Field(description="AAAA-MM-JJ")


class CharterVersionIn(Schema):
    structure: str
    title: str = Field(max_length=200)
    text: str = Field(max_length=50000)
    change_note: str = Field("", max_length=300)


CHARTER_READERS = {Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER}


def _charter(request, slug, *roles):
    from ninja.errors import HttpError

    structure = structure_for(request, slug)
    mine = roles_in(request, structure)
    if not mine & set(roles or CHARTER_READERS):
        raise PermissionDenied
    charter = services.current_charter(structure)
    if charter is None:
        raise HttpError(404, _("Aucune charte publiée pour cette structure."))
    return structure, charter, mine


def _charter_out(request, charter, mine):
    signatures = list(charter.signatures.select_related("user").order_by("signed_at"))
    return {
        **{
            f: getattr(charter, f) for f in ("public_id", "version", "title", "text", "change_note")
        },
        "structure": charter.structure.slug,
        "published_at": charter.published_at.isoformat(),
        "signed_by_me": any(s.user_id == request.user.pk for s in signatures),
        "signatures": signatures
        if Role.COORDINATOR in mine
        else [s for s in signatures if s.user_id == request.user.pk],
    }


@router.get(
    "/charter/current",
    response=CharterOut,
    summary=_("La charte en vigueur et ses signatures (?structure=<slug>)"),
)
def charter(request, structure: str):
    _structure, current, mine = _charter(request, structure)
    return _charter_out(request, current, mine)


@router.post(
    "/charter/sign",
    response={201: CharterOut, 422: ApiError},
    summary=_("Signer la charte en vigueur, en ligne (soi-même)"),
)
def sign_charter(request, payload: SignIn):
    from ninja.errors import HttpError

    from binome.partners.models import CharterSignature

    _structure, current, mine = _charter(request, payload.structure)
    if payload.version != current.version:
        raise HttpError(
            422, _("Une nouvelle version de la charte a été publiée : relisez-la avant de signer.")
        )
    if not payload.agree:
        raise HttpError(
            422, _("Cochez « J'ai lu la charte et je m'engage à la respecter » pour signer.")
        )
    services.sign_charter(
        current,
        user=request.user,
        method=CharterSignature.Method.ONLINE,
        recorded_by=request.user,
        request=request,
    )
    return Status(201, _charter_out(request, current, mine))


@router.post(
    "/charter/signatures",
    response={201: CharterOut, 422: ApiError},
    summary=_("Enregistrer une signature donnée sur papier ou en réunion (coordination)"),
)
def record_signature(request, payload: RecordSignatureIn):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from binome.partners.forms import RecordSignatureForm
    from binome.people.models import Membership

    structure, current, mine = _charter(request, payload.structure, Role.COORDINATOR)
    member = Membership.objects.filter(structure=structure, public_id=payload.member).first()
    form = RecordSignatureForm(
        {
            "member": member.pk if member else "",
            "method": payload.method,
            "signed_on": payload.signed_on,
        },
        structure=structure,
    )
    if not form.is_valid():
        raise ValidationError({f: list(e) for f, e in form.errors.items()})
    signed_at = timezone.make_aware(
        timezone.datetime.combine(
            form.cleaned_data["signed_on"], timezone.datetime.min.time().replace(hour=12)
        )
    )
    services.sign_charter(
        current,
        user=form.cleaned_data["member"].user,
        method=form.cleaned_data["method"],
        recorded_by=request.user,
        signed_at=signed_at,
        request=request,
    )
    return Status(201, _charter_out(request, current, mine))


@router.post(
    "/charter/versions",
    response={201: CharterOut, 422: ApiError},
    summary=_(
        "Publier une nouvelle version de la charte (coordination ; chacun la signe à nouveau)"
    ),
)
def publish_charter(request, payload: CharterVersionIn):
    from django.core.exceptions import ValidationError

    from binome.partners.forms import CharterForm

    structure = structure_for(request, payload.structure)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    form = CharterForm(payload.dict(exclude={"structure"}))
    if not form.is_valid():
        raise ValidationError({f: list(e) for f, e in form.errors.items()})
    current = services.current_charter(structure)
    if (
        current
        and current.text.strip() == form.cleaned_data["text"].strip()
        and current.title == form.cleaned_data["title"]
    ):
        raise ValidationError(
            {"text": [_("Le texte n'a pas changé : aucune nouvelle version n'est publiée.")]}
        )
    new = services.publish_charter(
        structure, actor=request.user, request=request, **form.cleaned_data
    )
    return Status(201, _charter_out(request, new, roles_in(request, structure)))


# Recruitment moves: meeting notes, evaluations, trainings, the account invitation ------------


class PartnerMeetingIn(Schema):
    met_on: str = Field(description="AAAA-MM-JJ")
    participants: str = Field("", max_length=300)
    notes: str = Field(max_length=5000)


class RatingIn(Schema):
    criterion: UUID
    rating: str
    comment: str = Field("", max_length=500)


class EvaluationIn(Schema):
    ratings: list[RatingIn] = Field(max_length=50)


class TrainingIn(Schema):
    kind: str
    title: str = Field(max_length=200)
    organisation: str = Field("", max_length=200)
    completed_on: str | None = None
    hours: int | None = None


def _staff_partner(request, public_id, *roles):
    partner = get_object_or_404_scoped(_queryset(request), public_id=public_id)
    if not roles_in(request, partner.structure) & set(
        roles or (Role.COORDINATOR, Role.PROFESSIONAL)
    ):
        raise PermissionDenied
    return partner


def _form_errors(form):
    from django.core.exceptions import ValidationError

    raise ValidationError({f: list(e) for f, e in form.errors.items()})


@router.post(
    "/{public_id}/meetings",
    response={201: DoneOut, 422: ApiError},
    summary=_("Noter une rencontre avec le candidat (équipe)"),
)
def add_meeting(request, public_id: str, payload: PartnerMeetingIn):
    from binome.partners.forms import MeetingNoteForm

    partner = _staff_partner(request, public_id)
    form = MeetingNoteForm(payload.dict())
    if not form.is_valid():
        _form_errors(form)
    note = services.add_meeting_note(
        partner, actor=request.user, request=request, **form.cleaned_data
    )
    return Status(201, {"id": note.public_id, "detail": _("Compte rendu enregistré.")})


@router.post(
    "/{public_id}/evaluations",
    response={201: DoneOut, 422: ApiError},
    summary=_("Remplir la grille d'évaluation (chaque critère actif de l'équipe)"),
)
def evaluate(request, public_id: str, payload: EvaluationIn):
    from binome.partners.forms import EvaluationForm
    from binome.partners.models import EvaluationCriterion

    partner = _staff_partner(request, public_id)
    criteria = list(
        EvaluationCriterion.objects.filter(structure_id=partner.structure_id, is_active=True)
    )
    by_id = {str(c.public_id): c for c in criteria}
    data = {}
    for r in payload.ratings:
        c = by_id.get(str(r.criterion))
        if c is not None:
            data[f"rating_{c.pk}"], data[f"comment_{c.pk}"] = r.rating, r.comment
    form = EvaluationForm(data, criteria=criteria)
    if not form.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Évaluation incomplète : vérifiez chaque critère."))
    services.save_evaluation(
        partner, evaluator=request.user, ratings=form.ratings(), request=request
    )
    return Status(201, {"id": partner.public_id, "detail": _("Votre évaluation est enregistrée.")})


@router.post(
    "/{public_id}/trainings",
    response={201: DoneOut, 422: ApiError},
    summary=_(
        "Déclarer une formation (le partenaire lui-même ou la coordination ; justificatif sur la page)"
    ),
)
def add_training(request, public_id: str, payload: TrainingIn):
    from binome.partners.forms import TrainingForm

    partner = get_object_or_404_scoped(_queryset(request), public_id=public_id)
    if not (
        partner.membership_id in _own_ids(request)
        or Role.COORDINATOR in roles_in(request, partner.structure)
    ):
        raise PermissionDenied
    form = TrainingForm({k: ("" if v is None else v) for k, v in payload.dict().items()})
    if not form.is_valid():
        _form_errors(form)
    data = {k: v for k, v in form.cleaned_data.items() if k != "proof"}
    training = services.add_training(partner, actor=request.user, request=request, **data)
    return Status(201, {"id": training.public_id, "detail": _("Formation ajoutée.")})


@router.post(
    "/{public_id}/invitation",
    response={201: DoneOut, 422: ApiError},
    summary=_("Inviter le candidat retenu à créer son compte (coordination)"),
)
def invite(request, public_id: str):
    from django.core.exceptions import ValidationError

    from binome.people import services as people_services

    partner = _staff_partner(request, public_id, Role.COORDINATOR)
    if partner.membership_id:
        raise ValidationError(_("Cette personne a déjà un compte."))
    if not partner.email:
        raise ValidationError(
            _("Ajoutez d'abord une adresse e-mail à la fiche pour envoyer l'invitation.")
        )
    invitation, _url = people_services.invite(
        structure=partner.structure,
        email=partner.email,
        role=Role.PARTNER,
        first_name=partner.first_name,
        last_name=partner.last_name,
        invited_by=request.user,
        request=request,
    )
    return Status(
        201, {"id": invitation.public_id, "detail": f"Invitation envoyée à {partner.email}."}
    )


# --- recruitment settings and the team's part: the pages' twins (coordination) -------------


class TeamPartIn(Schema):
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=30)
    commune: str | None = Field(None, max_length=120)
    max_active_accompaniments: int | None = Field(None, ge=0, le=20)
    training_plan: str | None = Field(None, max_length=5000)
    supervision_arrangement: str | None = Field(None, max_length=5000)
    team_notes: str | None = Field(None, max_length=5000)


class GatesIO(Schema):
    meeting_required: bool
    evaluators_required: int = Field(ge=0, le=10)
    charter_required: bool
    training_required: bool


class CriterionIn(Schema):
    structure: str
    kind: str
    label: str = Field(max_length=200)
    help_text: str = Field("", max_length=300)


class CallIn(Schema):
    structure: str
    title: str = Field(max_length=200)
    introduction: str = Field("", max_length=5000)
    what_we_offer: str = Field("", max_length=5000)
    contact_note: str = Field("", max_length=500)
    is_open: bool = True


def _team_view(request, public_id):
    return get_object_or_404_scoped(_queryset(request), public_id=public_id)


def _coordinated(request, slug):
    structure = structure_for(request, slug)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    return structure


@router.patch(
    "/{public_id}/team",
    response={200: PartnerOut, 422: ApiError},
    summary=_("Modifier la partie « équipe » de la fiche (coordination)"),
)
def update_team_part(request, public_id: str, payload: TeamPartIn):
    from binome.api.core import cleaned
    from binome.partners.forms import TeamPartnerForm

    partner = _team_view(request, public_id)
    if Role.COORDINATOR not in roles_in(request, partner.structure):
        raise PermissionDenied
    data = {name: getattr(partner, name) for name in TeamPartnerForm.Meta.fields}
    data["supervisor"] = partner.supervisor_id or ""
    data.update({k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None})
    form = TeamPartnerForm({k: ("" if v is None else v) for k, v in data.items()}, instance=partner)
    cleaned(form)
    services.save_team_part(partner, form, actor=request.user, request=request)
    return partner_out(_team_view(request, public_id), request)


@router.get(
    "/recruitment/gates",
    response=GatesIO,
    summary=_("Les étapes exigées avant l'intégration et l'activation (?structure=<slug>)"),
)
def gates(request, structure: str):
    from binome.partners.models import RecruitmentGates

    place = structure_for(request, structure)
    if not {Role.COORDINATOR, Role.PROFESSIONAL} & roles_in(request, place):
        raise PermissionDenied
    return RecruitmentGates.of(place)


@router.put(
    "/recruitment/gates",
    response={200: GatesIO, 422: ApiError},
    summary=_("Choisir les étapes exigées du recrutement (?structure=<slug> ; coordination)"),
)
def set_gates(request, structure: str, payload: GatesIO):
    from binome.api.core import cleaned, form_data
    from binome.partners.forms import RecruitmentGatesForm
    from binome.partners.models import RecruitmentGates

    place = _coordinated(request, structure)
    data = {
        k: v for k, v in form_data(payload).items() if v is not False
    }  # an unchecked box: nothing sent
    form = RecruitmentGatesForm(data, instance=RecruitmentGates.of(place))
    cleaned(form)
    services.save_gates(form.instance, request=request)
    return RecruitmentGates.of(place)


@router.post(
    "/recruitment/criteria",
    response={201: DoneOut, 422: ApiError},
    summary=_("Ajouter un critère à la grille d'évaluation des candidatures (coordination)"),
)
def add_criterion(request, payload: CriterionIn):
    from binome.api.core import cleaned, form_data
    from binome.partners.forms import CriterionForm

    place = _coordinated(request, payload.structure)
    form = CriterionForm(form_data(payload))
    cleaned(form)
    criterion = services.add_criterion(place, form, actor=request.user, request=request)
    return Status(
        201, {"id": criterion.public_id, "detail": _("Critère ajouté à la grille d'évaluation.")}
    )


@router.post(
    "/recruitment/criteria/{public_id}/retire",
    response=DoneOut,
    summary=_("Retirer un critère de la grille (coordination)"),
)
def retire_criterion(request, public_id: str):
    from binome.partners.models import EvaluationCriterion

    ids = [m.structure_id for m in request.binome.memberships]
    criterion = get_object_or_404_scoped(
        EvaluationCriterion.objects.filter(structure_id__in=ids).select_related("structure"),
        public_id=public_id,
    )
    if Role.COORDINATOR not in roles_in(request, criterion.structure):
        raise PermissionDenied
    services.retire_criterion(criterion, actor=request.user, request=request)
    return {"id": criterion.public_id, "detail": _("Critère retiré de la grille.")}


@router.put(
    "/recruitment/call",
    response={200: DoneOut, 422: ApiError},
    summary=_("Écrire ou modifier l'appel à candidatures public (coordination)"),
)
def save_call(request, payload: CallIn):
    from binome.api.core import cleaned, form_data
    from binome.partners.forms import RecruitmentCallForm
    from binome.partners.models import RecruitmentCall

    place = _coordinated(request, payload.structure)
    call = (
        RecruitmentCall.objects.filter(structure=place, is_open=True).first()
        or RecruitmentCall.objects.filter(structure=place).first()
    )
    data = {k: v for k, v in form_data(payload).items() if v is not False}
    form = RecruitmentCallForm(data, instance=call)
    cleaned(form)
    call = services.save_call(place, form, actor=request.user, request=request)
    return {"id": call.public_id, "detail": _("L'appel à candidatures est enregistré.")}


# --- one's own profile, and the public call: the pages' twins (issue 16) --------------------

PROFILE_FIELDS = (
    "phone", "lived_experience", "association", "availability", "available_daytime", "available_evening",
    "available_weekend", "remote_ok", "hours_per_month", "limits_note", "preferred_status", "compensation_note",
    "share_lived_experience", "share_conditions", "share_association", "share_compensation", "share_photo",
)  # fmt: skip
TAG_KINDS = {"conditions": PartnerTag.Kind.CONDITION, "skills": PartnerTag.Kind.SKILL,
             "languages": PartnerTag.Kind.LANGUAGE, "limits": PartnerTag.Kind.LIMIT}  # fmt: skip


class MyProfileOut(Schema):
    id: UUID
    structure: str
    first_name: str
    last_name: str
    status: str
    profile: dict
    conditions: list[str]
    skills: list[str]
    languages: list[str]
    limits: list[str]


class MyProfilePatch(Schema):
    phone: str | None = Field(None, max_length=30)
    lived_experience: str | None = Field(None, max_length=5000)
    association: str | None = Field(None, max_length=200)
    availability: str | None = Field(None, max_length=2000)
    available_daytime: bool | None = None
    available_evening: bool | None = None
    available_weekend: bool | None = None
    remote_ok: bool | None = None
    hours_per_month: int | None = None
    limits_note: str | None = Field(None, max_length=2000)
    preferred_status: str | None = None
    compensation_note: str | None = Field(None, max_length=2000)
    share_lived_experience: bool | None = None
    share_conditions: bool | None = None
    share_association: bool | None = None
    share_compensation: bool | None = None
    share_photo: bool | None = None
    conditions: list[str] | None = None
    skills: list[str] | None = None
    languages: list[str] | None = None
    limits: list[str] | None = None


def _own_profile(request, slug):
    structure = structure_for(request, slug)
    membership = next(
        (
            m
            for m in request.binome.memberships
            if m.structure_id == structure.pk and m.role == Role.PARTNER
        ),
        None,
    )
    partner = Partner.objects.filter(membership=membership).first() if membership else None
    if partner is None:
        raise PermissionDenied
    return partner


def _my_profile_out(partner):
    tags = list(partner.tags.all())
    return {
        "id": partner.public_id, "structure": partner.structure.slug, "first_name": partner.first_name,
        "last_name": partner.last_name, "status": partner.status,
        "profile": {f: getattr(partner, f) for f in PROFILE_FIELDS},
        **{field: [t.label for t in tags if t.kind == kind] for field, kind in TAG_KINDS.items()},
    }  # fmt: skip


@router.get("/profile/mine", response=MyProfileOut, summary=_("Mon profil de patient partenaire"))
def my_profile(request, structure: str):
    return _my_profile_out(_own_profile(request, structure))


@router.patch(
    "/profile/mine",
    response={200: MyProfileOut, 422: ApiError},
    summary=_("Modifier mon profil et ce que je partage"),
)
def edit_my_profile(request, structure: str, payload: MyProfilePatch):
    from binome.api.core import cleaned
    from binome.partners.forms import ProfileForm

    partner = _own_profile(request, structure)
    tags = list(partner.tags.all())
    data = {f: getattr(partner, f) for f in PROFILE_FIELDS}
    data.update(
        {
            field: ", ".join(t.label for t in tags if t.kind == kind)
            for field, kind in TAG_KINDS.items()
        }
    )
    for key, value in payload.dict(exclude_unset=True).items():
        data[key] = ", ".join(value) if isinstance(value, list) else value
    form = ProfileForm({k: ("" if v is None else v) for k, v in data.items()}, instance=partner)
    cleaned(form)
    services.save_profile(
        partner, form, tags=form.tag_values(), actor=request.user, request=request
    )
    partner.refresh_from_db()
    return _my_profile_out(partner)


class CandidacyIn(Schema):
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    commune: str = Field("", max_length=120)
    motivation: str = Field("", max_length=3000)
    how_heard: str = Field("", max_length=200)
    consent: bool = Field(
        False, description=gettext_lazy("Accord pour être recontacté·e (obligatoire)")
    )
    submission_token: str = Field(
        "", max_length=64, description=gettext_lazy("Un envoi répété n'est compté qu'une fois")
    )


class CandidacyReceivedOut(Schema):
    created: bool


@router.post(
    "/public/{slug}/candidacies",
    auth=None,
    response={201: CandidacyReceivedOut, 200: CandidacyReceivedOut, 422: ApiError},
    summary=_("Proposer sa candidature à l'appel d'une structure (sans compte, idempotent)"),
)
def public_candidacy(request, slug: str, payload: CandidacyIn):
    from django.http import Http404
    from ninja.errors import HttpError

    from binome.api.core import cleaned
    from binome.core.public_forms import refusal
    from binome.partners.forms import CandidacyForm
    from binome.partners.models import RecruitmentCall
    from binome.partners.public_views import CANDIDACY_RATE
    from binome.people.models import Structure
    from binome.people.scoping import structure_scope

    refused = refusal(request, group="partners.candidacy", rate=CANDIDACY_RATE)
    if refused is not None:
        raise HttpError(*refused)
    structure = Structure.objects.filter(slug=slug).first()
    if structure is None:
        raise Http404
    with structure_scope(structure):
        if not RecruitmentCall.objects.filter(structure=structure, is_open=True).exists():
            raise Http404
        fields = cleaned(CandidacyForm(payload.dict()))
        _partner, created = services.submit_candidacy(
            structure=structure,
            data={
                k: v
                for k, v in fields.items()
                if k not in ("submission_token", "website", "consent")
            },
            submission_token=fields["submission_token"][:64],
            source=Partner.Source.PUBLIC_FORM,
        )
    return Status(201 if created else 200, {"created": created})


# --- a CPTS's shared pool (binome.partners.pool): the pages' twins ------------------------


class PoolLinkOut(Schema):
    id: UUID
    cpts: str
    cpts_name: str
    member: str
    member_name: str
    state: str
    requested_at: str
    accepted_at: str | None


def _link_out(link):
    return {
        "id": link.public_id,
        "cpts": link.cpts.slug,
        "cpts_name": link.cpts.name,
        "member": link.member.slug,
        "member_name": link.member.name,
        "state": "ended" if link.ended_at else ("open" if link.accepted_at else "requested"),
        "requested_at": link.requested_at.isoformat(),
        "accepted_at": link.accepted_at.isoformat() if link.accepted_at else None,
    }


def _coordinated_structure(request, slug):
    structure = structure_for(request, slug)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    return structure


def _link_for(request, public_id):
    """404 unless the caller coordinates one of the link's two structures."""
    from binome.partners.models import PoolMembership

    coordinated = [m.structure_id for m in request.binome.memberships if m.role == Role.COORDINATOR]
    mine = [s.pk for s in request.binome.structures]
    link = (
        PoolMembership.objects.filter(public_id=public_id).select_related("cpts", "member").first()
    )
    if link is None or not {link.cpts_id, link.member_id} & set(mine):
        raise Http404
    if not {link.cpts_id, link.member_id} & set(coordinated):
        raise PermissionDenied
    return link


@router.get(
    "/pool/links",
    response=list[PoolLinkOut],
    summary=_("Le vivier partagé de la CPTS : adhésions de la structure (coordination)"),
)
def pool_links(request, structure: str):
    from binome.partners.pool import links_of

    return [_link_out(link) for link in links_of(_coordinated_structure(request, structure))]


class PoolInviteIn(Schema):
    member: str = Field(
        min_length=1, max_length=60, description=gettext_lazy("Identifiant court ou numéro FINESS")
    )


@router.post(
    "/pool/links",
    response={201: PoolLinkOut, 422: ApiError},
    summary=_("Inviter une structure dans le vivier de la CPTS (coordination de la CPTS)"),
)
def pool_invite(request, structure: str, payload: PoolInviteIn):
    from binome.partners import pool

    cpts = _coordinated_structure(request, structure)
    link = pool.request_membership(
        cpts, pool.find_structure(payload.member), actor=request.user, request=request
    )
    return Status(201, _link_out(link))


@router.post(
    "/pool/links/{public_id}/accept",
    response={200: PoolLinkOut, 403: ApiError, 422: ApiError},
    summary=_("Rejoindre le vivier de la CPTS (coordination de la structure invitée)"),
)
def pool_accept(request, public_id: UUID):
    from binome.partners import pool

    link = _link_for(request, public_id)
    coordinated = {m.structure_id for m in request.binome.memberships if m.role == Role.COORDINATOR}
    if link.member_id not in coordinated:
        raise PermissionDenied(_("Seule la structure invitée accepte la demande."))
    return _link_out(pool.accept_membership(link, actor=request.user, request=request))


@router.post(
    "/pool/links/{public_id}/end",
    response={200: PoolLinkOut, 422: ApiError},
    summary=_("Terminer une adhésion au vivier (l'une ou l'autre coordination)"),
)
def pool_end(request, public_id: UUID):
    from binome.partners import pool

    link = _link_for(request, public_id)
    return _link_out(pool.end_membership(link, actor=request.user, request=request))


class PoolChoiceOut(Schema):
    structure: str
    structure_name: str
    shared: bool
    share_id: UUID | None
    consented_at: str | None


@router.get(
    "/profile/mine/pool",
    response=list[PoolChoiceOut],
    summary=_("Les structures du vivier de ma CPTS et mes accords de partage"),
)
def my_pool(request, structure: str):
    from binome.partners.pool import share_choices

    partner = _own_profile(request, structure)
    if partner.is_pool_copy:
        return []
    return [
        {
            "structure": s.slug,
            "structure_name": s.name,
            "shared": row is not None,
            "share_id": row.public_id if row else None,
            "consented_at": row.consented_at.isoformat() if row else None,
        }
        for s, row in share_choices(partner)
    ]


class PoolShareIn(Schema):
    with_structure: str = Field(
        min_length=1, max_length=60, description=gettext_lazy("Identifiant court")
    )


@router.post(
    "/profile/mine/pool",
    response={201: DoneOut, 422: ApiError},
    summary=_("Partager mon profil avec une structure du vivier (mon accord)"),
)
def share_my_profile(request, structure: str, payload: PoolShareIn):
    from binome.partners import pool
    from binome.people.models import Structure

    partner = _own_profile(request, structure)
    target = Structure.objects.filter(slug=payload.with_structure).first()
    row = pool.share(partner, target, actor=request.user, request=request)
    return Status(
        201,
        {
            "id": row.public_id,
            "detail": _("Votre profil est partagé avec « %(s)s ».") % {"s": target.name},
        },
    )


@router.post(
    "/pool-shares/{public_id}/withdraw",
    response={200: DoneOut},
    summary=_("Retirer mon accord de partage (prend effet tout de suite)"),
)
def withdraw_my_share(request, public_id: UUID):
    from binome.partners import pool

    row = pool.own_open_share(request.user, public_id)
    if row is None:
        raise Http404
    pool.withdraw(row, actor=request.user, request=request)
    return {"id": row.public_id, "detail": _("Partage retiré.")}


@router.post(
    "/{public_id}/pool-decline",
    response={200: DoneOut, 422: ApiError},
    summary=_("Ne plus recevoir un profil partagé par le vivier de la CPTS (coordination)"),
)
def pool_decline(request, public_id: str):
    from binome.partners import pool

    partner = get_object_or_404_scoped(_queryset(request), public_id=public_id)
    row = pool.decline(partner, actor=request.user, request=request)  # the coordination only
    return {"id": row.public_id, "detail": _("Ce profil ne fait plus partie de votre vivier.")}
