"""Account changes: second factor, profile. Each writes and records its audit row together."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from binome.audit.services import record


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device a first enrolment shows as a QR code (one per user, reused)."""
    return TOTPDevice.objects.filter(
        user=user, confirmed=False
    ).first() or TOTPDevice.objects.create(
        user=user, name=_("Application d'authentification"), confirmed=False
    )


def pass_second_factor(request, device, *, enrolling: bool):
    """The code was right: confirm the device on a first enrolment, mark the session verified."""
    with transaction.atomic():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record("auth.second_factor_enabled", request=request)
        otp_login(request, device)
        record("auth.second_factor_verified", request=request)


def reset_second_factor(request):
    """Remove every device: the next page asks for a new enrolment."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).delete()
        record("auth.second_factor_reset", request=request)


def save_profile(form, *, request):
    with transaction.atomic():
        form.save()
        record("auth.profile_changed", request=request, fields=sorted(form.changed_data))
