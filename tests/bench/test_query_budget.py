"""Every main page of every role keeps within issue 9's budget of 12 SQL queries.

The pages are those `make bench` measures (bench/run_bench.py `pages_for`), for the busiest
people of a generated structure, so the budget is checked on lists with several pages of
rows, not on an empty structure. The request base (session, user, second factor,
memberships) is included.
"""

import pytest
from django.test import Client

from bench.common import pick_cast
from bench.generator import generate
from bench.run_bench import TARGET_QUERIES, count_queries, pages_for
from bench.sessions import verified_client
from binome.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

SMALL = dict(
    professionals=6,
    partners=40,
    accompaniments=150,
    contacts_per_accompaniment=3,
    key_moments_per_accompaniment=2,
    missions=6,
    actions=8,
    surveys=2,
    responses=60,
    ideas=60,
    time_entries_per_partner=4,
    user_reps=2,
    patient_accounts=3,
)


def test_every_main_page_runs_at_most_12_queries():
    generate("national", structures=3, seed=3, **SMALL)
    cast = pick_cast()
    clients = {}
    pages = pages_for(cast)
    assert {p.role for p in pages} == {
        "coordinator",
        "professional",
        "partner",
        "user_rep",
        "patient",
        "facilitator",
    }
    assert any(p.api for p in pages)  # the API's list endpoints are measured too
    over = []
    for page in pages:
        key = (page.role, page.api)
        if key not in clients:
            if page.api:
                _token, raw = ApiToken.issue(cast.users[page.role], "budget")
                clients[key] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
            else:
                clients[key] = verified_client(cast.users[page.role])
        client = clients[key]
        status, queries, _ = count_queries(client, page.url)
        assert status == 200, (page.role, page.url, status)
        if queries > TARGET_QUERIES:
            over.append(f"{page.role} {page.url}: {queries}")
    assert not over, "Pages over the query budget:\n" + "\n".join(over)
