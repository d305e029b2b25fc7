"""Personal data of the core models (people, accounts, audit) and of the privacy app.

The core apps belong to the foundation; their registrations live here so that the
registry is complete from the start. Capability apps declare theirs in their own
``<app>/personal_data.py``.
"""

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.accounts.models import ApiToken
from binome.audit.models import AuditEvent
from binome.people.models import Invitation, Membership, Network, NetworkMembership, Structure, User
from binome.privacy.models import ProcessingDocument
from binome.privacy.registry import Person, not_personal, person_source, register


def _own_user(person):
    return User.objects.filter(pk=person.user.pk) if person.user else User.objects.none()


def _close_account(person):
    """What lives outside the registry: second factors, sign-in attempts, open sessions."""
    if person.user is None:
        return
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=person.user).delete()
    StaticDevice.objects.filter(user=person.user).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=person.emails).delete()
    # Sessions carry only the user id; an inactive account can no longer use them.


register(
    User,
    fields=[
        "email",
        "first_name",
        "last_name",
        "phone",
        "rpps",
        "rpps_verified_at",
        "date_joined",
        "last_login",
    ],
    subject=_own_user,
    erase="anonymise",
    # The row stays (audit rows and counts refer to it) but no longer says who it was.
    anonymise={
        "email": lambda user: f"efface-{user.public_id}@efface.invalid",
        "first_name": "",
        "last_name": "",
        "phone": "",
        "rpps": "",
        "rpps_verified_at": None,
        "is_active": False,
        "is_staff": False,
        "is_superuser": False,
        "password": lambda user: make_password(None),
        "last_login": None,
    },
    after_erase=_close_account,
    order=1000,
)

register(
    Membership,
    fields=["structure", "role", "profession", "is_active", "created_at", "deactivated_at"],
    subject=lambda person: (
        Membership.objects.filter(user=person.user).select_related("structure")
        if person.user
        else Membership.objects.none()
    ),
    # Kept, deactivated, for the team's counts; the account it points to is anonymised.
    erase="anonymise",
    anonymise={"is_active": False, "deactivated_at": lambda m: m.deactivated_at or timezone.now()},
)

register(
    NetworkMembership,
    fields=["network", "is_active", "created_at"],
    subject=lambda person: (
        NetworkMembership.objects.filter(user=person.user).select_related("network")
        if person.user
        else NetworkMembership.objects.none()
    ),
    erase="delete",
)

register(
    Invitation,
    fields=[
        "email",
        "first_name",
        "last_name",
        "role",
        "profession",
        "rpps",
        "created_at",
        "accepted_at",
        "revoked_at",
    ],
    subject=lambda person: Invitation.objects.filter(email__in=person.emails),
    erase="delete",
)

register(
    ApiToken,
    fields=["name", "prefix", "created_at", "last_used_at", "revoked_at"],
    subject=lambda person: (
        ApiToken.objects.filter(user=person.user) if person.user else ApiToken.objects.none()
    ),
    erase="delete",
    owner_only=True,
)

register(
    AuditEvent,
    fields=["created_at", "kind", "ip_address"],
    subject=lambda person: (
        AuditEvent.objects.filter(actor=person.user) if person.user else AuditEvent.objects.none()
    ),
    erase="keep",
    keep_reason=_(
        "Le journal d'audit est conservé pendant la durée légale (6 à 12 mois, CNIL) puis purgé "
        "automatiquement ; il ne contient aucun nom, et le compte auquel il renvoie est anonymisé."
    ),
)

# People invited who never created an account: found from the invitation.
person_source(
    Invitation,
    title=_("Personnes invitées sans compte"),
    queryset=lambda structure: Invitation.objects.filter(
        structure=structure, accepted_at__isnull=True
    ),
    to_person=lambda invitation: Person(email=invitation.email, records=(invitation,)),
)

not_personal(
    Structure,
    ["name"],
    reason=_("Nom de la structure (personne morale), pas d'une personne."),
)
not_personal(Network, ["name"], reason=_("Nom du réseau régional (personne morale)."))
not_personal(
    ProcessingDocument,
    ["sections"],
    reason=_(
        "Registre des traitements et AIPD de la structure : décrivent des traitements, pas des personnes."
    ),
)


# --- Retention of the core data -------------------------------------------------------

from binome.privacy.retention import retention_hook  # noqa: E402


@retention_hook("audit_log")
def purge_audit_log(cutoff, now):
    return AuditEvent.objects.purge_expired(now)


@retention_hook("invitations")
def forget_old_invitations(cutoff, now):
    from django.db.models import Q

    stale = Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(revoked_at__lt=cutoff) | Q(revoked_at__isnull=True, expires_at__lt=cutoff)
    )
    count, _ = stale.delete()
    return count


# Rules for the capability apps' data (contact notes, closed accompaniments, candidacies).
import binome.privacy.retention_rules  # noqa: E402, F401
