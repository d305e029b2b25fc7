"""State changes of the users' voice, each in one transaction with its audit row."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.involvement.models import ActionKind
from binome.involvement.services import ensure_automatic_action
from binome.voice.models import (
    Answer,
    Committee,
    Idea,
    IdeaBox,
    Question,
    Response,
    Section,
    Status,
    Survey,
)

# Surveys -------------------------------------------------------------------------------


@transaction.atomic
def create_survey(structure, *, title, intro="", anonymous=True, actor=None, request=None) -> Survey:
    survey = Survey.objects.create(structure=structure, title=title, intro=intro, anonymous=anonymous, created_by=actor)
    record("voice.survey_created", request=request, actor=actor, structure=structure, target=survey)
    return survey


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def add_section(survey: Survey, title: str) -> Section:
    _editable(survey)
    return Section.objects.create(survey=survey, title=title, position=_next_position(survey.sections.all()))


@transaction.atomic
def add_question(survey: Survey, *, kind, label, section=None, help_text="", required=False, choices=()) -> Question:
    _editable(survey)
    choices = [c.strip() for c in choices if c and c.strip()]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(choices) < 2:
        raise ValidationError({"choices": _("Proposez au moins deux choix, un par ligne.")})
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        choices = []
    return Question.objects.create(
        survey=survey, section=section, kind=kind, label=label, help_text=help_text, required=required,
        choices=choices, position=_next_position(survey.questions.all()),
    )


def _editable(survey: Survey):
    if survey.state != Survey.State.DRAFT:
        raise ValidationError(_("Une enquête publiée ne peut plus être modifiée : ses réponses en dépendent."))


@transaction.atomic
def delete_question(question: Question):
    _editable(question.survey)
    question.delete()


@transaction.atomic
def publish_survey(survey: Survey, *, request=None, actor=None) -> Survey:
    if survey.state == Survey.State.PUBLISHED:
        return survey
    if not survey.questions.exists():
        raise ValidationError(_("Ajoutez au moins une question avant de publier l'enquête."))
    survey.state = Survey.State.PUBLISHED
    survey.published_at = survey.published_at or timezone.now()
    survey.closed_at = None
    survey.save(update_fields=["state", "published_at", "closed_at"])
    # A published survey counts as an involvement action (ACI level 1) by itself.
    ensure_automatic_action(
        survey.structure, source=f"survey:{survey.public_id}", kind=ActionKind.SURVEY, title=survey.title,
        start=timezone.localdate(survey.published_at), description=survey.intro,
        actor=actor or (request.user if request is not None else None),
    )
    record("voice.survey_published", request=request, actor=actor, structure=survey.structure, target=survey)
    return survey


@transaction.atomic
def close_survey(survey: Survey, *, request=None) -> Survey:
    survey.state = Survey.State.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["state", "closed_at"])
    ensure_automatic_action(
        survey.structure, source=f"survey:{survey.public_id}", kind=ActionKind.SURVEY, title=survey.title,
        start=timezone.localdate(survey.published_at or survey.closed_at), end=timezone.localdate(survey.closed_at),
        users_count=survey.responses.count(),
    )
    record("voice.survey_closed", request=request, structure=survey.structure, target=survey)
    return survey


def submit_response(survey: Survey, answers: dict, *, submission_token: str, channel=Response.Channel.ONLINE,
                    entered_by=None) -> tuple[Response, bool]:
    """Store one response once per submission token. ``answers`` maps a Question to its value:
    an int (scale, single choice), a list of ints (multiple choice) or a text."""
    existing = Response.objects.filter(survey=survey, submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, structure_id=survey.structure_id, channel=channel,
                submission_token=submission_token, entered_by=entered_by,
            )
            rows = []
            for question, value in answers.items():
                if value in (None, "", []):
                    continue
                if question.kind == Question.Kind.MULTIPLE:
                    rows.extend(Answer(response=response, question=question, value=int(v)) for v in value)
                elif question.kind == Question.Kind.TEXT:
                    rows.append(Answer(response=response, question=question, text=str(value)[:2000]))
                else:
                    rows.append(Answer(response=response, question=question, value=int(value)))
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        return Response.objects.get(survey=survey, submission_token=submission_token), False
    return response, True


# Idea box ------------------------------------------------------------------------------


def idea_box_for(structure, *, actor=None) -> IdeaBox:
    """The structure's idea box, opened (and registered as an action) on first use."""
    box = IdeaBox.objects.filter(structure=structure).first()
    if box is not None:
        return box
    with transaction.atomic():
        box, created = IdeaBox.objects.get_or_create(structure=structure)
        if created:
            ensure_automatic_action(
                structure, source="idea_box", kind=ActionKind.IDEA_BOX, title="Boîte à idées permanente",
                start=timezone.localdate(), actor=actor,
                description="Formulaire public permanent (QR code en salle d'attente), réponses publiques « vous avez dit, nous avons fait ».",
            )
    return box


def submit_idea(structure, *, text: str, submission_token: str, channel="online") -> tuple[Idea, bool]:
    existing = Idea.objects.filter(structure=structure, submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            idea = Idea.objects.create(structure=structure, text=text.strip()[:2000], submission_token=submission_token, channel=channel)
    except IntegrityError:
        return Idea.objects.get(structure=structure, submission_token=submission_token), False
    return idea, True


@transaction.atomic
def moderate_idea(idea: Idea, decision: str, *, request=None) -> Idea:
    if decision not in (Idea.Moderation.PUBLISHED, Idea.Moderation.HIDDEN):
        raise ValidationError(_("Décision de modération inconnue."))
    idea.moderation = decision
    idea.save(update_fields=["moderation"])
    record("voice.idea_moderated", request=request, structure=idea.structure, target=idea, decision=decision)
    return idea


@transaction.atomic
def set_status(obj, *, status: str, public_answer: str = "", decline_reason: str = "", request=None, actor=None):
    """Move an idea or a proposal along received → under study → accepted/declined → done."""
    if status not in Status.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    if status == Status.DECLINED and not decline_reason.strip():
        raise ValidationError({"decline_reason": _("Dites pourquoi l'idée n'est pas retenue : la raison est publiée.")})
    obj.status = status
    obj.public_answer = public_answer.strip()
    obj.decline_reason = decline_reason.strip() if status == Status.DECLINED else ""
    obj.status_changed_at = timezone.now()
    if status == Status.DONE:
        obj.done_at = obj.done_at or timezone.localdate()
    else:
        obj.done_at = None
    fields = ["status", "public_answer", "decline_reason", "status_changed_at", "done_at"]
    if isinstance(obj, Idea) and obj.moderation == Idea.Moderation.PENDING and status != Status.RECEIVED:
        # Answering an idea publishes it, unless it was hidden.
        obj.moderation = Idea.Moderation.PUBLISHED
        fields.append("moderation")
    obj.save(update_fields=fields)
    kind = "voice.idea_status_changed" if isinstance(obj, Idea) else "voice.proposal_status_changed"
    record(kind, request=request, actor=actor, structure=obj.structure, target=obj, status=status)
    return obj


# Users' committee ----------------------------------------------------------------------


@transaction.atomic
def create_committee(structure, *, name, purpose="", request=None) -> Committee:
    committee = Committee.objects.create(structure=structure, name=name, purpose=purpose)
    ensure_automatic_action(
        structure, source=f"committee:{committee.public_id}", kind=ActionKind.COMMITTEE, title=name,
        start=timezone.localdate(), description=purpose,
        actor=request.user if request is not None else None,
    )
    record("voice.committee_created", request=request, structure=structure, target=committee)
    return committee


def refresh_committee_action(committee: Committee):
    members = committee.members.filter(membership__role="user_rep", membership__is_active=True).count()
    ensure_automatic_action(
        committee.structure, source=f"committee:{committee.public_id}", kind=ActionKind.COMMITTEE,
        title=committee.name, start=timezone.localdate(committee.created_at), users_count=members,
    )
