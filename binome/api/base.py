"""The API: /api/v1/, Bearer tokens, JSON errors in French, 404 outside the caller's structures.

Each app adds ``<app>/api.py`` defining ``router = Router(tags=[...])``; it is mounted at
``/api/v1/<prefix>/`` where prefix is ``ROUTER_PREFIX`` in that module (default: the app label).
The token is resolved by CurrentStructureMiddleware, which also opens the query scope on
every structure of the caller; ``request.binome`` lists their memberships.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer


class BearerToken(HttpBearer):
    def __call__(self, request):
        # The middleware already authenticated the bearer token (one place for both).
        if getattr(request, "api_token", None) is not None and request.user.is_authenticated:
            return request.user
        return None

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


api = NinjaAPI(
    title="Binôme API",
    version="1",
    description="API de Binôme : jeton personnel dans l'en-tête Authorization: Bearer <jeton>.",
    auth=BearerToken(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)


def error(request, status, message, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error(request, 401, "Authentification requise : jeton d'API absent, invalide ou révoqué.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "Ressource introuvable.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error(request, 403, "Action non autorisée pour votre rôle.")


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = [{"field": _field(e.get("loc", [])), "message": _french(e)} for e in exc.errors]
    return error(request, 422, "Données invalides : vérifiez les champs signalés.", errors=errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc):
    if hasattr(exc, "message_dict"):
        errors = [{"field": f, "message": m} for f, msgs in exc.message_dict.items() for m in msgs]
    else:
        errors = [{"field": None, "message": m} for m in exc.messages]
    return error(request, 422, "Données invalides : vérifiez les champs signalés.", errors=errors)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    message = str(exc.message) if exc.status_code != 500 else "Erreur interne."
    return error(request, exc.status_code, message)


_PYDANTIC_FR = {
    "missing": "Champ obligatoire.",
    "string_type": "Texte attendu.",
    "int_type": "Nombre entier attendu.",
    "int_parsing": "Nombre entier attendu.",
    "bool_type": "Valeur vrai/faux attendue.",
    "bool_parsing": "Valeur vrai/faux attendue.",
    "uuid_parsing": "Identifiant invalide.",
    "uuid_type": "Identifiant invalide.",
    "date_parsing": "Date invalide (format AAAA-MM-JJ).",
    "date_from_datetime_parsing": "Date invalide (format AAAA-MM-JJ).",
    "datetime_parsing": "Date et heure invalides (format ISO 8601).",
    "datetime_from_date_parsing": "Date et heure invalides (format ISO 8601).",
    "decimal_parsing": "Nombre décimal attendu.",
    "float_parsing": "Nombre attendu.",
    "string_too_long": "Texte trop long.",
    "string_too_short": "Texte trop court.",
    "value_error": "Valeur invalide.",
    "enum": "Valeur non autorisée.",
    "literal_error": "Valeur non autorisée.",
    "greater_than_equal": "Valeur trop petite.",
    "less_than_equal": "Valeur trop grande.",
    "greater_than": "Valeur trop petite.",
    "less_than": "Valeur trop grande.",
    "json_invalid": "JSON invalide.",
    "model_attributes_type": "Objet JSON attendu.",
    "dict_type": "Objet JSON attendu.",
    "list_type": "Liste attendue.",
}


def _field(loc) -> str | None:
    """("body", "payload", "siret") -> "siret"; ("query", "page") -> "page"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or None


def _french(e) -> str:
    if e.get("type") == "value_error" and e.get("ctx", {}).get("error"):
        return str(e["ctx"]["error"])
    return _PYDANTIC_FR.get(e.get("type", ""), "Valeur invalide.")
