"""Users' voice: satisfaction surveys, the idea box, the users' committee (seed 001 §2, §5.A)."""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binome.people.scoping import StructureScopedManager


def short_token() -> str:
    return secrets.token_urlsafe(8)


class Status(models.TextChoices):
    """The life of an idea or a proposal, shown publicly with the team's answer."""

    RECEIVED = "received", _("Reçue")
    UNDER_STUDY = "under_study", _("À l'étude")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Non retenue")
    DONE = "done", _("Réalisée")


PUBLIC_STATUSES = [Status.UNDER_STUDY, Status.ACCEPTED, Status.DECLINED, Status.DONE]


class Survey(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("En cours")
        CLOSED = "closed", _("Close")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(_("titre"), max_length=200)
    intro = models.TextField(
        _("texte d'accueil"),
        blank=True,
        max_length=2000,
        help_text=_("Quelques mots pour dire pourquoi l'équipe demande l'avis des usagers."),
    )
    anonymous = models.BooleanField(
        _("réponses anonymes"),
        default=True,
        help_text=_("Par défaut, aucune information ne permet de savoir qui a répondu."),
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)
    public_token = models.CharField(max_length=20, unique=True, default=short_token, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("enquête")
        verbose_name_plural = _("enquêtes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.state == self.State.PUBLISHED


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titre de la partie"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    objects = StructureScopedManager("survey__structure")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Échelle de 1 à 5")
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiples")
        TEXT = "text", _("Réponse libre")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    kind = models.CharField(_("type de question"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("aide"), max_length=300, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    choices = models.JSONField(_("choix proposés"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = StructureScopedManager("survey__structure")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    @property
    def options(self):
        """(value, label) pairs: the 1-5 scale or the choices, numbered from 0."""
        if self.kind == self.Kind.SCALE:
            return [(i, str(i)) for i in range(1, 6)]
        return list(enumerate(self.choices))


class Response(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("En ligne")
        PAPER = "paper", _("Papier, saisi par le secrétariat")
        API = "api", _("Par l'API")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    structure = models.ForeignKey("people.Structure", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    submission_token = models.CharField(max_length=64)
    # Only for paper answers: who typed them in (never who answered).
    entered_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "submission_token"], name="survey_response_once"
            )
        ]
        indexes = [models.Index(fields=["survey", "channel"], name="response_survey_channel")]

    def __str__(self):
        return f"Réponse {self.public_id}"


class Answer(models.Model):
    """One answer to one question; a multiple choice stores one row per ticked choice."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)  # scale 1-5 or choice index
    text = models.TextField(blank=True, max_length=2000)

    objects = StructureScopedManager("response__structure")

    class Meta:
        indexes = [models.Index(fields=["question", "value"], name="answer_question_value")]

    def __str__(self):
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:30]}"


class IdeaBox(models.Model):
    """The structure's permanent public idea box (one per structure, reachable by QR code)."""

    structure = models.OneToOneField(
        "people.Structure", on_delete=models.CASCADE, related_name="idea_box"
    )
    is_open = models.BooleanField(_("boîte ouverte"), default=True)
    intro = models.TextField(_("texte d'accueil"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("boîte à idées")

    def __str__(self):
        return f"Boîte à idées — {self.structure_id}"


class StatusMixin(models.Model):
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    decline_reason = models.TextField(_("raison"), blank=True, max_length=2000)
    public_answer = models.TextField(_("réponse publique de l'équipe"), blank=True, max_length=3000)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateField(_("réalisée le"), null=True, blank=True)

    class Meta:
        abstract = True


class Idea(StatusMixin):
    class Moderation(models.TextChoices):
        PENDING = "pending", _("À modérer")
        PUBLISHED = "published", _("Publiée")
        HIDDEN = "hidden", _("Masquée")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="ideas"
    )
    text = models.TextField(_("votre idée"), max_length=2000)
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    channel = models.CharField(max_length=10, default="online")
    submission_token = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("idée")
        verbose_name_plural = _("idées")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "submission_token"], name="idea_once"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="idea_declined_reason"
            ),
        ]
        indexes = [
            models.Index(
                fields=["structure", "moderation", "status"], name="idea_struct_mod_status"
            )
        ]

    def __str__(self):
        return self.text[:60]


class Committee(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="committees"
    )
    name = models.CharField(_("nom"), max_length=200, default="Comité des usagers")
    purpose = models.TextField(_("rôle du comité"), blank=True, max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("comité des usagers")
        verbose_name_plural = _("comités des usagers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommitteeMemberQuerySet(models.QuerySet):
    def seated(self):
        """Members still on the committee: without an account, or with an active membership."""
        return self.filter(models.Q(membership__isnull=True) | models.Q(membership__is_active=True))


class CommitteeMember(models.Model):
    """A seat on the committee: a member of the team, or a user with no account (listed by the
    coordination, reached by e-mail, SMS or on paper — seed 001: committees of users)."""

    class InviteBy(models.TextChoices):
        EMAIL = "email", _("Par e-mail")
        SMS = "sms", _("Par SMS")
        PAPER = "paper", _("Sur papier (courrier ou remis en main propre)")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey(
        "people.Membership",
        on_delete=models.CASCADE,
        related_name="committee_seats",
        null=True,
        blank=True,
    )
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone portable"), max_length=30, blank=True)
    invite_by = models.CharField(
        _("convoqué·e"), max_length=10, choices=InviteBy.choices, default=InviteBy.EMAIL
    )
    function = models.CharField(_("fonction au comité"), max_length=100, blank=True)
    joined_at = models.DateField(_("membre depuis"), null=True, blank=True)

    objects = StructureScopedManager("committee__structure", CommitteeMemberQuerySet)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "membership"], name="committee_member_once"
            ),
            models.CheckConstraint(
                condition=Q(membership__isnull=False) | ~Q(first_name=""),
                name="committee_member_has_someone",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def has_account(self):
        return self.membership_id is not None

    @property
    def display_name(self):
        if self.membership_id:
            return str(self.membership.user)
        return f"{self.first_name} {self.last_name}".strip()


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        "voice.Meeting", on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("présent·e"), default=True)

    objects = StructureScopedManager("meeting__structure")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meeting_attendance_once")
        ]

    def __str__(self):
        return f"{self.member_id} @ {self.meeting_id}"


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    structure = models.ForeignKey("people.Structure", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    agenda = models.TextField(_("ordre du jour"), max_length=5000)
    minutes = models.TextField(_("compte rendu"), blank=True, max_length=20000)
    attendees_count = models.PositiveSmallIntegerField(_("participants"), null=True, blank=True)
    convened_at = models.DateTimeField(_("convocation envoyée le"), null=True, blank=True)
    minutes_sent_at = models.DateTimeField(_("compte rendu envoyé le"), null=True, blank=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("réunion du comité")
        verbose_name_plural = _("réunions du comité")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.committee} — {self.date:%d/%m/%Y}"


class Proposal(StatusMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="proposals"
    )
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="proposals")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    title = models.CharField(_("proposition"), max_length=200)
    text = models.TextField(_("détail"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("proposition du comité")
        verbose_name_plural = _("propositions du comité")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="proposal_declined_reason",
            ),
        ]

    def __str__(self):
        return self.title


class CodingCategory(models.Model):
    """A category grouping labels, in the qualitative coding of a survey's free-text answers
    (the method of the seeds' own analyses: verbatim → label → property → category)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="coding_categories")
    name = models.CharField(_("catégorie"), max_length=120)

    objects = StructureScopedManager("survey__structure")

    class Meta:
        verbose_name = _("catégorie d'analyse")
        verbose_name_plural = _("catégories d'analyse")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="coding_category_unique")
        ]

    def __str__(self):
        return self.name


class CodingLabel(models.Model):
    """A label put on verbatims; its property says what it describes; it joins a category."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="coding_labels")
    name = models.CharField(_("étiquette"), max_length=120)
    property = models.CharField(
        _("propriété (ce que l'étiquette décrit)"), max_length=200, blank=True
    )
    category = models.ForeignKey(
        CodingCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="labels",
        verbose_name=_("catégorie"),
    )

    objects = StructureScopedManager("survey__structure")

    class Meta:
        verbose_name = _("étiquette d'analyse")
        verbose_name_plural = _("étiquettes d'analyse")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="coding_label_unique")
        ]

    def __str__(self):
        return self.name


class CodedAnswer(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="codes")
    label = models.ForeignKey(CodingLabel, on_delete=models.CASCADE, related_name="coded_answers")
    coded_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    coded_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("label__survey__structure")

    class Meta:
        verbose_name = _("verbatim étiqueté")
        verbose_name_plural = _("verbatims étiquetés")
        constraints = [
            models.UniqueConstraint(fields=["answer", "label"], name="coded_answer_unique")
        ]

    def __str__(self):
        return f"{self.label} ← {self.answer_id}"


class GazetteIssue(models.Model):
    """One quarter's gazette, written with the users' committee before it is published
    (issue 15): the facts come from what was done (``documents.gazette``); the committee's
    word and the headline are written together; the committee approves, then it is
    published, and the published text no longer changes."""

    class State(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        IN_REVIEW = "in_review", _("En relecture par le comité")
        APPROVED = "approved", _("Validée par le comité")
        PUBLISHED = "published", _("Publiée")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey("people.Structure", on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="gazettes", verbose_name=_("comité")
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    headline = models.CharField(_("à la une"), max_length=200, blank=True)
    committee_word = models.TextField(_("le mot du comité"), max_length=3000, blank=True)
    edited_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Approved at a meeting (members without an account agree there): the coordination notes it.
    approved_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("numéro de la gazette")
        verbose_name_plural = _("numéros de la gazette")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "year", "quarter"], name="gazette_issue_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="gazette_issue_quarter"
            ),
        ]

    def __str__(self):
        return f"Gazette {self.year} T{self.quarter}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED
