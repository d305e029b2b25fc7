"""Planner statistics for SQLite (issue 17, docs/performance.md § 2).

SQLite plans a query from its indexes alone until ``ANALYZE`` has stored statistics. Without
them, a partner's list ("mes accompagnements", "aujourd'hui", the API list) walks the
structure's 20,000 accompaniments in date order to keep her 49: both indexes offer the
order, and nothing tells SQLite that one partner has few rows. With statistics on the
accompaniment table it reads her rows by the partner index (team preset: her list from 39 to
18 ms, her day from 31 to 14 ms, the patient's page from 36 to 18 ms, nothing slower).

Only the tables listed here are analysed, each measured on every page of the bench.
Statistics on the whole database made SQLite choose worse join orders elsewhere (measured
on the team preset: the pool from 23 to 43 ms, the referral form from 33 to 80 ms, the API's
coordinator list from 23 to 91 ms).

PostgreSQL keeps its own statistics (autovacuum): nothing to do there.
"""

from django.db import connections

ANALYZED_TABLES = (
    "accompaniment_accompaniment",
    # A partner's time and expenses, newest first (her "mon temps" 21 to 16 ms, its API list
    # 16 to 9 ms), the same way.
    "compensation_timeentry",
    "compensation_expense",
)


def refresh(using: str = "default") -> bool:
    """Analyse the listed tables on SQLite; False (and nothing done) on another database."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ANALYZED_TABLES:
            if table in existing:
                cursor.execute(f'ANALYZE "{table}"')
    return True


def refresh_after_migrate(using="default", **kwargs):
    """post_migrate: a new or upgraded database starts with fresh statistics."""
    refresh(using)
