"""Query budgets of the compensation pages (issue 9), measured with data on every list.

The page's own queries stay within a few on top of the per-request base (session, user,
second factor, memberships): the lists are windows of rows (no COUNT), the budget alerts one
query, the partner's missions one query with their compensation mode.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binome.compensation.models import Status
from tests.compensation.factories import (
    ExpenseFactory,
    FundingSourceFactory,
    MissionBudgetFactory,
    PolicyFactory,
    TimeEntryFactory,
    assigned,
)

pytestmark = pytest.mark.django_db


def _busy(world):
    """A partner with several paid missions, budgets exceeded, entries in every state."""
    partner, mission = assigned(world, title="Atelier diabète")
    PolicyFactory(structure=world.a, mission=None, mode="volunteer_expenses")
    PolicyFactory(mission=mission, mode="hourly", hourly_rate=Decimal("20"))
    source = FundingSourceFactory(structure=world.a, amount=Decimal("100"))
    MissionBudgetFactory(mission=mission, amount=Decimal("10"), funding_source=source)
    for _ in range(3):
        _, other = assigned(world)
        MissionBudgetFactory(mission=other, amount=Decimal("500"), funding_source=source)
        for status in (Status.SUBMITTED, Status.APPROVED, Status.RETURNED):
            TimeEntryFactory(partner=partner, mission=other, status=status, amount=Decimal("5"))
            ExpenseFactory(partner=partner, mission=other, status=status)
    for _ in range(40):
        TimeEntryFactory(
            partner=partner, mission=mission, status=Status.SUBMITTED, amount=Decimal("15")
        )
        ExpenseFactory(partner=partner, mission=mission, status=Status.SUBMITTED)
    TimeEntryFactory(partner=partner, mission=mission, status=Status.APPROVED, amount=Decimal("30"))
    return partner


def _queries(client, url):
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


# Per-request base measured in tests: session, user, second factor, memberships, network memberships.
BASE = 5


@pytest.mark.parametrize(
    ("persona", "url_name", "own", "shown"),
    [
        # Times, expenses (windows of 20, no COUNT), exceeded budgets (one query).
        ("coordinator", "compensation:queue", 3, "Budget dépassé pour « Atelier diabète »"),
        # Budgets with their spending, funding sources, rates, missions without budget.
        ("coordinator", "compensation:budget", 4, "Budget dépassé pour « Atelier diabète »"),
        # Partner, times, expenses, missions with their mode.
        ("partner", "compensation:entries", 4, "Renvoyé pour correction"),
        # Partner, missions with their mode (also the options of the form).
        ("partner", "compensation:log_time", 2, "Atelier diabète"),
        # Partner, missions with their mode, rates.
        ("partner", "compensation:log_expense", 3, "Atelier diabète"),
    ],
)
def test_page_query_budget(world, django_assert_max_num_queries, persona, url_name, own, shown):
    _busy(world)
    client = world.client_for(persona)
    client.get(reverse(url_name))  # warm-up
    with django_assert_max_num_queries(BASE + own):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert shown in response.content.decode()


def test_form_lists_every_mission_and_warns_when_one_is_paid(world):
    partner = _busy(world)
    page = world.client_for("partner").get(reverse("compensation:log_time")).content.decode()
    assert page.count("<option value=") == 4 + 13  # four missions, thirteen durations
    assert "(AAH)" in page  # the hourly mission: benefits warning
    from binome.missions.models import CompensationPolicy

    CompensationPolicy.objects.filter(mission__isnull=False).update(is_current=False)
    page = world.client_for("partner").get(reverse("compensation:log_time")).content.decode()
    assert "(AAH)" not in page and page.count("<option value=") == 4 + 13
    assert partner.pk


def test_queue_pages_through_every_waiting_entry(world):
    _busy(world)  # 43 times and 43 expenses waiting
    client = world.client_for("coordinator")
    first = client.get(reverse("compensation:queue")).content.decode()
    assert first.count('name="decision" value="approve"') == 40
    assert "page_temps=2" in first and "page_frais=2" in first and "page_temps=0" not in first
    last = client.get(reverse("compensation:queue"), {"page_temps": 3}).content.decode()
    assert 'rel="prev"' in last and "page_temps=4" not in last
    assert last.count("/examen/") == 3 + 20  # three times left on page 3, first 20 expenses
