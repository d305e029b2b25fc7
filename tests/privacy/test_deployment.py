"""Deployment configuration: the shared cache setting and the example files stay consistent."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings(tmp_path, code, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BINOME_", "DJANGO_", "DATABASE_URL", "DEBUG"))
    }
    base.update(BINOME_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="binome.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_several_workers_can_share_the_cache_through_the_database(tmp_path):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    assert _settings(tmp_path, code).stdout.strip().endswith("LocMemCache")
    assert (
        _settings(tmp_path, code, BINOME_CACHE="database").stdout.strip().endswith("DatabaseCache")
    )
    refused = _settings(tmp_path, code, BINOME_CACHE="memcached")
    assert refused.returncode != 0 and "BINOME_CACHE must be" in refused.stderr
    refused = _settings(tmp_path, code, BINOME_CACHE="redis")
    assert refused.returncode != 0 and "needs REDIS_URL" in refused.stderr
    # With Redis (several app servers): the cache, and the sessions read from it first.
    code += "; print(settings.SESSION_ENGINE); print(settings.AXES_HANDLER)"
    redis = _settings(tmp_path, code, REDIS_URL="redis://127.0.0.1:6379/0").stdout.split()
    assert redis == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "axes.handlers.cache.AxesCacheHandler",
    ]


def test_the_env_example_names_only_real_settings():
    """Every variable of deploy/binome.env.example is read somewhere in the code."""
    sources = "\n".join(p.read_text() for p in (ROOT / "binome").rglob("*.py"))
    names = []
    for line in (ROOT / "deploy" / "binome.env.example").read_text().splitlines():
        line = line.lstrip("# ").strip()
        if "=" in line and line.split("=")[0].isupper() and " " not in line.split("=")[0]:
            names.append(line.split("=")[0])
    assert "SECRET_KEY" in names and "DATABASE_URL" in names
    for name in names:
        if name.startswith("BINOME_RETENTION_"):
            assert name.removeprefix("BINOME_RETENTION_").removesuffix("_DAYS").lower() in sources
        else:
            assert f'"{name}"' in sources, f"{name} is not read by binome/settings.py"


def test_units_run_the_worker_and_the_backup():
    units = ROOT / "deploy" / "systemd"
    assert "binome qcluster" in (units / "binome-worker.service").read_text()
    assert "binome backup" in (units / "binome-backup.service").read_text()
    assert "OnCalendar" in (units / "binome-backup.timer").read_text()


def test_production_refuses_a_mail_account_without_its_password(tmp_path):
    production = {
        "BINOME_PRODUCTION": "true",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "binome.example.org",
        "SITE_URL": "https://binome.example.org",
        "EMAIL_HOST_USER": "binome@example.org",
    }
    code = "import binome.settings"
    refused = _settings(tmp_path, code, EMAIL_HOST_PASSWORD="", **production)
    assert refused.returncode != 0 and "EMAIL_HOST_PASSWORD is required" in refused.stderr
    assert _settings(tmp_path, code, EMAIL_HOST_PASSWORD="secret", **production).returncode == 0
    # Outside production (tests, demo) nothing is sent through SMTP: no such check.
    assert _settings(tmp_path, code, EMAIL_HOST_USER="binome@example.org").returncode == 0
