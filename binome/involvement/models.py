"""Involvement register, ACI parameters, programmes and workshops.

Every action the team runs with its users is an ``InvolvementAction`` placed on the
continuum (information → consultation → collaboration → partenariat) and mapped to a
level of the ACI indicator "implication des usagers" (seed 001 §V.A). The ACI figures
(points, point value, reference patient count) are data in ``AciParameters`` because
avenants change them.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.people.models import Agreement
from binome.people.scoping import StructureScopedManager


class Level(models.TextChoices):
    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    COLLABORATION = "collaboration", _("Collaboration")
    PARTNERSHIP = "partnership", _("Partenariat")


LEVEL_ORDER = [Level.INFORMATION, Level.CONSULTATION, Level.COLLABORATION, Level.PARTNERSHIP]


def level_rank(level) -> int:
    return LEVEL_ORDER.index(level) + 1 if level in LEVEL_ORDER else 0


class AciLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Niveau 1 : informer, consulter, sensibiliser")
    LEVEL_2 = 2, _("Niveau 2 : co-construire, partenariat, codécision")


class ActionKind(models.TextChoices):
    POSTERS = "posters", _("Affiches et dépliants")
    WEBSITE = "website", _("Site internet")
    GAZETTE = "gazette", _("Gazette ou lettre d'information")
    PRESS = "press", _("Article dans le journal local")
    MESSAGING = "messaging", _("Application de messagerie ou réseau social")
    SURVEY = "survey", _("Enquête de satisfaction")
    IDEA_BOX = "idea_box", _("Boîte à idées")
    OPEN_DAY = "open_day", _("Journée portes ouvertes")
    COMMITTEE = "committee", _("Comité des usagers")
    WORKING_GROUP = "working_group", _("Groupe de travail avec des usagers")
    USER_REFERENT = (
        "user_referent",
        _("Usager référent dans un groupe de travail ou un programme ETP"),
    )
    MEDIATOR = "mediator", _("Médiateur en santé")
    GOVERNANCE = "governance", _("Usagers dans la gouvernance")
    HEALTH_PROJECT = "health_project", _("Co-écriture ou relecture du projet de santé")
    DROP_IN = "drop_in", _("Permanence des usagers")
    OTHER = "other", _("Autre action")


# Default continuum level and ACI level for each kind (seed 001 §IV.A.2 and §V.A).
# Level 1: tools or actions to inform, consult and raise awareness (survey, idea box,
# posters, flyers, website...). Level 2: co-construction, partnership, co-decision
# (user referent in working groups or ETP workshops, users' committee, mediator).
KIND_DEFAULTS: dict[str, tuple[str, int]] = {
    ActionKind.POSTERS: (Level.INFORMATION, 1),
    ActionKind.WEBSITE: (Level.INFORMATION, 1),
    ActionKind.GAZETTE: (Level.INFORMATION, 1),
    ActionKind.PRESS: (Level.INFORMATION, 1),
    ActionKind.MESSAGING: (Level.INFORMATION, 1),
    ActionKind.SURVEY: (Level.CONSULTATION, 1),
    ActionKind.IDEA_BOX: (Level.CONSULTATION, 1),
    ActionKind.OPEN_DAY: (Level.INFORMATION, 1),
    ActionKind.DROP_IN: (Level.CONSULTATION, 1),
    ActionKind.COMMITTEE: (Level.COLLABORATION, 2),
    ActionKind.WORKING_GROUP: (Level.COLLABORATION, 2),
    ActionKind.USER_REFERENT: (Level.PARTNERSHIP, 2),
    ActionKind.MEDIATOR: (Level.COLLABORATION, 2),
    ActionKind.GOVERNANCE: (Level.PARTNERSHIP, 2),
    ActionKind.HEALTH_PROJECT: (Level.PARTNERSHIP, 2),
    ActionKind.OTHER: (Level.INFORMATION, 1),
}


class ActionQuerySet(models.QuerySet):
    def of_year(self, year: int):
        """Actions running at some point during the calendar year."""
        return self.filter(start_date__lte=date(year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1))
        )


class InvolvementAction(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="involvement_actions"
    )
    kind = models.CharField(_("type d'action"), max_length=20, choices=ActionKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    level = models.CharField(_("niveau sur le continuum"), max_length=20, choices=Level.choices)
    aci_level = models.PositiveSmallIntegerField(
        _("niveau ACI auquel l'action compte"),
        choices=AciLevel.choices,
        help_text=_("Proposé selon le type d'action ; modifiable."),
    )
    start_date = models.DateField(_("date de début"))
    end_date = models.DateField(
        _("date de fin"), null=True, blank=True, help_text=_("Laisser vide si l'action continue.")
    )
    professions = models.JSONField(_("professions impliquées"), default=list, blank=True)
    users_count = models.PositiveIntegerField(_("nombre d'usagers impliqués"), default=0)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # Actions created automatically (a published survey, the idea box...) carry their source.
    source = models.CharField(max_length=80, blank=True, editable=False)
    created_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager(queryset_class=ActionQuerySet)

    class Meta:
        verbose_name = _("action d'implication des usagers")
        verbose_name_plural = _("actions d'implication des usagers")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "source"],
                condition=~Q(source=""),
                name="involvement_action_unique_source",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="involvement_action_dates",
                violation_error_message=_("La date de fin doit suivre la date de début."),
            ),
        ]
        indexes = [
            models.Index(fields=["structure", "start_date"], name="involvement_action_struct_date")
        ]

    def __str__(self):
        return self.title

    @property
    def is_imported(self):
        return self.source.startswith("import-")

    @property
    def is_automatic(self):
        return bool(self.source) and not self.is_imported

    def profession_labels(self):
        from binome.people.models import Profession

        labels = dict(Profession.choices)
        return [str(labels.get(p, p)) for p in self.professions]


def evidence_path(instance, filename):
    return f"involvement/evidence/{instance.action.structure_id}/{uuid.uuid4().hex}"


class EvidenceKind(models.TextChoices):
    """What a proof shows; each ACI level asks for its own (AciParameters.evidence_required)."""

    SUPPORT = (
        "support",
        _("Support ou outil diffusé aux usagers (affiche, questionnaire, page du site…)"),
    )
    MINUTES = "minutes", _("Compte rendu de la réunion ou de l'atelier avec les usagers")
    ATTENDANCE = "attendance", _("Liste des usagers qui ont participé")
    DECISION = "decision", _("Trace d'une décision ou d'une production co-construite")
    OTHER = "other", _("Autre pièce")


class Evidence(models.Model):
    """A proof of an action (photo of a poster, minutes, gazette PDF), served by a checked view."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(InvolvementAction, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(
        _("ce que montre la pièce"),
        max_length=20,
        choices=EvidenceKind.choices,
        default=EvidenceKind.OTHER,
    )
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("action__structure")

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


def default_evidence_required():
    """Level 1: the tool or support itself; level 2: the minutes and who took part."""
    return {
        "1": [EvidenceKind.SUPPORT.value],
        "2": [EvidenceKind.MINUTES.value, EvidenceKind.ATTENDANCE.value],
    }


class AciParameters(models.Model):
    """The rules of the users' involvement indicator in one agreement, from the date an
    avenant sets them; administrators update them (Django admin), nothing is in the code.

    Sources of the defaults (docs/domain-rules.md): ACI MSP (arrêté du 24 juillet 2017,
    avenant 1 du 4 mars 2022, JO du 3 août 2022); Accord national des centres de santé
    (8 juillet 2015, avenant 4 du 14 avril 2022); ACI CPTS (20 juin 2019), without such an
    indicator. 1 point = 7 €; level 1: 200 fixed points, level 2: 300 variable points
    (seed 001 §V.A, DESIGN)."""

    agreement = models.CharField(
        _("accord"),
        max_length=20,
        choices=[c for c in Agreement.choices if c[0]],
        default=Agreement.ACI_MSP,
    )
    valid_from = models.DateField(_("applicable à partir du"))
    has_user_involvement = models.BooleanField(
        _("l'accord a un indicateur « implication des usagers »"), default=True
    )
    level1_fixed_points = models.PositiveIntegerField(_("niveau 1 : points fixes"), default=200)
    level2_variable_points = models.PositiveIntegerField(
        _("niveau 2 : points variables"), default=300
    )
    point_value_eur = models.DecimalField(
        _("valeur du point (€)"), max_digits=6, decimal_places=2, default=Decimal("7.00")
    )
    reference_patient_count = models.PositiveIntegerField(
        _("patientèle de référence pour la part variable"),
        default=4000,
        help_text=_(
            "La part variable est proportionnelle à la patientèle de la structure rapportée à cette référence."
        ),
    )
    level2_includes_level1 = models.BooleanField(
        _("le niveau 2 s'ajoute aux points du niveau 1"), default=True
    )
    evidence_required = models.JSONField(
        _("pièces exigées par niveau"),
        default=default_evidence_required,
        help_text=_(
            "Par niveau (« 1 », « 2 ») la liste des types de pièces qu'une action doit avoir pour compter."
        ),
    )
    source = models.CharField(_("texte de référence (accord, avenant)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("règles de l'indicateur « implication des usagers »")
        verbose_name_plural = _("règles de l'indicateur « implication des usagers »")
        ordering = ["agreement", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "valid_from"], name="aci_parameters_agreement_date"
            )
        ]

    def __str__(self):
        return f"{self.get_agreement_display()} — à partir du {self.valid_from:%d/%m/%Y}"

    @classmethod
    def for_date(cls, on: date, agreement: str = Agreement.ACI_MSP) -> "AciParameters":
        """The rules of this agreement in force on that date; the defaults when none is recorded."""
        found = (
            cls.objects.filter(agreement=agreement, valid_from__lte=on)
            .order_by("-valid_from")
            .first()
        )
        return found or cls(agreement=agreement, **DEFAULT_RULES[agreement])


DEFAULT_RULES = {
    Agreement.ACI_MSP: {
        "valid_from": date(2022, 8, 3),
        "has_user_involvement": True,
        "source": "ACI des structures de santé pluriprofessionnelles (arrêté du 24 juillet 2017), avenant 1 du "
        "4 mars 2022 (JO du 3 août 2022) : indicateur optionnel « implication des usagers »",
    },
    Agreement.ACCORD_CDS: {
        "valid_from": date(2022, 8, 3),
        "has_user_involvement": True,
        "source": "Accord national des centres de santé du 8 juillet 2015, avenant 4 du 14 avril 2022 : "
        "indicateur « implication des usagers »",
    },
    Agreement.ACI_CPTS: {
        "valid_from": date(2019, 8, 24),
        "has_user_involvement": False,
        "source": "ACI des CPTS du 20 juin 2019 et ses avenants : pas d'indicateur « implication des usagers »",
    },
}


class Programme(models.Model):
    class Kind(models.TextChoices):
        ETP = "etp", _("Programme d'éducation thérapeutique (ETP)")
        PREVENTION = "prevention", _("Action de prévention")
        OTHER = "other", _("Autre programme")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="programmes"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.ETP)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    is_active = models.BooleanField(_("en cours"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-is_active", "title"]

    def __str__(self):
        return self.title


class Workshop(models.Model):
    """A session of a programme, co-facilitated by a professional and a patient partner."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="workshops"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("thème de la séance"), max_length=200)
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    professional = models.ForeignKey(
        "people.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshops_as_professional",
        verbose_name=_("professionnel co-animateur"),
    )
    partner = models.ForeignKey(
        "people.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshops_as_partner",
        verbose_name=_("patient partenaire co-animateur"),
    )
    # Seed 000 §II.6, HAS: co-animating ETP asks for the 40-hour ETP training; without it the
    # coordination may still decide it, in writing.
    etp_training_override = models.TextField(
        _("justification de la coordination (co-animation ETP sans la formation de 40 heures)"),
        blank=True,
        max_length=1000,
    )
    planned_count = models.PositiveSmallIntegerField(_("participants inscrits"), default=0)
    attendance_count = models.PositiveSmallIntegerField(
        _("participants présents"), null=True, blank=True
    )
    notes = models.TextField(_("remarques"), blank=True, max_length=5000)
    # Participants answer the short questionnaire on the partner's intervention here.
    feedback_token = models.CharField(max_length=32, unique=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["structure", "starts_at"], name="workshop_struct_date")]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if not self.feedback_token:
            import secrets

            self.feedback_token = secrets.token_urlsafe(12)
        super().save(*args, **kwargs)


class WorkshopFeedback(models.Model):
    """A participant's anonymous answer on the partner's intervention (seed 000: doctors want it)."""

    SCALE = [(i, str(i)) for i in range(1, 6)]

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="feedback")
    useful = models.PositiveSmallIntegerField(
        _("L'intervention du patient partenaire m'a été utile"), choices=SCALE
    )
    understood = models.PositiveSmallIntegerField(_("Je me suis senti·e compris·e"), choices=SCALE)
    freer = models.PositiveSmallIntegerField(
        _("J'ai osé poser des questions plus facilement"), choices=SCALE
    )
    comment = models.TextField(
        _("Un mot sur l'intervention du patient partenaire"), blank=True, max_length=2000
    )
    channel = models.CharField(max_length=10, default="online")
    submission_token = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("workshop__structure")

    class Meta:
        verbose_name = _("avis d'un participant")
        verbose_name_plural = _("avis des participants")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "submission_token"], name="workshop_feedback_once"
            ),
        ]

    def __str__(self):
        return f"Avis sur {self.workshop_id}"
