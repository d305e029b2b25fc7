"""Core API: tokens, /me, structures, members, pagination, French JSON errors."""

import json

import pytest
from django.test import Client

from binome.accounts.models import ApiToken
from binome.audit.models import AuditEvent
from binome.people.models import Role, Structure
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _token(user):
    _, raw = ApiToken.issue(user, "test")
    return raw


def _get(url, user=None, raw=None):
    headers = {}
    if user is not None or raw is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw or _token(user)}"
    return Client().get(url, **headers)


def _patch(url, user, body):
    return Client().generic(
        "PATCH",
        url,
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_token(user)}",
    )


def test_openapi_schema_is_public_json(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/me" in schema["paths"]
    assert "patch" in schema["paths"]["/api/v1/structures/{slug}"]


@pytest.mark.parametrize(
    "header", [None, "Bearer ", "Bearer inconnu", "Token demo", "Basic dXNlcjpwYXNz"]
)
def test_missing_or_bad_token_is_401_json_in_french(db, header):
    headers = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = Client().get("/api/v1/me", **headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("Authentification requise")


def test_session_cookie_does_not_authenticate_the_api(world):
    client = world.client_for("coordinator")
    assert client.get("/api/v1/me").status_code == 401


def test_token_of_an_inactive_user_is_refused(world):
    user = world.users["doctor"]
    raw = _token(user)
    user.is_active = False
    user.save()
    assert _get("/api/v1/me", raw=raw).status_code == 401


def test_me_returns_the_caller_and_memberships(world):
    other = MembershipFactory(user=world.users["doctor"], structure=world.b, role=Role.PARTNER)
    data = _get("/api/v1/me", world.users["doctor"]).json()
    assert data["email"] == "doctor@a.test"
    assert data["id"] == str(world.users["doctor"].public_id)
    roles = {(m["structure"]["slug"], m["role"]) for m in data["memberships"]}
    assert roles == {(world.a.slug, "professional"), (world.b.slug, "partner")}
    assert other.get_role_display() in {m["role_label"] for m in data["memberships"]}
    assert data["networks"] == []


def test_me_of_a_facilitator_lists_the_network(world):
    data = _get("/api/v1/me", world.users["facilitator"]).json()
    assert data["memberships"] == []
    assert [n["slug"] for n in data["networks"]] == [world.network.slug]


def test_last_use_of_a_token_is_recorded(world):
    raw = _token(world.users["doctor"])
    _get("/api/v1/me", raw=raw)
    assert ApiToken.objects.get(user=world.users["doctor"]).last_used_at is not None


def test_structures_lists_only_the_callers(world):
    data = _get("/api/v1/structures/", world.users["coordinator"]).json()
    assert data["count"] == 1
    assert [s["slug"] for s in data["items"]] == [world.a.slug]


def test_structure_detail_and_404_for_another_structure(world):
    user = world.users["partner"]
    assert _get(f"/api/v1/structures/{world.a.slug}", user).json()["name"] == world.a.name
    assert _get(f"/api/v1/structures/{world.a.public_id}", user).status_code == 200
    for ref in [world.b.slug, world.b.public_id, "n-existe-pas"]:
        response = _get(f"/api/v1/structures/{ref}", user)
        assert response.status_code == 404
        assert response.json() == {"detail": "Ressource introuvable."}


def test_members_paginated_and_emails_for_coordinators_only(world):
    for i in range(55):
        MembershipFactory(structure=world.a, role=Role.PARTNER, user__email=f"p{i}@a.test")
    url = f"/api/v1/structures/{world.a.slug}/members/"
    first = _get(url, world.users["coordinator"]).json()
    # 5 team members of the world (patients excluded) + 55 partners.
    assert first["count"] == 60
    assert len(first["items"]) == 50
    assert all(item["email"] for item in first["items"])
    second = _get(url + "?page=2", world.users["coordinator"]).json()
    assert len(second["items"]) == 10
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})
    as_partner = _get(url, world.users["partner"]).json()
    assert all(item["email"] is None for item in as_partner["items"])
    assert "patient" not in {item["role"] for item in first["items"] + second["items"]}


def test_members_of_another_structure_is_404_and_patients_get_403(world):
    assert (
        _get(f"/api/v1/structures/{world.b.slug}/members/", world.users["coordinator"]).status_code
        == 404
    )
    forbidden = _get(f"/api/v1/structures/{world.a.slug}/members/", world.users["patient"])
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "Action non autorisée pour votre rôle."


def test_bad_page_number_is_422_in_french(world):
    response = _get(
        f"/api/v1/structures/{world.a.slug}/members/?page=abc", world.users["coordinator"]
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Données invalides")
    assert body["errors"][0]["message"] == "Nombre entier attendu."


# --- writing: PATCH /structures/{slug} ----------------------------------------------


def test_coordinator_updates_the_structure_through_the_api(world):
    response = _patch(
        f"/api/v1/structures/{world.a.slug}",
        world.users["coordinator"],
        {"commune": "Balma", "siret": "732 829 320 00074"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["commune"] == "Balma"
    world.a.refresh_from_db()
    assert world.a.commune == "Balma" and world.a.siret == "73282932000074"
    # Fields not sent are kept.
    assert world.a.name == "MSP Alpha"
    event = AuditEvent.objects.get(kind="people.structure_updated")
    assert event.structure == world.a and event.data["via"] == "api"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"siret": "12345678901234"}, "siret", "Numéro SIRET invalide"),
        ({"finess": "12"}, "finess", "Numéro FINESS invalide"),
        ({"kind": "chateau"}, "kind", "Sélectionnez un choix valide"),
        ({"health_project_year": 1800}, "health_project_year", "Année invalide."),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
        ({"health_project_year": "deux mille"}, "health_project_year", "Nombre entier attendu."),
        ({"aci_signatory": "peut-être"}, "aci_signatory", "Valeur vrai/faux attendue."),
    ],
)
def test_bad_structure_patch_is_422_in_french_and_nothing_written(world, body, field, message):
    before = Structure.objects.filter(pk=world.a.pk).values().get()
    response = _patch(f"/api/v1/structures/{world.a.slug}", world.users["coordinator"], body)
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] == "Données invalides : vérifiez les champs signalés."
    assert any(e["field"] == field and e["message"].startswith(message) for e in data["errors"]), (
        data
    )
    assert Structure.objects.filter(pk=world.a.pk).values().get() == before
    assert not AuditEvent.objects.filter(kind="people.structure_updated").exists()


def test_malformed_json_is_422_in_french(world):
    response = _patch(
        f"/api/v1/structures/{world.a.slug}", world.users["coordinator"], "{pas du json"
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_non_coordinators_cannot_patch_and_other_structures_are_404(world):
    url = f"/api/v1/structures/{world.a.slug}"
    for persona in ["doctor", "partner", "user_rep", "patient"]:
        assert _patch(url, world.users[persona], {"commune": "X"}).status_code == 403, persona
    assert (
        _patch(
            f"/api/v1/structures/{world.b.slug}", world.users["coordinator"], {"commune": "X"}
        ).status_code
        == 404
    )
    world.b.refresh_from_db()
    world.a.refresh_from_db()
    assert "X" not in (world.a.commune, world.b.commune)


def test_plausible_dates_and_local_times_of_the_api_types():
    import datetime as dt

    from pydantic import TypeAdapter, ValidationError

    from binome.api.core import LocalTime, PlausibleDate, PlausibleDateTime

    assert TypeAdapter(PlausibleDate).validate_python("2026-11-23") == dt.date(2026, 11, 23)
    assert TypeAdapter(PlausibleDateTime).validate_python("2100-12-31T23:00:00+01:00").year == 2100
    assert TypeAdapter(LocalTime).validate_python("09:05") == dt.time(9, 5)
    for adapter, value in [
        (PlausibleDate, "1899-12-31"),
        (PlausibleDate, "2101-01-01"),
        (PlausibleDateTime, "0001-01-01T00:00:00+05:00"),
        (LocalTime, "09:05+02:00"),
    ]:
        with pytest.raises(ValidationError):
            TypeAdapter(adapter).validate_python(value)
