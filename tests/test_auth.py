"""Sign-in: password, second factor, magic links, invitations, lockout, reset, API tokens."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from binome.accounts.models import ApiToken, hash_token
from binome.audit.models import AuditEvent
from binome.people import services
from binome.people.models import Invitation, Membership, Role, User
from tests.factories import PASSWORD, MembershipFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/connexion/"
SECOND_FACTOR = "/compte/second-facteur/"


def _login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- email + password ---------------------------------------------------------------


def test_sign_in_with_email_and_password_then_second_factor_is_required(world):
    client = Client()
    response = _login(client, "coordinator@a.test")
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith(SECOND_FACTOR)
    assert AuditEvent.objects.filter(kind="auth.login", actor=world.users["coordinator"]).exists()


def test_email_is_case_insensitive_at_sign_in(world):
    client = Client()
    response = _login(client, "  Coordinator@A.TEST ")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["coordinator"].pk)


def test_wrong_password_is_refused_in_french_and_audited_without_the_identifier(world):
    client = Client()
    response = _login(client, "coordinator@a.test", "mauvais")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(kind="auth.login_failed")
    assert "coordinator@a.test" not in str(event.data)


def test_login_page_says_demo_accounts_may_skip_the_second_factor_only_in_demo_mode(db, settings):
    settings.DEMO_MODE = True
    assert "peuvent se passer du second facteur" in Client().get(LOGIN).content.decode()
    settings.DEMO_MODE = False
    assert "peuvent se passer du second facteur" not in Client().get(LOGIN).content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "doctor", "partner"])
def test_second_factor_required_for_roles_seeing_patient_data(world, persona):
    client = Client()
    client.force_login(world.users[persona], backend="binome.accounts.backends.ModelBackend")
    for url in ["/", reverse("accounts:account"), reverse("people:members")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SECOND_FACTOR)


@pytest.mark.parametrize("persona", ["user_rep", "patient", "facilitator", "outsider"])
def test_no_second_factor_for_roles_without_patient_data(world, persona):
    client = Client()
    client.force_login(world.users[persona], backend="binome.accounts.backends.ModelBackend")
    assert client.get("/").status_code == 200


def test_second_factor_redirect_keeps_the_full_next_url(world):
    client = Client()
    client.force_login(world.users["coordinator"], backend="binome.accounts.backends.ModelBackend")
    response = client.get(reverse("people:members") + "?role=partner&page=2")
    assert response.status_code == 302
    # The query string of the page survives as one `next` parameter.
    from urllib.parse import parse_qs, urlparse

    query = parse_qs(urlparse(response["Location"]).query)
    assert query["next"] == [reverse("people:members") + "?role=partner&page=2"]


def test_demo_accounts_are_exempt_only_in_demo_mode(world, settings):
    user = world.users["coordinator"]
    user.is_demo = True
    user.save()
    client = Client()
    client.force_login(user, backend="binome.accounts.backends.ModelBackend")
    settings.DEMO_MODE = False
    assert client.get("/")["Location"].startswith(SECOND_FACTOR)
    settings.DEMO_MODE = True
    assert client.get("/").status_code == 200
    page = client.get(SECOND_FACTOR)
    assert "le second facteur est facultatif" in page.content.decode()


def test_real_account_is_never_exempt_even_in_demo_mode(world, settings):
    settings.DEMO_MODE = True
    client = Client()
    client.force_login(world.users["doctor"], backend="binome.accounts.backends.ModelBackend")
    assert client.get("/")["Location"].startswith(SECOND_FACTOR)
    assert "facultatif" not in client.get(SECOND_FACTOR).content.decode()


def test_totp_enrolment_then_verification_at_next_sign_in(world):
    user = world.users["doctor"]
    client = Client()
    _login(client, user.email)
    page = client.get(SECOND_FACTOR)
    assert page.status_code == 200
    assert "Activer le second facteur" in page.content.decode()
    secret = (
        re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page.content.decode())
        .group(1)
        .replace(" ", "")
    )
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key

    wrong = client.post(
        SECOND_FACTOR, {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "Code incorrect ou expiré" in wrong.content.decode()
    assert client.get("/").status_code == 302

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post(SECOND_FACTOR, {"token": _code(device), "next": "/compte/"})
    assert ok.status_code == 302 and ok["Location"] == "/compte/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(kind="auth.second_factor_enabled", actor=user).count() == 1

    # Next sign-in: verification of the confirmed device, no new enrolment.
    client.post(reverse("accounts:logout"))
    other = Client()
    _login(other, user.email)
    page = other.get(SECOND_FACTOR)
    assert "Confirmer votre connexion" in page.content.decode()
    assert "totp-secret" not in page.content.decode()
    device.refresh_from_db()
    # The same code cannot be replayed: wait for the next time step.
    import time_machine

    with time_machine.travel(timezone.now() + timedelta(seconds=device.step), tick=False):
        assert other.post(SECOND_FACTOR, {"token": _code(device)}).status_code == 302
        assert other.get("/").status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_second_factor_rejects_non_numeric_code_in_french(world):
    client = Client()
    client.force_login(world.users["doctor"], backend="binome.accounts.backends.ModelBackend")
    response = client.post(SECOND_FACTOR, {"token": "abcdef"})
    assert response.status_code == 400
    assert "Le code ne contient que des chiffres." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.users["doctor"], confirmed=True).exists()


def test_second_factor_next_cannot_point_to_another_site(world):
    client = Client()
    client.force_login(world.users["doctor"], backend="binome.accounts.backends.ModelBackend")
    client.get(SECOND_FACTOR)
    device = TOTPDevice.objects.get(user=world.users["doctor"])
    response = client.post(SECOND_FACTOR, {"token": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_reset_second_factor_needs_the_password(world):
    user = world.users["doctor"]
    client = world.client_for("doctor")
    refused = client.post(reverse("accounts:reset_second_factor"), {"reset-password": "faux"})
    assert refused.status_code == 302
    assert TOTPDevice.objects.filter(user=user).exists()
    done = client.post(reverse("accounts:reset_second_factor"), {"reset-password": PASSWORD})
    assert done["Location"] == SECOND_FACTOR
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get("/")["Location"].startswith(SECOND_FACTOR)


# --- magic links for accompanied patients ------------------------------------------


def test_magic_link_is_sent_to_patients_and_signs_them_in_once(world):
    client = Client()
    response = client.post(reverse("accounts:magic_link_request"), {"email": "patient@a.test"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/connexion/lien/\S+)", mail.outbox[0].body).group(1)
    signed_in = client.get(path)
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200
    assert client.session["_auth_user_id"] == str(world.users["patient"].pk)
    assert AuditEvent.objects.filter(
        kind="auth.magic_link_login", actor=world.users["patient"]
    ).exists()
    # One time only.
    again = Client().get(path)
    assert again.status_code == 403


@pytest.mark.parametrize(
    "email", ["doctor@a.test", "coordinator@a.test", "partner@a.test", "inconnu@exemple.fr"]
)
def test_magic_link_same_answer_and_no_email_for_other_accounts(world, email):
    patient_answer = Client().post(
        reverse("accounts:magic_link_request"), {"email": "patient@a.test"}
    )
    mail.outbox.clear()
    response = Client().post(reverse("accounts:magic_link_request"), {"email": email})
    assert response.status_code == 200
    assert _main(response) == _main(patient_answer)
    assert mail.outbox == []


def _main(response):
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def test_magic_link_bad_email_is_refused_in_french(db):
    response = Client().post(reverse("accounts:magic_link_request"), {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    assert mail.outbox == []


# --- invitations ---------------------------------------------------------------------


def _invite(world, email="nouvelle@exemple.fr", role=Role.PARTNER, **kwargs):
    invitation, url = services.invite(
        structure=world.a, email=email, role=role, invited_by=world.users["coordinator"], **kwargs
    )
    return invitation, "/" + url.split("//", 1)[1].split("/", 1)[1]


def test_invitation_sent_by_coordinator_then_accepted_by_a_new_person(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("people:invite"),
        {
            "email": "Nouvelle@Exemple.fr",
            "first_name": "Rose",
            "last_name": "Lopez",
            "role": Role.PARTNER,
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle@exemple.fr"
    assert invitation.token_hash != "" and len(invitation.token_hash) == 64
    assert len(mail.outbox) == 1 and "nouvelle@exemple.fr" in mail.outbox[0].to
    path = "/" + re.search(r"https?://[^/\s]+(/invitation/\S+/)", mail.outbox[0].body).group(
        1
    ).lstrip("/")
    # The raw token is only in the email, never stored.
    assert path.split("/")[-2] not in invitation.token_hash

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "MSP Alpha" in page.content.decode()
    bad = visitor.post(
        path,
        {"first_name": "Rose", "last_name": "Lopez", "password1": "court", "password2": "court"},
    )
    assert bad.status_code == 400
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()
    done = visitor.post(
        path,
        {
            "first_name": "Rose",
            "last_name": "Lopez",
            "password1": "un-long-mot-de-passe",
            "password2": "un-long-mot-de-passe",
        },
    )
    assert done.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert Membership.objects.get(user=user).role == Role.PARTNER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # Partners see patient data: the second factor comes next.
    assert visitor.get("/")["Location"].startswith(SECOND_FACTOR)
    # The link served once.
    assert Client().get(path).status_code == 404


def test_invitation_accepted_by_an_existing_account(world):
    other = StructureFactory(name="CPTS Gamma")
    MembershipFactory(structure=other, role=Role.PROFESSIONAL, user__email="deja@exemple.fr")
    invitation, path = _invite(
        world, email="deja@exemple.fr", role=Role.PROFESSIONAL, profession="nurse"
    )
    anonymous = Client()
    response = anonymous.get(path)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    user = User.objects.get(email="deja@exemple.fr")
    from tests.conftest import force_verified_login

    client = force_verified_login(Client(), user)
    assert client.get(path).status_code == 200
    done = client.post(path)
    assert done.status_code == 302
    assert Membership.objects.filter(
        user=user, structure=world.a, role=Role.PROFESSIONAL, profession="nurse"
    ).exists()
    assert User.objects.filter(email="deja@exemple.fr").count() == 1
    # The new structure becomes the current one.
    assert client.session["current_structure"] == world.a.slug


def test_invitation_for_someone_else_cannot_be_accepted_by_another_account(world):
    UserFactory(email="cible@exemple.fr")
    invitation, path = _invite(world, email="cible@exemple.fr")
    client = world.client_for("doctor")
    client.post(path)
    assert not Membership.objects.filter(structure=world.a, user__email="cible@exemple.fr").exists()
    assert not Membership.objects.filter(user=world.users["doctor"], role=Role.PARTNER).exists()


def test_expired_invitation_is_refused(world):
    invitation, path = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = Client().get(path)
    assert response.status_code == 404
    assert "plus valable" in response.content.decode()
    posted = Client().post(
        path,
        {
            "first_name": "A",
            "last_name": "B",
            "password1": "un-long-mot-de-passe",
            "password2": "un-long-mot-de-passe",
        },
    )
    assert posted.status_code == 404
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()


def test_revoked_invitation_is_refused(world):
    invitation, path = _invite(world)
    client = world.client_for("coordinator")
    assert (
        client.post(reverse("people:revoke_invitation", args=[invitation.public_id])).status_code
        == 302
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(path).status_code == 404
    assert AuditEvent.objects.filter(kind="people.invitation_revoked").count() == 1


def test_unknown_invitation_token_is_404(db):
    assert Client().get("/invitation/nimporte-quoi/").status_code == 404


def test_second_pending_invitation_for_same_address_and_role_is_refused(world):
    _invite(world)
    client = world.client_for("coordinator")
    response = client.post(
        reverse("people:invite"), {"email": "nouvelle@exemple.fr", "role": Role.PARTNER}
    )
    assert response.status_code == 422
    assert "Une invitation est déjà en attente" in response.content.decode()
    assert Invitation.objects.count() == 1


# --- lockout -------------------------------------------------------------------------


def test_five_failures_lock_the_account_with_a_french_page(world):
    client = Client()
    for _ in range(4):
        assert _login(client, "doctor@a.test", "mauvais").status_code == 200
    locked = _login(client, "doctor@a.test", "mauvais")
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()
    # Even the right password is refused while locked.
    still = _login(client, "doctor@a.test")
    assert still.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked.
    assert _login(Client(), "nurse@a.test").status_code == 302


# --- password reset ------------------------------------------------------------------


def test_password_reset_by_email(world):
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "doctor@a.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.strip()
    link = re.search(r"https?://[^/\s]+(/mot-de-passe-oublie/\S+/\S+/)", mail.outbox[0].body).group(
        1
    )
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "nouveau-mot-de-passe-42", "new_password2": "nouveau-mot-de-passe-42"},
    )
    assert done.status_code == 302
    assert User.objects.get(email="doctor@a.test").check_password("nouveau-mot-de-passe-42")
    assert AuditEvent.objects.filter(kind="auth.password_reset_requested").count() == 1


def test_password_reset_for_unknown_address_gives_the_same_answer_and_no_email(db):
    response = Client().post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_needs_old_password(world):
    client = world.client_for("doctor")
    bad = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "faux",
            "new_password1": "nouveau-mot-de-passe-42",
            "new_password2": "nouveau-mot-de-passe-42",
        },
    )
    assert bad.status_code in (200, 400, 422)
    assert (
        world.users["doctor"]
        .__class__.objects.get(pk=world.users["doctor"].pk)
        .check_password(PASSWORD)
    )
    ok = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "nouveau-mot-de-passe-42",
            "new_password2": "nouveau-mot-de-passe-42",
        },
    )
    assert ok.status_code == 302
    # The session survives the change.
    assert client.get("/").status_code == 200


# --- session -------------------------------------------------------------------------


def test_session_expires_and_cookies_are_protected(world, settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY
    response = Client().get(LOGIN)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


# --- API tokens ----------------------------------------------------------------------


def test_api_token_creation_needs_the_password_and_is_hashed_at_rest(world):
    client = world.client_for("coordinator")
    refused = client.post(
        reverse("accounts:create_token"), {"token-name": "Logiciel", "token-password": "faux"}
    )
    assert refused.status_code == 302
    assert not ApiToken.objects.filter(user=world.users["coordinator"]).exists()

    client.post(
        reverse("accounts:create_token"), {"token-name": "Logiciel", "token-password": PASSWORD}
    )
    token = ApiToken.objects.get(user=world.users["coordinator"])
    page = client.get(reverse("accounts:account")).content.decode()
    raw = re.search(r'id="new-token">([^<]+)<', page).group(1)
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    # Shown once only.
    assert raw not in client.get(reverse("accounts:account")).content.decode()

    api = Client()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.post(reverse("accounts:revoke_token", args=[token.public_id]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    revoked = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert revoked.status_code == 401
    kinds = set(
        AuditEvent.objects.filter(actor=world.users["coordinator"]).values_list("kind", flat=True)
    )
    assert {"auth.api_token_created", "auth.api_token_revoked"} <= kinds


def test_someone_elses_token_cannot_be_revoked(world):
    token, _raw = ApiToken.issue(world.users["doctor"], "à moi")
    response = world.client_for("coordinator").post(
        reverse("accounts:revoke_token", args=[token.public_id])
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_profile_with_bad_phone_is_refused_in_french_and_nothing_written(world):
    client = world.client_for("partner")
    response = client.post(
        reverse("accounts:account"),
        {"profile-first_name": "Zoé", "profile-last_name": "X", "profile-phone": "123"},
    )
    assert response.status_code in (400, 422)
    assert "Numéro de téléphone invalide" in response.content.decode()
    assert User.objects.get(pk=world.users["partner"].pk).first_name != "Zoé"


def test_magic_link_requests_are_rate_limited_with_the_french_429_page(db):
    client = Client()
    codes = [
        client.post(
            reverse("accounts:magic_link_request"), {"email": f"x{i}@exemple.fr"}
        ).status_code
        for i in range(11)
    ]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429
    page = client.post(reverse("accounts:magic_link_request"), {"email": "y@exemple.fr"})
    assert page.status_code == 429
    assert "Trop de demandes" in page.content.decode()
