"""API of mission sheets and matching: /api/v1/missions/."""

from datetime import date
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from binome.api.base import ApiError
from binome.api.core import (
    DoneOut,
    Pagination,
    PlausibleDate,
    attribute,
    cleaned,
    form_data,
    roles_in,
    structure_for,
)
from binome.audit.services import record
from binome.missions import forms, matching, services
from binome.missions.models import Level, Mission, MissionAssignment, MissionComment
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=["Missions"])
STAFF = {Role.COORDINATOR, Role.PROFESSIONAL}


class MissionOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    title: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    level: str
    status: str
    status_label: str = Field(alias="get_status_display")
    version: int = Field(alias="version_number")
    starts_on: date | None
    ends_on: date | None


class AssignmentOut(Schema):
    id: UUID
    partner_id: UUID
    name: str


class MissionDetailOut(MissionOut):
    objective: str
    activities: str
    excluded_activities: str
    required_profile: str
    time_and_place: str
    supervision: str
    places: int
    professionals: list[UUID] = []
    assignments: list[AssignmentOut] = []
    compensation: str | None = None

    @staticmethod
    def resolve_professionals(obj):
        return [n.membership.public_id for n in obj.named.select_related("membership")]

    @staticmethod
    def resolve_assignments(obj):
        current = MissionAssignment.objects.filter(
            mission=obj, ended_at__isnull=True
        ).select_related("partner")
        return [
            {"id": a.public_id, "partner_id": a.partner.public_id, "name": a.partner.full_name}
            for a in current
        ]

    @staticmethod
    def resolve_compensation(obj):
        policy = services.effective_policy(obj)
        return services.policy_summary(policy) if policy else None


class MissionIn(Schema):
    structure: str
    title: str = Field(min_length=1, max_length=200)
    kind: str
    level: str = Level.COLLABORATION
    objective: str = ""
    activities: str = ""
    excluded_activities: str = ""
    required_profile: str = ""
    time_and_place: str = ""
    supervision: str = ""
    starts_on: PlausibleDate | None = None
    ends_on: PlausibleDate | None = None


class MatchOut(Schema):
    partner_id: UUID
    name: str
    score: int
    excluded: bool
    reasons: list[str]
    exclusions: list[str]


def _visible(request):
    return services.visible_missions(request.user, request.binome.memberships).select_related(
        "structure"
    )


@router.get("/", response=list[MissionOut], summary="Missions visibles")
@paginate(Pagination)
def list_missions(request, status: str | None = None):
    if not any(m.role in (*STAFF, Role.PARTNER) for m in request.binome.memberships):
        raise PermissionDenied
    qs = _visible(request)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "pk")


@router.get("/{public_id}", response=MissionDetailOut, summary=_("Une fiche-mission"))
def get_mission(request, public_id: str):
    mission = get_object_or_404_scoped(_visible(request), public_id=public_id)
    record("missions.read", request=request, structure=mission.structure, target=mission, api=True)
    return mission


@router.post(
    "/", response={201: MissionDetailOut}, summary=_("Créer un brouillon de fiche-mission")
)
def create_mission(request, payload: MissionIn):
    structure = structure_for(request, payload.structure)
    if not STAFF & roles_in(request, structure):
        raise PermissionDenied
    errors = {}
    if payload.kind not in Mission.Kind.values:
        errors["kind"] = [_("Type de mission inconnu.")]
    if payload.level not in Level.values:
        errors["level"] = [
            _("Niveau inconnu : information, consultation, collaboration ou partenariat.")
        ]
    if payload.starts_on and payload.ends_on and payload.ends_on < payload.starts_on:
        errors["ends_on"] = [_("La fin ne peut pas précéder le début.")]
    if not payload.title.strip():
        errors["title"] = [_("Donnez un titre à la mission.")]
    if errors:
        raise ValidationError(errors)
    mission = Mission(
        structure=structure, created_by=request.user, **payload.dict(exclude={"structure"})
    )
    services.save_mission(
        mission, actor=request.user, criteria={}, professionals=[], request=request, created=True
    )
    return Status(201, _visible(request).get(pk=mission.pk))


@router.get(
    "/{public_id}/matching",
    response=list[MatchOut],
    summary=_("Partenaires suggérés pour une mission, avec les raisons"),
)
@paginate(Pagination)
def mission_matching(request, public_id: str):
    mission = get_object_or_404_scoped(_visible(request), public_id=public_id)
    if not STAFF & roles_in(request, mission.structure):
        raise PermissionDenied
    criteria = list(mission.criteria.all())
    record(
        "missions.matching_read",
        request=request,
        structure=mission.structure,
        target=mission,
        api=True,
    )
    return _MatchList(mission, criteria)


class _MatchList:
    """Lazy list for the paginator: ranks in the database, explains only the page sliced."""

    def __init__(self, mission, criteria):
        self.mission, self.criteria = mission, criteria
        self.qs = matching.ranked(mission, criteria)

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        rows = list(self.qs[item])
        return [
            {
                "partner_id": m.partner.public_id,
                "name": m.partner.full_name,
                "score": m.partner.score,
                "excluded": m.partner.excluded,
                "reasons": m.reasons,
                "exclusions": m.exclusions,
            }
            for m in matching.explain(self.mission, rows, self.criteria)
        ]


# --- the page actions' twins (issue 16): same forms, same services, same rules ------------


class MissionPatch(Schema):
    """Only the fields sent change; criteria are lists of labels, professionals membership ids."""

    title: str | None = Field(None, max_length=200)
    kind: str | None = None
    level: str | None = None
    objective: str | None = None
    activities: str | None = None
    excluded_activities: str | None = None
    required_profile: str | None = None
    time_and_place: str | None = None
    slot: str | None = None
    remote_possible: bool | None = None
    estimated_hours_per_month: int | None = Field(None, ge=0, le=32767)
    starts_on: PlausibleDate | None = None
    ends_on: PlausibleDate | None = None
    supervision: str | None = None
    required_training: str | None = None
    places: int | None = Field(None, ge=0, le=32767)
    professionals: list[UUID] | None = None
    skills: list[str] | None = None
    conditions: list[str] | None = None
    languages: list[str] | None = None
    topics: list[str] | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=300)


class CloseIn(Schema):
    note: str = Field("", max_length=5000)


class CommentIn(Schema):
    body: str = Field(max_length=5000)


class AssignIn(Schema):
    partner: UUID


class PolicyIn(Schema):
    mode: str
    flat_fee_amount: str | None = Field(None, max_length=20)
    hourly_rate: str | None = Field(None, max_length=20)
    expenses_ceiling: str | None = Field(None, max_length=20)
    mileage_rate: str | None = Field(None, max_length=20)
    notes: str = ""
    decided_on: PlausibleDate | None = None
    decision_meeting: str = Field("", max_length=200)
    votes_for: int | None = Field(None, ge=0, le=10000)
    votes_against: int | None = Field(None, ge=0, le=10000)
    votes_abstain: int | None = Field(None, ge=0, le=10000)
    vote_result: str = ""


class PolicyOut(Schema):
    id: UUID = Field(alias="public_id")
    mode: str
    summary: str
    decided_on: date | None

    @staticmethod
    def resolve_summary(obj):
        return services.policy_summary(obj)


def _mission(request, public_id, *roles):
    """The mission as the page finds it: 404 outside the caller's structures (and for a
    partner not on it), 403 without one of the roles (or being its assigned partner)."""
    mission = get_object_or_404_scoped(_visible(request), public_id=public_id)
    if (
        roles
        and not set(roles) & roles_in(request, mission.structure)
        and not _assigned(request, mission)
    ):
        raise PermissionDenied
    return mission


def _assigned(request, mission):
    own = [
        m.pk
        for m in request.binome.memberships
        if m.role == Role.PARTNER and m.structure_id == mission.structure_id
    ]
    return (
        bool(own)
        and MissionAssignment.objects.filter(
            mission=mission, ended_at__isnull=True, partner__membership_id__in=own
        ).exists()
    )


def _staff_only(request, mission, *roles):
    if not set(roles or STAFF) & roles_in(request, mission.structure):
        raise PermissionDenied


@router.patch(
    "/{public_id}",
    response={200: MissionDetailOut, 422: ApiError},
    summary=_("Modifier une fiche en brouillon ou en validation"),
)
def update_mission(request, public_id: str, payload: MissionPatch):
    mission = _mission(request, public_id)
    _staff_only(request, mission)
    if mission.status not in services.EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "Une mission active ou close ne se modifie plus. Clôturez-la et créez-en une nouvelle."
            )
        )
    changes = payload.dict(exclude_unset=True)
    form = forms.MissionForm(None, instance=mission, structure=mission.structure)
    data = {}
    for name in forms.MissionForm.Meta.fields:
        value = changes[name] if name in changes else getattr(mission, name)
        data[name] = "" if value is None else value
    if not data["remote_possible"]:
        data.pop("remote_possible")  # a browser sends an unchecked box as nothing
    criteria = list(mission.criteria.all())
    for field, kind in forms.MissionForm.CRITERIA_FIELDS.items():
        labels = (
            changes[field] if field in changes else [c.label for c in criteria if c.kind == kind]
        )
        data[field] = ", ".join(label.replace(",", " ") for label in labels)
    if "professionals" in changes:
        by_id = {str(m.public_id): m.pk for m in form.fields["professionals"].queryset}
        unknown = [str(p) for p in changes["professionals"] if str(p) not in by_id]
        if unknown:
            raise ValidationError(
                {"professionals": [_("Professionnel inconnu dans cette structure.")]}
            )
        data["professionals"] = [by_id[str(p)] for p in changes["professionals"]]
    else:
        data["professionals"] = list(mission.named.values_list("membership_id", flat=True))
    form = forms.MissionForm(data, instance=mission, structure=mission.structure)
    cleaned(form)
    services.save_mission(
        form.save(commit=False),
        actor=request.user,
        criteria=form.criteria(),
        professionals=form.cleaned_data["professionals"],
        request=request,
    )
    return _visible(request).get(pk=mission.pk)


@router.post(
    "/{public_id}/submit",
    response={201: DoneOut, 422: ApiError},
    summary=_("Soumettre la fiche à la validation du partenaire et des professionnels nommés"),
)
def submit_mission(request, public_id: str, payload: NoteIn):
    mission = _mission(request, public_id)
    _staff_only(request, mission)
    version = services.submit(mission, actor=request.user, note=payload.note, request=request)
    return Status(
        201,
        {
            "id": mission.public_id,
            "detail": _("Version %(v)s soumise à la validation.") % {"v": version.number},
        },
    )


@router.post(
    "/{public_id}/validate",
    response={201: DoneOut, 422: ApiError},
    summary=_("Valider la version en cours (partenaire affecté ou professionnel nommé)"),
)
def validate_mission(request, public_id: str):
    mission = _mission(request, public_id)
    active = services.validate(mission, user=request.user, request=request)
    detail = (
        _("Tout le monde a validé : la mission est active.")
        if active
        else _("Votre validation est enregistrée.")
    )
    return Status(201, {"id": mission.public_id, "detail": detail})


@router.post(
    "/{public_id}/comments",
    response={201: DoneOut, 422: ApiError},
    summary=_("Commenter la fiche (équipe ou partenaire affecté)"),
)
def comment_mission(request, public_id: str, payload: CommentIn):
    mission = _mission(request, public_id, *STAFF)
    staff = bool(STAFF & roles_in(request, mission.structure))
    side = MissionComment.Side.TEAM if staff else MissionComment.Side.PARTNER
    data = cleaned(forms.CommentForm(payload.dict()))
    comment = services.comment(
        mission, user=request.user, body=data["body"], side=side, request=request
    )
    return Status(201, {"id": comment.public_id, "detail": _("Commentaire ajouté.")})


@router.post(
    "/{public_id}/assignments",
    response={201: DoneOut, 422: ApiError},
    summary="Affecter un patient partenaire (coordination)",
)
def assign_partner(request, public_id: str, payload: AssignIn):
    mission = _mission(request, public_id)
    _staff_only(request, mission, Role.COORDINATOR)
    form = forms.AssignForm({"partner": str(payload.partner)}, structure=mission.structure)
    partner = cleaned(form)["partner"]
    assignment = services.assign(mission, partner, actor=request.user, request=request)
    return Status(
        201,
        {
            "id": assignment.public_id,
            "detail": _("%(name)s est affecté·e à la mission.") % {"name": partner},
        },
    )


@router.post(
    "/{public_id}/assignments/{assignment_id}/end",
    response={200: DoneOut},
    summary=_("Terminer une affectation (coordination)"),
)
def unassign_partner(request, public_id: str, assignment_id: str):
    mission = _mission(request, public_id)
    _staff_only(request, mission, Role.COORDINATOR)
    assignment = get_object_or_404_scoped(
        MissionAssignment.objects.filter(mission=mission, ended_at__isnull=True).select_related(
            "mission__structure"
        ),
        public_id=assignment_id,
    )
    services.unassign(assignment, actor=request.user, request=request)
    return {"id": assignment.public_id, "detail": _("Affectation terminée.")}


@router.post(
    "/{public_id}/close",
    response={200: DoneOut, 422: ApiError},
    summary=_("Clôturer la mission, avec son bilan (coordination)"),
)
def close_mission(request, public_id: str, payload: CloseIn):
    mission = _mission(request, public_id)
    _staff_only(request, mission, Role.COORDINATOR)
    services.close(mission, actor=request.user, note=payload.note, request=request)
    return {"id": mission.public_id, "detail": _("Mission close.")}


def _policy(request, payload, structure, mission=None):
    form = forms.PolicyForm(form_data(payload))
    policy = services.decide_policy(
        structure=structure, mission=mission, actor=request.user, request=request, **cleaned(form)
    )
    return Status(201, policy)


@router.post(
    "/{public_id}/compensation",
    response={201: PolicyOut, 422: ApiError},
    summary=_("Décider l'indemnisation propre à cette mission (coordination)"),
)
def set_mission_policy(request, public_id: str, payload: PolicyIn):
    mission = _mission(request, public_id)
    _staff_only(request, mission, Role.COORDINATOR)
    return _policy(request, payload, mission.structure, mission)


class StructurePolicyOut(Schema):
    current: PolicyOut | None


@router.get(
    "/compensation/{structure}",
    response=StructurePolicyOut,
    summary=_("La décision d'indemnisation en vigueur dans la structure"),
)
def structure_policy(request, structure: str):
    structure = structure_for(request, structure)
    if not (STAFF | {Role.PARTNER}) & roles_in(request, structure):
        raise PermissionDenied
    return {"current": services.structure_policy(structure)}


@router.post(
    "/compensation/{structure}",
    response={201: PolicyOut, 422: ApiError},
    summary=_(
        "Décider l'indemnisation de la structure (coordination ; remplace la décision en vigueur)"
    ),
)
def decide_structure_policy(request, structure: str, payload: PolicyIn):
    structure = structure_for(request, structure)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    return _policy(request, payload, structure)
