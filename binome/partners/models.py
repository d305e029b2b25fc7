"""Patient partners: the pool, recruitment, evaluation and the charter of reciprocal engagement.

A ``Partner`` is a person's record as a patient partner in one structure. It exists from
the candidacy on (``membership`` is empty until the person gets an account) and follows
the lifecycle candidate → met → selected → onboarded → active ⇄ paused → ended.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from binome.people.models import choice_label
from binome.people.scoping import StructureScopedManager


def normalize_tag(label: str) -> str:
    """The comparable form of a free tag ("Cancer du sein " → "cancer-du-sein")."""
    return slugify(label.strip())[:80]


class PreferredStatus(models.TextChoices):
    """How a partner would like to be involved (same vocabulary as compensation modes)."""

    VOLUNTEER_EXPENSES = "volunteer_expenses", _("Bénévole, frais remboursés")
    FLAT_FEE = "flat_fee", _("Forfait par mission")
    HOURLY = "hourly", _("Rémunération horaire")
    SALARIED = "salaried", _("Salarié·e")
    TRAINEE = "trainee", _("Stagiaire ou en formation")
    UNDECIDED = "undecided", _("Je ne sais pas encore")


class PartnerQuerySet(models.QuerySet):
    def in_pool(self):
        """Partners past the candidacy who have not ended."""
        return self.exclude(status__in=[Partner.Status.CANDIDATE, Partner.Status.ENDED])

    def candidacies(self):
        return self.filter(status__in=Partner.PIPELINE_STATUSES)

    def active(self):
        return self.filter(status=Partner.Status.ACTIVE)

    def of_user(self, user):
        return self.filter(membership__user=user, membership__is_active=True)


class Partner(models.Model):
    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidature reçue")
        MET = "met", _("Rencontré·e")
        SELECTED = "selected", _("Retenu·e")
        ONBOARDED = "onboarded", _("En intégration")
        ACTIVE = "active", _("Actif·ve")
        PAUSED = "paused", _("En pause")
        ENDED = "ended", _("Parcours terminé")

    class Source(models.TextChoices):
        PUBLIC_FORM = "public_form", _("Formulaire public (affiche, QR code)")
        INVITATION = "invitation", _("Invitation ciblée par l'équipe")
        TEAM = "team", _("Saisie par l'équipe")
        ASSOCIATION = "association", _("Orientation par une association")

    # Statuses of a candidacy still in the recruitment pipeline.
    PIPELINE_STATUSES = ("candidate", "met", "selected", "onboarded")

    # Allowed moves in the lifecycle (from → to).
    TRANSITIONS = {
        "candidate": ("met", "ended"),
        "met": ("selected", "ended"),
        "selected": ("onboarded", "ended"),
        "onboarded": ("active", "ended"),
        "active": ("paused", "ended"),
        "paused": ("active", "ended"),
        "ended": (),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="partners"
    )
    membership = models.OneToOneField(
        "people.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner",
        verbose_name=_("compte dans la structure"),
    )
    status = models.CharField(
        _("étape"), max_length=20, choices=Status.choices, default=Status.CANDIDATE
    )
    source = models.CharField(
        _("origine de la candidature"), max_length=20, choices=Source.choices, default=Source.TEAM
    )

    # Identity and contact (kept here so that a candidate needs no account).
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)

    # Candidacy.
    motivation = models.TextField(
        _("pourquoi souhaitez-vous devenir patient partenaire ?"), blank=True
    )
    how_heard = models.CharField(_("comment avez-vous connu l'appel ?"), max_length=200, blank=True)
    submission_token = models.CharField(max_length=64, blank=True, default="")
    submitted_at = models.DateTimeField(_("candidature reçue le"), default=timezone.now)

    # Profile, written by the partner.
    lived_experience = models.TextField(_("mon expérience vécue, avec mes mots"), blank=True)
    association = models.CharField(_("association dont je suis membre"), max_length=200, blank=True)
    availability = models.TextField(_("mes disponibilités"), blank=True)
    available_daytime = models.BooleanField(_("disponible en journée"), default=True)
    available_evening = models.BooleanField(_("disponible en soirée"), default=False)
    available_weekend = models.BooleanField(_("disponible le week-end"), default=False)
    remote_ok = models.BooleanField(_("à l'aise à distance (téléphone, visio)"), default=True)
    hours_per_month = models.PositiveSmallIntegerField(
        _("heures disponibles par mois"), null=True, blank=True
    )
    limits_note = models.TextField(
        _("mes limites (ce que je ne souhaite pas affronter)"), blank=True
    )
    preferred_status = models.CharField(
        _("statut souhaité"),
        max_length=20,
        choices=PreferredStatus.choices,
        default=PreferredStatus.UNDECIDED,
    )
    compensation_note = models.TextField(_("mes attentes d'indemnisation"), blank=True)
    photo = models.FileField(_("photo (facultative)"), upload_to="partners/photos/", blank=True)

    # What the partner lets the team see beyond what missions need.
    share_lived_experience = models.BooleanField(
        _("l'équipe peut lire mon expérience vécue"), default=False
    )
    share_conditions = models.BooleanField(
        _(
            "l'équipe peut voir mes pathologies et parcours (et s'en servir pour me proposer des missions)"
        ),
        default=False,
    )
    share_association = models.BooleanField(_("l'équipe peut voir mon association"), default=True)
    share_compensation = models.BooleanField(
        _("l'équipe peut voir mes attentes d'indemnisation"), default=True
    )
    share_photo = models.BooleanField(_("l'équipe peut voir ma photo"), default=False)

    # Team part, written by the coordinator.
    max_active_accompaniments = models.PositiveSmallIntegerField(
        _("nombre maximal d'accompagnements en cours"), default=3
    )
    team_notes = models.TextField(_("notes de l'équipe"), blank=True)
    training_plan = models.TextField(_("plan de formation"), blank=True)
    supervision_arrangement = models.TextField(_("modalités de supervision"), blank=True)
    supervisor = models.ForeignKey(
        "people.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_partners",
        verbose_name=_("référent·e de supervision"),
    )

    # A copy in another structure of a CPTS's shared pool (binome.partners.pool): the record
    # the partner agreed that structure may see, kept in step with her own (the origin).
    pool_origin = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pool_copies",
        verbose_name=_("fiche d'origine (vivier partagé)"),
    )

    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager("structure", PartnerQuerySet)

    class Meta:
        verbose_name = _("patient partenaire")
        verbose_name_plural = _("patients partenaires")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "submission_token"],
                condition=~Q(submission_token=""),
                name="partner_unique_submission_token",
            ),
            models.CheckConstraint(
                condition=Q(max_active_accompaniments__lte=20),
                name="partner_max_active_accompaniments_range",
                violation_error_message=_("Au plus 20 accompagnements en cours."),
            ),
        ]
        indexes = [
            models.Index(fields=["structure", "status"], name="partner_struct_status"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return self.full_name_of(self.first_name, self.last_name)

    @staticmethod
    def full_name_of(first_name: str, last_name: str) -> str:
        return f"{first_name} {last_name}".strip()

    @property
    def is_pool_copy(self) -> bool:
        return self.pool_origin_id is not None

    @property
    def status_label(self):
        return choice_label(self.Status, self.status)

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class PartnerTag(models.Model):
    """A tag on a partner's profile: condition or pathway, skill, language or limit."""

    class Kind(models.TextChoices):
        CONDITION = "condition", _("Pathologie ou parcours")
        SKILL = "skill", _("Compétence")
        LANGUAGE = "language", _("Langue parlée")
        LIMIT = "limit", _("Limite")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.SlugField(max_length=80)
    label = models.CharField(max_length=80)

    objects = StructureScopedManager("partner__structure")

    class Meta:
        verbose_name = _("étiquette de profil")
        verbose_name_plural = _("étiquettes de profil")
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "kind", "value"], name="partner_tag_unique")
        ]
        indexes = [models.Index(fields=["kind", "value"], name="partner_tag_kind_value")]

    def __str__(self):
        return self.label


class Training(models.Model):
    class Kind(models.TextChoices):
        ETP_40H = "etp_40h", _("Formation ETP 40 heures")
        DU = "du", _("Diplôme universitaire (DU)")
        PATIENTS_UNIVERSITY = "patients_university", _("Université des patients")
        ASSOCIATION = "association", _("Formation associative")
        PEER_SUPPORT = "peer_support", _("Formation à la pair-aidance")
        OTHER = "other", _("Autre formation")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("intitulé"), max_length=200)
    organisation = models.CharField(_("organisme"), max_length=200, blank=True)
    completed_on = models.DateField(_("date"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("durée (heures)"), null=True, blank=True)
    proof = models.FileField(_("justificatif"), upload_to="partners/trainings/", blank=True)
    proof_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("partner__structure")

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["-completed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__lte=2000),
                name="training_hours_range",
                violation_error_message=_("La durée doit rester inférieure à 2 000 heures."),
            )
        ]

    def __str__(self):
        return self.title


class RecruitmentCall(models.Model):
    """A call for candidates: its public page and poster (one open call per structure)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="recruitment_calls"
    )
    title = models.CharField(_("titre"), max_length=200)
    introduction = models.TextField(_("présentation"))
    what_we_offer = models.TextField(_("ce que l'équipe propose"), blank=True)
    contact_note = models.CharField(_("contact affiché"), max_length=200, blank=True)
    is_open = models.BooleanField(_("appel ouvert"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("appel à candidatures")
        verbose_name_plural = _("appels à candidatures")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(is_open=True),
                name="recruitment_one_open_call",
                violation_error_message=_("Un seul appel peut être ouvert à la fois."),
            )
        ]

    def __str__(self):
        return self.title


class MeetingNote(models.Model):
    """Notes of a meeting with a candidate or a partner."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="meeting_notes")
    met_on = models.DateField(_("date de la rencontre"), default=timezone.localdate)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    notes = models.TextField(_("notes"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("partner__structure")

    class Meta:
        verbose_name = _("compte rendu de rencontre")
        verbose_name_plural = _("comptes rendus de rencontre")
        ordering = ["-met_on", "-created_at"]

    def __str__(self):
        return f"{self.partner} — {self.met_on}"


class EvaluationCriterion(models.Model):
    """A criterion the team chose to evaluate candidates (seed 001 P9)."""

    class Kind(models.TextChoices):
        QUALITY = "quality", _("Qualité recherchée")
        DEALBREAKER = "dealbreaker", _("Critère rédhibitoire")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="evaluation_criteria"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.QUALITY)
    label = models.CharField(_("critère"), max_length=200)
    help_text = models.CharField(_("précision"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("en usage"), default=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["kind", "position", "label"]

    def __str__(self):
        return self.label


class Evaluation(models.Model):
    """One evaluator's judgement of one candidate on one criterion."""

    class Rating(models.TextChoices):
        YES = "yes", _("Oui")
        PARTLY = "partly", _("En partie")
        NO = "no", _("Non")
        UNKNOWN = "unknown", _("Ne sais pas encore")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="evaluations")
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("appréciation"), max_length=10, choices=Rating.choices)
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureScopedManager("partner__structure")

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "criterion", "evaluator"], name="evaluation_unique"
            )
        ]

    def __str__(self):
        return f"{self.partner} — {self.criterion}"


class Decision(models.Model):
    """A recorded move in the lifecycle: who decided, when, why."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="decisions")
    from_status = models.CharField(max_length=20, choices=Partner.Status.choices)
    to_status = models.CharField(max_length=20, choices=Partner.Status.choices)
    reason = models.TextField(_("motif"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    objects = StructureScopedManager("partner__structure")

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.partner}: {self.from_status} → {self.to_status}"


class Charter(models.Model):
    """One version of a structure's charter of reciprocal engagement."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="charters"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte"))
    change_note = models.CharField(_("ce qui change"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("charte d'engagement réciproque")
        verbose_name_plural = _("chartes d'engagement réciproque")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "version"],
                name="charter_unique_version",
                violation_error_message=_("Cette version de la charte existe déjà."),
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class CharterSignature(models.Model):
    class Method(models.TextChoices):
        ONLINE = "online", _("Signée en ligne")
        PAPER = "paper", _("Signée sur papier")
        MEETING = "meeting", _("Signée en réunion")

    class SignerRole(models.TextChoices):
        PARTNER = "partner", _("Patient partenaire")
        PROFESSIONAL = "professional", _("Professionnel·le")
        COORDINATOR = "coordinator", _("Coordination")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    charter = models.ForeignKey(Charter, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charter_signatures"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="charter_signatures"
    )
    signer_role = models.CharField(_("en qualité de"), max_length=20, choices=SignerRole.choices)
    method = models.CharField(_("mode de signature"), max_length=10, choices=Method.choices)
    signed_at = models.DateTimeField(_("signée le"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = StructureScopedManager("charter__structure")

    class Meta:
        verbose_name = _("signature de la charte")
        verbose_name_plural = _("signatures de la charte")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "user"],
                name="charter_signature_unique",
                violation_error_message=_(
                    "Cette personne a déjà signé cette version de la charte."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.charter}"


class RecruitmentGates(models.Model):
    """What a structure requires before a candidate is onboarded, then activated.

    Defaults follow seed 001 §7 and seed 004 (MSP Questembert): the team meets the person,
    several members judge against the criteria the team chose, the decision is recorded,
    and the charter of reciprocal engagement is signed before any mission; training is
    planned with the partner and may be required by the team."""

    structure = models.OneToOneField(
        "people.Structure", on_delete=models.CASCADE, related_name="recruitment_gates"
    )
    meeting_required = models.BooleanField(
        _("une rencontre notée avant l'intégration"), default=True
    )
    evaluators_required = models.PositiveSmallIntegerField(
        _("nombre de membres de l'équipe qui ont rempli la grille avant l'intégration"),
        default=2,
        help_text=_("0 si la grille n'est pas exigée."),
    )
    charter_required = models.BooleanField(
        _("la charte signée par le partenaire avant l'activation"), default=True
    )
    training_required = models.BooleanField(
        _("une formation déclarée avant l'activation"), default=False
    )

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("étapes exigées du recrutement")
        verbose_name_plural = _("étapes exigées du recrutement")
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluators_required__lte=10),
                name="gates_evaluators_max_10",
                violation_error_message=_("Au plus 10 membres."),
            ),
        ]

    def __str__(self):
        return f"Étapes du recrutement ({self.structure_id})"

    @classmethod
    def of(cls, structure) -> "RecruitmentGates":
        return cls.objects.filter(structure=structure).first() or cls(structure=structure)


class PoolMembership(models.Model):
    """A structure's membership of a CPTS's shared pool of patient partners.

    The CPTS's coordination asks, the member's coordination accepts; either side may end it.
    Only then may a partner of one of them agree to be seen by another (``PoolShare``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cpts = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="pool_members"
    )
    member = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="pool_memberships"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("adhésion au vivier partagé d'une CPTS")
        verbose_name_plural = _("adhésions au vivier partagé d'une CPTS")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "member"],
                condition=Q(ended_at__isnull=True),
                name="pool_membership_open_once",
                violation_error_message=_("Cette structure est déjà membre du vivier."),
            ),
            models.CheckConstraint(
                condition=~Q(cpts=models.F("member")), name="pool_membership_not_itself"
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.cpts}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is not None and self.ended_at is None


class PoolShare(models.Model):
    """A partner's consent that one structure of her CPTS's pool sees her shared profile and
    sends her referrals and mission requests. Revocable; a new consent is a new row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="pool_shares")
    structure = models.ForeignKey("people.Structure", on_delete=models.CASCADE, related_name="+")
    copy = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="pool_share_rows")
    consented_at = models.DateTimeField(default=timezone.now)
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = StructureScopedManager("origin__structure")

    class Meta:
        verbose_name = _("partage du profil dans le vivier")
        verbose_name_plural = _("partages du profil dans le vivier")
        ordering = ["-consented_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "structure"],
                condition=Q(withdrawn_at__isnull=True),
                name="pool_share_open_once",
                violation_error_message=_("Votre profil est déjà partagé avec cette structure."),
            )
        ]

    def __str__(self):
        return str(_("Partage avec la structure n° %(n)s") % {"n": self.structure_id})
