"""Steering a project by action-research (seed 002): steering committee (Copil), cycles
with an action plan, a logbook of meetings, limiting factors and their remediation,
indicators with values over time, and periodic check-ins with the partner.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binome.people.models import Role
from binome.people.scoping import StructureScopedManager


class ProjectQuerySet(models.QuerySet):
    def editable_by(self, user, roles):
        """Coordinators edit every project; others the projects whose committee they sit on."""
        if Role.COORDINATOR in roles:
            return self
        return self.filter(
            committee__membership__user=user, committee__membership__is_active=True
        ).distinct()


class Project(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("En préparation")
        ACTIVE = "active", _("En cours")
        CLOSED = "closed", _("Terminé")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="steering_projects"
    )
    title = models.CharField(_("titre du projet"), max_length=200)
    objective = models.TextField(_("objectif"), blank=True)
    method = models.TextField(
        _("méthode"),
        blank=True,
        help_text=_(
            "Par exemple : recherche-action en cycles (planifier, agir, observer, réfléchir)."
        ),
    )
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin prévue"), null=True, blank=True)
    checkin_every_days = models.PositiveSmallIntegerField(
        _("point d'étape avec le partenaire tous les (jours)"),
        default=7,
        help_text=_(
            "Seed : une rencontre par semaine entre la patiente partenaire et la chercheuse."
        ),
    )
    created_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager(queryset_class=ProjectQuerySet)

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="steering_project_dates_ordered",
                violation_error_message=_("La fin prévue doit suivre le début."),
            )
        ]

    def __str__(self):
        return self.title


class CommitteeMember(models.Model):
    """A seat on the steering committee: a partner or a professional of the structure."""

    class Seat(models.TextChoices):
        LEAD = "lead", _("Pilote du projet")
        MEMBER = "member", _("Membre")
        RESEARCHER = "researcher", _("Chercheur·se / observateur·rice")
        SUPPORT = "support", _("Soutien méthodologique")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="committee")
    membership = models.ForeignKey(
        "people.Membership", on_delete=models.CASCADE, related_name="steering_seats"
    )
    seat = models.CharField(
        _("place au comité"), max_length=20, choices=Seat.choices, default=Seat.MEMBER
    )
    joined_on = models.DateField(_("depuis le"), null=True, blank=True)

    objects = StructureScopedManager("project__structure")

    class Meta:
        verbose_name = _("membre du comité de pilotage")
        verbose_name_plural = _("membres du comité de pilotage")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "membership"],
                name="unique_committee_member",
                violation_error_message=_("Cette personne fait déjà partie du comité de pilotage."),
            )
        ]

    def __str__(self):
        return f"{self.membership} — {self.get_seat_display()}"


class Cycle(models.Model):
    """One action-research cycle (Kemmis & McTaggart: plan, act, observe, reflect)."""

    class Phase(models.TextChoices):
        PLAN = "plan", _("Planifier")
        ACT = "act", _("Agir")
        OBSERVE = "observe", _("Observer")
        REFLECT = "reflect", _("Réfléchir et ajuster")
        DONE = "done", _("Cycle terminé")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=200)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PLAN)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    objective = models.TextField(_("objectif du cycle"), blank=True)

    objects = StructureScopedManager("project__structure")

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="unique_cycle_number",
                violation_error_message=_("Ce numéro de cycle existe déjà pour ce projet."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="steering_cycle_dates_ordered",
                violation_error_message=_("La fin du cycle doit suivre son début."),
            ),
        ]

    def __str__(self):
        return f"Cycle {self.number} — {self.title}"


class ActionItem(models.Model):
    """An item of the cycle's action plan, with an owner and a due date."""

    class Status(models.TextChoices):
        TODO = "todo", _("À faire")
        DOING = "doing", _("En cours")
        DONE = "done", _("Fait")
        DROPPED = "dropped", _("Abandonné")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "people.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steering_actions",
        verbose_name=_("responsable"),
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.TODO)
    done_on = models.DateField(_("fait le"), null=True, blank=True)

    objects = StructureScopedManager("cycle__project__structure")

    class Meta:
        verbose_name = _("action du plan")
        verbose_name_plural = _("actions du plan")
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.title


class LogbookEntry(models.Model):
    """The logbook (journal de bord): themes, questions raised, decisions, actions."""

    class Kind(models.TextChoices):
        COPIL = "copil", _("Comité de pilotage")
        PARTNERS_ONLY = "partners", _("Réunion entre patients partenaires")
        PROFESSIONALS_ONLY = "professionals", _("Réunion entre professionnels")
        PROJECT_GROUP = "group", _("Groupe projet")
        INFORMAL = "informal", _("Échange informel (couloir, courriel, appel)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="logbook")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="logbook"
    )
    date = models.DateField(_("date de la réunion"))
    kind = models.CharField(
        _("type de réunion"), max_length=20, choices=Kind.choices, default=Kind.COPIL
    )
    attendees = models.CharField(_("participants"), max_length=500, blank=True)
    themes = models.TextField(_("thèmes abordés"))
    questions = models.TextField(_("questions soulevées"), blank=True)
    decisions = models.TextField(_("décisions"), blank=True)
    actions = models.TextField(_("actions envisagées"), blank=True)
    author = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("project__structure")

    class Meta:
        verbose_name = _("entrée du journal de bord")
        verbose_name_plural = _("journal de bord")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["project", "date"], name="steering_logbook_date")]

    def __str__(self):
        return f"{self.date} — {self.get_kind_display()}"


class LimitingFactor(models.Model):
    """A row of the table of limiting factors and remediations (seed 002, Tableau I)."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identifié")
        PLANNED = "planned", _("Remédiation décidée")
        IN_PROGRESS = "in_progress", _("Remédiation en cours")
        RESOLVED = "resolved", _("Levé")
        PERSISTS = "persists", _("Persiste")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="factors")
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="factors",
        verbose_name=_("observé au cycle"),
    )
    title = models.CharField(_("facteur limitant"), max_length=200)
    observation = models.TextField(_("ce qui a été observé"))
    remediation = models.TextField(_("remédiation proposée"), blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )
    owner = models.ForeignKey(
        "people.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsable"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager("project__structure")

    class Meta:
        verbose_name = _("facteur limitant")
        verbose_name_plural = _("facteurs limitants")
        ordering = ["id"]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicateur"), max_length=200)
    unit = models.CharField(
        _("unité"), max_length=40, blank=True, help_text=_("Par exemple : heures, patientes, %.")
    )
    target = models.DecimalField(_("cible"), max_digits=12, decimal_places=2, null=True, blank=True)
    lower_is_better = models.BooleanField(_("plus bas, c'est mieux"), default=False)
    description = models.TextField(_("définition et mode de calcul"), blank=True)

    objects = StructureScopedManager("project__structure")

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["id"]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("date de la mesure"))
    value = models.DecimalField(_("valeur"), max_digits=12, decimal_places=2)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)

    objects = StructureScopedManager("indicator__project__structure")

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateur")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"],
                name="unique_indicator_value_date",
                violation_error_message=_(
                    "Une valeur existe déjà à cette date pour cet indicateur."
                ),
            )
        ]

    def __str__(self):
        return f"{self.date} : {self.value}"


class CheckIn(models.Model):
    """A periodic check-in with the partner (weekly in seed 002): how it goes, what to adjust."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checkins")
    partner = models.ForeignKey(
        "people.Membership",
        on_delete=models.CASCADE,
        related_name="steering_checkins",
        verbose_name=_("patient partenaire"),
    )
    date = models.DateField(_("date"))
    went_well = models.TextField(_("ce qui a bien marché"), blank=True)
    difficulties = models.TextField(_("difficultés rencontrées"), blank=True)
    adjustments = models.TextField(_("ajustements à proposer"), blank=True)
    next_date = models.DateField(_("prochain point"), null=True, blank=True)
    held_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("project__structure")

    class Meta:
        verbose_name = _("point d'étape avec le partenaire")
        verbose_name_plural = _("points d'étape avec le partenaire")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date}"


class ProjectLink(models.Model):
    """A link to a mission, a programme or an involvement action of the same structure.

    Stored by public id and kind so that the project does not depend on apps that may
    not be installed yet; ``binome.steering.links`` resolves and checks them.
    """

    class Kind(models.TextChoices):
        MISSION = "mission", _("Mission")
        PROGRAMME = "programme", _("Programme ou atelier")
        ACTION = "action", _("Action d'implication des usagers")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    target_public_id = models.UUIDField()
    label = models.CharField(_("intitulé"), max_length=200)

    objects = StructureScopedManager("project__structure")

    class Meta:
        verbose_name = _("lien du projet")
        verbose_name_plural = _("liens du projet")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "target_public_id"],
                name="unique_project_link",
                violation_error_message=_("Ce lien existe déjà."),
            )
        ]

    def __str__(self):
        return self.label
