"""Time, expenses, statements and budget of patient partners (seeds 000 §III.6, 004).

The platform records and totals; it does not compute tax or social contributions and
does not make payments. Amounts follow the mission's compensation policy
(``missions.CompensationPolicy``) and are frozen on approval: an approved entry cannot
be edited any more (``LockedEntryError``).
"""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binome.people.scoping import StructureScopedManager


class LockedEntryError(ValidationError):
    pass


class ExpenseRates(models.Model):
    """A structure's rates for expenses when the mission's policy does not set them."""

    structure = models.OneToOneField(
        "people.Structure", on_delete=models.CASCADE, related_name="expense_rates"
    )
    km_rate = models.DecimalField(
        _("indemnité kilométrique (€ par km)"),
        max_digits=5,
        decimal_places=3,
        default=Decimal("0.350"),
        help_text=_(
            "Taux décidé par l'équipe, par exemple le barème de l'association ou de la CPTS."
        ),
    )
    meal_ceiling = models.DecimalField(
        _("plafond d'un repas (€)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("20.00"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("barème des frais")
        verbose_name_plural = _("barèmes des frais")
        constraints = [
            models.CheckConstraint(
                condition=Q(km_rate__gte=0) & Q(km_rate__lte=5) & Q(meal_ceiling__gte=0),
                name="expense_rates_range",
                violation_error_message=_("Taux hors limites."),
            )
        ]

    def __str__(self):
        return f"{self.structure} — {self.km_rate} €/km"


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        ACI = "aci", _("ACI (accord conventionnel interprofessionnel)")
        CPTS = "cpts", _("CPTS")
        ARS = "ars", _("ARS (FIR, appel à projets)")
        GRANT = "grant", _("Subvention (fondation, collectivité…)")
        OTHER = "other", _("Autre")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="funding_sources"
    )
    kind = models.CharField(_("type de financement"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("intitulé"), max_length=200)
    year = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("montant accordé (€)"), max_digits=10, decimal_places=2)
    committed = models.DecimalField(
        _("engagements (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Sommes déjà promises sur ce financement (par exemple des forfaits votés)."),
    )
    notes = models.TextField(_("précisions"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("source de financement")
        verbose_name_plural = _("sources de financement")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(committed__gte=0),
                name="funding_amounts_positive",
                violation_error_message=_("Les montants ne peuvent pas être négatifs."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"


class MissionBudget(models.Model):
    """A mission's budget, its funding source and how its flat fee is counted."""

    class FlatFeeBasis(models.TextChoices):
        MISSION = "mission", _("Une fois par mission")
        SESSION = "session", _("Par séance (chaque temps saisi)")

    mission = models.OneToOneField(
        "missions.Mission", on_delete=models.CASCADE, related_name="budget"
    )
    funding_source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mission_budgets",
        verbose_name=_("financement"),
    )
    amount = models.DecimalField(
        _("budget de la mission (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    flat_fee_basis = models.CharField(
        _("le forfait est compté"),
        max_length=10,
        choices=FlatFeeBasis.choices,
        default=FlatFeeBasis.MISSION,
    )

    objects = StructureScopedManager("mission__structure")

    class Meta:
        verbose_name = _("budget de mission")
        verbose_name_plural = _("budgets de mission")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="mission_budget_positive",
                violation_error_message=_("Le budget ne peut pas être négatif."),
            )
        ]

    def __str__(self):
        return f"{self.mission} — {self.amount or '—'} €"


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("En attente de validation")
    APPROVED = "approved", _("Validé")
    RETURNED = "returned", _("Renvoyé pour correction")


class PartnerOwnedQuerySet(models.QuerySet):
    """Time entries, expenses (and their receipts) and statements: one rule for every path.
    The coordination sees the structure's rows; a partner only their own; anyone else none."""

    def visible_to(self, user, roles, structure):
        return self.filter(self.visibility(user, roles, structure))

    @staticmethod
    def visibility(user, roles, structure) -> Q:
        """The condition behind ``visible_to`` for one structure; the API ORs it over the caller's."""
        from binome.partners.models import Partner

        roles = {str(r) for r in roles}
        if "coordinator" in roles:
            return Q(structure=structure)
        if "partner" in roles:
            own = Partner.objects.filter(
                structure=structure, membership__user=user, membership__is_active=True
            )
            return Q(structure=structure, partner__in=own.values("pk"))
        return Q(pk__in=[])


class EntryQuerySet(PartnerOwnedQuerySet):
    def approved(self):
        return self.filter(status=Status.APPROVED)


class Entry(models.Model):
    """Common part of a time entry and an expense: owner, mission, workflow, frozen amount."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey("people.Structure", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    date = models.DateField(_("date"))
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    amount = models.DecimalField(
        _("montant (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Calculé selon la politique d'indemnisation ; figé à la validation. Vide : pas de montant."
        ),
    )
    policy_mode = models.CharField(_("mode appliqué"), max_length=30, blank=True)
    review_comment = models.TextField(_("commentaire de la coordination"), blank=True)
    reviewed_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    statement = models.ForeignKey(
        "compensation.Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager(queryset_class=EntryQuerySet)

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]

    def save(self, *args, **kwargs):
        # An approved entry cannot be edited: check what is stored, not what is in memory.
        if self.pk is not None:
            stored = (
                type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored == Status.APPROVED:
                raise LockedEntryError(
                    _("Cette saisie a été validée : elle ne peut plus être modifiée.")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = (
            type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
        )
        if stored == Status.APPROVED:
            raise LockedEntryError(
                _("Cette saisie a été validée : elle ne peut plus être supprimée.")
            )
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self):
        return self.status == Status.APPROVED


class TimeEntry(Entry):
    class Activity(models.TextChoices):
        ACCOMPANIMENT = "accompaniment", _("Pair-accompagnement (échanges, rencontres)")
        WORKSHOP = "workshop", _("Atelier ou séance co-animée")
        MEETING = "meeting", _("Réunion (comité, groupe de travail)")
        PREPARATION = "preparation", _("Préparation")
        TRAINING = "training", _("Formation ou supervision")
        TRAVEL = "travel", _("Trajet")
        OTHER = "other", _("Autre")

    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    activity = models.CharField(_("activité"), max_length=20, choices=Activity.choices)
    note = models.CharField(_("précision"), max_length=300, blank=True)
    # Hidden token of the form: a retried post (bad network) creates the entry once.
    submission_token = models.CharField(max_length=64, blank=True, default="")

    class Meta(Entry.Meta):
        verbose_name = _("temps")
        verbose_name_plural = _("temps")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "submission_token"],
                condition=~Q(submission_token=""),
                name="time_entry_unique_submission_token",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=12 * 60),
                name="time_entry_duration_range",
                violation_error_message=_(
                    "La durée doit être comprise entre 5 minutes et 12 heures."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="time_entry_amount_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["structure", "status"], name="time_entry_struct_status"),
            models.Index(fields=["partner", "date"], name="time_entry_partner_date"),
            # The lists' order (API list, newest first): 50 rows read in index order instead
            # of sorting the structure's thousands (team preset: 7 ms of SQLite's sort).
            models.Index(fields=["structure", "-date", "-id"], name="time_entry_struct_date"),
        ]

    def __str__(self):
        return f"{self.date} — {self.duration_minutes} min"

    @property
    def hours_display(self):
        return self.hours_text(self.duration_minutes)

    @staticmethod
    def hours_text(duration_minutes: int) -> str:
        hours, minutes = divmod(duration_minutes, 60)
        return f"{hours} h {minutes:02d}" if hours else f"{minutes} min"


class Expense(Entry):
    class Kind(models.TextChoices):
        MILEAGE = "mileage", _("Kilomètres en voiture personnelle")
        TRANSPORT = "transport", _("Transport (bus, train, stationnement)")
        MEAL = "meal", _("Repas")
        OTHER = "other", _("Autre frais")

    kind = models.CharField(_("type de frais"), max_length=20, choices=Kind.choices)
    kilometres = models.DecimalField(
        _("kilomètres (aller et retour)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    km_rate = models.DecimalField(
        _("taux appliqué (€/km)"), max_digits=5, decimal_places=3, null=True, blank=True
    )
    declared_amount = models.DecimalField(
        _("montant payé (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    description = models.CharField(_("précision"), max_length=300, blank=True)
    receipt = models.FileField(
        _("justificatif"), upload_to="compensation/receipts/%Y/%m/", blank=True
    )
    receipt_name = models.CharField(max_length=200, blank=True)
    receipt_type = models.CharField(max_length=50, blank=True)
    # Hidden token of the form: a retried post (bad network) creates the expense once.
    submission_token = models.CharField(max_length=64, blank=True, default="")

    class Meta(Entry.Meta):
        verbose_name = _("frais")
        verbose_name_plural = _("frais")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "submission_token"],
                condition=~Q(submission_token=""),
                name="expense_unique_submission_token",
            ),
            models.CheckConstraint(
                condition=Q(kilometres__isnull=True)
                | (Q(kilometres__gt=0) & Q(kilometres__lte=2000)),
                name="expense_km_range",
                violation_error_message=_(
                    "Le nombre de kilomètres doit être compris entre 0,1 et 2 000."
                ),
            ),
            models.CheckConstraint(
                condition=Q(declared_amount__isnull=True)
                | (Q(declared_amount__gt=0) & Q(declared_amount__lte=5000)),
                name="expense_amount_range",
                violation_error_message=_("Le montant doit être compris entre 0,01 € et 5 000 €."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="expense_amount_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["structure", "status"], name="expense_struct_status"),
            models.Index(fields=["partner", "date"], name="expense_partner_date"),
            # The lists' order (API list, newest first): 50 rows read in index order instead
            # of sorting the structure's thousands (team preset: 7 ms of SQLite's sort).
            models.Index(fields=["structure", "-date", "-id"], name="expense_struct_date"),
        ]

    def __str__(self):
        return f"{self.date} — {self.get_kind_display()}"


class Statement(models.Model):
    """A statement of a partner's approved time and expenses over a period.

    Each approved entry belongs to at most one statement, so nothing is counted twice.
    Totals are frozen when the statement is issued.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="statements"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="statements"
    )
    number = models.CharField(_("numéro"), max_length=30)
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    total_minutes = models.PositiveIntegerField(_("temps total (minutes)"), default=0)
    time_amount = models.DecimalField(
        _("rémunération ou forfaits (€)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    expenses_amount = models.DecimalField(
        _("frais remboursés (€)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    total = models.DecimalField(
        _("total (€)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    issued_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager(queryset_class=PartnerOwnedQuerySet)

    class Meta:
        verbose_name = _("relevé")
        verbose_name_plural = _("relevés")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "number"], name="statement_number_unique"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="statement_period_ordered",
                violation_error_message=_("La fin de la période doit suivre son début."),
            ),
        ]

    def __str__(self):
        return self.number
