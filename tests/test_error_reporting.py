"""Errors reported to ADMINS and Sentry carry no personal data (binome/core/error_reporting.py)."""

import logging
import subprocess
import sys

from django.core import mail
from django.test import RequestFactory
from django.utils.log import AdminEmailHandler

from binome.core.sentry import scrub

CANARY = "zqcanari-diabete-Dupont"


def test_error_mail_to_admins_hides_what_was_typed(settings):
    settings.ADMINS = [("Équipe technique", "tech@binome.example")]
    settings.DEBUG = False
    request = RequestFactory().post(
        "/accompagnements/nouveau/", {"notes": CANARY}, HTTP_COOKIE=f"sessionid={CANARY}"
    )
    try:
        secret_local = CANARY  # noqa: F841  (a stack variable the report must not show)
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            sys.exc_info(),
        )
    record.request = request
    record.status_code = 500
    AdminEmailHandler().emit(record)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tech@binome.example"]
    assert "ValueError" in message.body
    assert CANARY not in message.body
    assert "/accompagnements/nouveau/" in message.body


def test_sentry_event_is_scrubbed():
    event = {
        "request": {
            "url": f"https://b.example/p/?q={CANARY}",
            "data": {"notes": CANARY},
            "cookies": {"s": CANARY},
            "query_string": f"q={CANARY}",
            "headers": {"User-Agent": "Firefox", "Authorization": f"Bearer {CANARY}"},
        },
        "user": {"id": 7, "email": f"{CANARY}@x.fr", "ip_address": "10.0.0.1"},
        "exception": {
            "values": [{"stacktrace": {"frames": [{"function": "f", "vars": {"notes": CANARY}}]}}]
        },
        "extra": {"notes": CANARY},
        "breadcrumbs": {
            "values": [
                {"category": "query", "message": f"SELECT '{CANARY}'", "data": {"p": CANARY}}
            ]
        },
    }
    assert CANARY not in repr(scrub(event))
    assert event["user"] == {"id": 7}
    assert event["request"]["headers"] == {"User-Agent": "Firefox"}


def _sentry_active(env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='binome.settings'; django.setup(); "
        "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_sentry_is_off_unless_a_dsn_is_set(tmp_path):
    base = {"PATH": "/usr/bin:/bin", "BINOME_VAR_DIR": str(tmp_path)}
    assert _sentry_active(base) == "False"
    assert _sentry_active({**base, "SENTRY_DSN": "https://public@sentry.invalid/1"}) == "True"
