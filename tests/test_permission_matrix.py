"""Every role × every page and endpoint × an object of the other structure.

Entries come from tests/matrix/*.py (one line per URL). A meta-test fails when a URL
exists that no entry (or EXEMPT) covers, so new pages cannot skip the matrix.
"""

import importlib
import json
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix as matrix_pkg
from binome.accounts.models import ApiToken
from tests.conftest import PERSONAS

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

CASES = [(entry, persona) for entry in ENTRIES for persona in [*PERSONAS, "anonymous"]]


@pytest.mark.parametrize(("entry", "persona"), CASES, ids=[f"{e}-{p}" for e, p in CASES])
def test_own_structure(world, entry, persona):
    kwargs = entry.own(world) if entry.own else None
    url = _url(entry, kwargs)
    if entry.api:
        from django.test import Client

        token = None if persona == "anonymous" else _token(world.users[persona])
        response = _request(Client(), entry, url, token)
    else:
        response = _request(world.client_for(persona), entry, url)
    if entry.public:
        expected = entry.ok_status
    elif persona == "anonymous":
        expected = 401 if entry.api else 302
    elif persona in entry.allowed:
        expected = entry.ok_status
    elif persona in entry.hidden or (entry.own and persona in NOT_IN_A):
        expected = 404
    else:
        expected = 403
    if entry.method != "get" and persona in entry.allowed:
        # Writes by allowed personas are tested in the app's own tests.
        return
    assert response.status_code == expected, f"{entry} as {persona}: {response.status_code}"
    if persona == "anonymous" and not entry.api and not entry.public:
        assert "/connexion/" in response["Location"]


OTHER_CASES = [
    (e, p) for e in ENTRIES if e.other for p in PERSONAS if p not in ("facilitator", "outsider")
]


@pytest.mark.parametrize(
    ("entry", "persona"), OTHER_CASES, ids=[f"{e}-{p}" for e, p in OTHER_CASES]
)
def test_other_structure_is_404(world, entry, persona):
    url = _url(entry, entry.other(world))
    if entry.api:
        from django.test import Client

        response = _request(Client(), entry, url, _token(world.users[persona]))
    else:
        response = _request(world.client_for(persona), entry, url)
    assert response.status_code == 404, (
        f"{entry} on structure B as {persona} of A: {response.status_code}"
    )


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
