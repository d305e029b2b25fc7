"""Backing services that are configured but cannot be reached are said at start-up, in French,
by the web server (binome.wsgi), the worker and every `binome` command (a system check) —
not discovered by a person at the first request (issue 17).

Each one is optional: Redis (REDIS_URL) for the shared cache, rate limits, sign-in lockout
and sessions; S3-compatible object storage (BINOME_S3_BUCKET) for uploaded files.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

PROBE_KEY = "binome:startup-probe"


def _redis_problem() -> str:
    from django.core.cache import cache

    try:
        cache.set(PROBE_KEY, "ok", 30)
        if cache.get(PROBE_KEY) != "ok":
            raise RuntimeError(_("une valeur écrite n'a pas pu être relue"))
    except Exception as exc:  # any failure of the client: refused, timeout, auth
        return _(
            "Redis est configuré (REDIS_URL) mais ne répond pas : %(error)s. Vérifiez l'adresse, "
            "le mot de passe et que le service est démarré ; sans lui, les limites d'envoi et les "
            "sessions ne seraient pas partagées entre les serveurs."
        ) % {"error": str(exc).rstrip(".")}
    return ""


def _storage_problem() -> str:
    from django.core.files.storage import default_storage

    try:
        # S3Storage's boto3 resource (the only storage this is called for).
        client = default_storage.connection.meta.client  # type: ignore[attr-defined]
        client.head_bucket(Bucket=settings.S3_BUCKET)
    except Exception as exc:  # unreachable endpoint, unknown bucket, refused credentials
        return _(
            "Le stockage objet est configuré (BINOME_S3_BUCKET « %(bucket)s ») mais ne répond pas : "
            "%(error)s. Vérifiez l'adresse (BINOME_S3_ENDPOINT_URL), les clés et que le compartiment "
            "existe ; sans lui, les justificatifs déposés ne pourraient être ni enregistrés ni lus."
        ) % {"bucket": settings.S3_BUCKET, "error": str(exc).rstrip(".")}
    return ""


def problems() -> list[str]:
    found = []
    if getattr(settings, "BINOME_CACHE", "") == "redis":
        found.append(_redis_problem())
    if getattr(settings, "S3_BUCKET", ""):
        found.append(_storage_problem())
    return [p for p in found if p]


def verify():
    """Refuse to start (ImproperlyConfigured, in French) when a configured service is down."""
    found = problems()
    if found:
        raise ImproperlyConfigured("\n".join(found))


@register("binome_services")
def check_backing_services(app_configs=None, **kwargs):
    return [Error(message, id="binome.E100") for message in problems()]
