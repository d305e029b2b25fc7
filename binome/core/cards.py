"""Home page cards, contributed by each app's optional ``home.py``.

An app's ``home.py`` defines ``cards(request, counts) -> list[Card]`` and may define
``counters(request) -> dict[str, Expression]``: scalar subqueries (built with ``count`` or
``first_value``) for the numbers its cards show to this person. The home page evaluates the
counters of every app at once, in a single SQL query, and gives each app its own values
back in ``counts``. A card that needs more than a scalar runs at most one extra query, and
only for the roles that see it: the home page query count per role is pinned in tests.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Subquery

from binome.core.plugins import app_modules


@dataclass
class Card:
    title: str
    value: str | int | None = None
    url: str | None = None
    help: str = ""
    order: int = 100
    tone: str = "neutral"  # neutral | attention | success


class _CountRows(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def count(queryset):
    """A counter: the number of rows of ``queryset`` (use ``.distinct()`` on joins that repeat rows)."""
    return _CountRows(queryset.order_by().values("pk"))


def first_value(queryset, field):
    """A counter: ``field`` of the first row of ``queryset`` (None when it is empty)."""
    return Subquery(queryset.values(field)[:1])


@cache
def _providers():
    providers = []
    for _app, module in app_modules("home"):
        if hasattr(module, "cards"):
            providers.append((module.cards, getattr(module, "counters", None)))
    return providers


def cards_for(request, extra=None) -> tuple[list[Card], dict]:
    """The cards, sorted, and the values of the page's own ``extra`` counters.

    The counters of every provider and the extra ones are evaluated in one query, anchored
    on the user's own row (one row, whatever the structure or network).
    """
    wanted = [counters(request) if counters else {} for _, counters in _providers()]
    wanted.append(extra or {})
    expressions = {
        f"c{i}_{name}": expr for i, exprs in enumerate(wanted) for name, expr in exprs.items()
    }
    row: dict = {}
    if expressions:
        row = dict(get_user_model().objects.filter(pk=request.user.pk).values(**expressions).get())
    values = [{name: row[f"c{i}_{name}"] for name in exprs} for i, exprs in enumerate(wanted)]
    cards: list[Card] = []
    for (provider, _), counts in zip(_providers(), values, strict=False):
        cards.extend(provider(request, counts))
    return sorted(cards, key=lambda c: c.order), values[-1]
