"""The API: /api/v1/, Bearer tokens, JSON errors in French, 404 outside the caller's structures.

Each app adds ``<app>/api.py`` defining ``router = Router(tags=[...])``; it is mounted at
``/api/v1/<prefix>/`` where prefix is ``ROUTER_PREFIX`` in that module (default: the app label).
The token is resolved by CurrentStructureMiddleware, which also opens the query scope on
every structure of the caller; ``request.binome`` lists their memberships.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern, re_path
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from pydantic import ConfigDict


class BearerToken(HttpBearer):
    def __call__(self, request):
        # The middleware already authenticated the bearer token (one place for both).
        if getattr(request, "api_token", None) is not None and request.user.is_authenticated:
            return request.user
        return None

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


class ApiErrorItem(Schema):
    """One invalid field (None when the error is about the whole request)."""

    model_config = ConfigDict(extra="forbid", title="ApiErrorItem")

    field: str | None
    message: str


class ApiError(Schema):
    """Every error answer: a French message, and for 422 the invalid fields."""

    model_config = ConfigDict(extra="forbid", title="ApiError")

    detail: str
    errors: list[ApiErrorItem] | None = None


# Documented on every operation (the handlers below produce them, always as ApiError).
ERROR_RESPONSES = {
    400: gettext_lazy("Requête illisible (corps JSON invalide)."),
    401: gettext_lazy("Authentification requise : jeton d'API absent, invalide ou révoqué."),
    403: gettext_lazy("Action non autorisée pour votre rôle."),
    404: "Ressource introuvable (ou hors de vos structures).",
    422: gettext_lazy("Données invalides : vérifiez les champs signalés."),
}

# Not the application's answer: gunicorn refuses a request line over 4,094 bytes, in HTML.
URI_TOO_LONG = {
    "description": gettext_lazy(
        "Adresse trop longue : refusée par le serveur HTTP avant l'application (page HTML)."
    ),
    "content": {"text/html": {"schema": {"type": "string"}}},
}


class BinomeAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema documents the error answers of every operation.

    Every error is an ApiError, including django-ninja's own 405 (text) and unknown
    addresses under /api/v1/ (otherwise Django's HTML 404 page).
    """

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        return [*urls, re_path(r"^.*$", _not_found_view)]

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error_schema = ApiError.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error_schema.pop("$defs", {}))
        components["ApiError"] = error_schema
        for operations in schema["paths"].values():
            for operation in operations.values():
                statuses = [404, 422]
                if "requestBody" in operation:
                    statuses.append(400)
                if operation.get("security"):
                    statuses += [401, 403]
                responses = operation.setdefault("responses", {})
                for status in sorted(statuses):
                    responses.setdefault(str(status), _error_response(ERROR_RESPONSES[status]))
                responses.setdefault("414", URI_TOO_LONG)
        _document_fhir(schema, components)
        return schema


# The FHIR R4 operations (binome.fhir) answer resources and their own errors as FHIR JSON
# (HL7 FHIR R4, "RESTful API", 3.1.0.1.10: application/fhir+json; errors as an
# OperationOutcome). Authentication (401) and parameter (422) errors are answered by the API's
# layers before the operation runs, as everywhere else (ApiError).
FHIR_JSON = "application/fhir+json"
FHIR_RESOURCE = {
    "type": "object",
    "description": gettext_lazy("Ressource FHIR R4 (Bundle de type searchset pour une recherche)."),
    "required": ["resourceType"],
    "properties": {"resourceType": {"type": "string"}},
    "additionalProperties": True,
}
OPERATION_OUTCOME = {
    "type": "object",
    "description": gettext_lazy("Erreur FHIR : OperationOutcome, son texte en français."),
    "required": ["resourceType", "issue"],
    "properties": {
        "resourceType": {"type": "string", "enum": ["OperationOutcome"]},
        "issue": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["severity", "code"],
                "properties": {
                    "severity": {"type": "string"},
                    "code": {"type": "string"},
                    "diagnostics": {"type": "string"},
                },
            },
        },
    },
}


def _document_fhir(schema, components):
    components["FhirResource"] = FHIR_RESOURCE
    components["OperationOutcome"] = OPERATION_OUTCOME

    def answer(description, name):
        return {
            "description": description,
            "content": {FHIR_JSON: {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }

    for path, operations in schema["paths"].items():
        if "/fhir/" not in path:
            continue
        for operation in operations.values():
            responses = operation["responses"]
            responses["200"] = answer(
                responses.get("200", {}).get("description", "OK"), "FhirResource"
            )
            for status in ("403", "404"):
                if status in responses:  # 403 only where a token is asked for
                    description = ERROR_RESPONSES[int(status)]
                    responses[status] = answer(description, "OperationOutcome")


def _json_not_allowed(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error(request, 405, "Méthode HTTP non autorisée pour cette adresse.")
            response["Allow"] = allowed
        return response

    return wrapper


def _not_found_view(request, *args, **kwargs):
    return error(request, 404, "Ressource introuvable.")


_not_found_view.csrf_exempt = True


def _error_response(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
    }


NUL_MESSAGE = gettext_lazy("Caractère nul (\\0) interdit dans un texte.")


def _nul_at(value, path=()):
    """Where a text holds a NUL character, which PostgreSQL refuses to store (a 500 after the
    checks passed); None when there is none."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _nul_at(item, (*path, key))
        if found is not None:
            return found
    return None


class NoNulParser(Parser):
    """The JSON body, the query string and the form fields of every operation refuse a NUL
    character with a 422, as Django's own form fields do (ProhibitNullCharactersValidator)."""

    @staticmethod
    def _refuse(loc):
        raise ValidationError([{"loc": loc, "type": "value_error", "ctx": {"error": NUL_MESSAGE}}])

    def parse_body(self, request):
        data = super().parse_body(request)
        where = _nul_at(data)
        if where is not None:
            self._refuse(("body", "payload", *where))
        return data

    def parse_querydict(self, data, list_fields, request):
        for key, values in data.lists():
            # Uploaded files are read by the operation, not here (reading one consumes it).
            if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
                self._refuse(("query", key.replace("\x00", "")))
        return super().parse_querydict(data, list_fields, request)


api = BinomeAPI(
    title=gettext_lazy("Binôme API"),
    parser=NoNulParser(),
    version="1",
    description=gettext_lazy(
        "API de Binôme : jeton personnel dans l'en-tête Authorization: Bearer <jeton>."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)


def error(request, status, message, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error(
        request, 401, "Authentification requise : jeton d'API absent, invalide ou révoqué."
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "Ressource introuvable.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error(request, 403, str(exc) or "Action non autorisée pour votre rôle.")


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
    if isinstance(exc.__cause__, ValidationError):
        # The body was read but refused by NoNulParser: django-ninja turns whatever the
        # parser raises into a 400; it is invalid data, answered as such.
        return on_validation_error(request, exc.__cause__)
    if exc.status_code == 500:
        message = "Erreur interne."
    elif exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
        message = "Requête illisible : le corps doit être un JSON valide."  # django-ninja's own 400
    else:
        message = str(exc.message)
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
    "time_parsing": "Heure invalide (format HH:MM).",
    "time_type": "Heure invalide (format HH:MM).",
    "datetime_parsing": "Date et heure invalides (format ISO 8601).",
    "datetime_from_date_parsing": "Date et heure invalides (format ISO 8601).",
    "decimal_parsing": gettext_lazy("Nombre décimal attendu."),
    "float_parsing": "Nombre attendu.",
    "string_too_long": "Texte trop long.",
    "string_too_short": "Texte trop court.",
    "value_error": "Valeur invalide.",
    "enum": gettext_lazy("Valeur non autorisée."),
    "literal_error": gettext_lazy("Valeur non autorisée."),
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
