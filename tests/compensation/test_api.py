import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from binome.compensation.models import Expense, TimeEntry
from tests.compensation.factories import (
    ExpenseFactory,
    PartnerFactory,
    StatementFactory,
    TimeEntryFactory,
    assigned,
    partner_of,
)
from tests.test_permission_matrix import _token

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _client(world, persona, structure="a"):
    user = (world.users if structure == "a" else world.users_b)[persona]
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {_token(user)}"
    return client


def test_a_partner_sees_only_their_own_entries_and_statements(world):
    own = TimeEntryFactory(partner=partner_of(world))
    other = TimeEntryFactory(partner=PartnerFactory(structure=world.a))
    ExpenseFactory(partner=PartnerFactory(structure=world.a))
    StatementFactory(partner=PartnerFactory(structure=world.a))
    mine = StatementFactory(partner=partner_of(world))
    client = _client(world, "partner")
    assert [r["id"] for r in client.get("/api/v1/compensation/time/").json()["items"]] == [
        str(own.public_id)
    ]
    assert client.get("/api/v1/compensation/expenses/").json()["count"] == 0
    assert [r["id"] for r in client.get("/api/v1/compensation/statements/").json()["items"]] == [
        str(mine.public_id)
    ]
    assert client.get(f"/api/v1/compensation/time/{other.public_id}").status_code == 404
    coordinator = _client(world, "coordinator")
    assert coordinator.get("/api/v1/compensation/time/").json()["count"] == 2
    assert coordinator.get("/api/v1/compensation/statements/").json()["count"] == 2
    assert _client(world, "doctor").get("/api/v1/compensation/time/").json()["count"] == 0


def test_api_log_time_and_mileage_with_bad_input_refused(world):
    _, mission = assigned(world)
    client = _client(world, "partner")
    base = {"mission": str(mission.public_id), "date": str(YESTERDAY), "activity": "workshop"}
    for minutes in (-30, 0, 100000):
        response = client.post(
            "/api/v1/compensation/time/",
            {**base, "duration_minutes": minutes},
            content_type="application/json",
        )
        assert response.status_code == 422 and response.json()["detail"].startswith(
            "Données invalides"
        )
    future = {
        **base,
        "duration_minutes": 60,
        "date": str(timezone.localdate() + dt.timedelta(days=2)),
    }
    response = client.post("/api/v1/compensation/time/", future, content_type="application/json")
    assert response.status_code == 422 and "futur" in str(response.json())
    assert not TimeEntry.objects.exists()
    response = client.post(
        "/api/v1/compensation/time/",
        {**base, "duration_minutes": 75},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    for km in ("-5", "0", "1e9", "abc"):
        response = client.post(
            "/api/v1/compensation/expenses/",
            {"mission": str(mission.public_id), "date": str(YESTERDAY), "kilometres": km},
            content_type="application/json",
        )
        assert response.status_code == 422
    assert not Expense.objects.exists()
    response = client.post(
        "/api/v1/compensation/expenses/",
        {"mission": str(mission.public_id), "date": str(YESTERDAY), "kilometres": "24"},
        content_type="application/json",
    )
    assert response.status_code == 201 and Decimal(response.json()["amount"]) == Decimal("8.40")


def test_api_logging_on_another_structures_mission_is_404_and_coordinators_cannot_log(world):
    _, foreign = assigned(world, structure="b")
    body = {
        "mission": str(foreign.public_id),
        "date": str(YESTERDAY),
        "activity": "workshop",
        "duration_minutes": 60,
    }
    assert (
        _client(world, "partner")
        .post("/api/v1/compensation/time/", body, content_type="application/json")
        .status_code
        == 404
    )
    _, mission = assigned(world)
    body["mission"] = str(mission.public_id)
    assert (
        _client(world, "coordinator")
        .post("/api/v1/compensation/time/", body, content_type="application/json")
        .status_code
        == 403
    )
    assert not TimeEntry.objects.exists()


def test_list_rows_are_the_entry_answer_field_for_field(world):
    """Lists read their rows as tuples of the same columns as the one-entry answer: a row
    and the answer must agree, field for field, whoever reads them."""
    partner = partner_of(world)
    TimeEntryFactory(partner=partner, status="returned", review_comment="À préciser")
    TimeEntryFactory(partner=partner, status="approved", amount=Decimal("12.50"))
    ExpenseFactory(partner=partner, receipt="receipts/ticket.pdf")
    ExpenseFactory(partner=partner, kind=Expense.Kind.MILEAGE, kilometres=Decimal("12.5"))
    for persona in ("partner", "coordinator"):
        client = _client(world, persona)
        for kind, expected in (("time", 2), ("expenses", 2)):
            rows = client.get(f"/api/v1/compensation/{kind}/").json()["items"]
            assert len(rows) == expected, (persona, kind)
            for row in rows:
                answer = client.get(f"/api/v1/compensation/{kind}/{row['id']}").json()
                assert row == answer, (persona, kind)
        receipts = {
            r["has_receipt"] for r in client.get("/api/v1/compensation/expenses/").json()["items"]
        }
        assert receipts == {True, False}, persona
