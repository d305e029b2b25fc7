"""Query budget of the home page per role, with data (issue 9: at most 12 queries in all).

Every request runs the same base queries (session, user, second factor, memberships,
network memberships: 5); the home page adds one query for all its counters, and the
coordinator two more (overdue check-ins, titles of the exceeded budgets).
"""

import pytest
from django.urls import reverse

from tests.test_home_cards import fill_home

pytestmark = pytest.mark.django_db

BASE = 5
OWN = {
    "coordinator": 3,
    "doctor": 1,
    "nurse": 1,
    "partner": 1,
    "user_rep": 0,
    "patient": 0,
    "facilitator": 1,
}


@pytest.mark.parametrize("persona", list(OWN))
def test_home_page_query_budget(world, persona, django_assert_max_num_queries):
    fill_home(world)
    client = world.client_for(persona)
    client.get(reverse("web:home"))  # warm-up: session, caches
    with django_assert_max_num_queries(BASE + OWN[persona]):
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert response.context["cards"] or persona == "user_rep"
