"""What every page pays before its view: session, user (with whether they hold a network
role), second factor, memberships — and network memberships only for those who have some."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binome.people.models import NetworkMembership

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)  # first request after sign-in stamps the session's activity
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_members_of_a_structure_do_not_pay_for_network_memberships(world):
    queries = _queries(world.client_for("doctor"), reverse("accounts:account"))
    # The user's read carries an EXISTS on network memberships; no query of its own reads them.
    assert not any(q.startswith('SELECT "people_networkmembership"') for q in queries)
    base = queries[:4]  # session, user, second factor device, memberships: then the page's own
    assert [q.split('"')[1] for q in base] == [
        "django_session",
        "people_user",
        "otp_totp_totpdevice",
        "people_membership",
    ]


def test_a_network_role_granted_or_withdrawn_applies_at_the_next_page(world):
    client = world.client_for("coordinator")
    assert client.get("/").context["binome"].networks == []
    membership = NetworkMembership.objects.create(
        user=world.users["coordinator"], network=world.network
    )
    assert client.get("/").context["binome"].networks == [world.network]
    membership.is_active = False
    membership.save()
    assert client.get("/").context["binome"].networks == []


def test_facilitators_still_get_their_networks(world):
    client = world.client_for("facilitator")
    assert client.get("/").context["binome"].network == world.network
