"""Pro Santé Connect sign-in, end to end against a real OpenID provider started here on
127.0.0.1 (panva/oidc-provider, tests/support/oidc_provider.mjs): authorization code with
PKCE, state, nonce and acr "eidas1", then the refusals, each with a French message."""

import json
import os
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.test import Client

from binome.accounts import psc
from binome.audit.models import AuditEvent
from binome.people import identifiers
from binome.people.models import Invitation, Membership, Role, User

ROOT = Path(__file__).resolve().parents[1]
CLIENT_ID, CLIENT_SECRET = "binome-test", "secret-de-test-psc"
REDIRECT = "http://testserver/connexion/psc/retour/"
DOCTOR_RPPS = identifiers.with_key("1000345678")
INVITED_RPPS = identifiers.with_key("1000345679")
UNKNOWN_RPPS = identifiers.with_key("1000345680")


def _claims(rpps, given, family):
    return {
        "SubjectNameID": f"8{rpps}",
        "preferred_username": f"8{rpps}",
        "given_name": given,
        "family_name": family,
        "SubjectRefPro": {"exercices": [{"codeProfession": "10", "codeSavoirFaire": "SM54"}]},
    }


ACCOUNTS = {
    "doctor": _claims(DOCTOR_RPPS, "Claire", "Médecin"),
    "invited": _claims(INVITED_RPPS, "Anne", "Neuve"),
    "unknown": _claims(UNKNOWN_RPPS, "Paul", "Inconnu"),
    "adeli": {"SubjectNameID": "0123456789", "given_name": "Sans", "family_name": "RPPS"},
}


@pytest.fixture(scope="module")
def provider():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": REDIRECT,
        "ACCOUNTS": json.dumps(ACCOUNTS),
        "ID_TOKEN_TTL": "60",
    }
    process = subprocess.Popen(
        ["node", str(ROOT / "tests/support/oidc_provider.mjs")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the local OpenID provider did not start")
    yield issuer
    process.terminate()
    process.wait(timeout=5)


@pytest.fixture
def configured(provider, settings, monkeypatch):
    settings.PSC_ISSUER, settings.PSC_CLIENT_ID, settings.PSC_CLIENT_SECRET = (
        provider,
        CLIENT_ID,
        CLIENT_SECRET,
    )
    settings.PSC_REDIRECT_URL = REDIRECT
    # Plain http is allowed for the provider on 127.0.0.1 only (production requires https).
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    psc._clients.clear()
    yield provider
    psc._clients.clear()


def _sign_in(provider, account, *, client=None, start="/connexion/psc/", before_callback=None):
    client = client or Client()
    started = client.get(start)
    assert started.status_code == 302, started.content[:300]
    authorize = started["Location"]
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["acr_values"] == ["eidas1"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    browser = requests.Session()
    url, asked = authorize, False
    while not url.startswith("http://testserver"):
        if "/interaction/" in url and not asked:
            url, asked = f"{url}?account={account}", True
        answer = browser.get(url, allow_redirects=False, timeout=5)
        assert answer.status_code in (302, 303), answer.text[:300]
        url = urljoin(url, answer.headers["Location"])
    if before_callback:
        before_callback(client)
    return client, client.get(url.removeprefix("http://testserver"))


@pytest.fixture
def doctor(world):
    user = world.users["doctor"]
    User.objects.filter(pk=user.pk).update(
        rpps=DOCTOR_RPPS, rpps_verified_at="2026-11-01T10:00:00Z"
    )
    return user


def test_the_button_shows_only_when_configured(db, settings):
    settings.PSC_ISSUER = ""
    assert "Pro Santé Connect" not in Client().get("/connexion/").content.decode()
    assert Client().get("/connexion/psc/").status_code == 404


def test_a_verified_rpps_signs_in_with_the_card_as_second_factor(configured, doctor):
    assert "Se connecter avec Pro Santé Connect" in Client().get("/connexion/").content.decode()
    client, answer = _sign_in(configured, "doctor")
    assert answer.status_code == 302, answer.content[:400]
    assert (
        int(client.session["_auth_user_id"]) == doctor.pk
        and client.session[psc.SESSION_KEY] == "eidas1"
    )
    # The e-CPS counts as the strong factor: the team's pages open without the TOTP code.
    assert client.get("/structure/membres/").status_code == 200
    assert AuditEvent.objects.filter(kind="auth.psc_signed_in", data__via="rpps").count() == 1


def test_a_pending_invitation_with_that_rpps_is_accepted_and_gives_its_role_only(configured, world):
    from binome.people import services

    # The coordinator left the profession blank: PSC's (médecin, savoir-faire SM54) fills it.
    services.invite(
        structure=world.a,
        email="anne.neuve@example.fr",
        role=Role.PROFESSIONAL,
        profession="",
        rpps=INVITED_RPPS,
        invited_by=world.users["coordinator"],
    )
    client, answer = _sign_in(configured, "invited")
    assert answer.status_code == 302, answer.content[:400]
    user = User.objects.get(email="anne.neuve@example.fr")
    assert user.rpps == INVITED_RPPS and user.rpps_verified_at and user.first_name == "Anne"
    assert list(
        Membership.objects.filter(user=user).values_list("role", "structure", "profession")
    ) == [(Role.PROFESSIONAL, world.a.pk, "gp")]
    assert Invitation.objects.get(email="anne.neuve@example.fr").accepted_at is not None
    members = world.client_for("coordinator").get("/structure/membres/").content.decode()
    assert f"RPPS {INVITED_RPPS}" in members and "vérifié par Pro Santé Connect" in members


def test_profession_is_read_from_the_rpps_profession_code():
    def practice(**codes):
        return {"SubjectRefPro": {"exercices": [codes]}}

    assert psc.profession_from(practice(codeProfession="10", codeSavoirFaire="SM54")) == "gp"
    assert psc.profession_from(practice(codeProfession="10", codeSavoirFaire="SM26")) == "doctor"
    assert psc.profession_from(practice(codeProfession="21")) == "pharmacist"
    assert psc.profession_from(practice(codeProfession="60")) == "nurse"
    assert psc.profession_from(practice(codeProfession="99")) == ""
    assert psc.profession_from({}) == ""


def test_an_unknown_rpps_is_refused_and_creates_nothing(configured, world):
    before = User.objects.count()
    client, answer = _sign_in(configured, "unknown")
    assert answer.status_code == 403 and "relié à aucun compte Binôme" in answer.content.decode()
    assert User.objects.count() == before and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind="auth.psc_refused", data__reason="unknown_rpps").exists()
    _client, adeli = _sign_in(configured, "adeli")
    assert adeli.status_code == 403 and "numéro RPPS" in adeli.content.decode()


def test_a_wrong_nonce_is_refused(configured, doctor):
    def replay_from_another_session(client):
        session = client.session
        for key in [k for k in session.keys() if k.startswith("_state_psc_")]:
            value = session[key]
            value["data"]["nonce"] = "nonce-d-une-autre-session"
            session[key] = value
        session.save()

    client, answer = _sign_in(configured, "doctor", before_callback=replay_from_another_session)
    assert answer.status_code == 403 and "jeton rejoué" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_expired_id_token_is_refused(configured, doctor):
    import time_machine

    traveller = time_machine.travel(
        time.time() + 600, tick=True
    )  # the provider's ID tokens live 60 s
    client, answer = _sign_in(configured, "doctor", before_callback=lambda c: traveller.start())
    traveller.stop()
    assert (
        answer.status_code == 403
        and "Le jeton de Pro Santé Connect a expiré" in answer.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_a_bad_signature_is_refused(configured, doctor):
    from joserfc.jwk import RSAKey

    def keys_replaced(client):
        c = psc.client()
        real = c.fetch_jwk_set()
        forged = []
        for key in real["keys"]:
            other = RSAKey.generate_key(
                2048, parameters={"kid": key["kid"], "use": "sig", "alg": "RS256"}
            ).as_dict(private=False)
            forged.append(other)
        c.server_metadata["jwks"] = {"keys": forged}

    client, answer = _sign_in(configured, "doctor", before_callback=keys_replaced)
    assert answer.status_code == 403 and "signature" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_signed_in_member_links_their_card_from_the_account_page(configured, world):
    user = world.users["nurse"]
    User.objects.filter(pk=user.pk).update(
        rpps=UNKNOWN_RPPS
    )  # typed by the coordinator, not yet verified
    client = world.client_for("nurse")
    assert "Relier ma carte e-CPS" in client.get("/compte/").content.decode()
    client, answer = _sign_in(
        configured, "unknown", client=client, start="/connexion/psc/?relier=1"
    )
    assert answer.status_code == 302 and answer["Location"] == "/compte/"
    user.refresh_from_db()
    assert user.rpps == UNKNOWN_RPPS and user.rpps_verified_at is not None
    assert AuditEvent.objects.filter(kind="auth.psc_linked").count() == 1
