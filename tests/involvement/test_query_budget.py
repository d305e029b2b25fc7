"""Query budgets of the register and of the ACI report (issue 9), with data on every list."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.involvement.models import ActionKind, Level
from tests.involvement.factories import EvidenceFactory, InvolvementActionFactory

pytestmark = pytest.mark.django_db

# Per-request base measured in tests: session, user, second factor, memberships, network memberships.
BASE = 5


def _register(world):
    year = timezone.localdate().year
    for i in range(60):  # more than one page of 50
        action = InvolvementActionFactory(
            structure=world.a, title=f"Affiche {i:02d}", start_date=date(year, 1, 1 + i % 28)
        )
        for _ in range(i % 3):
            EvidenceFactory(action=action)
    InvolvementActionFactory(
        structure=world.a,
        title="Comité des usagers",
        kind=ActionKind.COMMITTEE,
        level=Level.PARTNERSHIP,
        aci_level=2,
        start_date=date(year, 3, 1),
    )
    InvolvementActionFactory(structure=world.b, title="Action de Bêta")


@pytest.mark.parametrize(
    ("url_name", "own", "shown"),
    [
        # Paginator COUNT (no GROUP BY: evidence counted per row), kinds already recorded, the page.
        # + the team's position for the next step (register of 12 months, latest self-assessment).
        ("involvement:register", 5, "2 pièces justificatives"),
        # Actions of the year, their evidence (one prefetch), ACI parameters.
        ("involvement:aci_report", 3, "Comité des usagers"),
    ],
)
def test_page_query_budget(world, django_assert_max_num_queries, url_name, own, shown):
    _register(world)
    client = world.client_for("coordinator")
    client.get(reverse(url_name))  # warm-up
    with django_assert_max_num_queries(BASE + own):
        response = client.get(reverse(url_name))
    page = response.content.decode()
    assert response.status_code == 200 and shown in page and "Action de Bêta" not in page


def test_register_counts_evidence_per_action_and_pages(world):
    _register(world)
    client = world.client_for("coordinator")
    first = client.get(reverse("involvement:register")).content.decode()
    assert "Page 1 sur 2" in first
    assert first.count("<li>\n    <h2") == 50
    last = client.get(reverse("involvement:register"), {"page": 2}).content.decode()
    assert last.count("<li>\n    <h2") == 11
    # Actions without evidence show zero, others their own count.
    assert (
        "· 0 pièce" in first
        and "· 1 pièce justificative" in first
        and "· 2 pièces justificatives" in first
    )
