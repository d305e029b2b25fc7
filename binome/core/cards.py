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
With ``BINOME_CHECK_HOME_COUNTERS`` (on in the tests) the query is built every time and
must match the kept one, so a counter that breaks the contract fails the suite.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import IntegerField, Subquery
from django.utils import timezone
from django.utils.translation import get_language

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


@dataclass(frozen=True)
class _Compiled:
    names: tuple  # per provider (and the page's extra counters), the names of its counters
    sql: str | None
    params: tuple
    fields: tuple  # the selected expressions, for the database's value converters
    aliases: tuple  # their column names, "c<provider>_<counter>"


_compiled: dict = {}
_COMPILED_MAX = 4096


def _inputs(request, extra):
    """Everything the counters may depend on (see the module's docstring)."""
    ctx = request.binome
    return (
        request.user.pk,
        getattr(request.structure, "pk", None),
        tuple(sorted((m.pk, m.role) for m in ctx.current_memberships)),
        getattr(ctx.network, "pk", None),
        get_language(),
        timezone.localdate(),
        extra,
    )


def _compile(request, extra) -> _Compiled:
    wanted = [counters(request) if counters else {} for _, counters in _providers()]
    wanted.append(extra(request) if extra else {})
    names = tuple(tuple(exprs) for exprs in wanted)
    expressions = {
        f"c{i}_{name}": expr for i, exprs in enumerate(wanted) for name, expr in exprs.items()
    }
    if not expressions:
        return _Compiled(names, None, (), (), ())
    queryset = get_user_model().objects.filter(pk=request.user.pk).values(**expressions)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    selected = compiler.select[: compiler.col_count]
    fields = tuple(column[0] for column in selected)
    return _Compiled(names, sql, tuple(params), fields, tuple(column[2] for column in selected))


def _counter_query(request, extra) -> _Compiled:
    key = _inputs(request, extra)
    kept = _compiled.get(key)
    if kept is not None and not settings.BINOME_CHECK_HOME_COUNTERS:
        return kept
    fresh = _compile(request, extra)
    if kept is not None and (kept.sql, kept.params) != (fresh.sql, fresh.params):
        raise AssertionError(
            "A home counter depends on something outside binome.core.cards._inputs "
            "(another request attribute, the data, or timezone.now() instead of Now())."
        )
    if len(_compiled) >= _COMPILED_MAX:
        _compiled.clear()  # yesterday's keys, people who left: start afresh
    _compiled[key] = fresh
    return fresh


def _run(compiled: _Compiled) -> dict:
    """One row, through the database's converters as the ORM would (dates on SQLite…)."""
    assert compiled.sql is not None
    connection = connections[router.db_for_read(get_user_model())]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, list(compiled.params))
        row = cursor.fetchone()
    values = []
    for value, field in zip(row, compiled.fields, strict=True):
        for convert in connection.ops.get_db_converters(field) + field.get_db_converters(
            connection
        ):
            value = convert(value, field, connection)
        values.append(value)
    return dict(zip(compiled.aliases, values, strict=True))


def cards_for(request, extra=None) -> tuple[list[Card], dict]:
    """The cards, sorted, and the values of the page's own ``extra`` counters.

    ``extra(request)`` gives the page's own counters (as a provider's ``counters``). Every
    counter is evaluated in one query, anchored on the user's own row (one row, whatever
    the structure or network).
    """
    compiled = _counter_query(request, extra)
    row = _run(compiled) if compiled.sql else {}
    values = [
        {name: row[f"c{i}_{name}"] for name in names} for i, names in enumerate(compiled.names)
    ]
    cards: list[Card] = []
    for (provider, _), counts in zip(_providers(), values, strict=False):
        cards.extend(provider(request, counts))
    return sorted(cards, key=lambda c: c.order), values[-1]
