"""People and structures: the user, the structures, the networks and who belongs where."""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core import choices as choices_labels
from binome.core.roles import DOCTOR_PROFESSIONS, ROLES_SEEING_PATIENT_DATA, Profession, Role  # noqa: F401  (re-exported)
from binome.people import identifiers


def choice_label(choices, value):
    """The label of a stored value, like get_FOO_display() without rebuilding the whole
    list of choices at each call (it counts in long lists: once per row)."""
    return choices_labels.label(choices, value)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # The professional's national identifier. Verified means read from Pro Santé Connect;
    # a number typed in an invitation is kept but never used to sign someone in.
    rpps = models.CharField(
        _("numéro RPPS"), max_length=11, blank=True, validators=[identifiers.validate_rpps]
    )
    rpps_verified_at = models.DateTimeField(
        _("RPPS vérifié par Pro Santé Connect le"), null=True, blank=True
    )
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration technique"), default=False)
    # Demo accounts may skip the second factor; production settings refuse demo mode.
    is_demo = models.BooleanField(_("compte de démonstration"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(
                fields=["rpps"], condition=~Q(rpps=""), name="user_rpps_unique"
            ),
        ]

    def __str__(self):
        return self.name_of(self.first_name, self.last_name, self.email)

    @classmethod
    def name_of(cls, first_name: str, last_name: str, email: str) -> str:
        """How a person is named in lists: full name, else e-mail address."""
        return cls.full_name_of(first_name, last_name) or email

    def get_full_name(self):
        return self.full_name_of(self.first_name, self.last_name)

    @staticmethod
    def full_name_of(first_name: str, last_name: str) -> str:
        """The full name from the two columns (lists read them without the user)."""
        return f"{first_name} {last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Region(models.TextChoices):
    ARA = "ARA", "Auvergne-Rhône-Alpes"
    BFC = "BFC", "Bourgogne-Franche-Comté"
    BRE = "BRE", "Bretagne"
    CVL = "CVL", "Centre-Val de Loire"
    COR = "COR", "Corse"
    GES = "GES", _("Grand Est")
    HDF = "HDF", "Hauts-de-France"
    IDF = "IDF", "Île-de-France"
    NOR = "NOR", "Normandie"
    NAQ = "NAQ", "Nouvelle-Aquitaine"
    OCC = "OCC", "Occitanie"
    PDL = "PDL", _("Pays de la Loire")
    PAC = "PAC", _("Provence-Alpes-Côte d'Azur")
    GUA = "GUA", "Guadeloupe"
    GUF = "GUF", "Guyane"
    MTQ = "MTQ", "Martinique"
    MAY = "MAY", "Mayotte"
    REU = "REU", _("La Réunion")


class Agreement(models.TextChoices):
    """The conventional agreement a structure signed with the Assurance maladie, which decides
    whether (and how) its users' involvement earns points (binome.involvement.aci)."""

    NONE = "", _("Aucun accord conventionnel signé")
    ACI_MSP = "aci_msp", _("ACI des structures de santé pluriprofessionnelles (MSP)")
    ACI_CPTS = "aci_cpts", _("ACI des communautés professionnelles territoriales de santé (CPTS)")
    ACCORD_CDS = "accord_cds", _("Accord national des centres de santé")


class Structure(models.Model):
    class Kind(models.TextChoices):
        MSP = "msp", _("Maison de santé pluriprofessionnelle (MSP)")
        CPTS = "cpts", _("Communauté professionnelle territoriale de santé (CPTS)")
        HEALTH_CENTRE = "centre", _("Centre de santé")
        ESP = "esp", _("Équipe de soins primaires (ESP)")
        HOSPITAL_SERVICE = (
            "service",
            _("Service hospitalier ou de centre de lutte contre le cancer"),
        )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifiant court"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de structure"), max_length=20, choices=Kind.choices)
    finess = models.CharField(
        _("numéro FINESS"), max_length=9, blank=True, validators=[identifiers.validate_finess]
    )
    siret = models.CharField(
        _("numéro SIRET"), max_length=14, blank=True, validators=[identifiers.validate_siret]
    )
    region = models.CharField(_("région"), max_length=3, choices=Region.choices)
    department = models.CharField(_("département (numéro)"), max_length=3, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    aci_signatory = models.BooleanField(
        _("signataire d'un accord conventionnel (ACI ou accord national)"), default=False
    )
    # Empty: the agreement of the structure's kind when it is a signatory (Structure.agreement).
    signed_agreement = models.CharField(
        _("accord conventionnel signé"),
        max_length=20,
        choices=Agreement.choices,
        blank=True,
        default="",
        help_text=_(
            "Laissez vide pour l'accord de votre type de structure : ACI pour une MSP ou une CPTS, "
            "accord national pour un centre de santé."
        ),
    )
    health_project_year = models.PositiveSmallIntegerField(
        _("année du projet de santé"), null=True, blank=True
    )
    patient_count = models.PositiveIntegerField(
        _("patientèle (nombre de patients)"), null=True, blank=True
    )
    # First-contact deadline for peer accompaniment (seed 002: target 24-48 h).
    first_contact_deadline_hours = models.PositiveSmallIntegerField(
        _("délai de premier contact (heures)"), default=48
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finess="") | Q(finess__regex=r"^[0-9AB]{9}$"),
                name="structure_finess_format",
                violation_error_message=_("Le numéro FINESS doit comporter 9 caractères."),
            ),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"),
                name="structure_siret_format",
                violation_error_message=_("Le numéro SIRET doit comporter 14 chiffres."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def agreement(self) -> str:
        """The agreement in force: the one recorded, else the one of the kind for a signatory.
        A hospital or cancer-centre service, an ESP or a non-signatory has none."""
        if self.signed_agreement:
            return self.signed_agreement
        return DEFAULT_AGREEMENT.get(self.kind, "") if self.aci_signatory else ""

    @property
    def agreement_label(self) -> str:
        return str(Agreement(self.agreement).label)


DEFAULT_AGREEMENT = {
    Structure.Kind.MSP: Agreement.ACI_MSP,
    Structure.Kind.CPTS: Agreement.ACI_CPTS,
    Structure.Kind.HEALTH_CENTRE: Agreement.ACCORD_CDS,
}


class Network(models.Model):
    """A regional network or facilitator supporting many teams (Fécop, APMSL, ...)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifiant court"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    region = models.CharField(_("région"), max_length=3, choices=Region.choices, blank=True)
    structures = models.ManyToManyField(
        Structure, through="NetworkAffiliation", related_name="networks", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("réseau régional")
        verbose_name_plural = _("réseaux régionaux")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NetworkAffiliationQuerySet(models.QuerySet):
    def opted_in(self):
        return self.filter(opted_out_at__isnull=True)


class NetworkAffiliation(models.Model):
    """A structure's opt-in to a network: only then does the network see its aggregates."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="affiliations")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="affiliations")
    opted_in_at = models.DateTimeField(_("adhésion le"), default=timezone.now)
    opted_out_at = models.DateTimeField(_("retrait le"), null=True, blank=True)

    objects = NetworkAffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion à un réseau")
        verbose_name_plural = _("adhésions à un réseau")
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "network"],
                name="unique_network_affiliation",
                violation_error_message=_("Cette structure a déjà rejoint ce réseau."),
            )
        ]

    def __str__(self):
        return f"{self.structure} → {self.network}"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_role(self, *roles):
        return self.filter(role__in=roles)


class Membership(models.Model):
    """A person's role in a structure. Deactivated, never deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    profession = models.CharField(
        _("profession"), max_length=20, choices=Profession.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure", "role"],
                name="unique_membership_role",
                violation_error_message=_("Cette personne a déjà ce rôle dans la structure."),
            ),
            models.CheckConstraint(
                condition=Q(role="professional") | Q(profession=""),
                name="membership_profession_only_for_professionals",
                violation_error_message=_("Seuls les professionnels de santé ont une profession."),
            ),
        ]
        indexes = [
            # Member list of a structure, filtered by role (people.views.members).
            models.Index(fields=["structure", "role", "is_active"], name="membership_struct_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.structure})"

    @property
    def role_label(self):
        return choice_label(Role, self.role)

    @property
    def profession_label(self):
        return self.profession_label_of(self.profession)

    @staticmethod
    def profession_label_of(profession: str) -> str:
        return choice_label(Profession, profession) if profession else ""

    @property
    def is_doctor(self):
        return self.role == Role.PROFESSIONAL and self.profession in DOCTOR_PROFESSIONS


class NetworkMembership(models.Model):
    """A facilitator's place in a regional network."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="network_memberships")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accompagnateur régional")
        verbose_name_plural = _("accompagnateurs régionaux")
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="unique_network_membership")
        ]

    def __str__(self):
        return f"{self.user} — {self.network}"


class InvitationQuerySet(models.QuerySet):
    def pending(self, at=None):
        """Neither accepted, revoked nor expired at ``at`` (now; ``Now()`` for the database's
        clock, as the home page's counters do so that their SQL does not change with time)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True).filter(
            expires_at__gt=timezone.now() if at is None else at
        )


class Invitation(models.Model):
    """An email invitation to join a structure with a role; the token is stored hashed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    profession = models.CharField(
        _("profession"), max_length=20, choices=Profession.choices, blank=True
    )
    rpps = models.CharField(
        _("numéro RPPS"),
        max_length=11,
        blank=True,
        validators=[identifiers.validate_rpps],
        help_text=_(
            "Pour un professionnel de santé : 11 chiffres. Il pourra se connecter avec Pro Santé Connect."
        ),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [
            # Pending invitations of a structure (people.views.members).
            models.Index(fields=["structure", "accepted_at"], name="invitation_struct_pending"),
        ]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()} ({self.structure})"

    @property
    def is_pending(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class DemoKey(models.Model):
    """The demo loader's own key for each object it creates: it finds them again by this key,
    never by a title a user can type (a coordinator may well create "Diabète de type 2")."""

    key = models.CharField(max_length=200, unique=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = "clé de démonstration"
        verbose_name_plural = "clés de démonstration"

    def __str__(self):
        return self.key
