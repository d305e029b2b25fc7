"""Projects steered by action-research: read endpoints and the logbook."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from binome.api.base import ApiError
from binome.api.core import Pagination, PlausibleDate, attribute, localized_form_data, roles_in
from binome.people.scoping import get_object_or_404_scoped
from binome.steering import access, services
from binome.steering.access import VIEW
from binome.steering.models import ActionItem, Cycle, LogbookEntry, Project

router = Router(tags=["Pilotage de projets"])


class ProjectOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    title: str
    objective: str
    status: str
    start_date: date | None
    end_date: date | None


class PlanActionOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    owner: UUID | None = None
    due_date: date | None
    status: str

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.public_id if obj.owner else None


class CycleOut(Schema):
    id: UUID = Field(alias="public_id")
    number: int
    title: str
    phase: str
    start_date: date
    end_date: date | None
    actions: list[PlanActionOut]

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())


class FactorOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    observation: str
    remediation: str
    status: str


class ValueOut(Schema):
    date: date
    value: Decimal


class IndicatorOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    unit: str
    target: Decimal | None
    values: list[ValueOut]

    @staticmethod
    def resolve_values(obj):
        return list(obj.values.all())


class ProjectDetailOut(ProjectOut):
    cycles: list[CycleOut] = Field(alias="cycles_list")
    factors: list[FactorOut] = Field(alias="factors_list")
    indicators: list[IndicatorOut] = Field(alias="indicators_list")


class LogbookOut(Schema):
    id: UUID = Field(alias="public_id")
    date: date
    kind: str
    cycle: UUID | None = None
    resolve_cycle = attribute("cycle.public_id")
    attendees: str
    themes: str
    questions: str
    decisions: str
    actions: str


class LogbookIn(Schema):
    date: PlausibleDate
    kind: LogbookEntry.Kind = LogbookEntry.Kind.COPIL
    cycle: UUID | None = None
    attendees: str = Field("", max_length=500)
    themes: str = Field(min_length=1, max_length=5000)
    questions: str = Field("", max_length=5000)
    decisions: str = Field("", max_length=5000)
    actions: str = Field("", max_length=5000)


def _visible_structures(request):
    return [s.pk for s in request.binome.structures if roles_in(request, s) & VIEW]


def _project(request, public_id) -> Project:
    project = get_object_or_404_scoped(
        Project.objects.select_related("structure"), public_id=public_id
    )
    if not roles_in(request, project.structure) & VIEW:
        raise PermissionDenied
    return project


@router.get(
    "/projects/",
    response=list[ProjectOut],
    summary=_("Les projets des structures de l'utilisateur"),
)
@paginate(Pagination)
def projects(request):
    return (
        Project.objects.filter(structure_id__in=_visible_structures(request))
        .select_related("structure")
        .order_by("-created_at", "-id")
    )


@router.get(
    "/projects/{public_id}",
    response=ProjectDetailOut,
    summary="Un projet : cycles, plan d'action, facteurs limitants, indicateurs",
)
def project_detail(request, public_id: str):
    project = _project(request, public_id)
    project.cycles_list = list(
        Cycle.objects.filter(project=project).prefetch_related(
            Prefetch(
                "actions",
                queryset=ActionItem.objects.select_related("owner").order_by("due_date", "id"),
            )
        )
    )
    project.factors_list = list(project.factors.all())
    project.indicators_list = list(project.indicators.prefetch_related("values"))
    return project


@router.get(
    "/projects/{public_id}/logbook/",
    response=list[LogbookOut],
    summary=_("Le journal de bord d'un projet"),
)
@paginate(Pagination)
def project_logbook(request, public_id: str):
    return _project(request, public_id).logbook.select_related("cycle")


@router.post(
    "/projects/{public_id}/logbook/",
    response={201: LogbookOut},
    summary=_("Noter une réunion au journal de bord"),
)
def add_logbook(request, public_id: str, payload: LogbookIn):
    project = _project(request, public_id)
    if not access.can_edit(request.user, roles_in(request, project.structure), project):
        raise PermissionDenied
    return Status(
        201,
        services.add_logbook_entry(
            project, data=payload.dict(), user=request.user, request=request
        ),
    )


# --- the pages' twins (issue 16): the page's form and service, the page's access rule -------


class ProjectIn(Schema):
    structure: str = ""
    title: str | None = Field(None, max_length=200)
    objective: str = Field("", max_length=5000)
    method: str = Field("", max_length=5000)
    status: str = "preparing"
    start_date: date | None = None
    end_date: date | None = None
    checkin_every_days: int = 30


class ActionStatusIn(Schema):
    status: str = Field("", description=_("planned, doing, done ou dropped"))


class IndicatorIn(Schema):
    name: str | None = Field(None, max_length=200)
    unit: str = Field("", max_length=50)
    target: Decimal | None = None
    lower_is_better: bool = False
    description: str = Field("", max_length=2000)


class LinkIn(Schema):
    target: str = Field(
        "", description=_("« mission:<id> », « programme:<id> » ou « action:<id> »")
    )


class LinkOut(Schema):
    kind: str
    target: UUID = Field(alias="target_public_id")


def _editable(request, project):
    if not access.can_edit(request.user, roles_in(request, project.structure), project):
        raise PermissionDenied
    return project


@router.post(
    "/projects/",
    response={201: ProjectOut, 422: ApiError},
    summary=_("Créer un projet (coordination)"),
)
def create_project(request, payload: ProjectIn):
    from binome.api.core import cleaned, form_data, structure_for
    from binome.people.models import Role
    from binome.steering.forms import ProjectForm

    structure = structure_for(request, payload.structure)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    data = cleaned(ProjectForm(form_data(payload.dict(exclude={"structure"}))))
    return Status(
        201,
        services.create_project(
            structure=structure, actor=request.user, data=data, request=request
        ),
    )


@router.post(
    "/actions/{public_id}/status",
    response={200: PlanActionOut, 422: ApiError},
    summary=_("L'état d'une action du plan"),
)
def action_status(request, public_id: str, payload: ActionStatusIn):
    from binome.api.core import cleaned
    from binome.steering.forms import ActionStatusForm

    action = get_object_or_404_scoped(
        ActionItem.objects.filter(
            cycle__project__structure_id__in=_visible_structures(request)
        ).select_related("cycle__project__structure", "owner"),
        public_id=public_id,
    )
    project = _editable(request, _project(request, action.cycle.project.public_id))
    status = cleaned(ActionStatusForm({"status": payload.status}))["status"]
    services.set_action_status(action, status, request=request, project=project)
    return action


@router.post(
    "/projects/{public_id}/indicators",
    response={201: IndicatorOut, 422: ApiError},
    summary=_("Ajouter un indicateur au projet"),
)
def add_indicator(request, public_id: str, payload: IndicatorIn):
    from binome.api.core import cleaned
    from binome.steering.forms import IndicatorForm

    project = _editable(request, _project(request, public_id))
    form = IndicatorForm(localized_form_data(payload.dict()))
    cleaned(form)
    indicator = form.save(commit=False)
    indicator.project = project
    return Status(
        201, services.save(indicator, "steering.indicator_saved", request=request, project=project)
    )


@router.post(
    "/projects/{public_id}/links",
    response={201: LinkOut, 422: ApiError},
    summary=_("Relier une mission, un programme ou une action d'implication au projet"),
)
def add_link(request, public_id: str, payload: LinkIn):
    from binome.api.core import cleaned
    from binome.steering.forms import LinkForm

    project = _editable(request, _project(request, public_id))
    target = cleaned(LinkForm({"target": payload.target}, project=project))["target"]
    return Status(201, services.add_link(project, target, request=request))


@router.delete(
    "/committee/{public_id}",
    response={204: None},
    summary=_("Retirer une personne du comité de pilotage"),
)
def remove_member(request, public_id: str):
    from binome.steering.models import CommitteeMember

    member = get_object_or_404_scoped(
        CommitteeMember.objects.filter(
            project__structure_id__in=_visible_structures(request)
        ).select_related("project__structure", "membership"),
        public_id=public_id,
    )
    project = _project(request, member.project.public_id)
    if not access.can_manage(request.user, roles_in(request, project.structure), project):
        raise PermissionDenied
    services.remove_member(member, request=request, project=project)
    return Status(204, None)
