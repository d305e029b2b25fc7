"""Peer accompaniment (seed 002, "Protocole") and supervision; tandems live in binome.tandems.

The five steps of seed 002 map onto these models:

1. a professional refers a patient (``Patient`` with minimal identity, separate
   ``Consent`` rows, an ``Accompaniment`` sent directly to a ``partners.Partner``);
2. the partner makes the first contact before ``first_contact_due_at`` (``Deadline`` rows
   remind the partner, then warn the referring professional and the coordinator);
3. the partner records the ``KeyMoment`` of the pathway with the patient;
4. ``Contact`` log (private notes for the partner alone, a summary the team sees only
   while the sharing consent is active) and urgent ``Alert``;
5. the accompaniment ends at any time, the patient may leave ``PatientFeedback``.

Who sees what is decided in one place, ``binome.accompaniment.access``.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.validators import validate_plausible_date
from binome.people.models import Membership
from binome.people.scoping import StructureScopedManager


class Pathway(models.TextChoices):
    CANCER = "cancer", _("Cancer")
    DIABETES = "diabetes", _("Diabète")
    CARDIO = "cardio", _("Maladie cardiovasculaire")
    RESPIRATORY = "respiratory", _("Maladie respiratoire (BPCO, asthme)")
    CHRONIC_PAIN = "chronic_pain", _("Douleur chronique")
    MENTAL_HEALTH = "mental_health", _("Santé mentale")
    PERINATAL = "perinatal", _("Périnatalité")
    PALLIATIVE = "palliative", _("Soins palliatifs, fin de vie")
    OTHER = "other", _("Autre parcours")


class PathwayMoment(models.TextChoices):
    """Moments a referral touches: a partner's declared limits exclude them from it."""

    ANNOUNCEMENT = "annonce", _("Annonce du diagnostic")
    SURGERY = "chirurgie", _("Chirurgie")
    CHEMOTHERAPY = "chimiotherapie", _("Chimiothérapie")
    RELAPSE = "rechute", _("Rechute")
    END_OF_LIFE = "fin-de-vie", _("Fin de vie")
    MOURNING = "deuil", _("Deuil")


class Patient(models.Model):
    """A patient followed by a partner: the minimum the accompaniment needs, nothing clinical."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="accompanied_patients"
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom ou initiale"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    pathway = models.CharField(
        _("parcours"), max_length=20, choices=Pathway.choices, default=Pathway.OTHER
    )
    # The optional light account (magic link) from which the patient sees and withdraws consents.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompanied_as",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("patient accompagné")
        verbose_name_plural = _("patients accompagnés")
        ordering = ["first_name", "last_name"]
        indexes = [
            # A patient's light account finds its records by e-mail on each visit
            # (services.link_patient_account): without it, a scan of every patient.
            models.Index(Lower("email"), "structure", name="patient_email_lower"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.display_name_of(self.first_name, self.last_name)

    @staticmethod
    def display_name_of(first_name: str, last_name: str) -> str:
        """First name and initial: how a patient is named outside their own record."""
        initial = f" {last_name[:1]}." if last_name else ""
        return f"{first_name}{initial}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class ConsentPurpose(models.TextChoices):
    CONTACT_BY_PARTNER = "contact_by_partner", _("Être contacté·e par un patient partenaire")
    SHARE_CONTACT_DETAILS = (
        "share_contact_details",
        _("Transmettre mes coordonnées au patient partenaire"),
    )
    SHARE_SUMMARIES = (
        "share_summaries_with_team",
        _("Partager un court résumé des échanges avec l'équipe soignante"),
    )
    JOINT_CONSULTATION = (
        "joint_consultation",
        _("Une consultation commune médecin et patient partenaire"),
    )


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """One purpose consented by one patient. Append-only: a withdrawal only sets withdrawn_at;
    consenting again writes a new row."""

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", _("Formulaire papier signé")
        ORAL = "oral", _("Accord oral recueilli par le professionnel")
        ONLINE = "online", _("En ligne, par le lien envoyé au patient")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("objet"), max_length=40, choices=ConsentPurpose.choices)
    text_version = models.CharField(_("version du texte"), max_length=20)
    method = models.CharField(_("recueilli par"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField(_("donné le"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = StructureScopedManager("patient__structure", ConsentQuerySet)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["patient", "purpose", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
                violation_error_message=_("Ce consentement est déjà enregistré."),
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.patient})"

    @property
    def is_active(self):
        return self.withdrawn_at is None


class ConsentLink(models.Model):
    """A link sent to the patient to give consents online; the token is stored hashed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accompaniment = models.ForeignKey(
        "Accompaniment", on_delete=models.CASCADE, related_name="consent_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = StructureScopedManager("accompaniment__structure")

    class Meta:
        verbose_name = _("lien de consentement en ligne")
        verbose_name_plural = _("liens de consentement en ligne")

    def __str__(self):
        return f"Lien de consentement ({self.accompaniment_id})"


class AccompanimentQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Accompaniment.Status.ENDED)

    def in_partner_load(self):
        """What counts in a partner's load, everywhere it is shown or checked (suggestions,
        the load page, the partner's day): open accompaniments still in their hands."""
        return self.exclude(
            status__in=[Accompaniment.Status.ENDED, Accompaniment.Status.TO_REASSIGN]
        )

    def for_partner_user(self, user):
        return self.filter(partner__membership__user=user, partner__membership__is_active=True)

    def visible_to(self, user, roles, structure):
        """What a person may open in one structure (see binome.accompaniment.access)."""
        return self.filter(self.visibility(user, roles, structure))

    @staticmethod
    def visibility(user, roles, structure) -> Q:
        """The condition behind ``visible_to``, for one structure; the API ORs it over the
        caller's structures."""
        roles = {str(r) for r in roles}
        if "coordinator" in roles:
            return Q(structure=structure)
        # Subqueries on the caller's own rows rather than joins: no duplicate rows (no
        # DISTINCT), and the database starts from the caller instead of reading every
        # accompaniment of the structure (or every membership) to test each condition.
        condition = Q(pk__in=[])
        if "professional" in roles:
            mine = Membership.objects.filter(user=user).values("pk")
            designated = Accompaniment.designated_professionals.through.objects.filter(
                membership__in=mine
            )
            condition |= Q(referred_by__in=mine) | Q(pk__in=designated.values("accompaniment_id"))
        if "partner" in roles:
            # A partner who handed an accompaniment back no longer opens it.
            Partner = Accompaniment.partner.field.related_model
            condition |= Q(
                partner__in=Partner.objects.filter(
                    membership__user=user, membership__is_active=True
                ).values("pk")
            ) & ~Q(status=Accompaniment.Status.TO_REASSIGN)
        if "patient" in roles:
            condition |= Q(patient__in=Patient.objects.filter(user=user).values("pk"))
        return Q(structure=structure) & condition


class Accompaniment(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", _("Orienté, premier contact à faire")
        ACTIVE = "active", _("En cours")
        TO_REASSIGN = "to_reassign", _("À confier à un autre patient partenaire")
        ENDED = "ended", _("Terminé")

    class EndedByRole(models.TextChoices):
        PATIENT = "patient", _("Le patient")
        PARTNER = "partner", _("Le patient partenaire")
        TEAM = "team", _("L'équipe")

    class EndReason(models.TextChoices):
        PATIENT_WISH = "patient_wish", _("Le patient ne souhaite plus être accompagné")
        GOAL_REACHED = "goal_reached", _("Fin du parcours, objectifs atteints")
        NO_ANSWER = "no_answer", _("Le patient n'a pas pu être joint")
        PARTNER_UNAVAILABLE = (
            "partner_unavailable",
            _("Le patient partenaire n'est plus disponible"),
        )
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consentement retiré")
        OTHER = "other", _("Autre raison")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="accompaniments"
    )
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="accompaniments")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="accompaniments"
    )
    referred_by = models.ForeignKey(
        "people.Membership",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("orienté par"),
    )
    designated_professionals = models.ManyToManyField(
        "people.Membership",
        blank=True,
        related_name="designated_accompaniments",
        verbose_name=_("professionnels à alerter en cas d'urgence"),
    )
    notes_for_partner = models.TextField(_("message pour le patient partenaire"), blank=True)
    moments = models.JSONField(
        _("moments du parcours que l'accompagnement touchera"), default=list, blank=True
    )
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.REFERRED
    )
    referred_at = models.DateTimeField(_("orienté le"), default=timezone.now)
    first_contact_due_at = models.DateTimeField(_("premier contact attendu avant le"))
    first_contact_at = models.DateTimeField(_("premier contact le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_by_role = models.CharField(max_length=10, choices=EndedByRole.choices, blank=True)
    end_reason = models.CharField(_("raison"), max_length=30, choices=EndReason.choices, blank=True)
    end_comment = models.CharField(_("précision"), max_length=500, blank=True)
    # Idempotent submission of the referral form (users retry on a bad connection).
    submission_token = models.CharField(max_length=64, blank=True, default="")

    objects = StructureScopedManager("structure", AccompanimentQuerySet)

    class Meta:
        verbose_name = _("pair-accompagnement")
        verbose_name_plural = _("pair-accompagnements")
        ordering = ["-referred_at", "-id"]
        indexes = [
            models.Index(fields=["structure", "status"], name="accomp_struct_status"),
            models.Index(fields=["partner", "status"], name="accomp_partner_status"),
            models.Index(fields=["referred_by", "status"], name="accomp_referrer_status"),
            # The lists' order: a page of 50 is read in index order, not sorted after a join.
            models.Index(
                fields=["structure", "-referred_at", "-id"], name="accomp_struct_referred"
            ),
            # A partner's own list, newest first: her 50 rows read in order, not found by
            # walking the structure's (SQLite needs its statistics to choose it: see
            # binome/core/db_statistics.py).
            models.Index(fields=["partner", "-referred_at", "-id"], name="accomp_partner_referred"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "submission_token"],
                condition=~Q(submission_token=""),
                name="accomp_unique_submission_token",
            ),
        ]

    def __str__(self):
        return f"Accompagnement de {self.patient} par {self.partner}"

    @property
    def is_ended(self):
        return self.status == self.Status.ENDED

    @property
    def is_late(self):
        return self.late_of(self.status, self.first_contact_at, self.first_contact_due_at)

    @classmethod
    def late_of(cls, status, first_contact_at, first_contact_due_at, now=None) -> bool:
        """Late: no first contact yet, past its deadline, and not ended (lists read the
        three columns without building the accompaniment)."""
        return (
            first_contact_at is None
            and status != cls.Status.ENDED
            and first_contact_due_at < (now or timezone.now())
        )

    @property
    def hours_to_first_contact(self):
        if self.first_contact_at is None:
            return None
        return round((self.first_contact_at - self.referred_at).total_seconds() / 3600, 1)


class Handover(models.Model):
    """A partner who declines a referral or hands an accompaniment back (seed 002: the
    partner may say no). The reason stays with the coordination; the row keeps the history
    of who accompanied the patient when the coordinator confides it to another partner."""

    class Kind(models.TextChoices):
        DECLINED = "declined", _("Orientation déclinée avant le premier contact")
        HANDED_BACK = "handed_back", _("Accompagnement rendu en cours de route")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="handovers"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="handovers"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(_("raison (seule la coordination la lit)"), max_length=1000)
    handed_at = models.DateTimeField(default=timezone.now)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reassigned_to = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reassigned_at = models.DateTimeField(null=True, blank=True)
    reassigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = StructureScopedManager("accompaniment__structure")

    class Meta:
        verbose_name = _("accompagnement rendu")
        verbose_name_plural = _("accompagnements rendus")
        ordering = ["handed_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.handed_at:%d/%m/%Y})"


class KeyMoment(models.Model):
    """A strategic moment of the care pathway, recorded by the partner with the patient."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Consultation d'annonce")
        SURGERY = "surgery", _("Intervention chirurgicale")
        FIRST_CHEMO = "first_chemo", _("Première chimiothérapie")
        FIRST_RADIO = "first_radio", _("Première radiothérapie")
        CONSULTATION = "consultation", _("Consultation importante")
        LAST_CONSULTATION = "last_consultation", _("Dernière consultation")
        END_OF_TREATMENT = "end_of_treatment", _("Fin des traitements")
        OTHER = "other", _("Autre moment")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="key_moments"
    )
    kind = models.CharField(_("moment"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("précision (facultatif)"), max_length=120, blank=True)
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    time = models.TimeField(_("heure (facultatif)"), null=True, blank=True)
    wants_support = models.BooleanField(
        _("le patient souhaite être accompagné à ce moment"), default=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("accompaniment__structure")

    class Meta:
        verbose_name = _("moment clé du parcours")
        verbose_name_plural = _("moments clés du parcours")
        ordering = ["date", "time", "id"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.title_of(self.label, self.kind)

    @classmethod
    def title_of(cls, label: str, kind: str) -> str:
        """The moment's precision, or else its kind (lists read both without the moment)."""
        return label or str(cls.Kind(kind).label)


class Contact(models.Model):
    """One exchange with the patient. ``private_notes`` are for the partner alone."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Téléphone")
        SMS = "sms", _("SMS ou messagerie")
        VISIT = "visit", _("Rencontre")
        VIDEO = "video", _("Visio")

    class Place(models.TextChoices):
        STRUCTURE = "structure", _("Dans la structure")
        OUTSIDE = "outside", _("À l'extérieur")
        REMOTE = "remote", _("À distance")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="contacts"
    )
    occurred_at = models.DateTimeField(_("date et heure"), default=timezone.now)
    channel = models.CharField(
        _("moyen"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    place = models.CharField(_("lieu"), max_length=10, choices=Place.choices, default=Place.REMOTE)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=30)
    private_notes = models.TextField(
        _("mes notes personnelles (vous seul·e les lisez)"), blank=True
    )
    summary_to_share = models.TextField(
        _("résumé à partager avec l'équipe (avec l'accord du patient)"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.CharField(max_length=64, blank=True, default="")

    objects = StructureScopedManager("accompaniment__structure")

    class Meta:
        verbose_name = _("échange")
        verbose_name_plural = _("échanges")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["accompaniment", "occurred_at"], name="contact_accomp_date")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["accompaniment", "submission_token"],
                condition=~Q(submission_token=""),
                name="contact_unique_submission_token",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=1440),
                name="contact_duration_max_one_day",
                violation_error_message=_("Une durée de plus de 24 heures n'est pas possible."),
            ),
        ]

    def __str__(self):
        return f"Échange du {self.occurred_at:%d/%m/%Y}"


class Alert(models.Model):
    """An urgent alert from the partner to the designated professional(s)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="alerts"
    )
    message = models.TextField(_("ce qui vous inquiète"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    response = models.TextField(_("réponse au patient partenaire"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = StructureScopedManager("accompaniment__structure")

    class Meta:
        verbose_name = _("alerte urgente")
        verbose_name_plural = _("alertes urgentes")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["acknowledged_at", "raised_at"], name="alert_open")]

    def __str__(self):
        return f"Alerte du {self.raised_at:%d/%m/%Y %H:%M}"

    @property
    def is_open(self):
        return self.acknowledged_at is None


class Deadline(models.Model):
    """A scheduled reminder or warning. The background job fires rows whose ``due_at`` has
    passed and whose ``done_at`` is empty, and sets ``done_at`` in the same transaction:
    each fires once, and a restart or a second run changes nothing."""

    class Kind(models.TextChoices):
        FIRST_CONTACT_REMINDER = (
            "first_contact_reminder",
            _("Rappel du premier contact au partenaire"),
        )
        FIRST_CONTACT_OVERDUE = (
            "first_contact_overdue",
            _("Premier contact en retard : avertissement à l'équipe"),
        )
        KEY_MOMENT_REMINDER = "key_moment_reminder", _("Rappel d'un moment clé au partenaire")
        ALERT_SECOND_LINE = (
            "alert_second_line",
            _("Alerte non prise en compte : transmise aux autres professionnels désignés"),
        )
        ALERT_ESCALATION = (
            "alert_escalation",
            _("Alerte non prise en compte : escalade à la coordination"),
        )

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="deadlines"
    )
    key_moment = models.ForeignKey(
        KeyMoment, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    # True when the job found nothing left to do (e.g. the first contact was logged).
    skipped = models.BooleanField(default=False)

    objects = StructureScopedManager("accompaniment__structure")

    class Meta:
        verbose_name = _("échéance")
        verbose_name_plural = _("échéances")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["done_at", "due_at"], name="deadline_pending")]

    def __str__(self):
        return self.key


class Notification(models.Model):
    """An in-app message (the e-mail sent beside it carries no patient data)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey("people.Structure", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accompaniment_notifications",
    )
    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self):
        return self.text


class PatientFeedback(models.Model):
    class Usefulness(models.IntegerChoices):
        NOT_AT_ALL = 1, _("Pas du tout")
        A_LITTLE = 2, _("Un peu")
        QUITE = 3, _("Assez")
        A_LOT = 4, _("Beaucoup")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accompaniment = models.OneToOneField(
        Accompaniment, on_delete=models.CASCADE, related_name="feedback"
    )
    usefulness = models.PositiveSmallIntegerField(
        _("cet accompagnement vous a-t-il aidé·e ?"), choices=Usefulness.choices
    )
    felt_listened_to = models.BooleanField(_("je me suis senti·e écouté·e"), default=True)
    would_recommend = models.BooleanField(
        _("je le recommanderais à une autre personne"), default=True
    )
    comment = models.TextField(_("un mot pour l'équipe (facultatif)"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager("accompaniment__structure")

    class Meta:
        verbose_name = _("avis du patient")
        verbose_name_plural = _("avis des patients")

    def __str__(self):
        return f"Avis ({self.get_usefulness_display()})"


class SupervisionSession(models.Model):
    """A supervision session of a partner with the supervisor they chose; notes are private."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey("people.Structure", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    supervisor_name = models.CharField(
        _("superviseur·e (nom, fonction)"), max_length=200, blank=True
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("superviseur·e dans l'équipe"),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=60)
    private_notes = models.TextField(_("mes notes (vous seul·e les lisez)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("séance de supervision")
        verbose_name_plural = _("séances de supervision")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"Supervision du {self.date:%d/%m/%Y}"


def new_calendar_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The private URL of a partner's key-moment calendar (ICS).

    Only the token's hash is stored, like API tokens: the address is shown once, when it is
    created; renewing replaces it, closing revokes it.
    """

    partner = models.OneToOneField(
        "partners.Partner", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("désactivé le"), null=True, blank=True)

    objects = StructureScopedManager("partner__structure")

    class Meta:
        verbose_name = _("agenda privé")
        verbose_name_plural = _("agendas privés")

    def __str__(self):
        return f"Agenda de {self.partner_id}"


class FiguresVersion(models.Model):
    """The version of a structure's accompaniment figures: every write that may change them
    (an accompaniment, its patient's feedback, a partner, a patient) draws a new one, in the
    writer's transaction. The dashboard keeps its figures for one version
    (binome.accompaniment.stats.kept_figures); the row is created by the first reader."""

    structure = models.OneToOneField(
        "people.Structure", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("version des chiffres d'accompagnement")
        verbose_name_plural = _("versions des chiffres d'accompagnement")

    def __str__(self):
        return f"{self.structure_id}: {self.version}"
