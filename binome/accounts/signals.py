from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from binome.audit.services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    backend = getattr(user, "backend", "") or ""
    kind = "auth.magic_link_login" if backend.startswith("sesame") else "auth.login"
    record(kind, actor=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the fact and the address: never the typed identifier or password.
    record("auth.login_failed", request=request)
