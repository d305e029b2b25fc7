"""Sign-in with second factor, invitation acceptance and the role home pages, desktop and phone."""

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from binome.people import services
from binome.people.models import Membership, Role
from tests.conftest import build_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return build_world()


def _code(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_sign_in_with_second_factor_enrolment(page, world, sign_in, check_page):
    sign_in(page, "doctor@a.test", PASSWORD)
    assert "/compte/second-facteur/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Activer le second facteur"
    check_page(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "").strip()
    page.get_by_label("Code à 6 chiffres").fill("12345")
    page.get_by_role("button", name="Valider").click()
    assert page.locator(".error").first.inner_text().startswith("Le code comporte 6 chiffres")
    check_page(page)
    page.get_by_label("Code à 6 chiffres").fill(_code(secret))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    check_page(page)


def test_wrong_password_shows_a_french_message(page, world, sign_in, check_page):
    sign_in(page, "doctor@a.test", "pas-le-bon")
    assert "Adresse e-mail ou mot de passe incorrect." in page.content()
    check_page(page)


def test_invitation_acceptance_creates_the_account(page, world, check_page):
    _invitation, url = services.invite(
        structure=world.a,
        email="rose@exemple.fr",
        role=Role.USER_REP,
        first_name="Rose",
        invited_by=world.users["coordinator"],
    )
    page.goto("/" + url.split("//", 1)[1].split("/", 1)[1])
    assert "Rejoindre MSP Alpha" in page.get_by_role("heading", level=1).inner_text()
    check_page(page)
    page.locator("#id_last_name").fill("Lopez")
    page.locator("#id_password1").fill("un-mot-de-passe-solide")
    page.locator("#id_password2").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Rose"
    assert Membership.objects.filter(
        user__email="rose@exemple.fr", structure=world.a, role=Role.USER_REP
    ).exists()
    check_page(page)


def test_coordinator_invites_from_the_team_page(page, world, login_as, check_page):
    login_as(page, world.users["coordinator"])
    page.goto("/structure/membres/")
    check_page(page)
    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.locator("#id_role").select_option("partner")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert "Saisissez une adresse e-mail valide" in page.content()
    check_page(page)
    page.get_by_label("Adresse e-mail").fill("paul@exemple.fr")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert "Invitation envoyée à paul@exemple.fr" in page.content()
    assert any("paul@exemple.fr" in m.to for m in mail.outbox)


@pytest.mark.parametrize("persona", ["coordinator", "doctor", "partner", "facilitator"])
def test_role_home_page(page, world, login_as, check_page, persona):
    login_as(page, world.users[persona])
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    check_page(page)
    # The menu is reachable at every width.
    menu = page.locator("#menu > summary")
    if menu.is_visible():
        menu.click()
    expect(page.get_by_role("link", name="Mon compte")).to_be_visible()
    page.get_by_role("link", name="Mon compte").click()
    page.wait_for_url(re.compile(r"/compte/$"))
    check_page(page)


def test_patient_home_page_through_the_magic_link(page, world, check_page):
    page.goto("/connexion/patient/")
    check_page(page)
    page.get_by_label("Votre adresse e-mail").fill("patient@a.test")
    page.get_by_role("button").filter(has_text=re.compile("lien", re.I)).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre boîte e-mail"
    link = re.search(r"https?://[^/\s]+(/connexion/lien/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    assert "consentements" in page.content()
    check_page(page)


def test_public_pages(page, world, check_page):
    for path in ["/", "/connexion/", "/mot-de-passe-oublie/"]:
        page.goto(path)
        check_page(page)


def test_coordinator_pages_of_the_foundation(page, world, login_as, check_page):
    login_as(page, world.users["coordinator"])
    for path in ["/structure/", "/journal/"]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(page)
