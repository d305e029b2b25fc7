"""Amount rules: one function per compensation mode, Decimal only, rounded to the cent half up."""

from decimal import Decimal

import pytest

from binome.compensation import amounts


def test_cents_rounds_half_up_and_refuses_floats():
    assert amounts.cents(Decimal("2.345")) == Decimal("2.35")
    assert amounts.cents(Decimal("2.344")) == Decimal("2.34")
    assert amounts.cents(Decimal("0.005")) == Decimal("0.01")
    with pytest.raises(TypeError):
        amounts.cents(0.1 + 0.2)


def test_volunteer_time_is_never_paid():
    assert amounts.volunteer_time_amount(600) == Decimal("0.00")
    assert amounts.time_amount(
        "volunteer_expenses", 600, rate=Decimal("20"), fee=Decimal("50")
    ) == Decimal("0.00")


def test_flat_fee_per_session_is_paid_each_time():
    fee = Decimal("45.50")
    assert amounts.flat_fee_time_amount(
        fee, per_session=True, already_paid_for_mission=True
    ) == Decimal("45.50")
    assert amounts.time_amount(
        "flat_fee", 30, fee=fee, per_session=True, already_paid_for_mission=True
    ) == Decimal("45.50")


def test_flat_fee_per_mission_is_paid_once():
    fee = Decimal("150")
    assert amounts.flat_fee_time_amount(
        fee, per_session=False, already_paid_for_mission=False
    ) == Decimal("150.00")
    assert amounts.flat_fee_time_amount(
        fee, per_session=False, already_paid_for_mission=True
    ) == Decimal("0.00")
    assert amounts.flat_fee_time_amount(
        None, per_session=True, already_paid_for_mission=False
    ) == Decimal("0.00")


def test_hourly_rate_rounds_once_to_the_cent_half_up():
    # 50 min at 13.33 €/h = 11.108333… → 11.11
    assert amounts.hourly_time_amount(50, Decimal("13.33")) == Decimal("11.11")
    # 1 min at 0.30 €/h = 0.005 → 0.01 (half up, not banker's rounding)
    assert amounts.hourly_time_amount(1, Decimal("0.30")) == Decimal("0.01")
    # Each entry is rounded on its own: 3 × 20 min at 10 €/h = 3 × 3.33
    assert sum(amounts.hourly_time_amount(20, Decimal("10")) for _ in range(3)) == Decimal("9.99")
    assert amounts.hourly_time_amount(60, Decimal("10")) == Decimal("10.00")
    assert amounts.time_amount("hourly", 90, rate=Decimal("15.50")) == Decimal("23.25")
    assert isinstance(amounts.hourly_time_amount(90, Decimal("15.50")), Decimal)


@pytest.mark.parametrize("mode", ["salaried", "trainee"])
def test_salaried_and_trainee_record_time_only(mode):
    assert amounts.time_only_amount(120) is None
    assert amounts.time_amount(mode, 120, rate=Decimal("20"), fee=Decimal("100")) is None
    assert not amounts.expenses_allowed(mode)


def test_mileage_and_expenses():
    assert amounts.mileage_amount(Decimal("37.5"), Decimal("0.321")) == Decimal(
        "12.04"
    )  # 12.0375 → 12.04
    assert amounts.expense_amount(
        "mileage", kilometres=Decimal("24"), km_rate=Decimal("0.35")
    ) == Decimal("8.40")
    assert amounts.expense_amount("transport", declared=Decimal("3.20")) == Decimal("3.20")
    assert amounts.expense_amount(
        "meal", declared=Decimal("27.90"), meal_ceiling=Decimal("20.20")
    ) == Decimal("20.20")
    assert amounts.expense_amount(
        "meal", declared=Decimal("12.5"), meal_ceiling=Decimal("20.20")
    ) == Decimal("12.50")
    assert amounts.expenses_allowed("volunteer_expenses") and amounts.expenses_allowed("hourly")
