"""From the QR-code public form to an active partner with a signed charter and a validated
mission, on a phone (360 px) and on a desktop."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from binome.core.qr import qr_svg_data_uri
from binome.missions.models import Mission
from binome.partners.models import CharterSignature, Partner
from binome.partners.services import ensure_charter
from binome.partners.views import public_url
from binome.people.models import User
from tests.conftest import build_world
from tests.partners.factories import RecruitmentCallFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = build_world()
    RecruitmentCallFactory(structure=world.a, title="Devenez patient partenaire")
    ensure_charter(world.a, actor=world.users["coordinator"])
    # This team asks for a meeting and a signed charter, not for the grid (its own choice).
    from binome.partners.models import RecruitmentGates

    RecruitmentGates.objects.create(structure=world.a, evaluators_required=0)
    return world


def _path(url):
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def _decide(page, to_status, reason):
    page.get_by_label("Nouvelle étape").select_option(to_status)
    page.get_by_label("Motif de la décision").fill(reason)
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state()
    assert "Décision enregistrée" in page.content()


def test_candidacy_to_active_partner_with_charter_and_validated_mission(
    page, world, login_as, check_page
):
    # 1. The QR code of the recruitment page and poster encodes the public page; no account needed.
    url = public_url(world.a)
    login_as(page, world.users["coordinator"])
    page.goto("/partenaires/recrutement/")
    check_page(page)
    assert page.locator("img.qr").get_attribute("src") == qr_svg_data_uri(url)
    page.context.clear_cookies()
    page.goto(_path(url))
    assert page.get_by_role("heading", level=1).inner_text() == "Devenez patient partenaire"
    check_page(page)
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label("Nom", exact=True).fill("Ferhat")
    page.get_by_label("Adresse e-mail").fill("nadia@exemple")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Pourquoi souhaitez-vous").fill("Diabétique depuis 10 ans, je veux aider.")
    page.get_by_label("J'accepte que l'équipe").check()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    assert "Saisissez une adresse e-mail valide" in page.content()
    assert not Partner.objects.exists()
    check_page(page)
    page.get_by_label("Adresse e-mail").fill("nadia@exemple.fr")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    page.wait_for_url(re.compile(r"/merci/$"))
    check_page(page)
    partner = Partner.objects.get(structure=world.a)
    assert partner.status == "candidate"

    # 2. The coordinator meets, selects and onboards her, then invites her.
    login_as(page, world.users["coordinator"])
    page.goto("/partenaires/candidatures/")
    check_page(page)
    page.get_by_role("link", name="Nadia Ferhat").click()
    check_page(page)
    _decide(page, "met", "Rencontre d'une heure, très motivée.")
    _decide(page, "selected", "L'équipe est d'accord.")
    # The team's gate: no onboarding before the meeting is noted; the page says what is missing.
    page.get_by_label("Nouvelle étape").select_option("onboarded")
    page.get_by_label("Motif de la décision").fill("Charte présentée, supervision convenue.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state()
    assert "une rencontre notée avec la personne" in page.content()
    page.get_by_text("Noter une rencontre").click()
    page.locator("form[action$='/rencontre/'] textarea").first.fill(
        "Rencontre avec la coordinatrice et le médecin."
    )
    page.locator("form[action$='/rencontre/']").get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    _decide(page, "onboarded", "Charte présentée, supervision convenue.")
    page.get_by_role("button", name="Inviter à créer son compte").click()
    assert "Invitation envoyée à nadia@exemple.fr" in page.content()

    # 3. She creates her account from the e-mail, completes her profile and signs the charter.
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()
    page.goto(_path(link))
    check_page(page)
    page.locator("#id_password1").fill("un-mot-de-passe-solide")
    page.locator("#id_password2").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()
    nadia = User.objects.get(email="nadia@exemple.fr")
    partner.refresh_from_db()
    assert partner.membership.user == nadia
    login_as(page, nadia)
    page.goto("/partenaires/mon-profil/")
    check_page(page)
    page.get_by_label("Autres compétences").fill("Écoute, animation")
    page.get_by_label("Langues parlées").fill("Français, arabe")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    assert "Votre profil est enregistré." in page.content()
    page.goto("/partenaires/charte/")
    check_page(page)
    page.get_by_label("J'ai lu la charte et je m'engage à la respecter").check()
    page.get_by_role("button", name="Signer la charte en ligne").click()
    assert "votre signature de la charte (version 1) est enregistrée" in page.content()
    assert CharterSignature.objects.filter(user=nadia, charter__version=1).exists()

    # 4. The coordinator activates her and builds a mission with her and the doctor.
    login_as(page, world.users["coordinator"])
    page.goto(f"/partenaires/{partner.public_id}/")
    _decide(page, "active", "Formation faite, charte signée.")
    page.goto("/missions/modeles/")
    check_page(page)
    page.get_by_role("button", name="Partir de ce modèle").first.click()
    page.wait_for_url(re.compile(r"/modifier/$"))
    check_page(page)
    doctor = world.users["doctor"]
    page.get_by_label(f"{doctor.get_full_name()} — Médecin généraliste").check()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    assert "Fiche enregistrée." in page.content()
    page.locator("#id_partner").select_option(str(partner.public_id))
    page.get_by_role("button", name="Affecter", exact=True).click()
    assert "est affecté·e à la mission" in page.content()
    page.get_by_role("button", name="Soumettre").click()
    assert "Version 1 soumise" in page.content()
    check_page(page)
    mission = Mission.objects.get(structure=world.a)

    # 5. The named doctor and the partner validate: the mission is active.
    for user in (doctor, nadia):
        login_as(page, user)
        page.goto(f"/missions/{mission.public_id}/")
        check_page(page)
        page.get_by_role("button", name="Je valide cette fiche-mission").click()
        page.wait_for_load_state()
    assert "la mission est active" in page.content()
    check_page(page)
    mission.refresh_from_db()
    partner.refresh_from_db()
    assert mission.status == "active"
    assert partner.status == "active"

    # 6. The team's other pages of the journey read well at this width too.
    login_as(page, world.users["coordinator"])
    for path in [
        "/partenaires/",
        f"/missions/{mission.public_id}/appariement/",
        f"/missions/{mission.public_id}/versions/",
        "/missions/indemnisation/",
        "/partenaires/charte/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(page)
    assert "Nadia Ferhat" in page.content()  # charter signatures list
