"""Maturity self-assessment, HAS maturity matrix, regional campaigns and the catalogue of projects.

- A team answers the maturity questionnaire (``MaturityAssessment``, repeatable) and gets
  its place on the continuum, its barriers with matching levers and next small steps
  with resources from the library (``Resource``, edited by facilitators).
- A team runs the HAS maturity matrix (``MatrixSession``): each member answers alone
  (``MatrixAnswer``), the team agrees a consensus per dimension (``MatrixConsensus``) and
  turns gaps into improvement actions (``ImprovementAction``). Dimensions and their level
  descriptions are data (``MatrixDimension``), never hard-coded level names.
- A network sends the questionnaire to its structures (``Campaign``), one tokenised link
  per invited structure (``CampaignInvitation``; only the token hash is stored), receives
  ``CampaignResponse`` rows and reports aggregates only.
- Teams publish ``ProjectCard`` rows to the catalogue when they choose; a starting team
  asks a mature one for an exchange (``ExchangeRequest``).
"""

import hashlib
import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.networks.questionnaire import LEVELS
from binome.people.models import Region
from binome.people.scoping import StructureScopedManager

YES_NO_BLANK = [("yes", _("Oui")), ("no", _("Non")), ("", _("Sans réponse"))]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Resource(models.Model):
    """One entry of the resource library; facilitators edit it."""

    class Kind(models.TextChoices):
        HAS = "has", _("Recommandation de la HAS")
        GUIDE = "guide", _("Conseil du guide (COPS, France Assos Santé, Fécop)")
        GLOSSARY = "glossary", _("Glossaire")
        EASY_READ = "easy_read", _("Fiche facile à lire et à comprendre")
        TOOL = "tool", _("Outil")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifiant court"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("en bref"), max_length=2000)
    url = models.URLField(_("lien"), blank=True)
    # Continuum levels this resource helps to leave (empty: every level).
    levels = models.JSONField(_("niveaux concernés"), default=list, blank=True)
    # Barrier codes (questionnaire.BARRIERS) this resource answers.
    barriers = models.JSONField(_("freins concernés"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class MaturityAssessment(models.Model):
    """One self-assessment of a team; repeat it to see progress."""

    class Source(models.TextChoices):
        SELF = "self", _("Auto-évaluation de l'équipe")
        CAMPAIGN = "campaign", _("Réponse à une campagne régionale")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="maturity_assessments"
    )
    source = models.CharField(
        _("origine"), max_length=20, choices=Source.choices, default=Source.SELF
    )
    answers = models.JSONField(_("réponses"), default=dict)
    level_from_answers = models.CharField(
        _("niveau d'après les réponses"), max_length=20, choices=LEVELS
    )
    register_level = models.CharField(
        _("niveau d'après le registre"), max_length=20, choices=LEVELS, blank=True
    )
    level = models.CharField(_("niveau sur le continuum"), max_length=20, choices=LEVELS)
    created_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("réalisée le"), default=timezone.now)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("auto-évaluation de maturité")
        verbose_name_plural = _("auto-évaluations de maturité")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["structure", "created_at"], name="maturity_struct_date")]

    def __str__(self):
        return f"{self.structure} — {self.get_level_display()} ({self.created_at:%d/%m/%Y})"


class MatrixAxis(models.TextChoices):
    """The four chapters of the HAS matrix (HAS, « Matrice de maturité en soins primaires »,
    2012, and its « Documents pour les accompagnateurs »: a self-assessment grid keeps the
    4 chapters and covers the 16 dimensions)."""

    PROJECT = "projet-sante", _("Projet de santé et accès aux soins")
    PATIENTS = "implication-patients", _("Implication des patients")
    TEAMWORK = "travail-equipe", _("Travail en équipe pluriprofessionnelle")
    INFORMATION = "systeme-information", _("Système d'information")


class MatrixDimension(models.Model):
    """A dimension of the HAS maturity matrix, under one of its four axes, as editable data.

    ``levels`` is a list of descriptions, one per numbered level (1, 2, ...): the HAS
    text when it is published, or the team's own wording; never invented level names.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("dimension"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    levels = models.JSONField(_("description des niveaux"), default=list)
    axis = models.CharField(
        _("axe"), max_length=30, choices=MatrixAxis.choices, default=MatrixAxis.PROJECT
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=100)

    class Meta:
        verbose_name = _("dimension de la matrice de maturité")
        verbose_name_plural = _("dimensions de la matrice de maturité")
        ordering = ["order", "code"]

    def __str__(self):
        return self.title

    @property
    def is_patient_axis(self):
        return self.axis == MatrixAxis.PATIENTS

    @property
    def level_count(self):
        return len(self.levels)

    def numbered_levels(self):
        return [(i, text) for i, text in enumerate(self.levels, start=1)]


class MatrixSession(models.Model):
    """A team procedure of the HAS maturity matrix: answers alone, then consensus."""

    class Status(models.TextChoices):
        ANSWERING = "answering", _("Réponses individuelles")
        CONSENSUS = "consensus", _("Consensus d'équipe")
        DONE = "done", _("Terminée")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="matrix_sessions"
    )
    title = models.CharField(_("titre"), max_length=200)
    meeting_date = models.DateField(_("date de la réunion de consensus"), null=True, blank=True)
    status = models.CharField(
        _("étape"), max_length=20, choices=Status.choices, default=Status.ANSWERING
    )
    created_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("matrice de maturité en équipe")
        verbose_name_plural = _("matrices de maturité en équipe")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class MatrixAnswer(models.Model):
    """One member's own answer on one dimension (others see only counts before consensus)."""

    session = models.ForeignKey(MatrixSession, on_delete=models.CASCADE, related_name="answers")
    membership = models.ForeignKey("people.Membership", on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(MatrixDimension, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("niveau"))
    comment = models.TextField(_("commentaire"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager("session__structure")

    class Meta:
        verbose_name = _("réponse individuelle à la matrice")
        verbose_name_plural = _("réponses individuelles à la matrice")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "membership", "dimension"], name="matrix_answer_unique"
            ),
            models.CheckConstraint(condition=Q(level__gte=1), name="matrix_answer_level_positive"),
        ]

    def __str__(self):
        return f"{self.dimension} : {self.level}"


class MatrixConsensus(models.Model):
    session = models.ForeignKey(MatrixSession, on_delete=models.CASCADE, related_name="consensus")
    dimension = models.ForeignKey(MatrixDimension, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("niveau retenu par l'équipe"))
    target_level = models.PositiveSmallIntegerField(_("niveau visé"), null=True, blank=True)
    note = models.TextField(_("ce qui a fait consensus"), blank=True, max_length=2000)

    objects = StructureScopedManager("session__structure")

    class Meta:
        verbose_name = _("consensus sur une dimension")
        verbose_name_plural = _("consensus sur les dimensions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dimension"], name="matrix_consensus_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1), name="matrix_consensus_level_positive"
            ),
        ]

    def __str__(self):
        return f"{self.dimension} : {self.level}"

    @property
    def has_gap(self):
        return self.target_level is not None and self.target_level > self.level


class ImprovementAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévue")
        DOING = "doing", _("En cours")
        DONE = "done", _("Faite")
        DROPPED = "dropped", _("Abandonnée")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(MatrixSession, on_delete=models.CASCADE, related_name="actions")
    dimension = models.ForeignKey(MatrixDimension, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("action d'amélioration"), max_length=200)
    means = models.TextField(_("moyens"), max_length=2000)
    owner = models.ForeignKey(
        "people.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsable"),
    )
    due_date = models.DateField(_("échéance"))
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    review_date = models.DateField(_("revue le"), null=True, blank=True)
    review_note = models.TextField(_("bilan de la revue"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("session__structure")

    class Meta:
        verbose_name = _("action d'amélioration")
        verbose_name_plural = _("actions d'amélioration")
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.title


class CampaignQuerySet(models.QuerySet):
    def for_networks(self, networks):
        return self.filter(network__in=[getattr(n, "pk", n) for n in networks])


class Campaign(models.Model):
    """A network sends the maturity questionnaire to its structures."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "people.Network", on_delete=models.CASCADE, related_name="campaigns"
    )
    title = models.CharField(_("titre"), max_length=200)
    introduction = models.TextField(_("message aux équipes"), max_length=4000)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))
    reminder_every_days = models.PositiveSmallIntegerField(_("relance tous les (jours)"), default=7)
    max_reminders = models.PositiveSmallIntegerField(_("nombre de relances au plus"), default=2)
    created_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne régionale")
        verbose_name_plural = _("campagnes régionales")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="campaign_dates_ordered",
                violation_error_message=_("La clôture doit suivre l'ouverture."),
            )
        ]

    def __str__(self):
        return self.title

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class CampaignInvitation(models.Model):
    """One invited structure; with or without a Binôme account. Only the token hash is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nom de la structure"), max_length=200)
    kind = models.CharField(_("type de structure"), max_length=20, blank=True)
    department = models.CharField(_("département (numéro)"), max_length=3, blank=True)
    email = models.EmailField(_("adresse e-mail de la structure"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    last_reminded_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)
    responded_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("structure invitée")
        verbose_name_plural = _("structures invitées")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "structure"],
                condition=Q(structure__isnull=False),
                name="campaign_invitation_structure_unique",
                violation_error_message=_("Cette structure est déjà invitée."),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "responded_at"], name="campaign_inv_responded")]

    def __str__(self):
        return self.name

    @classmethod
    def with_token(cls, **fields):
        raw = new_token()
        return cls(token_hash=hash_token(raw), **fields), raw


class CampaignResponse(models.Model):
    """The answers of one invited structure; the report only ever aggregates them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invitation = models.OneToOneField(
        CampaignInvitation, on_delete=models.CASCADE, related_name="response"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(default=dict)
    level = models.CharField(max_length=20, choices=LEVELS)
    priority = models.CharField(max_length=3, choices=YES_NO_BLANK, blank=True)
    wants_more = models.CharField(max_length=3, choices=YES_NO_BLANK, blank=True)
    knows_guide = models.CharField(max_length=3, choices=YES_NO_BLANK, blank=True)
    wants_support = models.CharField(max_length=3, choices=YES_NO_BLANK, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    department = models.CharField(max_length=3, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("réponse à une campagne")
        verbose_name_plural = _("réponses à une campagne")
        indexes = [models.Index(fields=["campaign", "level"], name="campaign_resp_level")]

    def __str__(self):
        return f"{self.campaign} — {self.get_level_display()}"


class ResponseChoice(models.Model):
    """One ticked choice of a multiple-choice question, so that frequencies are counted in SQL."""

    response = models.ForeignKey(CampaignResponse, on_delete=models.CASCADE, related_name="choices")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=40)
    value = models.CharField(max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "question", "value"], name="response_choice_freq")
        ]

    def __str__(self):
        return f"{self.question}={self.value}"


class Theme(models.TextChoices):
    COMMUNICATION = "communication", _("Communication, information")
    PREVENTION = "prevention", _("Prévention, promotion de la santé")
    ETP = "etp", _("Éducation thérapeutique")
    ACCESS = "access", _("Accès aux soins")
    PEER = "peer", _("Pair-accompagnement")
    COMMITTEE = "committee", _("Comité des usagers")
    GOVERNANCE = "governance", _("Gouvernance, projet de santé")
    MENTAL_HEALTH = "mental_health", _("Santé mentale")
    OTHER = "other", _("Autre")


class ProjectCardQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class ProjectCard(models.Model):
    """A project a team chose to share with other teams (catalogue and map)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="project_cards"
    )
    title = models.CharField(_("titre du projet"), max_length=200)
    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices)
    level = models.CharField(_("niveau sur le continuum"), max_length=20, choices=LEVELS)
    what = models.TextField(_("ce que nous avons fait"), max_length=4000)
    with_whom = models.TextField(
        _("avec qui"),
        max_length=2000,
        help_text=_("Rôles, pas de noms : « deux patientes partenaires, l'IDE Asalée… »"),
    )
    results = models.TextField(_("résultats, enseignements"), max_length=4000, blank=True)
    contact = models.CharField(
        _("contact de l'équipe"),
        max_length=200,
        blank=True,
        help_text=_(
            "Adresse générique de préférence (contact@…). Visible des équipes, pas des réseaux."
        ),
    )
    is_published = models.BooleanField(_("publiée au catalogue"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # Copied from the structure so that the catalogue filters without a join.
    region = models.CharField(_("région"), max_length=3, choices=Region.choices)
    department = models.CharField(_("département"), max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager("structure", ProjectCardQuerySet)
    # The catalogue crosses structures: published cards only, through services.catalogue().
    catalogue = ProjectCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche projet")
        verbose_name_plural = _("fiches projet")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["is_published", "region", "theme"], name="project_card_catalogue")
        ]

    def __str__(self):
        return self.title


class ExchangeRequest(models.Model):
    """A team asks the team behind a project card for an exchange of experience."""

    class Status(models.TextChoices):
        SENT = "sent", _("Envoyée")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    card = models.ForeignKey(
        ProjectCard, on_delete=models.CASCADE, related_name="exchange_requests"
    )
    from_structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("votre message"), max_length=2000)
    created_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.SENT)
    answer = models.TextField(_("réponse"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande d'échange")
        verbose_name_plural = _("demandes d'échange")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.from_structure} → {self.card}"
