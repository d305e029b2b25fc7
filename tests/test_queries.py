"""No page's number of SQL queries grows with the data: measured, then data ×10, same count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from binome.audit.services import record
from binome.people.models import Invitation, Profession, Role
from tests.factories import MembershipFactory, NetworkAffiliationFactory, StructureFactory

pytestmark = pytest.mark.django_db

ROLES = [Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP, Role.PATIENT]


def _grow(world, n):
    """n more people per role in structure A (and B), invitations, audit rows, affiliated structures."""
    for i in range(n):
        for role in ROLES:
            profession = Profession.NURSE if role == Role.PROFESSIONAL else ""
            MembershipFactory(structure=world.a, role=role, profession=profession)
            MembershipFactory(structure=world.b, role=role, profession=profession)
        Invitation.objects.create(
            structure=world.a,
            email=f"invite{i}-{Invitation.objects.count()}@exemple.fr",
            role=Role.PARTNER,
            token_hash=f"{i}-{Invitation.objects.count()}".ljust(64, "x"),
            invited_by=world.users["coordinator"],
            expires_at=timezone.now() + timedelta(days=3),
        )
        record("people.members_read", actor=world.users["doctor"], structure=world.a)
        NetworkAffiliationFactory(network=world.network, structure=StructureFactory())


def _count(client, url):
    client.get(url)  # warm-up: session, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx)


def _assert_constant(world, persona, url, django_assert_num_queries, paged=False):
    client = world.client_for(persona)
    _grow(world, 2)
    small = _count(client, url)
    _grow(world, 18)  # 2 -> 20: tenfold
    client.get(url)
    # A full page adds its COUNT; a short one has none (binome/core/pagination.py).
    with django_assert_num_queries(small + paged):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "persona", ["coordinator", "doctor", "nurse", "partner", "user_rep", "patient", "facilitator"]
)
def test_home_page_query_count_does_not_grow(world, persona, django_assert_num_queries):
    _assert_constant(world, persona, reverse("web:home"), django_assert_num_queries)


@pytest.mark.parametrize("persona", ["coordinator", "partner"])
def test_member_list_query_count_does_not_grow(world, persona, django_assert_num_queries):
    _assert_constant(
        world, persona, reverse("people:members"), django_assert_num_queries, paged=True
    )


def test_structure_page_query_count_does_not_grow(world, django_assert_num_queries):
    _assert_constant(world, "coordinator", reverse("people:structure"), django_assert_num_queries)


def test_audit_page_query_count_does_not_grow(world, django_assert_num_queries):
    _assert_constant(world, "coordinator", reverse("audit:log"), django_assert_num_queries)


def test_account_page_query_count_does_not_grow(world, django_assert_num_queries):
    _assert_constant(world, "doctor", reverse("accounts:account"), django_assert_num_queries)


def test_api_member_list_query_count_does_not_grow(world, django_assert_num_queries):
    from django.test import Client

    from binome.accounts.models import ApiToken

    _, raw = ApiToken.issue(world.users["coordinator"], "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/structures/{world.a.slug}/members/"
    _grow(world, 2)
    small = _count(client, url)
    _grow(world, 18)
    # A full page adds its COUNT; a short one has none (binome/core/pagination.py).
    with django_assert_num_queries(small + 1):
        assert client.get(url).status_code == 200
