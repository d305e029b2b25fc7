"""The OpenAPI schema documents the error answers (ApiError), and real errors match it."""

import json

import pytest
from django.test import Client

from binome.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

ERROR_REF = {"$ref": "#/components/schemas/ApiError"}
FHIR_JSON = "application/fhir+json"


@pytest.fixture
def schema():
    return Client().get("/api/v1/openapi.json").json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _validate(value, node, schema, where="$"):
    """A small JSON Schema checker for what ApiError uses: $ref, anyOf, object, array, string, null."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _validate(value, schema["components"]["schemas"][name], schema, where)
    if "anyOf" in node:
        for option in node["anyOf"]:
            try:
                return _validate(value, option, schema, where)
            except AssertionError:
                continue
        raise AssertionError(f"{where}: {value!r} matches no option")
    kind = node.get("type")
    if kind == "object":
        assert isinstance(value, dict), f"{where}: object expected"
        assert set(node.get("required", [])) <= set(value), f"{where}: missing {node['required']}"
        if node.get("additionalProperties") is False:
            assert set(value) <= set(node["properties"]), (
                f"{where}: unexpected {set(value) - set(node['properties'])}"
            )
        for key, item in value.items():
            if key in node.get("properties", {}):
                _validate(item, node["properties"][key], schema, f"{where}.{key}")
    elif kind == "array":
        assert isinstance(value, list), f"{where}: array expected"
        for i, item in enumerate(value):
            _validate(item, node["items"], schema, f"{where}[{i}]")
    elif kind == "string":
        assert isinstance(value, str), f"{where}: string expected"
    elif kind == "null":
        assert value is None, f"{where}: null expected"
    else:
        raise AssertionError(f"{where}: unsupported schema {node}")


def _schema_of(response):
    return response.get("content", {}).get("application/json", {}).get("schema")


def test_the_error_component_is_detail_and_optional_field_errors(schema):
    error = schema["components"]["schemas"]["ApiError"]
    assert error["required"] == ["detail"] and error["additionalProperties"] is False
    assert set(error["properties"]) == {"detail", "errors"}
    item = schema["components"]["schemas"]["ApiErrorItem"]
    assert set(item["required"]) == {"field", "message"}


def test_every_operation_documents_its_error_answers(schema):
    operations = list(_operations(schema))
    assert len(operations) > 50
    for name, operation in operations:
        expected = {"404", "422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if "requestBody" in operation:
            expected.add("400")
        documented = {
            code for code, r in operation["responses"].items() if _schema_of(r) == ERROR_REF
        }
        if "/fhir/" in name:
            # FHIR operations answer their own errors as an OperationOutcome (FHIR JSON).
            outcome = {"$ref": "#/components/schemas/OperationOutcome"}
            documented |= {
                code
                for code, r in operation["responses"].items()
                if r.get("content", {}).get(FHIR_JSON, {}).get("schema") == outcome
            }
        assert expected <= documented, f"{name}: {sorted(expected - documented)} not documented"
        assert any(code.startswith("2") for code in operation["responses"]), name
        # gunicorn's own answer to a too long address, before the application: HTML.
        assert "text/html" in operation["responses"]["414"]["content"], name


def test_public_posts_document_413_and_429_and_no_401(schema):
    for path in [
        "/api/v1/voice/public/surveys/{token}/responses",
        "/api/v1/voice/public/{slug}/ideas",
    ]:
        responses = schema["paths"][path]["post"]["responses"]
        assert responses["413"]["content"]["application/json"]["schema"] == ERROR_REF
        assert responses["429"]["content"]["application/json"]["schema"] == ERROR_REF
        assert "401" not in responses


def _answers(world):
    _, raw = ApiToken.issue(world.users["coordinator"], "test")
    _, patient = ApiToken.issue(world.users["patient"], "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    c = Client()
    members = f"/api/v1/structures/{world.a.slug}/members/"
    return {
        "401": c.get("/api/v1/me"),
        "403": c.get(members, HTTP_AUTHORIZATION=f"Bearer {patient}"),
        "404": c.get(f"/api/v1/structures/{world.b.slug}", **auth),
        "404 unknown address": c.get("/api/v1/n-existe-pas/", **auth),
        "422 query": c.get(members + "?page=0", **auth),
        "422 body": c.generic(
            "PATCH",
            f"/api/v1/structures/{world.a.slug}",
            json.dumps({"siret": "123"}),
            "application/json",
            **auth,
        ),
        "400": c.generic(
            "PATCH",
            f"/api/v1/structures/{world.a.slug}",
            "{pas du json",
            "application/json",
            **auth,
        ),
        "405": c.delete("/api/v1/me", **auth),
    }


def test_actual_error_answers_validate_against_the_documented_schema(world, schema):
    for label, response in _answers(world).items():
        status = label.split()[0]
        assert response.status_code == int(status), label
        assert response["Content-Type"].startswith("application/json"), label
        body = response.json()
        _validate(body, ERROR_REF, schema)
        assert body["detail"].strip(), label
        if status == "422":
            assert body["errors"] and all(e["message"] for e in body["errors"]), label


def test_malformed_json_and_wrong_method_answer_in_french(world):
    answers = _answers(world)
    assert (
        answers["400"].json()["detail"] == "Requête illisible : le corps doit être un JSON valide."
    )
    assert answers["405"].json()["detail"] == "Méthode HTTP non autorisée pour cette adresse."
    assert answers["405"]["Allow"] == "GET"
    assert answers["404 unknown address"].json() == {"detail": "Ressource introuvable."}


def test_the_validator_rejects_another_shape(schema):
    with pytest.raises(AssertionError):
        _validate({"message": "x"}, ERROR_REF, schema)
    with pytest.raises(AssertionError):
        _validate({"detail": "x", "errors": [{"message": "y"}]}, ERROR_REF, schema)


def _schema_models():
    """Every pydantic model of ours an operation reads or answers, by class name."""
    import typing

    from pydantic import BaseModel

    from binome.api.base import api

    by_name: dict[str, set] = {}
    seen: set = set()

    def visit(annotation):
        for argument in typing.get_args(annotation):
            visit(argument)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return
        if annotation in seen:
            return
        seen.add(annotation)
        if annotation.__module__.startswith("binome."):  # not django-ninja's wrappers
            by_name.setdefault(annotation.__name__, set()).add(annotation)
        for field in annotation.model_fields.values():
            visit(field.annotation)

    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    visit(model)
                for model in (operation.response_models or {}).values():
                    visit(model)
    return by_name


def test_each_schema_name_is_one_model_so_the_document_shows_the_right_one(schema):
    """The document keys its components by class name: two models of the same name (a
    partner's meeting and a users' committee meeting) left one of them documented with the
    other's fields."""
    models = _schema_models()
    assert len(models) > 100
    assert {name: classes for name, classes in models.items() if len(classes) > 1} == {}
    components = schema["components"]["schemas"]
    for name, (model,) in models.items():
        if name in components and "properties" in components[name]:
            documented = set(components[name]["properties"])
            # Answers are documented by field name, bodies by alias.
            names = set(model.model_fields)
            aliases = {f.alias or n for n, f in model.model_fields.items()}
            assert documented in (names, aliases), name


def test_fhir_answers_are_the_documented_fhir_json(world, schema):
    """Resources and their errors come as application/fhir+json, as documented; a missing
    token or parameter is answered by the API's layers (ApiError) like everywhere else."""
    from tests.accompaniment.factories import AccompanimentFactory

    acc = AccompanimentFactory(structure=world.a)
    _, raw = ApiToken.issue(world.users["coordinator"], "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    c = Client()
    answers = {
        ("/api/v1/fhir/Organization", "200"): c.get("/api/v1/fhir/Organization", **auth),
        # A coordinator reads no care team: FHIR's own refusal.
        ("/api/v1/fhir/CareTeam/{resource_id}", "403"): c.get(
            f"/api/v1/fhir/CareTeam/{acc.public_id}", **auth
        ),
        ("/api/v1/fhir/CareTeam/{resource_id}", "404"): c.get("/api/v1/fhir/CareTeam/0", **auth),
        ("/api/v1/fhir/Consent", "422"): c.get("/api/v1/fhir/Consent", **auth),
        ("/api/v1/fhir/Organization", "401"): c.get("/api/v1/fhir/Organization"),
    }
    for (path, status), response in answers.items():
        assert response.status_code == int(status), (path, status)
        documented = schema["paths"][path]["get"]["responses"][status]["content"]
        (content_type,) = documented
        assert response["Content-Type"].startswith(content_type), (path, status)
        _validate(response.json(), documented[content_type]["schema"], schema)
