"""SQLite's planner statistics (binome/core/db_statistics.py): a partner's list is read by
the partner index, not by walking her structure's accompaniments in date order."""

import pytest
from django.db import connection

from bench.common import pick_cast
from bench.generator import generate
from binome.accompaniment.models import Accompaniment
from binome.core import db_statistics
from binome.core.schedules import all_schedules
from binome.people.scoping import scopes_disabled

from .test_query_budget import SMALL

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
        cursor.execute(f"{explain} {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def _partner_list(user, structure):
    return Accompaniment.objects.visible_to(user, {"partner"}, structure).order_by(
        "-referred_at", "-id"
    )[:50]


def test_a_partners_list_uses_her_index_once_the_table_is_analysed():
    # A partner holds about 10 of the structure's 4,000 accompaniments (the team preset: 49 of
    # 20,000); below some hundred times fewer, SQLite keeps the structure's index anyway.
    size = {"accompaniments": 4000, "partners": 400, "contacts_per_accompaniment": 0}
    generate("team", seed=5, **{**SMALL, **size, "key_moments_per_accompaniment": 0})
    cast = pick_cast()
    partner = cast.users["partner"]
    with scopes_disabled():
        query = _partner_list(partner, cast.structure)
        expected = list(query.values_list("pk", flat=True))
        before = _plan(query)
    if connection.vendor == "sqlite":
        # Without statistics: her rows are found by walking the structure's, newest first.
        assert "accomp_struct_referred" in before, before
    assert expected, "the partner of the generated structure has accompaniments"

    refreshed = db_statistics.refresh()

    with scopes_disabled():
        assert list(query.values_list("pk", flat=True)) == expected  # same rows, same order
        plan = _plan(query)
    if connection.vendor == "sqlite":
        assert refreshed is True
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            analysed = {row[0] for row in cursor.fetchall()}
        # Only the listed tables: statistics on every table made other pages slower.
        assert "accompaniment_accompaniment" in analysed
        assert analysed <= set(db_statistics.ANALYZED_TABLES), analysed
        assert "(partner_id=?)" in plan, plan
        assert "accomp_struct_referred" not in plan, plan
    else:
        assert refreshed is False  # PostgreSQL keeps its own statistics
        assert "accompaniment_accompaniment" in plan


def test_the_statistics_are_refreshed_every_day():
    periodic = {s.func: s for s in all_schedules()}["binome.core.db_statistics.refresh"]
    assert periodic.minutes == 24 * 60
    assert db_statistics.refresh() is (connection.vendor == "sqlite")


def test_a_structures_time_list_is_read_in_index_order():
    from binome.compensation.models import Expense, TimeEntry

    generate("team", seed=6, **SMALL)
    cast = pick_cast()
    for model, index in ((TimeEntry, "time_entry_struct_date"), (Expense, "expense_struct_date")):
        with scopes_disabled():
            query = model.objects.filter(structure=cast.structure).order_by("-date", "-id")[:50]
            plan = _plan(query)
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
        assert index in constraints
        if connection.vendor == "sqlite":
            # Fifty rows in the index's order, not the structure's entries sorted.
            assert index in plan, plan
            assert "TEMP B-TREE" not in plan, plan
