"""API of mission sheets and matching: /api/v1/missions/."""

from datetime import date
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from binome.api.core import Pagination, PlausibleDate, roles_in, structure_for
from binome.audit.services import record
from binome.missions import matching, services
from binome.missions.models import Level, Mission
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=["Missions"])
STAFF = {Role.COORDINATOR, Role.PROFESSIONAL}


class MissionOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str = Field(alias="structure.slug")
    title: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    level: str
    status: str
    status_label: str = Field(alias="get_status_display")
    version: int = Field(alias="version_number")
    starts_on: date | None
    ends_on: date | None


class MissionDetailOut(MissionOut):
    objective: str
    activities: str
    excluded_activities: str
    required_profile: str
    time_and_place: str
    supervision: str
    compensation: str | None = None

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
    return services.visible_missions(request.user, request.binome.memberships).select_related("structure")


@router.get("/", response=list[MissionOut], summary="Missions visibles")
@paginate(Pagination)
def list_missions(request, status: str | None = None):
    if not any(m.role in (*STAFF, Role.PARTNER) for m in request.binome.memberships):
        raise PermissionDenied
    qs = _visible(request)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "pk")


@router.get("/{public_id}", response=MissionDetailOut, summary="Une fiche-mission")
def get_mission(request, public_id: str):
    mission = get_object_or_404_scoped(_visible(request), public_id=public_id)
    record("missions.read", request=request, structure=mission.structure, target=mission, api=True)
    return mission


@router.post("/", response={201: MissionDetailOut}, summary="Créer un brouillon de fiche-mission")
def create_mission(request, payload: MissionIn):
    structure = structure_for(request, payload.structure)
    if not STAFF & roles_in(request, structure):
        raise PermissionDenied
    errors = {}
    if payload.kind not in Mission.Kind.values:
        errors["kind"] = [_("Type de mission inconnu.")]
    if payload.level not in Level.values:
        errors["level"] = [_("Niveau inconnu : information, consultation, collaboration ou partenariat.")]
    if payload.starts_on and payload.ends_on and payload.ends_on < payload.starts_on:
        errors["ends_on"] = [_("La fin ne peut pas précéder le début.")]
    if not payload.title.strip():
        errors["title"] = [_("Donnez un titre à la mission.")]
    if errors:
        raise ValidationError(errors)
    mission = Mission(structure=structure, created_by=request.user, **payload.dict(exclude={"structure"}))
    services.save_mission(mission, actor=request.user, criteria={}, professionals=[], request=request, created=True)
    return Status(201, _visible(request).get(pk=mission.pk))


@router.get("/{public_id}/matching", response=list[MatchOut], summary="Partenaires suggérés pour une mission, avec les raisons")
@paginate(Pagination)
def mission_matching(request, public_id: str):
    mission = get_object_or_404_scoped(_visible(request), public_id=public_id)
    if not STAFF & roles_in(request, mission.structure):
        raise PermissionDenied
    criteria = list(mission.criteria.all())
    record("missions.matching_read", request=request, structure=mission.structure, target=mission, api=True)
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
                "partner_id": m.partner.public_id, "name": m.partner.full_name, "score": m.partner.score,
                "excluded": m.partner.excluded, "reasons": m.reasons, "exclusions": m.exclusions,
            }
            for m in matching.explain(self.mission, rows, self.criteria)
        ]
