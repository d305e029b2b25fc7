"""Database-level guard: the audit log refuses UPDATE, and DELETE of rows younger than
180 days (the shortest legal retention: only the retention purge of expired rows passes)."""

from django.db import migrations

MIN_RETENTION_DAYS = 180

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN OLD.created_at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_RETENTION_DAYS} days')
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]

POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit log is append-only';
      END IF;
      IF OLD.created_at > now() - interval '{MIN_RETENTION_DAYS} days' THEN
        RAISE EXCEPTION 'audit log is append-only';
      END IF;
      RETURN OLD;
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_guard();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_guard();",
]


def install(apps, schema_editor):
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    statements = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(install, uninstall)]
