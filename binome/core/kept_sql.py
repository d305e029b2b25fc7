"""Compiled SQL kept between visits, for the queries a page repeats (issue 17).

Building a queryset and compiling it to SQL costs Django's ORM 0.3 to 1 ms a query, on
every visit, often more than running it: a page of five small queries spends 3 ms there.
For a query whose SQL and parameters depend only on a few known values (the person, the
structure, the day), this module keeps the compiled SQL, per process, under those values
(the ``key``), and the next visit only runs it.

The contract for ``build()``:
- the queryset's SQL and parameters depend on nothing but ``key`` (and constants): no other
  request attribute, no data read while building, no ``timezone.now()`` (compare with the
  database's present, ``Now()``, or put the day in the key);
- the language and the active structure scope (the scoped managers' filter) are added to
  every key by this module;
- it reads tuples (``values_list`` with named fields): model instances need the state of
  Django's compiler, which is not kept.

With ``BINOME_CHECK_KEPT_SQL`` (on in the tests) every call builds and compiles the query
again and fails if its SQL or parameters differ from the kept ones: a key that misses one
input of the query, an access rule's included, fails the suite rather than serving a page
under a stale rule. Where it is used: docs/architecture.md, "Compiled SQL kept between
visits".
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet, Value
from django.db.models.expressions import BaseExpression
from django.utils.translation import get_language
from django_scopes import get_scope


@dataclass(frozen=True)
class Compiled:
    sql: str | None  # None: the query can match no row (Django's EmptyResultSet)
    params: tuple
    using: str  # the database alias the query was compiled for
    expressions: tuple  # the selected expressions, for the database's value converters
    aliases: tuple  # their column names


_kept: dict = {}
_KEPT_MAX = 8192


def compile_query(queryset: QuerySet) -> Compiled:
    """The SQL of ``queryset`` (a ``values()`` or ``values_list()`` one) and what reading
    its rows needs, as Django's own iterables would read them."""
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return Compiled(None, (), queryset.db, (), ())
    selected = compiler.select[: compiler.col_count]  # in values_list's order (Django ≥ 5.2)
    return Compiled(
        sql=sql,
        params=tuple(params),
        using=queryset.db,
        expressions=tuple(_light(column[0]) for column in selected),
        aliases=tuple(column[2] for column in selected),
    )


def _light(expression):
    """What converting a column's values needs of its expression, without the rest: an
    annotation holds its whole subquery (≈ 50 KiB kept per query for the pool's load).
    Expressions with converters of their own (a column, a date truncation…) stay as they are."""
    cls = type(expression)
    own = cls.get_db_converters is not BaseExpression.get_db_converters or any(
        "convert_value" in vars(base) for base in cls.__mro__ if base is not BaseExpression
    )
    return expression if own else Value(None, output_field=expression.output_field)


def run(compiled: Compiled) -> list[tuple]:
    """The rows, through the database's converters (dates on SQLite, encrypted fields…)."""
    if compiled.sql is None:
        return []
    connection = connections[compiled.using]
    converters = [
        (i, convert)
        for i, expression in enumerate(compiled.expressions)
        for convert in connection.ops.get_db_converters(expression)
        + expression.get_db_converters(connection)
    ]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, list(compiled.params))
        raw = cursor.fetchall()
    rows = []
    for row in raw:
        if converters:
            row = list(row)
            for i, convert in converters:
                row[i] = convert(row[i], compiled.expressions[i], connection)
        rows.append(tuple(row))
    return rows


def _scope() -> tuple:
    """The active structure scope (binome.people.scoping): the scoped managers add its
    structures to every query, so it is part of every key."""
    return tuple(
        (name, tuple(value) if isinstance(value, list | tuple | set) else value)
        for name, value in sorted(get_scope().items())
    )


def kept(name: str, key: tuple, build: Callable[[], QuerySet]) -> Compiled:
    """The compiled query of ``build()`` for ``key``, kept between visits (see the contract
    in the module's docstring)."""
    full_key = (name, get_language(), _scope(), *key)
    compiled = _kept.get(full_key)
    if compiled is not None and not settings.BINOME_CHECK_KEPT_SQL:
        return compiled
    fresh = compile_query(build())
    if compiled is not None and (compiled.sql, compiled.params) != (fresh.sql, fresh.params):
        raise AssertionError(
            f"The kept query {name!r} depends on something outside its key {key!r} "
            "(another request attribute, the data, or timezone.now() instead of Now())."
        )
    if len(_kept) >= _KEPT_MAX:
        _kept.clear()  # yesterday's keys, people who left: start afresh
    _kept[full_key] = fresh
    return fresh


def rows(name: str, key: tuple, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of ``build()``'s ``values_list`` query, its SQL kept under ``key``."""
    return run(kept(name, key, build))


def dicts(name: str, key: tuple, build: Callable[[], QuerySet]) -> list[dict]:
    """The rows of ``build()``'s ``values`` query as dictionaries, its SQL kept under ``key``."""
    compiled = kept(name, key, build)
    return [dict(zip(compiled.aliases, row, strict=True)) for row in run(compiled)]


def count(name: str, key: tuple, build: Callable[[], QuerySet]) -> int:
    """The number of rows of ``build()``, its COUNT's SQL kept under ``key``."""

    def counted():
        return build().order_by().values_list("pk")

    compiled = kept(name, key, counted)
    if compiled.sql is None:
        return 0
    connection = connections[compiled.using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({compiled.sql}) counted", list(compiled.params))  # noqa: S608
        return cursor.fetchone()[0]


class KeptList:
    """A ``values_list`` query as binome.core.pagination.Paginator reads it: sliced for a
    page, counted for the total. The SQL of each page and of the count is kept under
    ``key`` (plus the page's bounds)."""

    def __init__(
        self, name: str, key: tuple, build: Callable[[], QuerySet], *, counted=None, as_dicts=False
    ):
        self.name, self.key, self.build = name, key, build
        self.counted = counted or build  # what to count, when the rows' joins need not be
        self.read = dicts if as_dicts else rows  # a values() query's rows as dictionaries

    def __getitem__(self, bounds: slice) -> list:
        key = (*self.key, bounds.start, bounds.stop)
        return self.read(self.name, key, lambda: self.build()[bounds])

    def count(self) -> int:
        return count(f"{self.name}.count", self.key, self.counted)

    def __len__(self) -> int:
        return self.count()
