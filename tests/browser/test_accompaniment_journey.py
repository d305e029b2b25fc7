"""The whole seed 002 process on a phone (360 px) and on a desktop: referral with consents →
partner notified → first contact → key moment → shared summary and private note (the doctor
sees the first, never the second) → urgent alert acknowledged → the patient ends the
accompaniment from their page → feedback recorded."""

import re

import pytest
from playwright.sync_api import expect

from binome.accompaniment.models import Accompaniment, Alert, Notification, PatientFeedback
from tests.accompaniment.factories import partner_for
from tests.conftest import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = build_world()
    partner = partner_for(world.memberships["partner"])
    partner.first_name, partner.last_name = "Martine", "Cazals"
    partner.save()
    return world


def test_peer_accompaniment_from_referral_to_feedback(page, world, login_as, check_page):
    # 1. The doctor refers the patient directly to the partner, with separate consents.
    login_as(page, world.users["doctor"])
    page.goto("/accompagnements/orienter/")
    check_page(page)
    page.get_by_label("Prénom du patient").fill("Anne")
    page.get_by_label("Nom ou initiale").fill("Martin")
    page.get_by_label("Téléphone", exact=True).fill("06 11 22 33 44")
    page.get_by_label("Adresse e-mail", exact=True).fill(world.users["patient"].email)
    page.get_by_label("Parcours").select_option("cancer")
    page.wait_for_load_state("networkidle")  # the suggestions follow the pathway (htmx)
    expect(page.locator("#suggestions").get_by_text("Martine Cazals")).to_be_visible()
    page.get_by_label("Martine Cazals").check()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    assert (
        "l&#x27;orientation n&#x27;est pas possible" in page.content()
        or "orientation n'est pas possible" in page.content()
    )
    assert not Accompaniment.objects.exists()
    check_page(page)
    page.get_by_label("J'accepte qu'un patient partenaire").check()
    page.get_by_label("J'accepte que mon prénom").check()
    page.get_by_label("J'accepte que le patient partenaire transmette").check()
    page.get_by_label("Martine Cazals").check()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    page.wait_for_url(re.compile(r"/accompagnements/[0-9a-f-]{36}/$"))
    assert (
        "L'orientation est envoyée à Martine" in page.content()
        or "orientation est envoy" in page.content()
    )
    check_page(page)
    acc = Accompaniment.objects.get()
    assert acc.patient.user == world.users["patient"]
    assert Notification.objects.filter(recipient=world.users["partner"]).exists()

    # 2-4. The partner sees it on "Aujourd'hui", calls, logs the first contact, a key moment, an alert.
    page.context.clear_cookies()
    login_as(page, world.users["partner"])
    page.goto("/accompagnements/aujourdhui/")
    check_page(page)
    expect(page.get_by_role("link", name="Appeler le 06 11 22 33 44")).to_be_visible()
    page.get_by_role("link", name="Noter le premier contact").click()
    check_page(page)
    page.get_by_label("Téléphone", exact=True).check()
    page.get_by_label("Durée (minutes)").fill("25")
    page.get_by_label("Mes notes personnelles").fill(
        "NOTE-PRIVEE : elle a peur de perdre ses cheveux"
    )
    page.get_by_label("Résumé à partager").fill(
        "RESUME : souhaite être accompagnée à sa première chimiothérapie"
    )
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/accompagnements/[0-9a-f-]{36}/$"))
    assert "Premier contact noté" in page.content()
    page.get_by_role("link", name="Ajouter un moment clé").click()
    page.get_by_role("combobox", name=re.compile("^Moment")).select_option("first_chemo")
    page.locator("#id_date").fill("2030-03-12")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/accompagnements/[0-9a-f-]{36}/$"))
    assert "Première chimiothérapie" in page.content()
    page.get_by_role("link", name="Alerte urgente").click()
    check_page(page)
    page.get_by_label("Ce qui vous inquiète").fill(
        "Elle ne dort plus et parle d'arrêter le traitement."
    )
    page.get_by_role("button", name="Envoyer l'alerte").click()
    page.wait_for_url(re.compile(r"/accompagnements/[0-9a-f-]{36}/$"))
    check_page(page)

    # 5. The doctor sees the shared summary, never the private note, and acknowledges the alert.
    page.context.clear_cookies()
    login_as(page, world.users["doctor"])
    page.goto(f"/accompagnements/{acc.public_id}/")
    content = page.content()
    assert "RESUME : souhaite" in content and "NOTE-PRIVEE" not in content
    check_page(page)
    page.get_by_label("Réponse au patient partenaire").fill("Je la reçois demain matin.")
    page.get_by_role("button", name="J'ai pris connaissance de l'alerte").click()
    page.wait_for_load_state()
    assert Alert.objects.get().acknowledged_by == world.users["doctor"]

    # 6. The patient ends the accompaniment from their page and leaves feedback.
    page.context.clear_cookies()
    login_as(page, world.users["patient"])
    page.goto("/accompagnements/mon-accompagnement/")
    check_page(page)
    page.get_by_role("link", name="Arrêter l'accompagnement").click()
    check_page(page)
    page.get_by_label("Je n'en ai plus besoin").check()
    page.get_by_role("button", name="Terminer").click()
    page.wait_for_url(re.compile(r"/avis/$"))
    check_page(page)
    page.get_by_label("Beaucoup").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/mon-accompagnement/$"))
    assert "Merci pour votre avis" in page.content()
    acc.refresh_from_db()
    assert acc.status == "ended" and acc.ended_by_role == "patient"
    assert PatientFeedback.objects.get(accompaniment=acc).usefulness == 4
