"""Every role × every page and endpoint × an object of the other structure.

Entries come from tests/matrix/*.py (one line per URL). A meta-test fails when a URL
exists that no entry (or EXEMPT) covers, so new pages cannot skip the matrix. One test per
entry: the world is built once, the personas are looped inside, each request rolled back.
An allowed write must either happen with its audit row or be refused writing nothing; a
refused request never records a change.
"""

import importlib
import json
import pkgutil
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

import tests.matrix as matrix_pkg
from binome.accounts.models import ApiToken
from binome.audit.kinds import all_kinds
from binome.audit.models import AuditEvent
from tests.conftest import PERSONAS, build_world
from tests.matrix import Entry

CHANGE_KINDS = [k.code for k in all_kinds().values() if k.category == "change"]
ENTRIES = []
for info in pkgutil.iter_modules(matrix_pkg.__path__):
    ENTRIES.extend(importlib.import_module(f"tests.matrix.{info.name}").ENTRIES)

# URLs outside the matrix, with the reason.
EXEMPT = {
    "accounts:login",
    "accounts:logout",
    "accounts:second_factor",  # sign-in flow, tested in test_auth
    "accounts:reset_second_factor",
    "accounts:create_token",
    "accounts:revoke_token",  # own account only
    "accounts:password_change",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:magic_link_request",
    "accounts:magic_login",
    "accounts:accept_invitation",
    "web:switch_context",
    "web:healthz",
    "accounts:psc_start",
    "accounts:psc_callback",  # Pro Santé Connect sign-in flow, tested in test_psc
    "messaging_public:reply",  # the SMS provider's webhook (STOP answers), token in the address, tested in tests/messaging
}


def _url(entry, kwargs):
    if entry.api:
        return entry.name.format(**(kwargs or {}))
    return reverse(entry.name, kwargs=kwargs or None)


def _request(client, entry, url, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = entry.data(None) if callable(entry.data) else entry.data
    if entry.method == "get":
        return client.get(url, **headers)
    if entry.api:
        return client.generic(
            entry.method.upper(),
            url,
            json.dumps(data or {}),
            content_type="application/json",
            **headers,
        )
    return getattr(client, entry.method)(url, data or {}, **headers)


def _token(user):
    raw = f"test-token-{user.pk}"
    from binome.accounts.models import hash_token

    if not ApiToken.objects.filter(key_hash=hash_token(raw)).exists():
        ApiToken.issue(user, "test", raw=raw)
    return raw


# Personas with no membership in structure A: its objects do not exist for them.
NOT_IN_A = {"facilitator", "outsider"}
IN_A = [p for p in PERSONAS if p not in NOT_IN_A]


@contextmanager
def _rolled_back():
    """What one persona's request writes is undone before the next persona's."""
    cache.clear()  # rate limits and caches start afresh for each persona
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _refused_with_a_message(response):
    from django.contrib.messages import constants, get_messages

    request = getattr(response, "wsgi_request", None)
    shown = list(get_messages(request)) if request is not None else []
    return any(m.level >= constants.WARNING for m in shown) or (
        response.status_code == 200 and b'role="alert"' in response.content
    )


def _changes():
    return AuditEvent.objects.filter(kind__in=CHANGE_KINDS).count()


def _send(world, entry, url, persona):
    if entry.api:
        token = None if persona == "anonymous" else _token(world.users[persona])
        return _request(Client(), entry, url, token)
    return _request(world.client_for(persona), entry, url)


def _expected(entry, persona):
    if entry.public:
        return entry.ok_status
    if persona == "anonymous":
        return 401 if entry.api else 302
    if persona in entry.allowed:
        return entry.ok_status
    if persona in entry.hidden or (entry.own and persona in NOT_IN_A):
        return 404
    return 403


def _check_own(world, entry, url, persona):
    """What is wrong with this persona's answer on structure A's object ("" when right)."""
    before = _changes()
    response = _send(world, entry, url, persona)
    status, written = response.status_code, _changes() - before
    if entry.method != "get" and persona in entry.allowed and not entry.public:
        # An allowed write either happens, with its audit row, or is refused, writing nothing.
        if status < 400 and (written or entry.unaudited):
            return ""
        if status < 400 and not entry.api and _refused_with_a_message(response):
            return ""  # refused and sent back with the reason (post/redirect/get), nothing written
        if status < 400:
            return f"{status} but no audited change and no message saying why"
        if status in (400, 413, 422):
            return "" if not written else f"refused ({status}) yet {written} change(s) recorded"
        body = (
            response.content[:160].decode(errors="replace")
            if entry.api
            else response.get("Location", "")
        )
        return f"{status} (an allowed write must succeed or be refused as invalid) {body}"
    expected = _expected(entry, persona)
    if status != expected:
        return f"{status}, expected {expected}"
    if status >= 400 and written:
        return f"refused ({status}) yet {written} change(s) recorded"
    if (
        persona == "anonymous"
        and not entry.api
        and not entry.public
        and "/connexion/" not in response["Location"]
    ):
        return "anonymous not sent to the sign-in page"
    return ""


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The two structures and their personas, built once per test process: each entry's
    objects live in its test's own transaction, rolled back after it (as setUpTestData)."""
    with django_db_blocker.unblock(), scopes_disabled():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_matrix(matrix_world, db, entry):
    """Every persona in A on A's object, then every persona of A on structure B's object
    (404), each request rolled back before the next."""
    world = matrix_world
    problems = []
    if entry.setup:
        entry.setup(world)
    url = _url(entry, entry.own(world) if entry.own else None)
    for persona in [*PERSONAS, "anonymous"]:
        with _rolled_back():
            if problem := _check_own(world, entry, url, persona):
                problems.append(f"{persona}: {problem}")
    if entry.other:
        other_url = _url(entry, entry.other(world))
        for persona in IN_A:
            with _rolled_back():
                before = _changes()
                status = _send(world, entry, other_url, persona).status_code
                if status != 404:
                    problems.append(f"{persona} of A on B's object: {status}, expected 404")
                elif _changes() != before:
                    problems.append(
                        f"{persona} of A on B's object: refused yet a change was recorded"
                    )
    assert not problems, f"{entry}:\n" + "\n".join(problems)


def test_the_matrix_catches_a_wrong_answer(matrix_world, db):
    """The check itself: a page open to a persona that should be refused is reported."""
    world = matrix_world
    entry = Entry(
        "people:members",
        allowed={"coordinator", "doctor", "nurse", "partner", "user_rep", "patient"},
    )
    problems = [
        p
        for p in (
            _check_own(world, entry, reverse("people:members"), persona) for persona in PERSONAS
        )
        if p
    ]
    assert problems, "a too-open entry must produce a problem"


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in ("admin", "api"):
                continue
            names |= _all_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_page_is_in_the_matrix():
    covered = {e.name for e in ENTRIES if not e.api} | EXEMPT
    missing = sorted(_all_url_names() - covered)
    assert not missing, (
        f"Add these URLs to tests/matrix/<app>.py (or EXEMPT with a reason): {missing}"
    )


def test_every_api_operation_is_in_the_matrix():
    from binome.api.base import api

    schema = api.get_openapi_schema()
    covered = {e.name.removeprefix("/api/v1").split("?")[0] for e in ENTRIES if e.api}
    covered |= {p.removeprefix("/api/v1") for p in API_EXEMPT}
    paths = {p.removeprefix("/api/v1") for p in schema["paths"]}
    missing = sorted(p for p in paths if p not in covered)
    assert not missing, f"Add these API paths to tests/matrix/<app>.py: {missing}"


# API paths outside the matrix (e.g. public endpoints tested in their app), with the reason.
API_EXEMPT: set[str] = {
    # JSON writes: the matrix posts form data; their 401/403/404 are tested in tests/voice/test_api.py.
    "/api/v1/voice/ideas/{public_id}/status",
    "/api/v1/voice/proposals/{public_id}/status",
    # Public writes (auth=None), with rate limit and idempotency tested in tests/voice/test_api.py.
    "/api/v1/voice/public/surveys/{token}/responses",
    "/api/v1/voice/public/{slug}/ideas",
}
