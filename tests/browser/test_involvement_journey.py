"""On a phone (360 px): the coordinator records a users' committee with its minutes as
evidence, sees the continuum and the ACI report at level 2; a workshop co-animated with the
partner gets a participant's feedback through its public link."""

import datetime as dt

import pytest
from django.utils import timezone

from binome.involvement.models import Evidence, InvolvementAction, WorkshopFeedback
from tests.conftest import build_world
from tests.involvement.factories import ProgrammeFactory, WorkshopFactory

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_register_evidence_continuum_and_aci_report(page, world, login_as, check_page, tmp_path):
    login_as(page, world.users["coordinator"])
    page.goto("/implication/")
    check_page(page)
    page.get_by_role("link", name="Ajouter une action").click()
    check_page(page)
    page.get_by_label("Type d'action").select_option("committee")
    page.get_by_label("Intitulé").fill("Comité des usagers de la MSP")
    page.get_by_label("Date de début").fill(f"{timezone.localdate().year}-02-03")
    page.get_by_label("Nombre d'usagers impliqués").fill("6")
    page.get_by_role("button", name="Enregistrer").click()
    assert "L'action est ajoutée au registre." in page.content()
    check_page(page)
    minutes = tmp_path / "compte-rendu.pdf"
    minutes.write_bytes(PDF)
    page.get_by_label("Ce que montre la pièce").select_option("minutes")
    page.get_by_label("Pièce justificative (PDF ou photo, 5 Mo au maximum)").set_input_files(
        str(minutes)
    )
    page.get_by_role("button", name="Ajouter la pièce").click()
    assert "La pièce justificative est ajoutée." in page.content()
    assert Evidence.objects.get().action == InvolvementAction.objects.get()
    # Level 2 also asks who took part: the report lists it "à compléter" until it is there.
    page.goto("/implication/aci/")
    assert "Liste des usagers qui ont participé" in page.locator("#aci-to-complete").inner_text()
    page.get_by_role("link", name="Comité des usagers de la MSP").first.click()
    attendance = tmp_path / "emargement.pdf"
    attendance.write_bytes(PDF)
    page.get_by_label("Ce que montre la pièce").select_option("attendance")
    page.get_by_label("Pièce justificative (PDF ou photo, 5 Mo au maximum)").set_input_files(
        str(attendance)
    )
    page.get_by_role("button", name="Ajouter la pièce").click()
    assert "La pièce justificative est ajoutée." in page.content()

    page.goto("/implication/continuum/")
    check_page(page)
    assert "Le prochain petit pas suggéré" in page.content()
    page.goto("/implication/aci/")
    check_page(page)
    assert page.locator("#aci-level").inner_text() == "Niveau 2"
    assert "compte-rendu.pdf" in page.content()


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_participant_feedback_on_the_partner(page, world, login_as, check_page):
    workshop = WorkshopFactory(
        programme=ProgrammeFactory(structure=world.a, title="Diabète de type 2"),
        title="Bouger avec le diabète",
        starts_at=timezone.now() - dt.timedelta(hours=2),
        partner=world.memberships["partner"],
        professional=world.memberships["doctor"],
    )
    page.goto(f"/p/atelier/{workshop.feedback_token}/")
    check_page(page)
    for name in ("useful", "understood", "freer"):
        page.locator(f"input[name={name}][value='5']").check()
    page.get_by_label("Un mot sur l'intervention du patient partenaire").fill(
        "Elle sait de quoi elle parle."
    )
    page.get_by_role("button", name="Envoyer mon avis").click()
    assert "Merci pour votre avis" in page.content()
    assert WorkshopFeedback.objects.get().useful == 5
    login_as(page, world.users["partner"])
    page.goto(f"/implication/ateliers/{workshop.public_id}/")
    check_page(page)
    assert "Elle sait de quoi elle parle." in page.content()
