"""Mission sheets (fiche-mission), their versions and validation, and compensation policies.

A mission is negotiated: each submitted text is a ``MissionVersion``; it becomes active
only once the assigned partners **and** the professionals named on it have validated the
current version (seed 002, "fiche-mission").
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.people.models import choice_label
from binome.people.scoping import StructureScopedManager


class Level(models.TextChoices):
    """The continuum of user involvement (seed 001)."""

    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    COLLABORATION = "collaboration", _("Collaboration")
    PARTNERSHIP = "partnership", _("Partenariat")  # same code as involvement.Level


class CompensationMode(models.TextChoices):
    VOLUNTEER_EXPENSES = "volunteer_expenses", _("Bénévolat avec remboursement des frais")
    FLAT_FEE = "flat_fee", _("Forfait par mission")
    HOURLY = "hourly", _("Taux horaire")
    SALARIED = "salaried", _("Salariat")
    TRAINEE = "trainee", _("Stage ou formation")


class CompensationPolicyQuerySet(models.QuerySet):
    def for_structure(self):
        return self.filter(mission__isnull=True)


class CompensationPolicy(models.Model):
    """How the team decided to compensate partners, for the structure or one mission."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="compensation_policies"
    )
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="compensation_policies",
        verbose_name=_("mission (vide : politique de la structure)"),
    )
    mode = models.CharField(
        _("mode d'indemnisation"), max_length=30, choices=CompensationMode.choices
    )
    flat_fee_amount = models.DecimalField(
        _("forfait (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    hourly_rate = models.DecimalField(
        _("taux horaire (€)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    expenses_ceiling = models.DecimalField(
        _("plafond de frais par mois (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    mileage_rate = models.DecimalField(
        _("indemnité kilométrique (€/km)"), max_digits=5, decimal_places=3, null=True, blank=True
    )
    notes = models.TextField(_("précisions"), blank=True)
    decided_on = models.DateField(_("date de la décision"), null=True, blank=True)
    decision_meeting = models.CharField(_("instance ou réunion"), max_length=200, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("voix pour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("voix contre"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    vote_result = models.CharField(_("résultat du vote"), max_length=200, blank=True)
    is_current = models.BooleanField(_("en vigueur"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("structure", CompensationPolicyQuerySet)

    class Meta:
        verbose_name = _("politique d'indemnisation")
        verbose_name_plural = _("politiques d'indemnisation")
        ordering = ["-decided_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(flat_fee_amount__isnull=True) | Q(flat_fee_amount__gte=0))
                & (Q(hourly_rate__isnull=True) | Q(hourly_rate__gte=0))
                & (Q(expenses_ceiling__isnull=True) | Q(expenses_ceiling__gte=0))
                & (Q(mileage_rate__isnull=True) | Q(mileage_rate__gte=0)),
                name="compensation_amounts_positive",
                violation_error_message=_("Les montants ne peuvent pas être négatifs."),
            ),
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(mission__isnull=True, is_current=True),
                name="compensation_one_current_structure_policy",
                violation_error_message=_("Une seule politique de structure peut être en vigueur."),
            ),
            models.UniqueConstraint(
                fields=["mission"],
                condition=Q(mission__isnull=False, is_current=True),
                name="compensation_one_current_mission_policy",
                violation_error_message=_(
                    "Une seule politique peut être en vigueur pour une mission."
                ),
            ),
        ]

    def __str__(self):
        return self.get_mode_display()


class Mission(models.Model):
    class Kind(models.TextChoices):
        PEER_ACCOMPANIMENT = "peer_accompaniment", _("Pair-accompagnement")
        ETP_COANIMATION = "etp_coanimation", _("Co-animation d'atelier d'ETP")
        WORKING_GROUP = "working_group", _("Groupe de travail")
        USERS_COMMITTEE = "users_committee", _("Comité des usagers")
        HEALTH_PROJECT_REVIEW = "health_project_review", _("Relecture du projet de santé")
        COMMUNICATION = "communication", _("Communication")
        STUDENT_TRAINING = "student_training", _("Formation des étudiants")
        OTHER = "other", _("Autre mission")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        IN_VALIDATION = "in_validation", _("En validation")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Close")

    class Slot(models.TextChoices):
        DAYTIME = "daytime", _("En journée")
        EVENING = "evening", _("En soirée")
        WEEKEND = "weekend", _("Le week-end")
        FLEXIBLE = "flexible", _("Horaires libres")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="missions"
    )
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type de mission"), max_length=30, choices=Kind.choices)
    level = models.CharField(
        _("niveau sur le continuum"),
        max_length=20,
        choices=Level.choices,
        default=Level.COLLABORATION,
    )
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    # The mission sheet.
    objective = models.TextField(_("objectif"), blank=True)
    activities = models.TextField(_("activités"), blank=True)
    excluded_activities = models.TextField(
        _("ce que le patient partenaire ne fait pas"), blank=True
    )
    required_profile = models.TextField(_("profil recherché"), blank=True)
    time_and_place = models.TextField(_("temps et lieu"), blank=True)
    slot = models.CharField(_("moment"), max_length=10, choices=Slot.choices, default=Slot.DAYTIME)
    remote_possible = models.BooleanField(_("possible à distance"), default=False)
    estimated_hours_per_month = models.PositiveSmallIntegerField(
        _("temps estimé (heures par mois)"), null=True, blank=True
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin prévue"), null=True, blank=True)
    supervision = models.TextField(_("supervision et soutien"), blank=True)
    required_training = models.CharField(
        _("formation attendue"),
        max_length=30,
        blank=True,
        help_text=_("Type de formation que le patient partenaire doit avoir suivie."),
    )
    places = models.PositiveSmallIntegerField(_("nombre de patients partenaires"), default=1)

    professionals = models.ManyToManyField(
        "people.Membership",
        through="MissionProfessional",
        related_name="named_missions",
        blank=True,
    )

    version_number = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("bilan de clôture"), blank=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("fiche-mission")
        verbose_name_plural = _("fiches-mission")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="mission_dates_order",
                violation_error_message=_("La fin ne peut pas précéder le début."),
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1) & Q(places__lte=50),
                name="mission_places_range",
                violation_error_message=_("Entre 1 et 50 patients partenaires."),
            ),
        ]
        indexes = [models.Index(fields=["structure", "status"], name="mission_struct_status")]

    def __str__(self):
        return self.title

    # Labels for lists (get_FOO_display() rebuilds the choices at each call).
    @property
    def status_label(self):
        return choice_label(self.Status, self.status)

    @property
    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    @property
    def level_label(self):
        return choice_label(Level, self.level)


class MissionProfessional(models.Model):
    """A professional named on the mission, who must validate it."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="named")
    membership = models.ForeignKey(
        "people.Membership", on_delete=models.PROTECT, related_name="mission_namings"
    )

    objects = StructureScopedManager("mission__structure")

    class Meta:
        verbose_name = _("professionnel·le nommé·e")
        verbose_name_plural = _("professionnels nommés")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "membership"], name="mission_professional_unique"
            )
        ]

    def __str__(self):
        return f"{self.membership} — {self.mission}"


class MissionCriterion(models.Model):
    """What matching looks for: conditions, skills, languages; topics a partner may refuse."""

    class Kind(models.TextChoices):
        CONDITION = "condition", _("Expérience de pathologie ou de parcours")
        SKILL = "skill", _("Compétence")
        LANGUAGE = "language", _("Langue")
        TOPIC = "topic", _("Sujet sensible abordé")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.SlugField(max_length=80)
    label = models.CharField(max_length=80)

    objects = StructureScopedManager("mission__structure")

    class Meta:
        verbose_name = _("critère de mission")
        verbose_name_plural = _("critères de mission")
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "kind", "value"], name="mission_criterion_unique"
            )
        ]
        indexes = [models.Index(fields=["mission", "kind"], name="mission_criterion_kind")]

    def __str__(self):
        return self.label


class MissionVersion(models.Model):
    """A frozen text of the mission sheet, submitted for validation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    text = models.TextField()
    note = models.CharField(_("ce qui change"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = StructureScopedManager("mission__structure")

    class Meta:
        verbose_name = _("version de fiche-mission")
        verbose_name_plural = _("versions de fiche-mission")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "number"], name="mission_version_unique")
        ]

    def __str__(self):
        return f"{self.mission} v{self.number}"


class MissionComment(models.Model):
    class Side(models.TextChoices):
        PARTNER = "partner", _("Patient partenaire")
        TEAM = "team", _("Équipe")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField(_("commentaire"))
    version_number = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = StructureScopedManager("mission__structure")

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:60]


class MissionValidation(models.Model):
    """A partner's or a named professional's agreement to one version of the sheet."""

    class Role(models.TextChoices):
        PARTNER = "partner", _("Patient partenaire")
        PROFESSIONAL = "professional", _("Professionnel·le nommé·e")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="validations")
    version = models.ForeignKey(
        MissionVersion, on_delete=models.CASCADE, related_name="validations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    validated_at = models.DateTimeField(default=timezone.now)

    objects = StructureScopedManager("mission__structure")

    class Meta:
        verbose_name = _("validation")
        verbose_name_plural = _("validations")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user", "role"],
                name="mission_validation_unique",
                violation_error_message=_("Vous avez déjà validé cette version."),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.version}"


class MissionAssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class MissionAssignment(models.Model):
    """A partner on a mission."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="assignments")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="mission_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = StructureScopedManager("mission__structure", MissionAssignmentQuerySet)

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "partner"],
                condition=Q(ended_at__isnull=True),
                name="mission_assignment_unique_current",
                violation_error_message=_("Ce patient partenaire est déjà sur la mission."),
            )
        ]
        indexes = [models.Index(fields=["partner", "ended_at"], name="assignment_partner_current")]

    def __str__(self):
        return f"{self.partner} — {self.mission}"
