"""Canary names never appear in URLs, logs, error pages or cache keys.

Every page of the permission matrix (tests/matrix/*.py) is opened by a persona allowed on
it, after every first and last name of a patient, partner or candidate was replaced by a canary. The test
collects every URL the pages link to, every log record, every cache key, and the error
pages of another structure's objects, and scans them for the canary.
"""

import logging
import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.core.cache.backends.base import BaseCache
from django.db import transaction
from django.urls import reverse

from tests.test_permission_matrix import ENTRIES

FIRST, LAST = "Zqcanariprenom", "Zqcanarinom"
NEEDLE = "zqcanari"
PERSONAS = ("coordinator", "doctor", "partner", "patient", "user_rep")
LINK = re.compile(r"""(?:href|src|action|hx-get|hx-post|data-url)\s*=\s*["']([^"']*)["']""", re.I)


def _plant_names():
    for model in apps.get_models():
        # Accounts are left out: the signed-in person's own name is shown in the header.
        if not model.__module__.startswith("binome.") or model._meta.label == "people.User":
            continue
        names = {f.name for f in model._meta.concrete_fields}
        values = {k: v for k, v in (("first_name", FIRST), ("last_name", LAST)) if k in names}
        if values:
            model._base_manager.update(**values)


@pytest.fixture
def cache_keys(monkeypatch):
    keys = []
    original = BaseCache.make_key

    def make_key(self, key, version=None):
        keys.append(str(key))
        return original(self, key, version)

    monkeypatch.setattr(BaseCache, "make_key", make_key)
    return keys


def _hits(text):
    return NEEDLE in unquote(unescape(text)).lower()


def _visit(world, entry, persona):
    leaks = []
    kwargs = entry.own(world) if entry.own else None
    _plant_names()
    url = reverse(entry.name, kwargs=kwargs)
    response = world.client_for(persona).get(url)
    if _hits(url) or _hits(response.get("Location", "")):
        leaks.append(f"URL of {entry.name}: {url}")
    if response.get("Content-Type", "").startswith("text/html"):
        for link in LINK.findall(response.content.decode()):
            if _hits(link):
                leaks.append(f"link on {entry.name}: {link}")
    if entry.other:
        other = world.client_for(persona).get(reverse(entry.name, kwargs=entry.other(world)))
        if other.status_code >= 400 and _hits(other.content.decode(errors="replace")):
            leaks.append(f"error page of {entry.name}")
    return leaks


def test_names_stay_out_of_urls_logs_error_pages_and_cache_keys(world, caplog, cache_keys):
    caplog.set_level(logging.DEBUG)
    pages = [e for e in ENTRIES if not e.api and e.method == "get" and not e.public]
    leaks = []
    for entry in pages:
        persona = next((p for p in PERSONAS if p in entry.allowed), None)
        if persona is None:
            continue
        # Each page's objects are built afresh and rolled back, as in the permission matrix.
        with transaction.atomic():
            leaks += _visit(world, entry, persona)
            transaction.set_rollback(True)
    leaks += [f"log: {r.getMessage()[:200]}" for r in caplog.records if _hits(r.getMessage())]
    leaks += [f"cache key: {k}" for k in cache_keys if _hits(k)]
    assert len(pages) > 20
    assert not leaks, "\n".join(leaks)


def test_a_missing_page_does_not_echo_what_was_asked(world):
    response = world.client_for("coordinator").get(f"/donnees/personnes/{FIRST}/")
    assert response.status_code == 404
    assert NEEDLE not in response.content.decode().lower()
