"""Production settings are strict: `check --deploy` is clean, unsafe combinations are refused."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-production-secret-key-for-tests-0123456789"


def _env(tmp_path, **overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("BINOME_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
        )
    }
    env.update(
        BINOME_PRODUCTION="true",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="binome.example.org",
        SITE_URL="https://binome.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        BINOME_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="binome.settings",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run(code, env):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = _run(code, _env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_settings_are_strict(tmp_path):
    code = (
        "from django.conf import settings;"
        "assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE;"
        "assert settings.SECURE_SSL_REDIRECT and settings.SECURE_HSTS_SECONDS >= 31536000;"
        "assert settings.SESSION_COOKIE_NAME.startswith('__Host-');"
        "assert not settings.DEBUG and not settings.DEMO_MODE;"
        "assert settings.EMAIL_BACKEND.endswith('smtp.EmailBackend');"
        "print('ok')"
    )
    result = _run(code, _env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is required"),
        ({"SECRET_KEY": "trop-courte"}, "at least 50 characters"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is required"),
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
        ({"BINOME_DEMO": "true"}, "Demo mode is refused with production settings"),
        ({"BINOME_PRODUCTION": "false", "DEBUG": "true"}, "DEBUG is refused with a public host"),
        ({"BINOME_PRODUCTION": "peut-etre"}, "must be a boolean"),
        ({"SITE_URL": "http://binome.example.org"}, "SITE_URL must be the public https://"),
        ({"AUDIT_RETENTION_DAYS": "30"}, "AUDIT_RETENTION_DAYS must be between 180 and 366"),
    ],
)
def test_unsafe_settings_are_refused(tmp_path, overrides, message):
    result = _run("import binome.settings", _env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_debug_is_allowed_on_the_local_machine(tmp_path):
    env = _env(
        tmp_path,
        BINOME_PRODUCTION=None,
        DEBUG="true",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY=None,
    )
    result = _run("import binome.settings as s; print(s.DEBUG)", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("url", "limit", "expected"),
    [
        (
            "postgres://u:p@127.0.0.1:5432/binome",
            None,
            "-c join_collapse_limit=4 -c from_collapse_limit=4",
        ),
        (
            "postgres://u:p@127.0.0.1:5432/binome?options=-c%20statement_timeout%3D5000",
            "6",
            "-c statement_timeout=5000 -c join_collapse_limit=6 -c from_collapse_limit=6",
        ),
        ("postgres://u:p@127.0.0.1:5432/binome", "0", None),
    ],
)
def test_postgresql_connections_plan_joins_in_groups_of_four(tmp_path, url, limit, expected):
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    )
    result = _run(code, _env(tmp_path, DATABASE_URL=url, DB_JOIN_COLLAPSE_LIMIT=limit))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(expected)


@pytest.mark.parametrize(
    ("url", "prepared", "threshold", "expected"),
    [
        ("postgres://u:p@127.0.0.1:5432/binome", None, None, "True 5"),
        ("postgres://u:p@127.0.0.1:5432/binome", "true", "2", "True 2"),
        # Behind PgBouncer in transaction mode without max_prepared_statements.
        ("postgres://u:p@127.0.0.1:5432/binome", "false", None, "None None"),
        # SQLite: nothing of the kind.
        ("sqlite:////tmp/x.sqlite3", None, None, "None None"),
    ],
)
def test_postgresql_connections_prepare_the_queries_they_repeat(
    tmp_path, url, prepared, threshold, expected
):
    code = (
        "from django.conf import settings;"
        "o = settings.DATABASES['default'].get('OPTIONS', {});"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    env = _env(
        tmp_path,
        DATABASE_URL=url,
        DB_PREPARED_STATEMENTS=prepared,
        DB_PREPARE_THRESHOLD=threshold,
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.django_db
def test_the_database_in_use_gets_the_join_collapse_limit():
    from django.db import connection

    if connection.vendor != "postgresql":
        # SQLite has no such planner setting: nothing is sent.
        assert "options" not in connection.settings_dict.get("OPTIONS", {})
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        join = cursor.fetchone()[0]
        cursor.execute("SHOW from_collapse_limit")
        assert (join, cursor.fetchone()[0]) == ("4", "4")
    # Server-side binding, so that psycopg prepares the queries a connection repeats: after
    # DB_PREPARE_THRESHOLD runs, the same query is a prepared statement of this session.
    assert connection.features.uses_server_side_binding
    marker = "SELECT %s::int AS binome_prepared_probe"
    with connection.cursor() as cursor:
        for _ in range(connection.settings_dict["OPTIONS"]["prepare_threshold"] + 1):
            cursor.execute(marker, [1])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%binome_prepared_probe%"],
        )
        assert cursor.fetchone()[0] == 1
