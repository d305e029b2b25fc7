"""Doctor–patient-partner tandems and practice-analysis groups (seed 003).

A tandem pairs a doctor and a partner with an agreed, revisable scope of action; the partner
reports back in a short structured form that the doctor acknowledges. What the doctor reads
of a report about a patient follows the patient's consents (``binome.tandems.access``).
Practice-analysis groups and talking circles discuss anonymised situations only.

These models were in ``accompaniment`` until the app was split (issue 18); their tables kept
their names.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.validators import validate_plausible_date
from binome.people.scoping import StructureScopedManager


class Tandem(models.Model):
    """A doctor and a partner working together (seed 003)."""

    class Mode(models.TextChoices):
        SYNCHRONOUS = (
            "synchronous",
            _("Synchrone : consultation commune (avec l'accord du patient)"),
        )
        ASYNCHRONOUS = (
            "asynchronous",
            _("Asynchrone : le médecin oriente, le partenaire fait un compte rendu"),
        )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="tandems"
    )
    doctor = models.ForeignKey(
        "people.Membership",
        on_delete=models.PROTECT,
        related_name="tandems",
        verbose_name=_("médecin"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="tandems",
        verbose_name=_("patient partenaire"),
    )
    mode = models.CharField(
        _("mode"), max_length=20, choices=Mode.choices, default=Mode.ASYNCHRONOUS
    )
    is_active = models.BooleanField(_("en cours"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        db_table = (
            "accompaniment_tandem"  # the table it had in accompaniment: the move kept the data
        )
        verbose_name = _("tandem médecin–patient partenaire")
        verbose_name_plural = _("tandems médecin–patient partenaire")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "partner"],
                name="tandem_unique_pair",
                violation_error_message=_("Ce tandem existe déjà."),
            ),
        ]

    def __str__(self):
        return f"Tandem {self.doctor.user} – {self.partner}"


class TandemScope(models.Model):
    """One version of the agreed scope of action of a tandem (revisable, never overwritten)."""

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="scopes")
    version = models.PositiveSmallIntegerField()
    text = models.TextField(_("périmètre d'action convenu"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("tandem__structure")

    class Meta:
        db_table = (
            "accompaniment_tandemscope"  # the table it had in accompaniment: the move kept the data
        )
        verbose_name = _("périmètre d'action")
        verbose_name_plural = _("périmètres d'action")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["tandem", "version"], name="tandem_scope_version")
        ]

    def __str__(self):
        return str(_("Périmètre v%(n)s") % {"n": self.version})


class TandemReport(models.Model):
    """A short structured report from the partner to the doctor (seed 003: long free text goes unanswered)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="reports")
    accompaniment = models.ForeignKey(
        "accompaniment.Accompaniment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tandem_reports",
        verbose_name=_("personne accompagnée (facultatif)"),
    )
    # Synchronous tandems only, and only with the patient's consent to a joint consultation.
    joint_consultation = models.BooleanField(
        _("après une consultation commune avec le médecin"), default=False
    )
    patient_expressed = models.TextField(_("ce que le patient a exprimé"), max_length=1000)
    needs = models.TextField(_("ses besoins"), max_length=1000)
    agreed_to_share = models.TextField(_("ce que le patient accepte de partager"), max_length=1000)
    next_steps = models.TextField(_("suites proposées"), max_length=1000, blank=True)
    detail = models.TextField(_("détail (facultatif)"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(_("réponse du médecin"), blank=True, max_length=2000)

    objects = StructureScopedManager("tandem__structure")

    class Meta:
        db_table = "accompaniment_tandemreport"  # the table it had in accompaniment: the move kept the data
        verbose_name = _("compte rendu de tandem")
        verbose_name_plural = _("comptes rendus de tandem")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(_("Compte rendu du %(d)s") % {"d": f"{self.created_at:%d/%m/%Y}"})


class PracticeGroupSession(models.Model):
    """A practice-analysis group or talking circle: anonymised cases only."""

    class Kind(models.TextChoices):
        PRACTICE_ANALYSIS = "practice_analysis", _("Groupe d'analyse de pratiques")
        TALKING_CIRCLE = "talking_circle", _("Cercle de parole")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="practice_sessions"
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.PRACTICE_ANALYSIS
    )
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    facilitator = models.CharField(_("animé par"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        "people.Membership",
        blank=True,
        related_name="practice_sessions",
        verbose_name=_("participants"),
    )
    anonymised_cases = models.TextField(
        _("situations discutées (anonymisées, sans nom ni détail identifiant)"), blank=True
    )
    notes = models.TextField(_("enseignements et suites"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        db_table = "accompaniment_practicegroupsession"  # the table it had in accompaniment: the move kept the data
        verbose_name = _("séance de groupe")
        verbose_name_plural = _("séances de groupe")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"
