"""State changes of people and structures: validate, write atomically, audit."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.core.tokens import hash_token
from binome.people import identifiers
from binome.people.models import Invitation, Membership, Role, User

INVITATION_VALIDITY = timedelta(days=14)


def invite(
    *,
    structure,
    email,
    role,
    profession="",
    first_name="",
    last_name="",
    rpps="",
    invited_by,
    request=None,
):
    """Create an invitation and email its link. Returns (invitation, url)."""
    email = email.strip().lower()
    rpps = identifiers.clean_rpps(rpps)
    if role != Role.PROFESSIONAL:
        profession = rpps = ""
    if (
        Membership.objects.active()
        .filter(structure=structure, user__email=email, role=role)
        .exists()
    ):
        raise ValidationError(_("Cette personne a déjà ce rôle dans la structure."))
    if Invitation.objects.pending().filter(structure=structure, email=email, role=role).exists():
        raise ValidationError(
            _("Une invitation est déjà en attente pour cette adresse et ce rôle.")
        )
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            structure=structure,
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=role,
            profession=profession,
            rpps=rpps,
            token_hash=hash_token(raw),
            invited_by=invited_by,
            expires_at=timezone.now() + INVITATION_VALIDITY,
        )
        record(
            "people.invitation_sent",
            actor=invited_by,
            structure=structure,
            target=invitation,
            request=request,
            role=role,
        )
    url = settings.SITE_URL + reverse("accounts:accept_invitation", args=[raw])
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "invitation": invitation,
            "url": url,
            "inviter": invited_by,
            "validity_days": INVITATION_VALIDITY.days,
        },
    )
    send_mail(
        _("Invitation à rejoindre %(name)s sur Binôme") % {"name": structure.name},
        body,
        None,
        [email],
    )
    return invitation, url


def find_invitation(raw_token):
    return (
        Invitation.objects.select_related("structure", "invited_by")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def revoke_invitation(invitation, *, actor, request=None):
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record(
            "people.invitation_revoked",
            actor=actor,
            structure=invitation.structure,
            target=invitation,
            request=request,
        )


def accept_invitation(
    invitation, *, user=None, first_name="", last_name="", password=None, request=None
):
    """Accept for an existing user, or create the account. Returns the user."""
    if not invitation.is_pending:
        raise ValidationError(_("Cette invitation n'est plus valable : demandez-en une nouvelle."))
    with transaction.atomic():
        if user is None:
            if User.objects.filter(email=invitation.email).exists():
                raise ValidationError(
                    _("Un compte existe déjà pour cette adresse : connectez-vous pour accepter.")
                )
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                first_name=first_name,
                last_name=last_name,
            )
        elif user.email != invitation.email:
            raise ValidationError(_("Cette invitation a été envoyée à une autre adresse e-mail."))
        if (
            invitation.rpps
            and not user.rpps
            and not User.objects.filter(rpps=invitation.rpps).exists()
        ):
            user.rpps = invitation.rpps
            user.save(update_fields=["rpps"])
        membership, created = Membership.objects.get_or_create(
            user=user,
            structure=invitation.structure,
            role=invitation.role,
            defaults={"profession": invitation.profession},
        )
        if not created and not membership.is_active:
            membership.is_active = True
            membership.deactivated_at = None
            membership.save(update_fields=["is_active", "deactivated_at"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record(
            "people.invitation_accepted",
            actor=user,
            structure=invitation.structure,
            target=invitation,
            request=request,
        )
    return user


def deactivate_membership(membership, *, actor, request=None):
    if membership.role == Role.COORDINATOR:
        remaining = (
            Membership.objects.active()
            .filter(structure=membership.structure, role=Role.COORDINATOR)
            .exclude(pk=membership.pk)
            .exists()
        )
        if not remaining:
            raise ValidationError(
                _("La structure doit garder au moins une coordinatrice ou un coordinateur.")
            )
    with transaction.atomic():
        membership.is_active = False
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["is_active", "deactivated_at"])
        record(
            "people.membership_deactivated",
            actor=actor,
            structure=membership.structure,
            target=membership,
            subject=membership.user,
            request=request,
        )
