"""Amount rules, one function per compensation mode. Decimal only, rounded to the cent
half up (0.005 → 0.01). The platform records and totals: no tax, no social contributions.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

VOLUNTEER = "volunteer_expenses"
FLAT_FEE = "flat_fee"
HOURLY = "hourly"
SALARIED = "salaried"
TRAINEE = "trainee"
PAID_MODES = {FLAT_FEE, HOURLY, SALARIED}
TIME_ONLY_MODES = {SALARIED, TRAINEE}


def cents(value) -> Decimal:
    """Round a Decimal (or int, or str) to the cent, half up. Floats are refused."""
    if isinstance(value, float):
        raise TypeError("Amounts are Decimal, never float.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def volunteer_time_amount(minutes: int) -> Decimal:
    """Volunteer with expenses: time is recorded, never paid."""
    return ZERO


def flat_fee_time_amount(fee, *, per_session: bool, already_paid_for_mission: bool) -> Decimal:
    """Flat fee: per session (each time entry), or once per mission and partner."""
    if fee is None:
        return ZERO
    if per_session or not already_paid_for_mission:
        return cents(fee)
    return ZERO


def hourly_time_amount(minutes: int, rate) -> Decimal:
    """Hourly rate × duration, rounded once at the end (not per minute)."""
    if rate is None:
        return ZERO
    return cents(Decimal(minutes) * Decimal(rate) / Decimal(60))


def time_only_amount(minutes: int):
    """Salaried or trainee: the employer or the school pays; time only, no amount."""
    return None


def time_amount(
    mode: str,
    minutes: int,
    *,
    fee=None,
    rate=None,
    per_session=False,
    already_paid_for_mission=False,
):
    if mode == FLAT_FEE:
        return flat_fee_time_amount(
            fee, per_session=per_session, already_paid_for_mission=already_paid_for_mission
        )
    if mode == HOURLY:
        return hourly_time_amount(minutes, rate)
    if mode in TIME_ONLY_MODES:
        return time_only_amount(minutes)
    return volunteer_time_amount(minutes)


def mileage_amount(kilometres, rate) -> Decimal:
    return cents(Decimal(kilometres) * Decimal(rate))


def expense_amount(
    kind: str, *, kilometres=None, km_rate=None, declared=None, meal_ceiling=None
) -> Decimal:
    """Kilometres × rate; transport as paid; meals as paid up to the ceiling."""
    if kind == "mileage":
        return mileage_amount(kilometres, km_rate)
    amount = cents(declared)
    if kind == "meal" and meal_ceiling is not None:
        amount = min(amount, cents(meal_ceiling))
    return amount


def expenses_allowed(mode: str) -> bool:
    """Salaried partners and trainees claim expenses through their employer or school."""
    return mode not in TIME_ONLY_MODES
