"""On a phone (360 px): a coordinator steers a project — committee, cycle, action plan,
logbook, a limiting factor of Tableau I and an indicator — and a partner of the committee
follows it."""

import pytest

from binome.steering.models import ActionItem, LimitingFactor, LogbookEntry, Project
from tests.conftest import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_coordinator_steers_a_project_and_the_partner_follows(page, world, login_as, check_page):
    login_as(page, world.users["coordinator"])
    page.goto("/projets/")
    check_page(page)
    page.get_by_role("link", name="Nouveau projet").click()
    page.get_by_label("Titre du projet").fill("Pair-accompagnement en diabétologie")
    page.get_by_label("État").select_option("active")
    page.get_by_role("button", name="Enregistrer").click()
    assert "Le projet est créé" in page.content()
    check_page(page)
    project = Project.objects.get()

    page.get_by_role("link", name="Ajouter une personne").click()
    page.get_by_label("Personne").select_option(str(world.memberships["partner"].pk))
    page.get_by_role("button", name="Enregistrer").click()
    assert "rejoint le comité de pilotage" in page.content()

    page.get_by_role("link", name="Nouveau cycle").click()
    check_page(page)
    page.get_by_label("Intitulé").fill("Phase 1")
    page.get_by_label("Début").fill("2026-09-14")
    page.get_by_label("Fin").fill("2026-10-26")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Ajouter une action").click()
    page.get_by_label("Action").fill("Orienter directement vers la patiente partenaire")
    page.get_by_label("Responsable").select_option(str(world.memberships["doctor"].pk))
    page.get_by_role("button", name="Enregistrer").click()
    assert "L'action est ajoutée au plan." in page.content()
    check_page(page)

    page.get_by_role("link", name="Ajouter un facteur limitant").click()
    page.get_by_label("Facteur limitant").fill("Outillage de la patiente partenaire")
    page.get_by_label("Ce qui a été observé").fill("Téléphone à clapet ; suivi sur un tableur.")
    page.get_by_label("Remédiation proposée").fill("Smartphone et plateforme de coordination.")
    page.get_by_role("button", name="Enregistrer").click()
    check_page(page)
    assert LimitingFactor.objects.get(project=project).remediation.startswith("Smartphone")

    # The partner sits on the committee: she sees the plan and notes the meeting.
    page.context.clear_cookies()
    login_as(page, world.users["partner"])
    page.goto(f"/projets/{project.public_id}/")
    check_page(page)
    assert "Orienter directement vers la patiente partenaire" in page.content()
    page.get_by_role("link", name="Noter une réunion").click()
    page.get_by_label("Date de la réunion").fill("2026-10-22")
    page.get_by_label("Thèmes abordés").fill("Bilan de la phase 1")
    page.get_by_label("Décisions").fill("Orientation directe, sans secrétariat.")
    page.get_by_role("button", name="Enregistrer").click()
    assert "L'entrée est ajoutée au journal de bord." in page.content()
    page.goto(f"/projets/{project.public_id}/facteurs/")
    check_page(page)
    assert LogbookEntry.objects.get().author == world.users["partner"]
    assert ActionItem.objects.get().owner == world.memberships["doctor"]
