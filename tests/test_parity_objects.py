"""Page and API parity beyond accompaniments: a partner's profile parts, time entries and
expenses. Each marker must show on the page and in the API for exactly the roles the rule
names (written here as a table, independent of the code), whatever the partner shares."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from binome.accounts.models import ApiToken, hash_token
from binome.partners.models import PartnerTag
from tests.accompaniment.factories import partner_for
from tests.compensation.factories import ExpenseFactory, MissionFactory, TimeEntryFactory
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "coordinator",
    "doctor",
    "nurse",
    "partner",
    "other_partner",
    "user_rep",
    "patient",
    "coordinator_b",
]
PROFILE = {
    "lived": "VECU-7Q",
    "condition": "PATHOLOGIE-7Q",
    "email": "fiche.7q@exemple.fr",
    "phone": "06 98 76 54 32",
    "motivation": "MOTIVATION-7Q",
}
ENTRIES = {"time": "MISSION-TEMPS-7Q", "expense": "MISSION-FRAIS-7Q", "returned": "RETOUR-7Q"}


def _users(world):
    other = MembershipFactory(structure=world.a, role="partner", user__email="autre@a.test")
    partner_for(other)
    return {
        **world.users,
        "other_partner": other.user,
        "coordinator_b": world.users_b["coordinator"],
    }


def _page(user, url):
    client = Client()
    force_verified_login(client, user)
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else ""


def _api(user, url):
    raw = f"objets-{user.pk}"
    if not ApiToken.objects.filter(key_hash=hash_token(raw)).exists():
        ApiToken.issue(user, "parité", raw=raw)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(url)
    return response.content.decode() if response.status_code == 200 else ""


def _seen(markers, text):
    return {name for name, marker in markers.items() if marker in text}


def profile_rule(role, shares_lived) -> set[str]:
    if (
        role == "partner"
    ):  # their own record: everything they wrote but the team's recruitment notes
        return {"lived", "condition", "email", "phone"}
    if role in ("coordinator", "doctor", "nurse"):
        seen = {"condition", "motivation"} | ({"lived"} if shares_lived else set())
        return seen | ({"email", "phone"} if role == "coordinator" else set())
    return set()


@pytest.mark.parametrize("shares_lived", [False, True])
def test_partner_profile_parts_are_the_same_on_page_and_api(world, shares_lived):
    users = _users(world)
    partner = partner_for(world.memberships["partner"])
    partner.lived_experience, partner.email, partner.phone = (
        PROFILE["lived"],
        PROFILE["email"],
        PROFILE["phone"],
    )
    partner.motivation, partner.share_lived_experience, partner.share_conditions = (
        PROFILE["motivation"],
        shares_lived,
        True,
    )
    partner.save()
    PartnerTag.objects.create(
        partner=partner,
        kind=PartnerTag.Kind.CONDITION,
        value="pathologie-7q",
        label=PROFILE["condition"],
    )
    for role in ROLES:
        page = _page(users[role], reverse("partners:detail", args=[partner.public_id]))
        api = _api(users[role], f"/api/v1/partners/{partner.public_id}")
        assert _seen(PROFILE, page) == _seen(PROFILE, api) == profile_rule(role, shares_lived), (
            role,
            page and "page",
            api and "api",
        )
        # The list reads its page in bulk (tags in one query, only the columns it shows):
        # its row is the partner's own answer, field for field, or absent.
        listed = _api(users[role], "/api/v1/partners/")
        rows = json.loads(listed)["items"] if listed else []
        mine = [row for row in rows if row["id"] == str(partner.public_id)]
        assert mine == ([json.loads(api)] if api else []), role


def test_time_entries_and_expenses_are_the_same_on_page_and_api(world):
    users = _users(world)
    partner = partner_for(world.memberships["partner"])
    TimeEntryFactory(
        partner=partner,
        mission=MissionFactory(structure=world.a, title=ENTRIES["time"]),
        status="returned",
        review_comment=ENTRIES["returned"],
    )
    ExpenseFactory(
        partner=partner, mission=MissionFactory(structure=world.a, title=ENTRIES["expense"])
    )
    for role in ROLES:
        page = _page(users[role], reverse("compensation:entries"))
        api = _api(users[role], "/api/v1/compensation/time/") + _api(
            users[role], "/api/v1/compensation/expenses/"
        )
        expected = set(ENTRIES) if role in ("coordinator", "partner") else set()
        assert _seen(ENTRIES, page) == _seen(ENTRIES, api) == expected, role
