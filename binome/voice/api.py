"""Surveys, ideas and proposals; public endpoints to answer a survey and to post an idea.

The public operations (auth=None) keep the web forms' protections: rate limit per
address, size limits, and a ``submission_token`` so that a retried post is stored once
(the replay answers 201 with the same id and ``created: false``).
"""

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from binome.api.base import ApiError
from binome.api.core import Pagination, attribute, roles_in
from binome.audit.services import record
from binome.core.public_forms import refusal
from binome.people.models import Role, Structure
from binome.people.scoping import get_object_or_404_scoped, scopes_disabled, structure_scope
from binome.voice import coding, services
from binome.voice.access import EDIT, VIEW
from binome.voice.models import (
    PUBLIC_STATUSES,
    CodedAnswer,
    CodingLabel,
    Committee,
    Idea,
    IdeaBox,
    Meeting,
    Proposal,
    Question,
    Survey,
)
from binome.voice.models import Status as IdeaStatus
from binome.voice.results import survey_results

router = Router(tags=[gettext_lazy("Voix des usagers")])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


IDEAS = {str(r) for r in (Role.COORDINATOR, Role.PROFESSIONAL, Role.USER_REP)}
COORDINATOR = {str(Role.COORDINATOR)}


class QuestionOut(Schema):
    id: UUID = Field(alias="public_id")
    section: str | None = None
    kind: str
    label: str
    help_text: str
    required: bool
    choices: list[str]

    @staticmethod
    def resolve_section(obj):
        return obj.section.title if obj.section else None


class SurveyOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    title: str
    intro: str
    state: str
    anonymous: bool
    published_at: datetime | None
    closed_at: datetime | None


class SurveyDetailOut(SurveyOut):
    public_token: str | None = None
    questions: list[QuestionOut] = Field(alias="questions_list")


class OptionOut(Schema):
    value: int
    label: str
    count: int
    percent: int


class QuestionResultOut(Schema):
    id: UUID
    label: str
    kind: str
    respondents: int
    average: float | None
    options: list[OptionOut]
    examples: list[str]


class ResultsOut(Schema):
    total: int
    by_channel: dict[str, int]
    questions: list[QuestionResultOut]


class IdeaOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    text: str
    status: str
    moderation: str
    public_answer: str
    decline_reason: str
    submitted_at: datetime
    done_at: date | None


class ProposalOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    committee: str
    resolve_committee = attribute("committee.name")
    title: str
    text: str
    status: str
    public_answer: str
    decline_reason: str
    done_at: date | None


class StatusIn(Schema):
    status: IdeaStatus
    public_answer: str = Field("", max_length=3000)
    decline_reason: str = Field("", max_length=2000)


def _ids(request, roles):
    return [s.pk for s in request.binome.structures if roles_in(request, s) & roles]


@router.get("/surveys/", response=list[SurveyOut], summary=_("Les enquêtes"))
@paginate(Pagination)
def surveys(request):
    return (
        Survey.objects.filter(structure_id__in=_ids(request, VIEW))
        .select_related("structure")
        .order_by("-created_at", "-id")
    )


def _survey(request, public_id) -> Survey:
    return get_object_or_404_scoped(
        Survey.objects.filter(structure_id__in=_ids(request, VIEW)).select_related("structure"),
        public_id=public_id,
    )


@router.get(
    "/surveys/{public_id}", response=SurveyDetailOut, summary=_("Une enquête et ses questions")
)
def survey_detail(request, public_id: str):
    survey = _survey(request, public_id)
    survey.questions_list = list(
        Question.objects.filter(survey=survey).select_related("section").order_by("position", "id")
    )
    if survey.state == Survey.State.DRAFT:
        survey.public_token = None
    return survey


@router.get(
    "/surveys/{public_id}/results",
    response=ResultsOut,
    summary=_("Les résultats agrégés d'une enquête"),
)
def results(request, public_id: str):
    survey = _survey(request, public_id)
    r = survey_results(survey)
    return {
        "total": r.total,
        "by_channel": r.by_channel,
        "questions": [
            {
                "id": qr.question.public_id,
                "label": qr.question.label,
                "kind": qr.question.kind,
                "respondents": qr.respondents,
                "average": qr.average,
                "options": [o.__dict__ for o in qr.options],
                "examples": qr.examples,
            }
            for qr in r.questions
        ],
    }


@router.get("/ideas/", response=list[IdeaOut], summary=_("Les idées de la boîte à idées"))
@paginate(Pagination)
def ideas(request, status: IdeaStatus | None = None):
    coordinator_of = _ids(request, COORDINATOR)
    qs = Idea.objects.filter(structure_id__in=_ids(request, IDEAS)).select_related("structure")
    # Only coordinators see the moderation queue and hidden ideas.
    qs = qs.exclude(
        pk__in=Idea.objects.filter(moderation__in=[Idea.Moderation.PENDING, Idea.Moderation.HIDDEN])
        .exclude(structure_id__in=coordinator_of)
        .values("pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-id")


@router.post(
    "/ideas/{public_id}/status",
    response=IdeaOut,
    summary=_("Répondre à une idée et changer son statut"),
)
def idea_status(request, public_id: str, payload: StatusIn):
    idea = get_object_or_404_scoped(
        Idea.objects.filter(structure_id__in=_ids(request, IDEAS)).select_related("structure"),
        public_id=public_id,
    )
    if idea.structure_id not in _ids(request, COORDINATOR):
        raise PermissionDenied
    return services.set_status(idea, actor=request.user, request=request, **payload.dict())


@router.get(
    "/proposals/", response=list[ProposalOut], summary=_("Les propositions du comité des usagers")
)
@paginate(Pagination)
def proposals(request):
    return (
        Proposal.objects.filter(structure_id__in=_ids(request, VIEW))
        .select_related("structure", "committee")
        .order_by("-created_at", "-id")
    )


@router.post(
    "/proposals/{public_id}/status",
    response=ProposalOut,
    summary=_("Répondre à une proposition et changer son statut"),
)
def proposal_status(request, public_id: str, payload: StatusIn):
    proposal = get_object_or_404_scoped(
        Proposal.objects.filter(structure_id__in=_ids(request, VIEW)).select_related(
            "structure", "committee"
        ),
        public_id=public_id,
    )
    if proposal.structure_id not in _ids(request, COORDINATOR):
        raise PermissionDenied
    return services.set_status(proposal, actor=request.user, request=request, **payload.dict())


# Coding workspace: the page « Analyse des verbatims » -----------------------------------


class CodeOut(Schema):
    id: int
    label_id: int
    label: str
    property: str
    category: str | None


class CodedAnswerOut(Schema):
    id: int
    question: str
    text: str
    codes: list[CodeOut]
    suggestions: list[str]


class CodingLabelOut(Schema):
    id: int
    name: str
    property: str
    category: str | None
    answers: int


class CategorySummaryOut(Schema):
    category: str
    answers: int
    share: int
    labels: list[str]


class LabelIn(Schema):
    name: str = Field(max_length=120)
    property: str = Field("", max_length=200)


class GroupIn(Schema):
    category: str = Field(
        "", max_length=120, description=gettext_lazy("Vide : l'étiquette sort de sa catégorie.")
    )
    property: str | None = Field(None, max_length=200)


def _coding_survey(request, public_id) -> Survey:
    """Visible to the structure's voice readers (else 404); coded by its editors (else 403)."""
    survey = _survey(request, public_id)
    if survey.structure_id not in _ids(request, EDIT):
        raise PermissionDenied
    return survey


def _code_out(coded):
    label = coded.label
    return {
        "id": coded.pk,
        "label_id": label.pk,
        "label": label.name,
        "property": label.property,
        "category": label.category.name if label.category else None,
    }


@router.get(
    "/surveys/{public_id}/coding/answers",
    response=list[CodedAnswerOut],
    summary=_("Analyse : les verbatims, leurs étiquettes et les suggestions"),
)
def coding_answers(request, public_id: str, page: int = 1):
    """20 verbatims per page, in the order the page shows them."""
    survey = _coding_survey(request, public_id)
    page = max(1, min(page, 1_000_000))
    answers = list(coding.text_answers(survey)[(page - 1) * 20 : page * 20])
    by_answer = {}
    for c in (
        CodedAnswer.objects.filter(answer__in=answers)
        .select_related("label__category")
        .order_by("label__name")
    ):
        by_answer.setdefault(c.answer_id, []).append(c)
    for a in answers:
        a.coded_names = [c.label.name for c in by_answer.get(a.pk, [])]
    hints = coding.suggestions(survey, answers)
    return [
        {
            "id": a.pk,
            "question": a.question.label,
            "text": a.text,
            "codes": [_code_out(c) for c in by_answer.get(a.pk, [])],
            "suggestions": hints.get(a.pk, []),
        }
        for a in answers
    ]


@router.get(
    "/surveys/{public_id}/coding/labels",
    response=list[CodingLabelOut],
    summary=_("Analyse : les étiquettes"),
)
def coding_labels(request, public_id: str):
    survey = _coding_survey(request, public_id)
    labels = (
        CodingLabel.objects.filter(survey=survey)
        .select_related("category")
        .annotate(n=Count("coded_answers"))
    )
    return [
        {
            "id": lb.pk,
            "name": lb.name,
            "property": lb.property,
            "category": lb.category.name if lb.category else None,
            "answers": lb.n,
        }
        for lb in labels
    ]


@router.get(
    "/surveys/{public_id}/coding/summary",
    response=list[CategorySummaryOut],
    summary=_("Analyse : synthèse par catégorie"),
)
def coding_summary(request, public_id: str):
    return coding.summary(_coding_survey(request, public_id))


@router.post(
    "/surveys/{public_id}/coding/answers/{answer_id}/codes",
    response={201: CodeOut, 422: ApiError},
    summary=_("Analyse : étiqueter un verbatim"),
)
def coding_add(request, public_id: str, answer_id: int, payload: LabelIn):
    survey = _coding_survey(request, public_id)
    answer = get_object_or_404_scoped(coding.text_answers(survey), pk=answer_id)
    coded = coding.add_label(
        survey,
        answer,
        name=payload.name,
        property=payload.property,
        user=request.user,
        request=request,
    )
    return Status(
        201, _code_out(CodedAnswer.objects.select_related("label__category").get(pk=coded.pk))
    )


@router.post(
    "/surveys/{public_id}/coding/codes/{code_id}/remove",
    response={204: None},
    summary=_("Analyse : retirer une étiquette"),
)
def coding_remove(request, public_id: str, code_id: int):
    survey = _coding_survey(request, public_id)
    coded = get_object_or_404_scoped(CodedAnswer.objects.filter(label__survey=survey), pk=code_id)
    coding.remove_label(survey, coded, user=request.user, request=request)
    return Status(204, None)


@router.post(
    "/surveys/{public_id}/coding/labels/{label_id}/category",
    response={200: CodingLabelOut, 422: ApiError},
    summary=_("Analyse : ranger une étiquette dans une catégorie"),
)
def coding_group(request, public_id: str, label_id: int, payload: GroupIn):
    survey = _coding_survey(request, public_id)
    label = get_object_or_404_scoped(CodingLabel.objects.filter(survey=survey), pk=label_id)
    label = coding.set_category(
        survey,
        label,
        category_name=payload.category,
        property=payload.property,
        user=request.user,
        request=request,
    )
    return {
        "id": label.pk,
        "name": label.name,
        "property": label.property,
        "category": label.category.name if label.category else None,
        "answers": label.coded_answers.count(),
    }


@router.get(
    "/surveys/{public_id}/coding.xlsx",
    summary=_("Analyse : le tableau codé et la synthèse (XLSX)"),
    response={200: None},
    openapi_extra={"responses": {"200": {"content": {XLSX: {}}}}},
)
def coding_xlsx(request, public_id: str):
    survey = _coding_survey(request, public_id)
    record(
        "voice.survey_exported",
        request=request,
        target=survey,
        structure=survey.structure,
        format="coding-xlsx",
    )
    response = HttpResponse(coding.export_xlsx(survey), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="analyse-enquete-{survey.public_token}.xlsx"'
    )
    return response


# Public endpoints ------------------------------------------------------------------------


class AnswerIn(Schema):
    question: UUID
    value: int | None = None
    values: list[int] = Field(default_factory=list, max_length=20)
    text: str = Field("", max_length=2000)


class ResponseIn(Schema):
    submission_token: str = Field(min_length=16, max_length=64)
    answers: list[AnswerIn] = Field(max_length=100)


class IdeaIn(Schema):
    submission_token: str = Field(min_length=16, max_length=64)
    text: str = Field(min_length=5, max_length=2000)


class CreatedOut(Schema):
    id: UUID
    created: bool


class PublicIdeaOut(Schema):
    text: str
    status: str
    public_answer: str
    decline_reason: str
    done_at: date | None


def _guard(request, group):
    refused = refusal(request, group=group)
    if refused is not None:
        raise HttpError(*refused)


@router.get(
    "/public/surveys/{token}",
    auth=None,
    response=SurveyDetailOut,
    summary=_("Une enquête publiée (sans authentification)"),
)
def public_survey(request, token: str):
    with scopes_disabled():
        survey = (
            Survey.objects.select_related("structure")
            .filter(public_token=token, state=Survey.State.PUBLISHED)
            .first()
        )
        if survey is None:
            raise Http404
        survey.questions_list = list(
            Question.objects.filter(survey=survey)
            .select_related("section")
            .order_by("position", "id")
        )
    return survey


def _value_error(message):
    raise HttpError(422, message)


def _answers(survey, payload) -> dict:
    """The posted answers, checked against the survey's questions (French 422 otherwise)."""
    questions = {q.public_id: q for q in Question.objects.filter(survey=survey)}
    answers = {}
    for a in payload.answers:
        q = questions.get(a.question)
        if q is None:
            _value_error(_("Question inconnue pour cette enquête."))
        if q.kind == Question.Kind.TEXT:
            answers[q] = a.text.strip()
        elif q.kind == Question.Kind.MULTIPLE:
            valid = {v for v, _label in q.options}
            if not set(a.values) <= valid:
                _value_error(f"Choix invalide pour « {q.label} ».")
            answers[q] = sorted(set(a.values))
        else:
            if a.value is None or a.value not in {v for v, _label in q.options}:
                _value_error(f"Réponse invalide pour « {q.label} ».")
            answers[q] = a.value
    missing = [
        q.label for q in questions.values() if q.required and answers.get(q) in (None, "", [])
    ]
    if missing:
        _value_error(f"Réponse obligatoire : « {missing[0]} ».")
    if not any(v not in (None, "", []) for v in answers.values()):
        _value_error(_("Répondez au moins à une question."))
    return answers


@router.post(
    "/public/surveys/{token}/responses",
    auth=None,
    response={201: CreatedOut, 413: ApiError, 429: ApiError},
    summary=_("Répondre à une enquête (sans authentification, idempotent)"),
)
def public_answer(request, token: str, payload: ResponseIn):
    _guard(request, "voice-api-survey")
    with scopes_disabled():
        survey = (
            Survey.objects.select_related("structure")
            .filter(public_token=token, state=Survey.State.PUBLISHED)
            .first()
        )
    if survey is None:
        raise Http404
    with structure_scope(survey.structure):
        answers = _answers(survey, payload)
        response, created = services.submit_response(
            survey, answers, submission_token=payload.submission_token, channel="api"
        )
    return Status(201, {"id": response.public_id, "created": created})


def _open_box(slug) -> Structure:
    structure = Structure.objects.filter(slug=slug).first()
    if structure is None:
        raise Http404
    with structure_scope(structure):
        if not IdeaBox.objects.filter(structure=structure, is_open=True).exists():
            raise Http404
    return structure


@router.post(
    "/public/{slug}/ideas",
    auth=None,
    response={201: CreatedOut, 413: ApiError, 429: ApiError},
    summary=_("Déposer une idée dans la boîte à idées (sans authentification, idempotent)"),
)
def public_idea(request, slug: str, payload: IdeaIn):
    _guard(request, "voice-api-idea")
    structure = _open_box(slug)
    with structure_scope(structure):
        idea, created = services.submit_idea(
            structure, text=payload.text, submission_token=payload.submission_token, channel="api"
        )
    return Status(201, {"id": idea.public_id, "created": created})


@router.get(
    "/public/{slug}/done",
    auth=None,
    response=list[PublicIdeaOut],
    summary=_("« Vous avez dit, nous avons fait » (sans authentification)"),
)
@paginate(Pagination)
def public_done(request, slug: str):
    structure = Structure.objects.filter(slug=slug).first()
    if structure is None:
        raise Http404
    with structure_scope(structure):
        return list(
            Idea.objects.filter(
                structure=structure,
                moderation=Idea.Moderation.PUBLISHED,
                status__in=PUBLIC_STATUSES,
            ).order_by("-status_changed_at", "-id")[:500]
        )


# --- the committee without accounts: the pages' twins (issue 15) ---------------------------


class ExternalMemberIn(Schema):
    first_name: str = Field(max_length=150)
    last_name: str = Field("", max_length=150)
    invite_by: str = Field(description="email, sms ou paper")
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    sms_agreement: str = Field(
        "", description=gettext_lazy("paper ou oral : comment la personne a accepté les SMS")
    )
    function: str = Field("", max_length=100)


class SeatOut(Schema):
    id: int
    name: str
    has_account: bool
    invite_by: str

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class AttendanceIn(Schema):
    present: list[int] = Field(
        description=gettext_lazy("Identifiants des sièges des membres présents")
    )


class ReachOut(Schema):
    id: UUID
    detail: str
    on_paper: list[SeatOut]


def _editable_meeting(request, public_id):
    from binome.voice.access import may_edit_committee

    meeting = get_object_or_404_scoped(
        Meeting.objects.filter(structure_id__in=_ids(request, VIEW)).select_related(
            "committee", "structure"
        ),
        public_id=public_id,
    )
    if not may_edit_committee(
        request.user, roles_in(request, meeting.structure), meeting.committee
    ):
        raise PermissionDenied
    return meeting


@router.post(
    "/committees/{public_id}/members-without-account",
    response={201: SeatOut, 422: ApiError},
    summary=_(
        "Ajouter au comité un usager sans compte, convoqué par e-mail, SMS ou sur papier (coordination)"
    ),
)
def add_member_without_account(request, public_id: str, payload: ExternalMemberIn):
    from binome.api.core import cleaned, form_data
    from binome.voice.forms import ExternalMemberForm

    committee = get_object_or_404_scoped(
        Committee.objects.filter(structure_id__in=_ids(request, VIEW)).select_related("structure"),
        public_id=public_id,
    )
    if Role.COORDINATOR not in roles_in(request, committee.structure):
        raise PermissionDenied
    data = cleaned(ExternalMemberForm(form_data(payload)))
    seat = services.add_member_without_account(
        committee,
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data["phone"],
        invite_by=data["invite_by"],
        function=data["function"],
        sms_method=data["sms_agreement"] or "paper",
        request=request,
    )
    return Status(201, seat)


@router.post(
    "/meetings/{public_id}/convocation",
    response=ReachOut,
    summary=_("Envoyer la convocation aux membres du comité"),
)
def convene(request, public_id: str):
    meeting = _editable_meeting(request, public_id)
    on_paper = services.convene(meeting, request=request)
    return {
        "id": meeting.public_id,
        "detail": _("La convocation est envoyée."),
        "on_paper": on_paper,
    }


@router.post(
    "/meetings/{public_id}/attendance",
    response={200: ReachOut, 422: ApiError},
    summary=_("Noter les présences à la réunion"),
)
def attendance(request, public_id: str, payload: AttendanceIn):
    meeting = _editable_meeting(request, public_id)
    services.record_attendance(meeting, set(payload.present), request=request)
    return {"id": meeting.public_id, "detail": _("Les présences sont notées."), "on_paper": []}


@router.post(
    "/meetings/{public_id}/minutes/send",
    response={200: ReachOut, 422: ApiError},
    summary=_("Envoyer le compte rendu aux membres du comité, après la réunion"),
)
def send_minutes(request, public_id: str):
    meeting = _editable_meeting(request, public_id)
    on_paper = services.send_minutes(meeting, request=request)
    return {
        "id": meeting.public_id,
        "detail": _("Le compte rendu est envoyé aux membres."),
        "on_paper": on_paper,
    }


# --- surveys, committees, meetings and proposals: the pages' twins (issue 16) ---------------
# Each endpoint takes the page's own form (French errors, 422) and the page's service.


# Required fields are checked by the page's form, after access: an empty body on another
# structure's object is a 404 like any other request, not a 422.
class SurveyIn(Schema):
    structure: str = Field("", description=gettext_lazy("Identifiant (slug) de la structure"))
    title: str | None = Field(None, max_length=200)
    intro: str = Field("", max_length=3000)
    anonymous: bool = True


class SurveyPatch(Schema):
    title: str | None = Field(None, max_length=200)
    intro: str | None = Field(None, max_length=3000)
    anonymous: bool | None = None


class SectionIn(Schema):
    title: str | None = Field(None, max_length=200)


class SectionOut(Schema):
    id: int
    title: str
    position: int


class QuestionIn(Schema):
    kind: str | None = Field(
        None, description=gettext_lazy("text, long_text, single, multiple, scale, yes_no…")
    )
    label: str | None = Field(None, max_length=300)
    section: int | None = Field(None, description=gettext_lazy("Identifiant de la partie"))
    help_text: str = Field("", max_length=300)
    required: bool = False
    choices: list[str] = Field(default_factory=list, max_length=20)


class CommitteeIn(Schema):
    structure: str = ""
    name: str | None = Field(None, max_length=200)
    purpose: str = Field("", max_length=3000)


class CommitteeOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    name: str
    purpose: str


class MemberIn(Schema):
    membership: UUID | None = Field(
        None, description=gettext_lazy("Identifiant du membre de l'équipe")
    )
    function: str = Field("", max_length=100)


Day = date  # a field below is named "date", like the model's


class CommitteeMeetingIn(Schema):
    date: Day | None = None
    place: str = Field("", max_length=200)
    agenda: str = Field("", max_length=5000)
    minutes: str = Field("", max_length=20000)
    attendees_count: int | None = Field(None, ge=0, le=500)


class MeetingPatch(Schema):
    date: Day | None = None
    place: str | None = Field(None, max_length=200)
    agenda: str | None = Field(None, max_length=5000)
    minutes: str | None = Field(None, max_length=20000)
    attendees_count: int | None = Field(None, ge=0, le=500)


class MeetingOut(Schema):
    id: UUID = Field(alias="public_id")
    committee: str
    resolve_committee = attribute("committee.name")
    date: Day
    place: str
    agenda: str
    minutes: str
    attendees_count: int | None


class ProposalIn(Schema):
    title: str | None = Field(None, max_length=200)
    text: str = Field("", max_length=5000)
    meeting: UUID | None = None


def _staff_survey(request, public_id) -> Survey:
    survey = _survey(request, public_id)
    if not roles_in(request, survey.structure) & EDIT:
        raise PermissionDenied
    return survey


def _structure_with(request, slug, roles):
    from binome.api.core import structure_for

    structure = structure_for(request, slug)
    if not roles_in(request, structure) & roles:
        raise PermissionDenied
    return structure


@router.post(
    "/surveys/",
    response={201: SurveyOut, 422: ApiError},
    summary=_("Créer une enquête (brouillon)"),
)
def create_survey(request, payload: SurveyIn):
    from binome.api.core import cleaned, form_data
    from binome.voice.forms import SurveyForm

    structure = _structure_with(request, payload.structure, EDIT)
    data = cleaned(SurveyForm(form_data(payload.dict(exclude={"structure"}))))
    return Status(
        201, services.create_survey(structure, actor=request.user, request=request, **data)
    )


@router.patch(
    "/surveys/{public_id}",
    response={200: SurveyOut, 422: ApiError},
    summary=_("Modifier une enquête"),
)
def edit_survey(request, public_id: str, payload: SurveyPatch):
    from binome.api.core import cleaned
    from binome.audit.services import save_recorded
    from binome.voice.forms import SurveyForm

    survey = _staff_survey(request, public_id)
    current = {"title": survey.title, "intro": survey.intro, "anonymous": survey.anonymous}
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    form = SurveyForm({**current, **changes}, instance=survey)
    cleaned(form)
    return save_recorded(form=form, kind="voice.survey_changed", request=request)


@router.post(
    "/surveys/{public_id}/sections",
    response={201: SectionOut, 422: ApiError},
    summary=_("Ajouter une partie à une enquête en brouillon"),
)
def add_section(request, public_id: str, payload: SectionIn):
    from binome.api.core import cleaned, form_data
    from binome.voice.forms import SectionForm

    survey = _staff_survey(request, public_id)
    data = cleaned(SectionForm(form_data(payload)))
    return Status(201, services.add_section(survey, data["title"], request=request))


@router.post(
    "/surveys/{public_id}/questions",
    response={201: QuestionOut, 422: ApiError},
    summary=_("Ajouter une question à une enquête en brouillon"),
)
def add_question(request, public_id: str, payload: QuestionIn):
    from binome.api.core import cleaned, form_data
    from binome.voice.forms import QuestionForm

    survey = _staff_survey(request, public_id)
    data = form_data(payload, choices="\n".join(payload.choices), section=payload.section or "")
    fields = cleaned(QuestionForm(data, survey=survey))
    return Status(201, services.add_question(survey, **fields, request=request))


@router.delete(
    "/questions/{public_id}",
    response={204: None, 422: ApiError},
    summary=_("Retirer une question d'une enquête en brouillon"),
)
def delete_question(request, public_id: str):
    question = get_object_or_404_scoped(
        Question.objects.filter(survey__structure_id__in=_ids(request, VIEW)).select_related(
            "survey__structure"
        ),
        public_id=public_id,
    )
    if not roles_in(request, question.survey.structure) & EDIT:
        raise PermissionDenied
    services.delete_question(question, request=request)
    return Status(204, None)


@router.post(
    "/surveys/{public_id}/publish",
    response={200: SurveyOut, 422: ApiError},
    summary=_("Publier une enquête : elle reçoit des réponses et ne se modifie plus"),
)
def publish_survey(request, public_id: str):
    return services.publish_survey(
        _staff_survey(request, public_id), request=request, actor=request.user
    )


@router.post("/surveys/{public_id}/close", response=SurveyOut, summary=_("Clore une enquête"))
def close_survey(request, public_id: str):
    return services.close_survey(_staff_survey(request, public_id), request=request)


def _committee(request, public_id) -> Committee:
    return get_object_or_404_scoped(
        Committee.objects.filter(structure_id__in=_ids(request, VIEW)).select_related("structure"),
        public_id=public_id,
    )


def _editable_committee(request, public_id) -> Committee:
    from binome.voice.access import may_edit_committee

    committee = _committee(request, public_id)
    if not may_edit_committee(request.user, roles_in(request, committee.structure), committee):
        raise PermissionDenied
    return committee


@router.post(
    "/committees/",
    response={201: CommitteeOut, 422: ApiError},
    summary=_("Créer le comité des usagers (coordination)"),
)
def create_committee(request, payload: CommitteeIn):
    from binome.api.core import cleaned, form_data
    from binome.voice.forms import CommitteeForm

    structure = _structure_with(request, payload.structure, COORDINATOR)
    data = cleaned(CommitteeForm(form_data(payload.dict(exclude={"structure"}))))
    return Status(201, services.create_committee(structure, request=request, **data))


@router.post(
    "/committees/{public_id}/members",
    response={201: SeatOut, 422: ApiError},
    summary=_("Ajouter au comité un membre de l'équipe (coordination)"),
)
def add_member(request, public_id: str, payload: MemberIn):
    from binome.api.core import cleaned
    from binome.people.models import Membership
    from binome.voice.forms import MemberForm

    committee = _committee(request, public_id)
    if Role.COORDINATOR not in roles_in(request, committee.structure):
        raise PermissionDenied
    membership = Membership.objects.filter(
        structure=committee.structure, public_id=payload.membership
    ).first()
    form = MemberForm(
        {"membership": membership.pk if membership else "", "function": payload.function},
        structure=committee.structure,
    )
    data = cleaned(form)
    seat = services.add_member(
        committee, membership=data["membership"], function=data["function"], request=request
    )
    return Status(201, seat)


@router.delete(
    "/committees/{public_id}/members/{seat_id}",
    response={204: None},
    summary=_("Retirer un membre du comité (coordination)"),
)
def remove_member(request, public_id: str, seat_id: int):
    from binome.voice.models import CommitteeMember

    committee = _committee(request, public_id)
    if Role.COORDINATOR not in roles_in(request, committee.structure):
        raise PermissionDenied
    seat = get_object_or_404_scoped(CommitteeMember.objects.filter(committee=committee), pk=seat_id)
    services.remove_member(seat, request=request)
    return Status(204, None)


@router.post(
    "/committees/{public_id}/meetings",
    response={201: MeetingOut, 422: ApiError},
    summary=_("Noter une réunion du comité"),
)
def add_meeting(request, public_id: str, payload: CommitteeMeetingIn):
    from binome.api.core import cleaned, form_data
    from binome.audit.services import save_recorded
    from binome.voice.forms import MeetingForm

    committee = _editable_committee(request, public_id)
    form = MeetingForm(form_data(payload))
    cleaned(form)
    meeting = form.save(commit=False)
    meeting.committee, meeting.structure = committee, committee.structure
    return Status(201, save_recorded(meeting, "voice.meeting_added", request=request))


@router.patch(
    "/meetings/{public_id}",
    response={200: MeetingOut, 422: ApiError},
    summary=_("Modifier une réunion : ordre du jour, compte rendu, présents"),
)
def edit_meeting(request, public_id: str, payload: MeetingPatch):
    from binome.api.core import cleaned
    from binome.audit.services import save_recorded
    from binome.voice.forms import MeetingForm

    meeting = _editable_meeting(request, public_id)
    current = {
        f: getattr(meeting, f) for f in ("date", "place", "agenda", "minutes", "attendees_count")
    }
    changes = payload.dict(exclude_unset=True)
    data = {k: ("" if v is None else v) for k, v in {**current, **changes}.items()}
    form = MeetingForm(data, instance=meeting)
    cleaned(form)
    return save_recorded(form=form, kind="voice.meeting_changed", request=request)


@router.post(
    "/committees/{public_id}/proposals",
    response={201: ProposalOut, 422: ApiError},
    summary=_("Noter une proposition du comité"),
)
def add_proposal(request, public_id: str, payload: ProposalIn):
    from binome.api.core import cleaned
    from binome.audit.services import save_recorded
    from binome.voice.forms import ProposalForm

    committee = _editable_committee(request, public_id)
    meeting = (
        Meeting.objects.filter(committee=committee, public_id=payload.meeting).first()
        if payload.meeting
        else None
    )
    if payload.meeting and meeting is None:
        raise Http404
    form = ProposalForm(
        {
            "title": payload.title or "",
            "text": payload.text,
            "meeting": meeting.pk if meeting else "",
        },
        committee=committee,
    )
    cleaned(form)
    proposal = form.save(commit=False)
    proposal.committee, proposal.structure, proposal.created_by = (
        committee,
        committee.structure,
        request.user,
    )
    return Status(201, save_recorded(proposal, "voice.proposal_added", request=request))


class PaperResponseIn(Schema):
    submission_token: str = Field(
        "",
        max_length=64,
        description=gettext_lazy("Un même questionnaire saisi deux fois n'est compté qu'une fois"),
    )
    answers: list[AnswerIn] = Field(default_factory=list, max_length=100)


class ModerationIn(Schema):
    decision: str = Field("", description=gettext_lazy("published ou hidden"))


@router.post(
    "/surveys/{public_id}/paper-responses",
    response={201: CreatedOut, 200: CreatedOut, 422: ApiError},
    summary=_("Saisir un questionnaire papier (l'équipe)"),
)
def paper_response(request, public_id: str, payload: PaperResponseIn):
    from django.db import transaction

    from binome.voice.models import Response

    survey = _staff_survey(request, public_id)
    if survey.state == Survey.State.DRAFT:
        _value_error(_("Publiez l'enquête avant de saisir des réponses."))
    if len(payload.submission_token) < 16:
        _value_error(_("Jeton de saisie manquant ou trop court (16 caractères au moins)."))
    answers = _answers(survey, payload)
    with transaction.atomic():
        response, created = services.submit_response(
            survey,
            answers,
            submission_token=payload.submission_token,
            channel=Response.Channel.PAPER,
            entered_by=request.user,
        )
        if created:
            record("voice.paper_response_entered", request=request, target=survey)
    return Status(201 if created else 200, {"id": response.public_id, "created": created})


@router.post(
    "/ideas/{public_id}/moderation",
    response={200: IdeaOut, 422: ApiError},
    summary=_("Publier ou masquer une idée déposée (coordination)"),
)
def moderate_idea(request, public_id: str, payload: ModerationIn):
    idea = get_object_or_404_scoped(
        Idea.objects.filter(structure_id__in=_ids(request, IDEAS)).select_related("structure"),
        public_id=public_id,
    )
    if idea.structure_id not in _ids(request, COORDINATOR):
        raise PermissionDenied
    return services.moderate_idea(idea, payload.decision, request=request)


# --- the gazette, written with the committee (issue 15): the page's twins ----------------


class GazetteOut(Schema):
    id: UUID
    structure: str
    year: int
    quarter: int
    state: str
    state_label: str
    committee: str
    headline: str
    committee_word: str
    approved_at: datetime | None
    approved_at_meeting: UUID | None
    published_at: datetime | None


def _gazette_out(issue):
    return {
        "id": issue.public_id,
        "structure": issue.structure.slug,
        "year": issue.year,
        "quarter": issue.quarter,
        "state": issue.state,
        "state_label": issue.get_state_display(),
        "committee": issue.committee.name,
        "headline": issue.headline,
        "committee_word": issue.committee_word,
        "approved_at": issue.approved_at,
        "approved_at_meeting": issue.approved_at_meeting.public_id
        if issue.approved_at_meeting
        else None,
        "published_at": issue.published_at,
    }


USERS_VOICE_ROLES = {str(r) for r in (Role.COORDINATOR, Role.PROFESSIONAL, Role.USER_REP)}


def _gazette(request, public_id):
    from binome.voice.models import GazetteIssue

    issue = get_object_or_404_scoped(
        GazetteIssue.objects.filter(structure_id__in=_ids(request, VIEW)).select_related(
            "committee", "structure", "approved_at_meeting"
        ),
        public_id=public_id,
    )
    if not roles_in(request, issue.structure) & USERS_VOICE_ROLES:
        raise PermissionDenied
    return issue


class GazetteTextIn(Schema):
    structure: str = Field(description=gettext_lazy("Identifiant (slug) de la structure"))
    year: int
    quarter: int
    headline: str = ""
    committee_word: str = ""


@router.post(
    "/gazette",
    response={200: GazetteOut, 403: ApiError, 422: ApiError},
    summary=_("Écrire « à la une » et « le mot du comité » de la gazette d'un trimestre"),
)
def gazette_text(request, payload: GazetteTextIn):
    from binome.api.core import cleaned, structure_for
    from binome.voice.forms import GazetteTextForm

    structure = structure_for(request, payload.structure)
    roles = roles_in(request, structure)
    if not roles & USERS_VOICE_ROLES:
        raise PermissionDenied
    data = cleaned(GazetteTextForm(payload.dict(exclude={"structure"})))
    issue = services.save_gazette_text(
        structure,
        data["year"],
        data["quarter"],
        headline=data["headline"],
        committee_word=data["committee_word"],
        actor=request.user,
        roles=roles,
        request=request,
    )
    return _gazette_out(services.gazette_issue(structure, issue.year, issue.quarter))


@router.get("/gazette/{public_id}", response=GazetteOut, summary=_("Un numéro de la gazette"))
def gazette_read(request, public_id: UUID):
    return _gazette_out(_gazette(request, public_id))


@router.post(
    "/gazette/{public_id}/submit",
    response={200: ReachOut, 403: ApiError, 422: ApiError},
    summary=_("Envoyer la gazette en relecture aux membres du comité"),
)
def gazette_submit(request, public_id: UUID):
    issue = _gazette(request, public_id)
    on_paper = services.submit_gazette(
        issue, actor=request.user, roles=roles_in(request, issue.structure), request=request
    )
    return {
        "id": issue.public_id,
        "detail": _("La gazette est envoyée en relecture aux membres du comité."),
        "on_paper": on_paper,
    }


class GazetteApprovalIn(Schema):
    meeting: UUID | None = Field(
        None,
        description=gettext_lazy(
            "La réunion où le comité l'a validée (la coordination) ; vide pour un membre du comité"
        ),
    )


@router.post(
    "/gazette/{public_id}/approve",
    response={200: GazetteOut, 403: ApiError, 422: ApiError},
    summary=_("Le comité valide la gazette (un membre, ou la coordination pour une réunion)"),
)
def gazette_approve(request, public_id: UUID, payload: GazetteApprovalIn):
    from django.core.exceptions import ValidationError as DjangoValidationError

    issue = _gazette(request, public_id)
    meeting = None
    if payload.meeting is not None:
        meeting = Meeting.objects.filter(
            committee=issue.committee, public_id=payload.meeting
        ).first()
        if meeting is None:
            raise DjangoValidationError({"meeting": [_("Réunion inconnue de ce comité.")]})
    services.approve_gazette(
        issue,
        actor=request.user,
        roles=roles_in(request, issue.structure),
        meeting=meeting,
        request=request,
    )
    return _gazette_out(issue)


@router.post(
    "/gazette/{public_id}/publish",
    response={200: GazetteOut, 403: ApiError, 422: ApiError},
    summary=_("Publier la gazette validée par le comité (coordination)"),
)
def gazette_publish(request, public_id: UUID):
    issue = _gazette(request, public_id)
    roles = roles_in(request, issue.structure)
    return _gazette_out(
        services.publish_gazette(issue, actor=request.user, roles=roles, request=request)
    )
