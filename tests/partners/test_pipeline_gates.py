"""Recruitment with the team's own gates (seed 001 §7, seed 004): a candidate is onboarded
only after the steps the structure requires, and activated only with the charter signed."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from binome.accounts.models import ApiToken
from binome.partners.models import Decision, Partner, RecruitmentGates
from binome.partners.services import add_meeting_note, ensure_charter, sign_charter
from tests.partners.factories import CriterionFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _api(world):
    from binome.accounts.models import hash_token

    if not ApiToken.objects.filter(key_hash=hash_token("jeton-recrutement")).exists():
        ApiToken.issue(world.users["coordinator"], "t", raw="jeton-recrutement")
    return Client(HTTP_AUTHORIZATION="Bearer jeton-recrutement")


def _move(client, partner, to_status):
    return client.post(
        f"/api/v1/partners/{partner.public_id}/decisions",
        json.dumps({"to_status": to_status, "reason": "Décision de l'équipe"}),
        content_type="application/json",
    )


def test_onboarding_waits_for_the_meeting_and_the_grid_by_default(world):
    partner = PartnerFactory(structure=world.a, status="selected", membership=None)
    page = world.client_for("coordinator").post(
        reverse("partners:decide", args=[partner.public_id]),
        {"to_status": "onboarded", "reason": "On y va"},
    )
    text = page.content.decode().replace("&#x27;", "'")
    assert (
        page.status_code == 422
        and "une rencontre notée" in text
        and "grille d'évaluation remplie par 2 membres" in text
    )
    api = _move(_api(world), partner, "onboarded")
    assert api.status_code == 422 and "une rencontre notée" in json.dumps(
        api.json(), ensure_ascii=False
    )
    partner.refresh_from_db()
    assert partner.status == "selected" and not Decision.objects.exists()
    # The team notes the meeting; two members fill the grid: the move goes through.
    add_meeting_note(partner, actor=world.users["coordinator"], notes="Rencontre à la MSP")
    criterion = CriterionFactory(structure=world.a)
    for persona in ("coordinator", "doctor"):
        world.client_for(persona).post(
            reverse("partners:evaluate", args=[partner.public_id]),
            {f"rating_{criterion.pk}": "yes", f"comment_{criterion.pk}": ""},
        )
    assert _move(_api(world), partner, "onboarded").status_code == 200


def test_activation_is_blocked_until_the_charter_is_signed(world):
    membership = world.memberships["partner"]
    partner = PartnerFactory(structure=world.a, status="onboarded", membership=membership)
    charter = ensure_charter(world.a, actor=world.users["coordinator"])
    blocked = _move(_api(world), partner, "active")
    assert blocked.status_code == 422 and "charte" in json.dumps(blocked.json(), ensure_ascii=False)
    sign_charter(charter, user=membership.user, method="online", recorded_by=membership.user)
    assert _move(_api(world), partner, "active").json()["status"] == "active"


def test_each_team_sets_its_own_gates(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("partners:gates"),
        {
            "evaluators_required": 0,
            "meeting_required": "",
            "charter_required": "on",
            "training_required": "on",
        },
    )
    assert response.status_code == 302
    gates = RecruitmentGates.objects.get(structure=world.a)
    assert (gates.meeting_required, gates.evaluators_required, gates.training_required) == (
        False,
        0,
        True,
    )
    partner = PartnerFactory(structure=world.a, status="selected", membership=None)
    assert (
        _move(_api(world), partner, "onboarded").status_code == 200
    )  # nothing required before onboarding
    bad = client.post(
        reverse("partners:gates"), {"evaluators_required": 50, "charter_required": "on"}
    )
    assert (
        bad.status_code == 302
        and RecruitmentGates.objects.get(structure=world.a).evaluators_required == 0
    )
    assert Partner.objects.get(pk=partner.pk).status == "onboarded"
