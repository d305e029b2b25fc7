"""Signed-in sessions for load tests, as tests/conftest.py force_verified_login does.

A session row is created for the user with the second factor marked as passed (a confirmed
TOTP device named "bench"); the sign-in flow itself is tested elsewhere.
"""

from django.conf import settings
from django.test import Client


def verified_client(user) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="binome.accounts.backends.ModelBackend")
    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def session_cookie(client: Client) -> str:
    """The Cookie header value that carries the client's session."""
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
