"""Compensation policy (decision recorded, shown on the sheet) and the missions/partners API."""

import html
import json

import pytest
from django.test import Client
from django.urls import reverse

from binome.accounts.models import ApiToken
from binome.missions.models import CompensationPolicy, Mission
from binome.partners.models import Partner
from tests.missions.factories import AssignmentFactory, MissionFactory
from tests.partners.factories import PartnerFactory, PartnerTagFactory, partner_for

pytestmark = pytest.mark.django_db

POLICY = {
    "mode": "flat_fee",
    "flat_fee_amount": "60,00",
    "decided_on": "2026-01-12",
    "decision_meeting": "Réunion d'équipe",
    "votes_for": "9",
    "votes_against": "1",
    "votes_abstain": "0",
    "vote_result": "Adoptée",
}


def _body(response):
    return html.unescape(response.content.decode())


def test_structure_policy_recorded_and_shown_on_sheet(world):
    client = world.client_for("coordinator")
    assert client.post(reverse("missions:compensation"), POLICY).status_code == 302
    policy = CompensationPolicy.objects.get(structure=world.a)
    assert str(policy.flat_fee_amount) == "60.00" and policy.votes_for == 9 and policy.is_current
    mission = MissionFactory(structure=world.a)
    AssignmentFactory(
        mission=mission, partner=partner_for(world), assigned_by=world.users["coordinator"]
    )
    body = _body(
        world.client_for("partner").get(reverse("missions:detail", args=[mission.public_id]))
    )
    assert (
        "Forfait par mission — 60.00 € par mission" in body
        or "Forfait par mission — 60,00 € par mission" in body
    )
    assert "Réunion d'équipe" in body and "Adoptée" in body
    # A mission's own policy wins over the structure's.
    client.post(
        reverse("missions:set_policy", args=[mission.public_id]),
        {**POLICY, "mode": "hourly", "hourly_rate": "25", "flat_fee_amount": ""},
    )
    body = _body(
        world.client_for("partner").get(reverse("missions:detail", args=[mission.public_id]))
    )
    assert "Taux horaire" in body and "Propre à cette mission" in body
    # A new structure decision replaces the current one, the old one is kept.
    client.post(
        reverse("missions:compensation"),
        {**POLICY, "mode": "volunteer_expenses", "flat_fee_amount": ""},
    )
    assert CompensationPolicy.objects.filter(structure=world.a, mission__isnull=True).count() == 2
    assert (
        CompensationPolicy.objects.get(
            structure=world.a, mission__isnull=True, is_current=True
        ).mode
        == "volunteer_expenses"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"flat_fee_amount": "-5"}, "Le montant ne peut pas être négatif."),
        ({"flat_fee_amount": ""}, "Indiquez le montant du forfait."),
        ({"flat_fee_amount": "douze"}, "Saisissez un montant"),
        ({"decided_on": ""}, "Indiquez la date de la décision"),
    ],
)
def test_bad_policy_input_changes_nothing(world, change, message):
    response = world.client_for("coordinator").post(
        reverse("missions:compensation"), {**POLICY, **change}
    )
    assert response.status_code == 422
    assert message in _body(response)
    assert not CompensationPolicy.objects.exists()


def test_partner_sees_policy_but_cannot_decide(world):
    response = world.client_for("partner").post(reverse("missions:compensation"), POLICY)
    assert response.status_code == 403
    assert not CompensationPolicy.objects.exists()


def _api(world, persona, structure="a"):
    user = (world.users if structure == "a" else world.users_b)[persona]
    raw = f"jeton-{persona}-{structure}"
    ApiToken.issue(user, "test", raw=raw)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_api_partners_list_detail_and_private_parts(world):
    partner = partner_for(world, lived_experience="Histoire", share_lived_experience=False)
    PartnerTagFactory(partner=partner, kind="skill", label="Écoute")
    PartnerFactory(structure=world.b)
    data = _api(world, "doctor").get("/api/v1/partners/").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert (
        item["skills"] == ["Écoute"] and item["lived_experience"] is None and item["email"] is None
    )
    coordinator = _api(world, "coordinator").get(f"/api/v1/partners/{partner.public_id}").json()
    assert coordinator["email"] == partner.email
    own = _api(world, "partner").get(f"/api/v1/partners/{partner.public_id}").json()
    assert own["lived_experience"] == "Histoire"


def test_api_create_partner_and_french_errors(world):
    client = _api(world, "coordinator")
    payload = {
        "structure": world.a.slug,
        "first_name": "Inès",
        "email": "ines@exemple.fr",
        "phone": "0612345678",
    }
    response = client.post(
        "/api/v1/partners/", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "candidate"
    assert Partner.objects.get(first_name="Inès").phone == "06 12 34 56 78"
    for bad, field, text in (
        (({"email": "ines@"}), "email", "adresse e-mail valide"),
        ({"phone": "12"}, "phone", "Numéro de téléphone invalide"),
    ):
        response = client.post(
            "/api/v1/partners/", json.dumps({**payload, **bad}), content_type="application/json"
        )
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert errors[0]["field"] == field and text in errors[0]["message"]
    assert Partner.objects.count() == 1
    # Another structure: 404; a doctor: 403.
    response = client.post(
        "/api/v1/partners/",
        json.dumps({**payload, "structure": world.b.slug}),
        content_type="application/json",
    )
    assert response.status_code == 404
    response = _api(world, "doctor").post(
        "/api/v1/partners/", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 403


def test_api_missions_and_matching(world):
    client = _api(world, "doctor")
    payload = {
        "structure": world.a.slug,
        "title": "Groupe de travail accueil",
        "kind": "working_group",
        "level": "consultation",
    }
    response = client.post(
        "/api/v1/missions/", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201
    mission_id = response.json()["id"]
    response = client.post(
        "/api/v1/missions/",
        json.dumps(
            {**payload, "kind": "inconnu", "starts_on": "2026-02-01", "ends_on": "2026-01-01"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"kind", "ends_on"}
    assert Mission.objects.count() == 1
    detail = client.get(f"/api/v1/missions/{mission_id}").json()
    assert detail["title"] == "Groupe de travail accueil" and detail["compensation"] is None
    PartnerFactory(structure=world.a, first_name="Zoé")
    matches = client.get(f"/api/v1/missions/{mission_id}/matching").json()
    assert matches["count"] == 1 and matches["items"][0]["name"].startswith("Zoé")
    assert client.get("/api/v1/missions/").json()["count"] == 1
