"""Users' voice in the browser at 360 px: a survey is built, answered anonymously through its
public link, a paper questionnaire is typed in, results and themes are shown; an idea goes
from the public form to "done" on the public page."""

import pytest

from binome.voice import services
from binome.voice.models import Idea, Response, Survey
from tests.conftest import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_survey_built_answered_online_and_on_paper_then_results_and_themes(
    page, world, login_as, check_page
):
    login_as(page, world.users["coordinator"])
    page.goto("/voix/")
    check_page(page)
    page.get_by_role("link", name="Créer une enquête").first.click()
    page.get_by_label("Titre").fill("Votre avis sur la maison de santé")
    page.get_by_role("button", name="Enregistrer").click()
    check_page(page)
    for kind, label, choices in [
        ("scale", "Êtes-vous satisfait de l'accueil ?", ""),
        ("single", "Comment prenez-vous rendez-vous ?", "Par téléphone\nSur internet"),
        ("multiple", "Quels ateliers vous intéresseraient ?", "Diabète\nSommeil"),
        ("text", "Que pourrions-nous améliorer ?", ""),
    ]:
        page.get_by_label("Type de question").select_option(kind)
        page.locator("#id_label").fill(label)  # the field labelled "Question"
        page.get_by_label("Choix proposés (un par ligne)").fill(choices)
        page.get_by_role("button", name="Ajouter la question").click()
        assert "La question est ajoutée." in page.content()
    page.get_by_role("button", name="Publier l'enquête").click()
    assert "Elle compte dans le registre" in page.content()
    check_page(page)
    survey = Survey.objects.get()
    public_link = page.locator("#public-link").get_attribute("href")
    assert survey.public_token in public_link

    # An anonymous patient answers from a phone (no cookie, no account).
    page.context.clear_cookies()
    page.goto(public_link)
    check_page(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Par téléphone").check()
    page.get_by_label("Diabète").check()
    page.get_by_label("Que pourrions-nous améliorer ?").fill("Le parking est trop petit le matin.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    assert "Vos réponses sont enregistrées" in page.content()
    check_page(page)
    response = Response.objects.get()
    assert response.channel == "online" and response.entered_by is None

    # The secretariat types in a paper questionnaire.
    login_as(page, world.users["nurse"])
    page.goto(f"/voix/enquetes/{survey.public_id}/saisie-papier/")
    check_page(page)
    page.get_by_label("2", exact=True).check()
    page.get_by_label("Sur internet").check()
    page.get_by_label("Que pourrions-nous améliorer ?").fill(
        "Difficile de joindre le secrétariat au téléphone."
    )
    page.get_by_role("button", name="Enregistrer et saisir le suivant").click()
    assert "1 questionnaire papier saisi" in page.content()
    assert Response.objects.filter(channel="paper").count() == 1

    # More free-text answers arrive, then results and themes are read.
    text_question = survey.questions.get(kind="text")
    remarks = [
        "Le parking est saturé",
        "Pas de place de parking",
        "Le téléphone ne répond pas",
        "Impossible de joindre le standard au téléphone",
        "Parking trop petit pour les familles",
        "Téléphone occupé le lundi",
        "Le parking déborde sur la rue",
        "Ligne téléphonique saturée",
    ]
    for i, text in enumerate(remarks):
        services.submit_response(
            survey, {text_question: text}, submission_token=f"navigateur-{i:012d}"
        )
    page.goto(f"/voix/enquetes/{survey.public_id}/resultats/")
    check_page(page)
    assert "10 réponses" in page.content() and "dont 1 sur papier" in page.content()
    page.get_by_role("link", name="Thèmes des réponses libres").click()
    check_page(page)
    content = page.content().lower()
    assert "mots clés" in content and "parking" in content and "téléphone" in content


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_idea_from_public_form_to_done_on_public_page(page, world, login_as, check_page):
    services.idea_box_for(world.a)
    page.goto(f"/p/{world.a.slug}/idees/")
    check_page(page)
    page.get_by_label("Votre idée ou votre remarque").fill(
        "Un banc à l'ombre devant l'entrée, pour attendre le taxi."
    )
    page.get_by_role("button", name="Envoyer mon idée").click()
    assert "Votre idée est bien arrivée" in page.content()
    check_page(page)
    idea = Idea.objects.get()

    login_as(page, world.users["coordinator"])
    page.goto("/voix/idees/")
    check_page(page)
    page.get_by_role("link", name="Répondre").click()
    check_page(page)
    page.locator("#id_status").select_option("done")
    page.get_by_label("Réponse publique de l'équipe").fill(
        "Un banc est installé sous le tilleul depuis mardi."
    )
    page.get_by_role("button", name="Enregistrer").click()
    assert "Le statut de l'idée est enregistré." in page.content()
    idea.refresh_from_db()
    assert idea.status == "done"

    page.context.clear_cookies()
    page.goto(f"/p/{world.a.slug}/nous-avons-fait/")
    check_page(page)
    content = page.content()
    assert (
        "Un banc à l" in content
        and "Un banc est installé sous le tilleul depuis mardi." in content
        and "Réalisée" in content
    )
