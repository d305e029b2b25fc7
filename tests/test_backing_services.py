"""Redis or the object storage configured but unreachable: a French message at start-up
(`binome check`, the worker, the web server), not a 500 at the first request (issue 17).
A reachable pair is exercised by the cluster tests (tests/cluster)."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.checks import run_checks

from binome.core import backing_services

ROOT = Path(__file__).resolve().parents[1]
CLOSED = "127.0.0.1:9"  # the discard port: nothing listens there on this machine


def test_nothing_configured_nothing_checked(settings):
    assert backing_services.problems() == []


def test_an_unreachable_redis_is_said_in_french(settings):
    settings.BINOME_CACHE = "redis"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{CLOSED}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    (problem,) = backing_services.problems()
    assert problem.startswith("Redis est configuré (REDIS_URL) mais ne répond pas")
    errors = [e for e in run_checks(tags=["binome_services"]) if e.id == "binome.E100"]
    assert len(errors) == 1 and "Redis" in errors[0].msg


def test_an_unreachable_object_storage_is_said_in_french(settings):
    from botocore.config import Config

    settings.S3_BUCKET = "binome-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "binome-media",
                "endpoint_url": f"http://{CLOSED}",
                "access_key": "a",
                "secret_key": "b",
                "region_name": "us-east-1",
                "client_config": Config(connect_timeout=1, retries={"max_attempts": 0}),
            },
        },
    }
    (problem,) = backing_services.problems()
    assert "Le stockage objet est configuré (BINOME_S3_BUCKET « binome-media »)" in problem


def test_the_web_server_refuses_to_start_with_an_unreachable_redis(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BINOME_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(BINOME_VAR_DIR=str(tmp_path), REDIS_URL=f"redis://{CLOSED}/0")
    started = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "binome.wsgi",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "Redis est configuré (REDIS_URL) mais ne répond pas" in started.stderr
