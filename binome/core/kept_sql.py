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
- it reads tuples (``values_list`` with named fields), or model instances through
  ``instances()``, which reads the model's columns (and those of ``select_related``) as
  tuples and builds the instances as Django does (``Model.from_db``);
- a value that changes from visit to visit but not the SQL (the object's id on an object's
  page) is an argument, ``args``: the query is compiled once with stand-in values, and
  each call puts its own values in their places. ``build`` receives them.

With ``BINOME_CHECK_KEPT_SQL`` (on in the tests) every call builds and compiles the query
again and fails if its SQL or parameters differ from the kept ones: a key that misses one
input of the query, an access rule's included, fails the suite rather than serving a page
under a stale rule. Where it is used: docs/architecture.md, "Compiled SQL kept between
visits".
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

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
    slots: tuple = ()  # per argument: (position in params, how the value is written), …
    plan: tuple = ()  # instances(): the models read from each row and where


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
        return Compiled(None, (), queryset.db, (), (), plan=getattr(queryset, "_kept_plan", ()))
    selected = compiler.select[: compiler.col_count]  # in values_list's order (Django ≥ 5.2)
    return Compiled(
        sql=sql,
        params=tuple(params),
        using=queryset.db,
        expressions=tuple(_light(column[0]) for column in selected),
        aliases=tuple(column[2] for column in selected),
        plan=getattr(queryset, "_kept_plan", ()),
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


_converters: dict = {}  # (id(expressions), id(connection)) -> (expressions, connection, converters)


def _converters_of(compiled: Compiled, connection) -> list:
    """The converters of a kept query's columns, found once per connection: a whole
    model's columns take ≈ 0.3 ms to look up. The entry holds its expressions and its
    connection, so that their ids stay theirs."""
    key = (id(compiled.expressions), id(connection))
    entry = _converters.get(key)
    if entry is not None and entry[0] is compiled.expressions and entry[1] is connection:
        return entry[2]
    converters = [
        (i, convert)
        for i, expression in enumerate(compiled.expressions)
        for convert in connection.ops.get_db_converters(expression)
        + expression.get_db_converters(connection)
    ]
    if len(_converters) >= _KEPT_MAX:
        _converters.clear()
    _converters[key] = (compiled.expressions, connection, converters)
    return converters


def run(compiled: Compiled) -> list[tuple]:
    """The rows, through the database's converters (dates on SQLite, encrypted fields…)."""
    if compiled.sql is None:
        return []
    connection = connections[compiled.using]
    converters = _converters_of(compiled, connection)
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


def _stand_in(kind, index: int, which: int):
    """The value that stands for argument ``index`` while compiling (two sets, ``which``):
    one no real row or constant carries."""
    n = 1_987_654_000 + 10 * index + which
    if kind is str:
        return f"\x00kept-{n}"
    return n if kind is int else uuid.UUID(f"5e471e1e-0b1d-4a55-8e57-{n:012d}")


# How a database driver is given an argument's value (SQLite: a UUID as its hex string).
_WRITTEN = {
    int: (lambda v: v,),
    str: (lambda v: v,),
    uuid.UUID: (lambda v: v, lambda v: v.hex, str),
}


def _with_args(build, args: tuple):
    """Compile ``build`` with stand-ins in place of ``args``, and find where each lands in
    the parameters (two sets of stand-ins: a constant cannot be taken for an argument)."""
    kinds = []
    for value in args:
        if type(value) not in _WRITTEN:
            raise TypeError(f"A kept query's argument is an int, a str or a UUID, not {value!r}.")
        kinds.append(type(value))
    first = compile_query(build(*(_stand_in(k, i, 0) for i, k in enumerate(kinds))))
    second = compile_query(build(*(_stand_in(k, i, 1) for i, k in enumerate(kinds))))
    if first.sql is None and second.sql is None:
        return first  # can match no row, whatever the arguments (an empty scope)
    if first.sql != second.sql:
        raise AssertionError("A kept query's SQL must not depend on its arguments' values.")
    slots = []
    for index, kind in enumerate(kinds):
        a, b = _stand_in(kind, index, 0), _stand_in(kind, index, 1)
        places = tuple(
            (i, written)
            for i, (p, q) in enumerate(zip(first.params, second.params, strict=True))
            for written in _WRITTEN[kind]
            if type(p) is type(written(a)) and p == written(a) and q == written(b)
        )
        if not places:
            raise AssertionError("A kept query's argument does not reach its SQL.")
        slots.append(places)
    return replace(first, slots=tuple(slots))


def _bound(compiled: Compiled, args: tuple) -> Compiled:
    if not compiled.slots:
        return compiled
    params = list(compiled.params)
    for places, value in zip(compiled.slots, args, strict=True):
        for i, written in places:
            params[i] = written(value)
    return replace(compiled, params=tuple(params))


def kept(name: str, key: tuple, build: Callable[..., QuerySet], args: tuple = ()) -> Compiled:
    """The compiled query of ``build(*args)`` for ``key``, kept between visits (see the
    contract in the module's docstring)."""
    full_key = (name, get_language(), _scope(), *key)
    compiled = _kept.get(full_key)
    if compiled is not None and not settings.BINOME_CHECK_KEPT_SQL:
        return _bound(compiled, args)
    if compiled is None:
        compiled = _with_args(build, args) if args else compile_query(build())
        if len(_kept) >= _KEPT_MAX:
            _kept.clear()  # yesterday's keys, people who left: start afresh
        _kept[full_key] = compiled
    if settings.BINOME_CHECK_KEPT_SQL:
        fresh = compile_query(build(*args))
        mine = _bound(compiled, args)
        if (mine.sql, mine.params) != (fresh.sql, fresh.params):
            raise AssertionError(
                f"The kept query {name!r} depends on something outside its key {key!r} "
                "and arguments (another request attribute, the data, or timezone.now() "
                "instead of Now())."
            )
    return _bound(compiled, args)


def rows(name: str, key: tuple, build: Callable[..., QuerySet], args: tuple = ()) -> list[tuple]:
    """The rows of ``build()``'s ``values_list`` query, its SQL kept under ``key``."""
    return run(kept(name, key, build, args))


def _columns(queryset: QuerySet) -> QuerySet:
    """``queryset`` (model instances, ``select_related``, annotations, the model's own
    ``only()`` or ``defer()``) as a ``values_list`` of every column Django would read, with
    the plan to build the instances back."""
    query = queryset.query
    named, defer = query.deferred_loading
    if any("__" in name for name in named) or query.extra_select:
        raise TypeError("A kept query's only() and defer() name the model's own fields.")
    names: list[str] = []
    plan: list[tuple] = []

    def read(field, path):
        if path or not named:
            return True
        listed = field.name in named or field.attname in named
        return not listed if defer else listed or field.primary_key

    def add(model, path, relation):
        attnames = tuple(f.attname for f in model._meta.concrete_fields if read(f, path))
        start = len(names)
        names.extend("__".join((*path, a)) for a in attnames)
        pk_at = start + attnames.index(model._meta.pk.attname)
        plan.append((model, path, relation, attnames, start, len(names), pk_at))

    def walk(model, path, tree):
        for relation_name, subtree in sorted(tree.items()):
            relation = model._meta.get_field(relation_name)
            if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
                raise TypeError(f"Kept instances follow forward relations only: {relation}.")
            add(relation.related_model, (*path, relation_name), relation)
            walk(relation.related_model, (*path, relation_name), subtree)

    add(queryset.model, (), None)
    related = query.select_related
    if related is True:
        raise TypeError("Name the relations of select_related() for a kept query.")
    walk(queryset.model, (), related or {})
    annotations = tuple(query.annotation_select)
    columns = queryset.prefetch_related(None).values_list(*names, *annotations)
    columns._kept_plan = (tuple(plan), annotations, len(names))  # type: ignore[attr-defined]
    return columns


def instances(name: str, key: tuple, build: Callable[..., QuerySet], args: tuple = ()) -> list:
    """The model instances of ``build()`` (with its ``select_related`` instances and its
    annotations), read through kept SQL. ``prefetch_related`` is not followed: read those
    objects with their own kept query."""

    compiled = kept(name, key, lambda *values: _columns(build(*values)), args)
    plan, annotations, width = compiled.plan
    objects = []
    for row in run(compiled):
        built: dict[tuple, object] = {}
        for model, path, relation, attnames, start, end, pk_at in plan:
            parent = built.get(path[:-1]) if path else None
            if path and (parent is None or row[pk_at] is None):
                built[path] = None  # a null link: Django caches None too
                if parent is not None:
                    relation.set_cached_value(parent, None)
                continue
            obj = model.from_db(compiled.using, attnames, row[start:end])
            built[path] = obj
            if path:
                relation.set_cached_value(parent, obj)
                if relation.unique:  # as select_related: the other side knows it too
                    relation.remote_field.set_cached_value(obj, parent)
        root = built[()]
        for i, annotation in enumerate(annotations):
            setattr(root, annotation, row[width + i])
        objects.append(root)
    return objects


def one(name: str, key: tuple, build: Callable[..., QuerySet], args: tuple = ()):
    """The instance of ``build()`` (see ``instances()``), or None when no row matches."""
    found = instances(name, key, build, args)
    if len(found) > 1:
        raise AssertionError(f"The kept query {name!r} matched {len(found)} rows.")
    return found[0] if found else None


def with_rows(queryset: QuerySet, objects) -> QuerySet:
    """``queryset`` with these objects as its rows, as if it had been evaluated: iterating
    it reads them; filtering it (``get()``, a form's validation) queries again."""
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def cache_prefetched(instance, relation_name: str, objects: list) -> None:
    """Give ``instance.<relation_name>.all()`` these objects, as prefetch_related does."""
    related_model = instance._meta.get_field(relation_name).related_model
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[relation_name] = with_rows(
        QuerySet(model=related_model), objects
    )


def dicts(name: str, key: tuple, build: Callable[..., QuerySet], args: tuple = ()) -> list[dict]:
    """The rows of ``build()``'s ``values`` query as dictionaries, its SQL kept under ``key``."""
    compiled = kept(name, key, build, args)
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
