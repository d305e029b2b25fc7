"""Maturity self-assessments (own structures), campaigns (aggregates only), catalogue, dashboard."""

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from binome.api.core import Pagination, roles_in, structure_for
from binome.networks import questionnaire as q
from binome.networks import services
from binome.networks.models import Campaign, MaturityAssessment, ProjectCard
from binome.networks.reports import campaign_report, network_dashboard
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=[gettext_lazy("Maturité, campagnes et catalogue")])
TEAM = {str(r) for r in (Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP)}
ASSESS = {str(Role.COORDINATOR), str(Role.PROFESSIONAL)}


class AssessmentOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str = Field(alias="structure.slug")
    created_at: datetime
    source: str
    level: str
    level_from_answers: str
    register_level: str


class LeverOut(Schema):
    code: str
    label: str
    named: bool


class BarrierOut(Schema):
    code: str
    label: str
    levers: list[LeverOut]


class StepOut(Schema):
    title: str
    why: str


class AssessmentDetailOut(AssessmentOut):
    answers: dict
    barriers: list[BarrierOut]
    next_steps: list[StepOut]


class AssessmentIn(Schema):
    structure: str
    answers: dict


class ShareOut(Schema):
    code: str
    label: str
    count: int
    percent: float


class YesNoOut(Schema):
    question: str
    label: str
    yes: ShareOut
    no: ShareOut


class ReportOut(Schema):
    campaign: UUID
    invited: int
    responded: int
    response_rate: float
    withheld: bool
    levels: list[ShareOut]
    yes_no: list[YesNoOut]
    frequencies: dict[str, list[ShareOut]]


class CampaignOut(Schema):
    id: UUID = Field(alias="public_id")
    network: str = Field(alias="network.slug")
    title: str
    opens_on: date
    closes_on: date
    invited: int = Field(alias="n_invited")
    responded: int = Field(alias="n_answered")


class CardOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str = Field(alias="structure.name")
    title: str
    theme: str
    level: str
    what: str
    with_whom: str
    results: str
    region: str
    department: str
    contact: str | None = None

    @staticmethod
    def resolve_contact(obj, context):
        # Team members see the team's contact; regional networks do not.
        return obj.contact if context["request"].binome.memberships else None


class DashboardOut(Schema):
    network: str
    structures: int
    assessed: int
    withheld: bool
    levels: list[ShareOut]
    aci: list[ShareOut] | None
    accompaniments: dict | None


def _share(s):
    return {"code": s.code, "label": str(s.label), "count": s.count, "percent": s.percent}


def _assessment(request, public_id):
    assessment = get_object_or_404_scoped(
        MaturityAssessment.objects.select_related("structure"), public_id=public_id
    )
    if not roles_in(request, assessment.structure) & TEAM:
        raise PermissionDenied
    return assessment


@router.get(
    "/assessments/",
    response=list[AssessmentOut],
    summary=_("Les auto-évaluations de mes structures"),
)
@paginate(Pagination)
def assessments(request):
    ids = [s.pk for s in request.binome.structures if roles_in(request, s) & TEAM]
    return (
        MaturityAssessment.objects.filter(structure_id__in=ids)
        .select_related("structure")
        .order_by("-created_at", "-id")
    )


@router.post(
    "/assessments/",
    response={201: AssessmentDetailOut},
    summary=_("Enregistrer une auto-évaluation"),
)
def create_assessment(request, payload: AssessmentIn):
    structure = structure_for(request, payload.structure)
    if not roles_in(request, structure) & ASSESS:
        raise PermissionDenied
    try:
        assessment = services.create_assessment(
            structure=structure, answers=payload.answers, actor=request.user, request=request
        )
    except q.AnswerError as exc:
        from binome.api.base import error

        errors = [
            {"field": f"answers.{code}" if code != "__all__" else None, "message": str(m)}
            for code, m in exc.errors.items()
        ]
        return error(
            request, 422, "Données invalides : vérifiez les champs signalés.", errors=errors
        )
    return Status(201, _detail(assessment))


def _detail(assessment):
    guidance = services.guidance(assessment)
    assessment.barriers = [
        {
            **b,
            "label": str(b["label"]),
            "levers": [{**lv, "label": str(lv["label"])} for lv in b["levers"]],
        }
        for b in guidance["barriers"]
    ]
    assessment.next_steps = [
        {"title": str(s["title"]), "why": str(s["why"])} for s in guidance["steps"]
    ]
    return assessment


@router.get(
    "/assessments/{public_id}",
    response=AssessmentDetailOut,
    summary=_("Une auto-évaluation, ses freins, leviers et petits pas"),
)
def assessment_detail(request, public_id: str):
    return _detail(_assessment(request, public_id))


def _campaigns(request):
    return Campaign.objects.for_networks(request.binome.networks).select_related("network")


@router.get(
    "/campaigns/",
    response=list[CampaignOut],
    summary=_("Les campagnes de mes réseaux (chiffres agrégés)"),
)
@paginate(Pagination)
def campaigns(request):
    return (
        _campaigns(request)
        .annotate(
            n_invited=Count("invitations", distinct=True),
            n_answered=Count("responses", distinct=True),
        )
        .order_by("-opens_on", "-id")
    )


@router.get(
    "/campaigns/{public_id}/report",
    response=ReportOut,
    summary=_("Le rapport agrégé d'une campagne"),
)
def campaign_report_api(request, public_id: str):
    campaign = get_object_or_404_scoped(_campaigns(request), public_id=public_id)
    report = campaign_report(campaign)
    return {
        "campaign": campaign.public_id,
        "invited": report.invited,
        "responded": report.responded,
        "response_rate": report.response_rate,
        "withheld": report.withheld,
        "levels": [_share(s) for s in report.levels],
        "yes_no": [
            {"question": code, "label": str(label), "yes": _share(yes), "no": _share(no)}
            for code, label, yes, no, _b in report.yes_no
        ],
        "frequencies": {
            code: [_share(s) for s in shares] for code, shares in report.frequencies.items()
        },
    }


@router.get("/catalogue/", response=list[CardOut], summary=_("Le catalogue des projets publiés"))
@paginate(Pagination)
def catalogue(
    request, theme: str = "", level: str = "", region: str = "", department: str = "", q: str = ""
):
    if (
        not (
            request.binome.memberships
            and any(roles_in(request, s) & TEAM for s in request.binome.structures)
        )
        and not request.binome.networks
    ):
        raise PermissionDenied
    qs = ProjectCard.catalogue.published().select_related("structure")
    for key, value in (
        ("theme", theme),
        ("level", level),
        ("region", region),
        ("department", department),
    ):
        if value:
            qs = qs.filter(**{key: value})
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(what__icontains=q))
    return qs


@router.get(
    "/dashboard", response=DashboardOut, summary=_("Le tableau de bord agrégé de mon réseau")
)
def dashboard(request, network: str = ""):
    networks = request.binome.networks
    if not networks:
        raise PermissionDenied
    chosen = next((n for n in networks if n.slug == network), None) if network else networks[0]
    if chosen is None:
        raise HttpError(404, _("Réseau introuvable."))
    data = network_dashboard(chosen)
    return {
        "network": chosen.slug,
        "structures": data["structures"],
        "assessed": data["assessed"],
        "withheld": data["withheld"],
        "levels": [_share(s) for s in data["levels"]],
        "aci": [_share(s) for s in data["aci"]] if data["aci"] else None,
        "accompaniments": data["accompaniments"],
    }
