import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from binome.compensation import services
from binome.compensation.models import (
    Expense,
    LockedEntryError,
    MissionBudget,
    Statement,
    Status,
    TimeEntry,
)
from tests.compensation.factories import (
    FundingSourceFactory,
    MissionBudgetFactory,
    PolicyFactory,
    TimeEntryFactory,
    assigned,
    partner_of,
)

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _time(partner, mission, minutes=90, date=YESTERDAY):
    entry = TimeEntry(
        partner=partner, mission=mission, date=date, duration_minutes=minutes, activity="workshop"
    )
    return services.save_time(entry, actor=partner.membership.user)


def test_hourly_policy_amount_is_computed_and_frozen_on_approval(world):
    partner, mission = assigned(world)
    policy = PolicyFactory(mission=mission, mode="hourly", hourly_rate=Decimal("13.33"))
    entry = _time(partner, mission, minutes=50)
    assert (
        entry.status == Status.SUBMITTED
        and entry.amount == Decimal("11.11")
        and entry.policy_mode == "hourly"
    )
    services.approve(entry, actor=world.users["coordinator"])
    policy.hourly_rate = Decimal("20")
    policy.save()
    entry.refresh_from_db()
    assert entry.status == Status.APPROVED and entry.amount == Decimal("11.11")


def test_mission_policy_wins_over_structure_policy(world):
    partner, mission = assigned(world)
    PolicyFactory(structure=world.a, mission=None, mode="hourly", hourly_rate=Decimal("15"))
    assert _time(partner, mission, minutes=60).amount == Decimal("15.00")
    PolicyFactory(mission=mission, mode="volunteer_expenses")
    assert _time(partner, mission, minutes=60).amount == Decimal("0.00")


def test_flat_fee_per_mission_is_paid_on_the_first_approved_entry_only(world):
    partner, mission = assigned(world)
    PolicyFactory(mission=mission, mode="flat_fee", flat_fee_amount=Decimal("150"))
    first, second = _time(partner, mission), _time(partner, mission)
    services.approve(first, actor=world.users["coordinator"])
    services.approve(second, actor=world.users["coordinator"])
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.amount, second.amount) == (Decimal("150.00"), Decimal("0.00"))


def test_flat_fee_per_session_is_paid_for_each_entry(world):
    partner, mission = assigned(world)
    PolicyFactory(mission=mission, mode="flat_fee", flat_fee_amount=Decimal("45.50"))
    MissionBudgetFactory(mission=mission, flat_fee_basis=MissionBudget.FlatFeeBasis.SESSION)
    entries = [_time(partner, mission) for _ in range(2)]
    for e in entries:
        services.approve(e, actor=world.users["coordinator"])
    assert [TimeEntry.objects.get(pk=e.pk).amount for e in entries] == [
        Decimal("45.50"),
        Decimal("45.50"),
    ]


@pytest.mark.parametrize("mode", ["salaried", "trainee"])
def test_salaried_and_trainee_time_only_and_no_expenses(world, mode):
    partner, mission = assigned(world)
    PolicyFactory(mission=mission, mode=mode, hourly_rate=Decimal("20"))
    assert _time(partner, mission).amount is None
    expense = Expense(
        partner=partner, mission=mission, date=YESTERDAY, kind="mileage", kilometres=Decimal("10")
    )
    with pytest.raises(ValidationError, match="employeur"):
        services.save_expense(expense, actor=partner.membership.user)
    assert not Expense.objects.exists()


def test_mileage_uses_the_policy_rate_else_the_structure_rate(world):
    from binome.compensation.models import ExpenseRates

    partner, mission = assigned(world)
    ExpenseRates.objects.create(structure=world.a, km_rate=Decimal("0.321"))
    e = services.save_expense(
        Expense(
            partner=partner,
            mission=mission,
            date=YESTERDAY,
            kind="mileage",
            kilometres=Decimal("37.5"),
        ),
        actor=None,
    )
    assert (e.km_rate, e.amount) == (Decimal("0.321"), Decimal("12.04"))
    PolicyFactory(mission=mission, mode="volunteer_expenses", mileage_rate=Decimal("0.400"))
    e = services.save_expense(
        Expense(
            partner=partner,
            mission=mission,
            date=YESTERDAY,
            kind="mileage",
            kilometres=Decimal("37.5"),
        ),
        actor=None,
    )
    assert (e.km_rate, e.amount) == (Decimal("0.400"), Decimal("15.00"))


def test_an_approved_entry_cannot_be_edited_or_deleted(world):
    partner, mission = assigned(world)
    entry = _time(partner, mission)
    services.approve(entry, actor=world.users["coordinator"])
    entry.duration_minutes = 600
    with pytest.raises(LockedEntryError):
        entry.save()
    with pytest.raises(LockedEntryError):
        services.save_time(entry, actor=partner.membership.user)
    with pytest.raises(LockedEntryError):
        entry.delete()
    with pytest.raises(LockedEntryError):
        services.return_entry(entry, "Corrigez", actor=world.users["coordinator"])
    assert TimeEntry.objects.get(pk=entry.pk).duration_minutes == 90
    # Through the page: 409 with a French message, nothing changed.
    url = reverse("compensation:edit_time", kwargs={"public_id": entry.public_id})
    response = world.client_for("partner").post(
        url,
        {
            "mission": mission.pk,
            "date": str(YESTERDAY),
            "duration_minutes": 30,
            "activity": "workshop",
        },
    )
    assert response.status_code == 409 and "ne peut plus être modifiée" in response.content.decode()
    assert TimeEntry.objects.get(pk=entry.pk).duration_minutes == 90


def test_return_with_comment_then_the_partner_corrects_and_resubmits(world):
    partner, mission = assigned(world)
    entry = _time(partner, mission)
    coordinator = world.client_for("coordinator")
    url = reverse("compensation:review_time", kwargs={"public_id": entry.public_id})
    coordinator.post(url, {"decision": "return", "comment": ""})
    assert TimeEntry.objects.get(pk=entry.pk).status == Status.SUBMITTED  # a comment is required
    coordinator.post(url, {"decision": "return", "comment": "L'atelier a duré 2 h, pas 1 h 30."})
    entry.refresh_from_db()
    assert entry.status == Status.RETURNED and "2 h" in entry.review_comment
    partner_client = world.client_for("partner")
    assert (
        "L&#x27;atelier a duré 2 h"
        in partner_client.get(reverse("compensation:entries")).content.decode()
    )
    edit = reverse("compensation:edit_time", kwargs={"public_id": entry.public_id})
    response = partner_client.post(
        edit,
        {
            "mission": mission.pk,
            "date": str(YESTERDAY),
            "duration_minutes": 120,
            "activity": "workshop",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.duration_minutes) == (Status.SUBMITTED, 120)


def test_statement_totals_by_mission_and_funding_and_nothing_counted_twice(world):
    partner, mission = assigned(world, title="Atelier diabète")
    _, other = assigned(world, title="Comité des usagers")
    PolicyFactory(mission=mission, mode="hourly", hourly_rate=Decimal("15"))
    source = FundingSourceFactory(structure=world.a, name="Crédits ACI")
    MissionBudgetFactory(mission=mission, funding_source=source)
    coordinator = world.users["coordinator"]
    for e in [_time(partner, mission, 90), _time(partner, other, 60)]:
        services.approve(e, actor=coordinator)
    km = services.save_expense(
        Expense(
            partner=partner, mission=other, date=YESTERDAY, kind="mileage", kilometres=Decimal("24")
        ),
        actor=None,
    )
    services.approve(km, actor=coordinator)
    _time(partner, mission, 60)  # not approved: not on the statement
    start, end = YESTERDAY - dt.timedelta(days=30), YESTERDAY
    statement = services.issue_statement(
        partner=partner, period_start=start, period_end=end, actor=coordinator
    )
    assert statement.total_minutes == 150
    assert (statement.time_amount, statement.expenses_amount, statement.total) == (
        Decimal("22.50"),
        Decimal("8.40"),
        Decimal("30.90"),
    )
    times, expenses = services.entries_of(statement)
    totals = services.totals(times, expenses)
    assert {r["funding"]: r["total"] for r in totals["by_funding"]} == {
        "Crédits ACI (2026)": Decimal("22.50"),
        "Sans financement affecté": Decimal("8.40"),
    }
    assert {r["mission"].title: r["total"] for r in totals["by_mission"]} == {
        "Atelier diabète": Decimal("22.50"),
        "Comité des usagers": Decimal("8.40"),
    }
    with pytest.raises(ValidationError, match="pas de relevé à établir"):
        services.issue_statement(
            partner=partner, period_start=start, period_end=end, actor=coordinator
        )
    assert Statement.objects.count() == 1


def test_budget_alert_when_a_mission_budget_is_exceeded(world):
    partner, mission = assigned(world, title="Pair-accompagnement")
    PolicyFactory(mission=mission, mode="hourly", hourly_rate=Decimal("20"))
    MissionBudgetFactory(
        mission=mission,
        amount=Decimal("50"),
        funding_source=FundingSourceFactory(
            structure=world.a, amount=Decimal("60"), committed=Decimal("20")
        ),
    )
    for _ in range(3):
        entry = _time(partner, mission, 60)
        response = world.client_for("coordinator").post(
            reverse("compensation:review_time", kwargs={"public_id": entry.public_id}),
            {"decision": "approve"},
            follow=True,
        )
    assert "budget de la mission « Pair-accompagnement » est dépassé" in response.content.decode()
    overview = services.budget_overview(world.a)
    assert overview["alerts"][0]["spent"] == Decimal("60.00")
    assert overview["sources"][0].remaining == Decimal("-20.00") and overview["sources"][0].over
    page = world.client_for("coordinator").get(reverse("compensation:budget")).content.decode()
    assert "Budget dépassé pour « Pair-accompagnement »" in page


def test_a_partner_cannot_log_time_on_a_mission_they_are_not_on(world):
    partner = partner_of(world)
    _, foreign_mission = assigned(world, structure="b")
    from tests.compensation.factories import MissionFactory

    not_assigned = MissionFactory(structure=world.a)
    for mission in (not_assigned, foreign_mission):
        with pytest.raises(ValidationError):
            _time(partner, mission)
    assert not TimeEntry.objects.exists()


def test_entries_page_query_count_does_not_grow(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partner, mission = assigned(world)
    for _ in range(2):
        TimeEntryFactory(partner=partner, mission=mission)
    for persona, url in [
        ("partner", "compensation:entries"),
        ("coordinator", "compensation:entries"),
        ("coordinator", "compensation:queue"),
    ]:
        client = world.client_for(persona)
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse(url)).status_code == 200
        for _ in range(20):
            TimeEntryFactory(partner=partner, mission=mission, status=Status.SUBMITTED)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(reverse(url)).status_code == 200


def test_modes_for_prefers_the_mission_policy_in_one_query(world, django_assert_num_queries):
    _, volunteer = assigned(world)
    _, paid = assigned(world)
    PolicyFactory(structure=world.a, mission=None, mode="volunteer_expenses")
    PolicyFactory(mission=paid, mode="hourly", hourly_rate=Decimal("12"))
    with django_assert_num_queries(1):
        assert services.modes_for([volunteer, paid]) == {"volunteer_expenses", "hourly"}
    assert services.modes_for([]) == set()


def test_statements_budget_and_home_pages_query_counts_do_not_grow(
    world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.compensation.factories import StatementFactory

    def grow(n):
        for _ in range(n):
            partner, mission = assigned(world)
            StatementFactory(partner=partner)
            MissionBudgetFactory(
                mission=mission,
                amount=Decimal("1"),
                funding_source=FundingSourceFactory(structure=world.a),
            )
            TimeEntryFactory(
                partner=partner, mission=mission, status=Status.APPROVED, amount=Decimal("5")
            )

    grow(2)
    client = world.client_for("coordinator")
    for name in ("compensation:statements", "compensation:budget", "web:home"):
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse(name)).status_code == 200
        grow(10)
        with django_assert_max_num_queries(len(small.captured_queries)):
            page = client.get(reverse(name))
        assert page.status_code == 200
    assert "Budgets de mission dépassés" in page.content.decode()


def test_budget_alerts_list_only_budgets_spent_beyond_their_amount(world):
    """Over the amount: an alert; exactly the amount, no amount, or another structure: none."""
    coordinator = world.users["coordinator"]
    budgets = {}
    for title, amount in (("Au-delà", "40"), ("Pile", "60"), ("Sans montant", None)):
        partner, mission = assigned(world, title=title)
        PolicyFactory(mission=mission, mode="hourly", hourly_rate=Decimal("20"))
        budgets[title] = MissionBudgetFactory(
            mission=mission, amount=Decimal(amount) if amount else None
        )
        for _ in range(3):
            services.approve(_time(partner, mission, 60), actor=coordinator)
    partner_b, mission_b = assigned(world, structure="b", title="Ailleurs")
    PolicyFactory(mission=mission_b, mode="hourly", hourly_rate=Decimal("20"))
    MissionBudgetFactory(mission=mission_b, amount=Decimal("10"))
    services.approve(_time(partner_b, mission_b, 60), actor=world.users_b["coordinator"])
    alerts = services.budget_alerts(world.a)
    assert [(row["budget"].mission.title, row["spent"], row["remaining"]) for row in alerts] == [
        ("Au-delà", Decimal("60.00"), Decimal("-20.00"))
    ]
    assert [row["budget"].mission.title for row in services.budget_alerts(world.b)] == ["Ailleurs"]
