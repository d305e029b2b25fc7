"""Test support: transactional tests must empty the append-only table before Django's flush."""

from importlib import import_module

from django.db import connection

_triggers = import_module("binome.audit.migrations.0003_append_only_triggers")


def wipe_audit_log_for_tests():
    """Drop the guard, empty the table, put the guard back. Never used outside tests."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for sql in (
            _triggers.POSTGRES_BACKWARD if vendor == "postgresql" else _triggers.SQLITE_BACKWARD
        ):
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_auditevent")
        for sql in (
            _triggers.POSTGRES_FORWARD if vendor == "postgresql" else _triggers.SQLITE_FORWARD
        ):
            cursor.execute(sql)
