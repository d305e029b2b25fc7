"""Home page cards, contributed by each app's optional ``home.py``.

An app's ``home.py`` defines ``cards(request, counts) -> list[Card]`` and may define
``counters(request) -> dict[str, Expression]``: scalar subqueries (built with ``count`` or
``first_value``) for the numbers its cards show to this person. The home page evaluates the
counters of every app at once, in a single SQL query, and gives each app its own values
back in ``counts``. A card that needs more than a scalar runs at most one extra query, and
only for the roles that see it: the home page query count per role is pinned in tests.

Building and compiling that query (twenty subqueries for a coordinator) cost the ORM 10 to
15 ms, two thirds of the page; running it, 1 to 5 ms. So its SQL and parameters are kept,
per process, under everything ``counters()`` may read (``_inputs``): the person, the
structure, her memberships there (ids and roles), the network, the language and the day.
The contract for ``counters()``: read nothing else from the request or the data, and
compare with the present moment in the database (``Now()``), not with ``timezone.now()``.
The query is kept by binome.core.kept_sql: with ``BINOME_CHECK_KEPT_SQL`` (on in the tests)
it is built every time and must match the kept one, so a counter that breaks the contract
fails the suite.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Subquery
from django.utils import timezone

from binome.core import kept_sql
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


def _inputs(request, extra):
    """Everything the counters may depend on (see the module's docstring)."""
    ctx = request.binome
    return (
        request.user.pk,
        getattr(request.structure, "pk", None),
        tuple(sorted((m.pk, m.role) for m in ctx.current_memberships)),
        getattr(ctx.network, "pk", None),
        timezone.localdate(),
        extra,
    )


def _counters_query(request, extra):
    """Every counter of every provider (and the page's extra ones), as columns
    "c<provider>_<counter>" of one row anchored on the user's own."""
    wanted = [counters(request) if counters else {} for _, counters in _providers()]
    wanted.append(extra(request) if extra else {})
    expressions = {
        f"c{i}_{name}": expr for i, exprs in enumerate(wanted) for name, expr in exprs.items()
    }
    users = get_user_model().objects
    if not expressions:
        return users.none().values("pk")
    return users.filter(pk=request.user.pk).values(**expressions)


def _counter_values(request, extra) -> list[dict]:
    """Per provider (and the page's extra counters last), its counters' values."""
    compiled = kept_sql.kept(
        "home.counters", _inputs(request, extra), lambda: _counters_query(request, extra)
    )
    values: list[dict] = [{} for _ in range(len(_providers()) + 1)]
    for row in kept_sql.run(compiled):
        for alias, value in zip(compiled.aliases, row, strict=True):
            provider, name = alias[1:].split("_", 1)
            values[int(provider)][name] = value
    return values


def cards_for(request, extra=None) -> tuple[list[Card], dict]:
    """The cards, sorted, and the values of the page's own ``extra`` counters.

    ``extra(request)`` gives the page's own counters (as a provider's ``counters``). Every
    counter is evaluated in one query, anchored on the user's own row (one row, whatever
    the structure or network).
    """
    values = _counter_values(request, extra)
    cards: list[Card] = []
    for (provider, _), counts in zip(_providers(), values, strict=False):
        cards.extend(provider(request, counts))
    return sorted(cards, key=lambda c: c.order), values[-1]
