"""State changes of the users' voice, each in one transaction with its audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.involvement.models import ActionKind
from binome.involvement.services import ensure_automatic_action
from binome.people.models import Role
from binome.voice.models import (
    Answer,
    Committee,
    CommitteeMember,
    GazetteIssue,
    Idea,
    IdeaBox,
    MeetingAttendance,
    Question,
    Response,
    Section,
    Status,
    Survey,
)

# Surveys -------------------------------------------------------------------------------


@transaction.atomic
def create_survey(
    structure, *, title, intro="", anonymous=True, actor=None, request=None
) -> Survey:
    survey = Survey.objects.create(
        structure=structure, title=title, intro=intro, anonymous=anonymous, created_by=actor
    )
    record("voice.survey_created", request=request, actor=actor, structure=structure, target=survey)
    return survey


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def add_section(survey: Survey, title: str, *, request=None) -> Section:
    _editable(survey)
    section = Section.objects.create(
        survey=survey, title=title, position=_next_position(survey.sections.all())
    )
    record(
        "voice.survey_changed",
        request=request,
        structure=survey.structure,
        target=survey,
        part="section_added",
    )
    return section


@transaction.atomic
def add_question(
    survey: Survey,
    *,
    kind,
    label,
    section=None,
    help_text="",
    required=False,
    choices=(),
    request=None,
) -> Question:
    _editable(survey)
    choices = [c.strip() for c in choices if c and c.strip()]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(choices) < 2:
        raise ValidationError({"choices": _("Proposez au moins deux choix, un par ligne.")})
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        choices = []
    question = Question.objects.create(
        survey=survey,
        section=section,
        kind=kind,
        label=label,
        help_text=help_text,
        required=required,
        choices=choices,
        position=_next_position(survey.questions.all()),
    )
    record(
        "voice.survey_changed",
        request=request,
        structure=survey.structure,
        target=survey,
        part="question_added",
    )
    return question


def _editable(survey: Survey):
    if survey.state != Survey.State.DRAFT:
        raise ValidationError(
            _("Une enquête publiée ne peut plus être modifiée : ses réponses en dépendent.")
        )


@transaction.atomic
def delete_question(question: Question, *, request=None):
    survey = question.survey
    _editable(survey)
    question.delete()
    record(
        "voice.survey_changed",
        request=request,
        structure=survey.structure,
        target=survey,
        part="question_deleted",
    )


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
        survey.structure,
        source=f"survey:{survey.public_id}",
        kind=ActionKind.SURVEY,
        title=survey.title,
        start=timezone.localdate(survey.published_at),
        description=survey.intro,
        actor=actor or (request.user if request is not None else None),
    )
    record(
        "voice.survey_published",
        request=request,
        actor=actor,
        structure=survey.structure,
        target=survey,
    )
    return survey


@transaction.atomic
def close_survey(survey: Survey, *, request=None) -> Survey:
    survey.state = Survey.State.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["state", "closed_at"])
    ensure_automatic_action(
        survey.structure,
        source=f"survey:{survey.public_id}",
        kind=ActionKind.SURVEY,
        title=survey.title,
        start=timezone.localdate(survey.published_at or survey.closed_at),
        end=timezone.localdate(survey.closed_at),
        users_count=survey.responses.count(),
    )
    record("voice.survey_closed", request=request, structure=survey.structure, target=survey)
    return survey


def submit_response(
    survey: Survey,
    answers: dict,
    *,
    submission_token: str,
    channel=Response.Channel.ONLINE,
    entered_by=None,
) -> tuple[Response, bool]:
    """Store one response once per submission token. ``answers`` maps a Question to its value:
    an int (scale, single choice), a list of ints (multiple choice) or a text."""
    existing = Response.objects.filter(survey=survey, submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                structure_id=survey.structure_id,
                channel=channel,
                submission_token=submission_token,
                entered_by=entered_by,
            )
            rows: list = []
            for question, value in answers.items():
                if value in (None, "", []):
                    continue
                if question.kind == Question.Kind.MULTIPLE:
                    rows.extend(
                        Answer(response=response, question=question, value=int(v)) for v in value
                    )
                elif question.kind == Question.Kind.TEXT:
                    rows.append(
                        Answer(response=response, question=question, text=str(value)[:2000])
                    )
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
                structure,
                source="idea_box",
                kind=ActionKind.IDEA_BOX,
                title="Boîte à idées permanente",
                start=timezone.localdate(),
                actor=actor,
                description="Formulaire public permanent (QR code en salle d'attente), réponses publiques « vous avez dit, nous avons fait ».",
            )
    return box


def submit_idea(
    structure, *, text: str, submission_token: str, channel="online"
) -> tuple[Idea, bool]:
    existing = Idea.objects.filter(structure=structure, submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            idea = Idea.objects.create(
                structure=structure,
                text=text.strip()[:2000],
                submission_token=submission_token,
                channel=channel,
            )
    except IntegrityError:
        return Idea.objects.get(structure=structure, submission_token=submission_token), False
    return idea, True


@transaction.atomic
def moderate_idea(idea: Idea, decision: str, *, request=None) -> Idea:
    if decision not in (Idea.Moderation.PUBLISHED, Idea.Moderation.HIDDEN):
        raise ValidationError(_("Décision de modération inconnue."))
    idea.moderation = decision
    idea.save(update_fields=["moderation"])
    record(
        "voice.idea_moderated",
        request=request,
        structure=idea.structure,
        target=idea,
        decision=decision,
    )
    return idea


@transaction.atomic
def set_status(
    obj, *, status: str, public_answer: str = "", decline_reason: str = "", request=None, actor=None
):
    """Move an idea or a proposal along received → under study → accepted/declined → done."""
    if status not in Status.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    if status == Status.DECLINED and not decline_reason.strip():
        raise ValidationError(
            {
                "decline_reason": _(
                    "Dites pourquoi l'idée n'est pas retenue : la raison est publiée."
                )
            }
        )
    obj.status = status
    obj.public_answer = public_answer.strip()
    obj.decline_reason = decline_reason.strip() if status == Status.DECLINED else ""
    obj.status_changed_at = timezone.now()
    if status == Status.DONE:
        obj.done_at = obj.done_at or timezone.localdate()
    else:
        obj.done_at = None
    fields = ["status", "public_answer", "decline_reason", "status_changed_at", "done_at"]
    if (
        isinstance(obj, Idea)
        and obj.moderation == Idea.Moderation.PENDING
        and status != Status.RECEIVED
    ):
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
        structure,
        source=f"committee:{committee.public_id}",
        kind=ActionKind.COMMITTEE,
        title=name,
        start=timezone.localdate(),
        description=purpose,
        actor=request.user if request is not None else None,
    )
    record("voice.committee_created", request=request, structure=structure, target=committee)
    return committee


def refresh_committee_action(committee: Committee):
    from django.db.models import Q

    # Users who sit on the committee: user representatives with an account, and users without one.
    members = committee.members.filter(
        Q(membership__role="user_rep", membership__is_active=True) | Q(membership__isnull=True)
    ).count()
    ensure_automatic_action(
        committee.structure,
        source=f"committee:{committee.public_id}",
        kind=ActionKind.COMMITTEE,
        title=committee.name,
        start=timezone.localdate(committee.created_at),
        users_count=members,
    )


# The committee without accounts (issue 15) ----------------------------------------------------


@transaction.atomic
def add_member_without_account(
    committee,
    *,
    first_name,
    last_name="",
    email="",
    phone="",
    invite_by,
    function="",
    sms_method="paper",
    request=None,
):
    """A user who sits on the committee without an account, reached the way they chose."""
    from binome.messaging import services as messaging

    if invite_by == CommitteeMember.InviteBy.EMAIL and not email:
        raise ValidationError(
            {"email": [_("Indiquez l'adresse e-mail, ou choisissez le SMS ou le papier.")]}
        )
    if invite_by == CommitteeMember.InviteBy.SMS:
        if not phone:
            raise ValidationError(
                {
                    "phone": [
                        _("Indiquez le numéro de portable, ou choisissez l'e-mail ou le papier.")
                    ]
                }
            )
        try:
            phone = messaging.agreement_without_account(
                phone, method=sms_method, request=request
            ).phone
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    member = CommitteeMember.objects.create(
        committee=committee,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        phone=phone,
        invite_by=invite_by,
        function=function,
        joined_at=timezone.localdate(),
    )
    record(
        "voice.committee_member_added",
        request=request,
        target=committee,
        without_account=True,
        invite_by=invite_by,
    )
    refresh_committee_action(committee)
    return member


def _members_to_reach(meeting):
    return list(
        CommitteeMember.objects.filter(committee=meeting.committee)
        .seated()
        .select_related("membership__user")
    )


def convocation_text(meeting) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS) of a convocation: the date, the place, the agenda of a
    users' committee — nothing about anyone's health."""
    when = meeting.date.strftime("%d/%m/%Y")
    place = meeting.place or _("lieu précisé par la coordination")
    subject = _("Réunion du %(committee)s le %(date)s") % {
        "committee": meeting.committee.name,
        "date": when,
    }
    body = _(
        "Bonjour,\n\nVous êtes invité·e à la réunion du %(committee)s (%(structure)s) le %(date)s, %(place)s.\n\n"
        "Ordre du jour :\n%(agenda)s\n\nMerci de prévenir la coordination si vous ne pouvez pas venir."
    ) % {
        "committee": meeting.committee.name,
        "structure": meeting.structure.name,
        "date": when,
        "place": place,
        "agenda": meeting.agenda,
    }
    sms = _(
        "Binôme : réunion du comité des usagers le %(date)s, %(place)s. Répondez STOP pour ne plus recevoir de SMS."
    ) % {"date": when, "place": place[:80]}
    return subject, body, sms


def _reach(meeting, subject, body, sms_body, *, sms_is_enough=True):
    """Send to each member by their way; returns the members to reach on paper (and, for a
    text too long for an SMS, those reached by SMS, who are told it comes by the coordination)."""
    return _reach_members(
        _members_to_reach(meeting), subject, body, sms_body, sms_is_enough=sms_is_enough
    )


def _reach_members(members, subject, body, sms_body, *, sms_is_enough=True):
    from django.core.mail import send_mail

    from binome.messaging import services as messaging

    with_account = [m.membership.user for m in members if m.has_account]
    messaging.remind(with_account, subject=subject, body=body, sms_body=sms_body)
    on_paper = []
    for member in members:
        if member.has_account:
            continue
        if member.invite_by == CommitteeMember.InviteBy.EMAIL and member.email:
            transaction.on_commit(
                lambda to=member.email: send_mail(subject, body, None, [to], fail_silently=True)
            )
        elif member.invite_by == CommitteeMember.InviteBy.SMS and messaging.sms_to_number(
            member.phone, sms_body
        ):
            if not sms_is_enough:
                on_paper.append(member)
        else:
            on_paper.append(member)
    return on_paper


def paper_members(meeting):
    """Members without an account that only paper reaches: chosen so, no e-mail given, or a
    number that no longer takes SMS (STOP)."""
    from binome.messaging.models import ContactPreference
    from binome.messaging.services import sms_available

    members = list(
        CommitteeMember.objects.filter(committee=meeting.committee, membership__isnull=True)
    )
    phones = [m.phone for m in members if m.phone]
    texting = {
        p.phone
        for p in ContactPreference.objects.filter(user__isnull=True, phone__in=phones)
        if p.sms_allowed
    }
    by = CommitteeMember.InviteBy
    return [
        m
        for m in members
        if m.invite_by == by.PAPER
        or (m.invite_by == by.EMAIL and not m.email)
        or (m.invite_by == by.SMS and (m.phone not in texting or not sms_available()))
    ]


@transaction.atomic
def convene(meeting, *, request=None):
    """Send the convocation to every member; those reached on paper are listed to print."""
    subject, body, sms_body = convocation_text(meeting)
    on_paper = _reach(meeting, subject, body, sms_body)
    meeting.convened_at = timezone.now()
    meeting.save(update_fields=["convened_at"])
    record("voice.meeting_convened", request=request, target=meeting, on_paper=len(on_paper))
    return on_paper


@transaction.atomic
def record_attendance(meeting, present_ids, *, request=None):

    members = {m.pk: m for m in CommitteeMember.objects.filter(committee=meeting.committee)}
    unknown = set(present_ids) - members.keys()
    if unknown:
        raise ValidationError(_("Cette personne n'est pas membre du comité."))
    MeetingAttendance.objects.filter(meeting=meeting).delete()
    MeetingAttendance.objects.bulk_create(
        [
            MeetingAttendance(meeting=meeting, member=m, present=pk in present_ids)
            for pk, m in members.items()
        ]
    )
    meeting.attendees_count = len(present_ids)
    meeting.save(update_fields=["attendees_count"])
    record(
        "voice.meeting_attendance",
        request=request,
        target=meeting,
        present=len(present_ids),
        members=len(members),
    )


@transaction.atomic
def send_minutes(meeting, *, request=None):
    """After the meeting: the minutes to every member (e-mail; SMS says where to read them)."""
    if not meeting.minutes.strip():
        raise ValidationError(_("Écrivez d'abord le compte rendu de la réunion."))
    when = meeting.date.strftime("%d/%m/%Y")
    subject = _("Compte rendu du %(committee)s du %(date)s") % {
        "committee": meeting.committee.name,
        "date": when,
    }
    body = _(
        "Bonjour,\n\nVoici le compte rendu de la réunion du %(committee)s du %(date)s.\n\n%(minutes)s"
    ) % {"committee": meeting.committee.name, "date": when, "minutes": meeting.minutes}
    sms_body = _(
        "Binôme : le compte rendu de la réunion du comité des usagers du %(date)s vous est envoyé par la "
        "coordination. Répondez STOP pour ne plus recevoir de SMS."
    ) % {"date": when}
    on_paper = _reach(meeting, subject, body, sms_body, sms_is_enough=False)
    meeting.minutes_sent_at = timezone.now()
    meeting.save(update_fields=["minutes_sent_at"])
    record("voice.minutes_sent", request=request, target=meeting, on_paper=len(on_paper))
    return on_paper


def add_member(committee: Committee, *, membership, function="", request=None):
    """A seat for a member of the team (with an account); once per person and committee."""
    with transaction.atomic():
        seat, _created = CommitteeMember.objects.get_or_create(
            committee=committee,
            membership=membership,
            defaults={"function": function, "joined_at": timezone.localdate()},
        )
        record("voice.committee_member_added", request=request, target=committee)
        refresh_committee_action(committee)
    return seat


def remove_member(seat: CommitteeMember, *, request=None):
    committee = seat.committee
    with transaction.atomic():
        seat.delete()
        record("voice.committee_member_removed", request=request, target=committee)
        refresh_committee_action(committee)


# The gazette, written with the committee before it is published -------------------------


def gazette_issue(structure, year: int, quarter: int):
    return (
        GazetteIssue.objects.filter(structure=structure, year=year, quarter=quarter)
        .select_related("committee", "approved_by", "approved_at_meeting", "edited_by")
        .first()
    )


def _refuse_published(issue):
    if issue.is_published:
        raise ValidationError(_("Cette gazette est publiée : son texte ne change plus."))


def gazette_committee(structure, issue=None):
    """The committee a quarter's gazette is written with: the issue's, else the structure's."""
    if issue is not None:
        return issue.committee
    return Committee.objects.filter(structure=structure).order_by("name", "pk").first()


@transaction.atomic
def save_gazette_text(
    structure,
    year: int,
    quarter: int,
    *,
    headline: str,
    committee_word: str,
    actor,
    roles,
    request=None,
) -> GazetteIssue:
    """Write the headline and the committee's word (voice.access.may_start_gazette). A change
    after the committee approved sends the issue back to its review: the committee approves
    what is published."""
    from binome.voice.access import may_start_gazette

    issue = gazette_issue(structure, year, quarter)
    committee = gazette_committee(structure, issue)
    if not may_start_gazette(actor, roles, committee):
        raise PermissionDenied
    if issue is None:
        if committee is None:
            raise ValidationError(
                _("Créez d'abord le comité des usagers : la gazette s'écrit avec lui.")
            )
        issue = GazetteIssue(structure=structure, year=year, quarter=quarter, committee=committee)
    _refuse_published(issue)
    issue.headline, issue.committee_word = headline.strip(), committee_word.strip()
    issue.edited_by, issue.edited_at = actor, timezone.now()
    if issue.state == GazetteIssue.State.APPROVED:
        issue.state = GazetteIssue.State.IN_REVIEW
        issue.approved_at = issue.approved_by = issue.approved_at_meeting = None
    issue.save()
    record("voice.gazette_edited", actor=actor, structure=structure, target=issue, request=request)
    return issue


def gazette_review_text(issue) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS) asking the committee to read the issue: no one's health."""
    subject = _("La gazette du trimestre attend la relecture du comité")
    body = _(
        "Bonjour,\n\nLa gazette du trimestre %(q)s de %(y)s (%(structure)s) est prête à être relue "
        "par le %(committee)s avant sa publication. Vous la lisez et la validez depuis Binôme, "
        "ou la coordination vous la remet lors de la prochaine réunion."
    ) % {
        "q": issue.quarter,
        "y": issue.year,
        "structure": issue.structure.name,
        "committee": issue.committee.name,
    }
    sms = _("Binôme : la gazette du trimestre attend la relecture du comité des usagers.")
    return subject, body, sms


@transaction.atomic
def submit_gazette(issue, *, actor, roles, request=None) -> list:
    """Send the draft to the committee's members; returns those to reach on paper."""
    from binome.voice.access import may_edit_committee

    if not may_edit_committee(actor, roles, issue.committee):
        raise PermissionDenied
    _refuse_published(issue)
    if issue.state != GazetteIssue.State.DRAFT:
        raise ValidationError(_("Cette gazette est déjà chez le comité."))
    issue.state, issue.submitted_at = GazetteIssue.State.IN_REVIEW, timezone.now()
    issue.save(update_fields=["state", "submitted_at"])
    members = list(
        CommitteeMember.objects.filter(committee=issue.committee)
        .seated()
        .select_related("membership__user")
    )
    on_paper = _reach_members(members, *gazette_review_text(issue), sms_is_enough=False)
    record(
        "voice.gazette_submitted",
        actor=actor,
        structure=issue.structure,
        target=issue,
        request=request,
        on_paper=len(on_paper),
    )
    return on_paper


@transaction.atomic
def approve_gazette(issue, *, actor, roles, meeting=None, request=None) -> GazetteIssue:
    """The committee's approval: given by a user representative who sits on it, or recorded
    by the coordination as given at one of its meetings."""
    from binome.voice.access import may_approve_gazette

    _refuse_published(issue)
    if not may_approve_gazette(actor, roles, issue):
        raise PermissionDenied(_("Seul le comité des usagers valide sa gazette."))
    if issue.state != GazetteIssue.State.IN_REVIEW:
        raise ValidationError(_("La gazette doit d'abord être envoyée en relecture au comité."))
    rep = (
        str(Role.USER_REP) in {str(r) for r in roles}
        and issue.committee.members.filter(
            membership__user=actor, membership__is_active=True
        ).exists()
    )
    if not rep:
        if meeting is None or meeting.committee_id != issue.committee_id:
            raise ValidationError(
                _("Indiquez la réunion du comité au cours de laquelle il a validé la gazette.")
            )
        issue.approved_at_meeting = meeting
    issue.state, issue.approved_at, issue.approved_by = (
        GazetteIssue.State.APPROVED,
        timezone.now(),
        actor,
    )
    issue.save(update_fields=["state", "approved_at", "approved_by", "approved_at_meeting"])
    record(
        "voice.gazette_approved",
        actor=actor,
        structure=issue.structure,
        target=issue,
        request=request,
        at_meeting=bool(issue.approved_at_meeting_id),
    )
    return issue


@transaction.atomic
def publish_gazette(issue, *, actor, roles, request=None) -> GazetteIssue:
    if str(Role.COORDINATOR) not in {str(r) for r in roles}:
        raise PermissionDenied
    _refuse_published(issue)
    if issue.state != GazetteIssue.State.APPROVED:
        raise ValidationError(_("Le comité des usagers n'a pas encore validé cette gazette."))
    issue.state, issue.published_at = GazetteIssue.State.PUBLISHED, timezone.now()
    issue.save(update_fields=["state", "published_at"])
    record(
        "voice.gazette_published",
        actor=actor,
        structure=issue.structure,
        target=issue,
        request=request,
    )
    return issue
