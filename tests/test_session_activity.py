"""Idle sessions expire after SESSION_COOKIE_AGE, with one session write every few minutes
rather than one per request (issue 9: the write was 3 of the 8 queries of every page)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _session_writes(client, url="/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_do_not_write_the_session_on_every_request(world):
    client = world.client_for("coordinator")
    client.get("/")  # first request after sign-in stamps the activity
    assert _session_writes(client) == []
    assert _session_writes(client, "/structure/membres/") == []


def test_activity_slides_the_idle_expiry_once_the_refresh_interval_has_passed(world):
    client = world.client_for("partner")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/")
        first = _expiry(client)
    with time_machine.travel(
        start + timedelta(seconds=settings.SESSION_REFRESH_SECONDS - 5), tick=False
    ):
        assert _session_writes(client) == []
        assert _expiry(client) == first
    later = start + timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 5)
    with time_machine.travel(later, tick=False):
        assert _session_writes(client) != []
        assert _expiry(client) == later + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_an_idle_session_ends_after_the_cookie_age(world):
    client = world.client_for("doctor")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/").status_code == 200
    # Active again just before the deadline: still signed in, and the deadline moves on.
    with time_machine.travel(
        start + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60), tick=False
    ):
        assert client.get("/").status_code == 200
    with time_machine.travel(
        start + timedelta(seconds=2 * settings.SESSION_COOKIE_AGE - 120), tick=False
    ):
        assert client.get("/").status_code == 200
    # Then idle for longer than the cookie age: signed out.
    with time_machine.travel(
        start + timedelta(seconds=3 * settings.SESSION_COOKIE_AGE), tick=False
    ):
        response = client.get("/")
        assert not response.wsgi_request.user.is_authenticated
        assert client.get("/accompagnements/").status_code == 302


def test_anonymous_visits_create_no_session_row(world):
    before = Session.objects.count()
    Client().get("/connexion/")
    Client().get("/")
    assert Session.objects.count() == before
