"""FINESS, SIRET and RPPS: one check, on the pages and the API (issue 16)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from binome.people import identifiers
from binome.people.models import Invitation, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("check", "typed", "stored"),
    [
        (identifiers.clean_finess, "750 712 184", "750712184"),  # AP-HP, a real number
        (identifiers.clean_finess, "2A0000015", "2A0000015"),  # Corsica: format only
        (identifiers.clean_siret, "732 829 320 00074", "73282932000074"),
        (identifiers.clean_rpps, "10003456786", "10003456786"),
    ],
)
def test_valid_numbers_are_kept_compact(check, typed, stored):
    assert check(typed) == stored


@pytest.mark.parametrize(
    ("check", "typed", "message"),
    [
        (identifiers.clean_finess, "750712185", "clé de contrôle"),
        (identifiers.clean_finess, "75071218", "9 caractères"),
        (identifiers.clean_siret, "73282932000075", "SIRET invalide"),
        (identifiers.clean_rpps, "10003456789", "RPPS invalide"),
        (identifiers.clean_rpps, "1000345678", "RPPS invalide"),
    ],
)
def test_wrong_numbers_are_refused_in_french(check, typed, message):
    with pytest.raises(ValidationError) as exc:
        check(typed)
    assert message in exc.value.messages[0]


def test_structure_page_and_api_refuse_a_wrong_finess_and_write_nothing(world):
    form = {
        "name": world.a.name,
        "kind": world.a.kind,
        "region": world.a.region,
        "finess": "750712185",
        "first_contact_deadline_hours": 24,
    }
    page = world.client_for("coordinator").post(reverse("people:structure"), form)
    assert page.status_code == 422 and "clé de contrôle" in page.content.decode()
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["coordinator"], "t", raw="ident-token")
    api = Client(HTTP_AUTHORIZATION="Bearer ident-token").patch(
        f"/api/v1/structures/{world.a.slug}",
        {"finess": "750712185"},
        content_type="application/json",
    )
    assert api.status_code == 422 and "clé de contrôle" in api.json()["errors"][0]["message"]
    world.a.refresh_from_db()
    assert world.a.finess == ""


def test_invitation_keeps_a_professional_rpps_and_refuses_a_wrong_one(world):
    client = world.client_for("coordinator")
    data = {
        "email": "dr.neuve@example.fr",
        "first_name": "Anne",
        "last_name": "Neuve",
        "role": "professional",
        "profession": "gp",
        "rpps": "1000 3456 789",
    }
    bad = client.post(reverse("people:invite"), data)
    assert (
        bad.status_code == 422
        and "RPPS invalide" in bad.content.decode()
        and not Invitation.objects.exists()
    )
    assert (
        client.post(reverse("people:invite"), {**data, "rpps": "1000 3456 786"}).status_code == 302
    )
    invitation = Invitation.objects.get()
    assert invitation.rpps == "10003456786"
    # Accepted: the account carries the number (typed, so not verified).
    from binome.people import services

    user = services.accept_invitation(
        invitation, first_name="Anne", last_name="Neuve", password="x-Long-passw0rd"
    )
    user = User.objects.get(pk=user.pk)
    assert user.rpps == "10003456786" and user.rpps_verified_at is None
    members = client.get(reverse("people:members")).content.decode()
    assert "RPPS 10003456786" in members
