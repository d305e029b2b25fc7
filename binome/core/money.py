"""Money as a French reader expects it, everywhere: two decimals, a comma, thin spaces
between thousands and a non-breaking space before the euro sign ("1 234,50 €").
The ``|euros`` filter of both template engines (binome.web.templatetags.money,
binome.core.rows)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def format_euros(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0€"
