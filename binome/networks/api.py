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

from binome.api.base import ApiError
from binome.api.core import Pagination, attribute, roles_in, structure_for
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
    structure: str
    resolve_structure = attribute("structure.slug")
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
    network: str
    resolve_network = attribute("network.slug")
    title: str
    opens_on: date
    closes_on: date
    invited: int = Field(alias="n_invited")
    responded: int = Field(alias="n_answered")


class CardOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.name")
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


# --- campaigns, the catalogue's exchanges and the team matrix: the pages' twins (issue 16) ---
# Same forms and services as the pages; required fields are the forms', checked after access.


class CampaignIn(Schema):
    network: str = Field("", description=gettext_lazy("Identifiant (slug) du réseau"))
    title: str | None = Field(None, max_length=200)
    introduction: str = Field("", max_length=5000)
    opens_on: date | None = None
    closes_on: date | None = None
    reminder_every_days: int = 7
    max_reminders: int = 2


class CampaignCreatedOut(Schema):
    id: UUID = Field(alias="public_id")
    network: str
    resolve_network = attribute("network.slug")
    title: str
    opens_on: date
    closes_on: date


class UnlistedIn(Schema):
    name: str | None = Field(None, max_length=200)
    email: str = Field("", max_length=254)
    kind: str = ""
    department: str = Field("", max_length=3)


class CountOut(Schema):
    count: int


class PublishIn(Schema):
    publish: bool = True


class ExchangeIn(Schema):
    structure: str = Field("", description=gettext_lazy("L'équipe qui demande l'échange"))
    message: str | None = Field(None, max_length=2000)


class ExchangeOut(Schema):
    id: UUID = Field(alias="public_id")
    card: UUID
    resolve_card = attribute("card.public_id")
    status: str
    answer: str


class ExchangeAnswerIn(Schema):
    accept: bool | None = None
    answer: str = Field("", max_length=2000)


class MatrixIn(Schema):
    structure: str = ""
    title: str | None = Field(None, max_length=200)
    meeting_date: date | None = None


class MatrixOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    title: str
    status: str


class ImprovementIn(Schema):
    dimension: int | None = Field(
        None, description=gettext_lazy("Identifiant de la dimension de la matrice")
    )
    title: str | None = Field(None, max_length=200)
    means: str = Field("", max_length=3000)
    owner: UUID | None = Field(None, description=gettext_lazy("Membre de l'équipe qui la porte"))
    due_date: date | None = None


class ImprovementReviewIn(Schema):
    status: str = ""
    review_date: date | None = None
    review_note: str = Field("", max_length=3000)


class ImprovementOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    status: str
    due_date: date | None


def _form(form_class, data, **kwargs):
    from binome.api.core import cleaned

    form = form_class({k: ("" if v is None else v) for k, v in data.items()}, **kwargs)
    cleaned(form)
    return form


def _facilitated_campaign(request, public_id):
    return get_object_or_404_scoped(_campaigns(request), public_id=public_id)


@router.post(
    "/campaigns/",
    response={201: CampaignCreatedOut, 422: ApiError},
    summary=_("Créer une campagne (animation du réseau)"),
)
def create_campaign(request, payload: CampaignIn):
    from django.http import Http404

    from binome.networks.forms import CampaignForm

    network = next((n for n in request.binome.networks if n.slug == payload.network), None)
    if network is None:
        raise Http404
    form = _form(CampaignForm, payload.dict(exclude={"network"}))
    campaign = services.create_campaign(
        form.save(commit=False), network=network, actor=request.user, request=request
    )
    return Status(201, campaign)


@router.post(
    "/campaigns/{public_id}/invitations/affiliated",
    response=CountOut,
    summary=_("Inviter les structures adhérentes du réseau"),
)
def invite_affiliated(request, public_id: str):
    return {
        "count": services.invite_affiliated(
            _facilitated_campaign(request, public_id), request=request
        )
    }


@router.post(
    "/campaigns/{public_id}/invitations/unlisted",
    response={201: CountOut, 422: ApiError},
    summary=_("Inviter une structure sans compte Binôme"),
)
def invite_unlisted(request, public_id: str, payload: UnlistedIn):
    from binome.networks.forms import UnlistedStructureForm

    campaign = _facilitated_campaign(request, public_id)
    data = _form(UnlistedStructureForm, payload.dict()).cleaned_data
    services.invite_unlisted(campaign, request=request, **data)
    return Status(201, {"count": 1})


@router.post(
    "/campaigns/{public_id}/send",
    response=CountOut,
    summary=_("Envoyer les invitations qui ne sont pas parties"),
)
def send_campaign(request, public_id: str):
    return {
        "count": services.send_invitations(
            _facilitated_campaign(request, public_id), request=request
        )
    }


@router.post(
    "/cards/{public_id}/publication",
    response=CardOut,
    summary=_("Publier ou retirer une fiche du catalogue (coordination)"),
)
def publish_card(request, public_id: str, payload: PublishIn):
    card = get_object_or_404_scoped(
        ProjectCard.objects.filter(
            structure_id__in=[s.pk for s in request.binome.structures]
        ).select_related("structure"),
        public_id=public_id,
    )
    if Role.COORDINATOR not in roles_in(request, card.structure):
        raise PermissionDenied
    services.publish_card(card, payload.publish, request=request)
    return card


@router.post(
    "/cards/{public_id}/exchanges",
    response={201: ExchangeOut, 422: ApiError},
    summary=_("Demander un échange d'expérience à l'équipe d'une fiche"),
)
def request_exchange(request, public_id: str, payload: ExchangeIn):
    from binome.networks.forms import ExchangeRequestForm

    team = structure_for(request, payload.structure)
    card = get_object_or_404_scoped(
        ProjectCard.catalogue.filter(Q(is_published=True) | Q(structure=team)).select_related(
            "structure"
        ),
        public_id=public_id,
    )
    if not roles_in(request, team) & {Role.COORDINATOR, Role.PROFESSIONAL}:
        raise PermissionDenied
    message = _form(ExchangeRequestForm, {"message": payload.message}).cleaned_data["message"]
    exchange = services.request_exchange(
        card, from_structure=team, message=message, actor=request.user, request=request
    )
    return Status(201, exchange)


@router.post(
    "/exchanges/{public_id}/answer",
    response={200: ExchangeOut, 422: ApiError},
    summary=_("Accepter ou décliner une demande d'échange (coordination de l'équipe sollicitée)"),
)
def answer_exchange(request, public_id: str, payload: ExchangeAnswerIn):
    from binome.networks.forms import ExchangeAnswerForm
    from binome.networks.models import ExchangeRequest

    exchange = get_object_or_404_scoped(
        ExchangeRequest.objects.filter(
            card__structure_id__in=[s.pk for s in request.binome.structures]
        ).select_related("card__structure"),
        public_id=public_id,
    )
    if Role.COORDINATOR not in roles_in(request, exchange.card.structure):
        raise PermissionDenied
    accept = "" if payload.accept is None else ("1" if payload.accept else "0")
    data = _form(ExchangeAnswerForm, {"accept": accept, "answer": payload.answer}).cleaned_data
    services.answer_exchange(
        exchange, accept=data["accept"], answer=data["answer"], request=request
    )
    return exchange


def _team_session(request, public_id, *, coordinator=True):
    from binome.networks.models import MatrixSession

    session = get_object_or_404_scoped(
        MatrixSession.objects.filter(
            structure_id__in=[s.pk for s in request.binome.structures]
        ).select_related("structure"),
        public_id=public_id,
    )
    roles = roles_in(request, session.structure)
    if not roles & {Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP}:
        raise PermissionDenied
    if coordinator and Role.COORDINATOR not in roles:
        raise PermissionDenied
    return session


@router.post(
    "/matrices/",
    response={201: MatrixOut, 422: ApiError},
    summary=_("Ouvrir une matrice de maturité en équipe (coordination)"),
)
def open_matrix(request, payload: MatrixIn):
    from binome.networks.forms import MatrixSessionForm

    structure = structure_for(request, payload.structure)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    data = _form(MatrixSessionForm, payload.dict(exclude={"structure"})).cleaned_data
    return Status(
        201, services.open_matrix(structure=structure, actor=request.user, request=request, **data)
    )


@router.post(
    "/matrices/{public_id}/actions",
    response={201: ImprovementOut, 422: ApiError},
    summary=_("Ajouter une action d'amélioration à la matrice"),
)
def add_improvement(request, public_id: str, payload: ImprovementIn):
    from binome.audit.services import save_recorded
    from binome.networks.forms import ImprovementActionForm
    from binome.networks.models import MatrixDimension
    from binome.people.models import Membership

    session = _team_session(request, public_id)
    owner = (
        Membership.objects.filter(structure=session.structure, public_id=payload.owner).first()
        if payload.owner
        else None
    )
    dimensions = MatrixDimension.objects.filter(
        pk__in=[d.pk for d in services.session_dimensions(session)]
    )
    data = {**payload.dict(), "owner": owner.pk if owner else ""}
    form = _form(ImprovementActionForm, data, structure=session.structure, dimensions=dimensions)
    action = form.save(commit=False)
    action.session = session
    return Status(201, save_recorded(action, "networks.matrix_action_saved", request=request))


@router.post(
    "/matrix-actions/{public_id}/review",
    response={200: ImprovementOut, 422: ApiError},
    summary=_("La revue d'une action d'amélioration"),
)
def review_improvement(request, public_id: str, payload: ImprovementReviewIn):
    from binome.audit.services import save_recorded
    from binome.networks.forms import ActionReviewForm
    from binome.networks.models import ImprovementAction

    action = get_object_or_404_scoped(
        ImprovementAction.objects.filter(
            session__structure_id__in=[s.pk for s in request.binome.structures]
        ).select_related("session__structure"),
        public_id=public_id,
    )
    _team_session(request, action.session.public_id)
    form = _form(ActionReviewForm, payload.dict(), instance=action)
    return save_recorded(
        form=form, kind="networks.matrix_action_saved", request=request, status=form.instance.status
    )


class MatrixAnswersIn(Schema):
    levels: dict[str, int] = Field(
        default_factory=dict, description=gettext_lazy("Niveau (1 à 4) par code de dimension")
    )
    comments: dict[str, str] = Field(default_factory=dict)


class ConsensusIn(MatrixAnswersIn):
    targets: dict[str, int] = Field(
        default_factory=dict, description=gettext_lazy("Niveau visé par code de dimension")
    )


class SavedOut(Schema):
    id: UUID
    dimensions: int


def _matrix_form(session, payload, *, target=False):
    from binome.networks.forms import MatrixAnswerForm

    dimensions = services.session_dimensions(session)
    data = {}
    for dim in dimensions:
        data[f"level_{dim.code}"] = payload.levels.get(dim.code, "")
        data[f"comment_{dim.code}"] = payload.comments.get(dim.code, "")
        if target:
            data[f"target_{dim.code}"] = payload.targets.get(dim.code, "")
    return _form(MatrixAnswerForm, data, dimensions=dimensions, target=target), len(dimensions)


@router.post(
    "/matrices/{public_id}/my-answers",
    response={200: SavedOut, 422: ApiError},
    summary=_("Mes réponses à la matrice, seul·e, avant la réunion d'équipe"),
)
def my_matrix_answers(request, public_id: str, payload: MatrixAnswersIn):
    session = _team_session(request, public_id, coordinator=False)
    membership = next(
        (
            m
            for m in request.binome.memberships
            if m.structure_id == session.structure_id and m.role != Role.PATIENT
        ),
        None,
    )
    form, n = _matrix_form(session, payload)
    services.save_my_answers(
        session, membership, form.values("level"), form.values("comment"), request=request
    )
    return {"id": session.public_id, "dimensions": n}


@router.post(
    "/matrices/{public_id}/consensus",
    response={200: SavedOut, 422: ApiError},
    summary=_("Le consensus de l'équipe et les niveaux visés (coordination)"),
)
def matrix_consensus(request, public_id: str, payload: ConsensusIn):
    session = _team_session(request, public_id)
    form, n = _matrix_form(session, payload, target=True)
    services.save_consensus(
        session,
        form.values("level"),
        form.values("target"),
        form.values("comment"),
        request=request,
    )
    return {"id": session.public_id, "dimensions": n}


class CampaignAnsweredOut(Schema):
    campaign: UUID
    level: str


class CampaignAnswersIn(Schema):
    answers: dict = Field(
        default_factory=dict, description=gettext_lazy("Réponses par code de question")
    )


@router.post(
    "/public/campaigns/{token}/answers",
    auth=None,
    response={201: CampaignAnsweredOut, 410: ApiError, 422: ApiError, 429: ApiError},
    summary=_(
        "Répondre au questionnaire d'une campagne, au nom de sa structure (sans compte, une fois)"
    ),
)
def public_campaign_answer(request, token: str, payload: CampaignAnswersIn):
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from binome.api.base import error
    from binome.core.public_forms import refusal
    from binome.people.scoping import scopes_disabled

    refused = refusal(request, group="networks.public_answer")
    if refused is not None:
        raise HttpError(*refused)
    with scopes_disabled():
        invitation = services.invitation_for_token(token)
        if invitation is None:
            raise Http404
        if invitation.responded_at is not None:
            raise ValidationError(_("Votre structure a déjà répondu à ce questionnaire. Merci !"))
        if not invitation.campaign.is_open():
            raise HttpError(
                410, _("Cette campagne est close : les réponses ne sont plus acceptées.")
            )
        try:
            response = services.submit_response(invitation, payload.answers, request=request)
        except q.AnswerError as exc:
            errors = [
                {"field": f"answers.{code}" if code != "__all__" else None, "message": str(m)}
                for code, m in exc.errors.items()
            ]
            return error(
                request, 422, _("Données invalides : vérifiez les champs signalés."), errors=errors
            )
    return Status(201, {"campaign": invitation.campaign.public_id, "level": response.level})
