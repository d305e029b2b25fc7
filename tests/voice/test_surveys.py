"""Surveys: builder, publication (counts as an involvement action), public answers, paper
answers, results with charts, exports, themes, and constant query counts."""

import csv
from io import BytesIO, StringIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from binome.involvement.models import ActionKind, InvolvementAction
from binome.voice.models import Answer, Question, Response, Survey
from tests.voice.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _build(world):
    client = world.client_for("coordinator")
    assert (
        client.post(
            "/voix/enquetes/nouvelle/",
            {"title": "Votre avis sur la MSP", "intro": "Deux minutes.", "anonymous": "on"},
        ).status_code
        == 302
    )
    survey = Survey.objects.get(title="Votre avis sur la MSP")
    base = f"/voix/enquetes/{survey.public_id}"
    assert client.post(f"{base}/parties/", {"title": "L'accueil"}).status_code == 302
    section = survey.sections.get()
    client.post(
        f"{base}/questions/",
        {
            "section": section.pk,
            "kind": "scale",
            "label": "Êtes-vous satisfait de l'accueil ?",
            "required": "on",
        },
    )
    client.post(
        f"{base}/questions/",
        {
            "section": section.pk,
            "kind": "single",
            "label": "Comment prenez-vous rendez-vous ?",
            "choices": "Téléphone\nInternet\nSur place",
        },
    )
    client.post(
        f"{base}/questions/",
        {
            "kind": "multiple",
            "label": "Quels ateliers vous intéresseraient ?",
            "choices": "Diabète\nAlimentation\nSommeil",
        },
    )
    client.post(f"{base}/questions/", {"kind": "text", "label": "Une remarque ?"})
    return client, survey


def test_builder_publish_and_registered_as_involvement_action(world):
    client, survey = _build(world)
    assert survey.questions.count() == 4
    bad = client.post(
        f"/voix/enquetes/{survey.public_id}/questions/",
        {"kind": "single", "label": "Un seul choix ?", "choices": "Oui"},
    )
    assert bad.status_code == 422 and "au moins deux choix" in bad.content.decode()
    assert survey.questions.count() == 4
    assert client.post(f"/voix/enquetes/{survey.public_id}/publier/").status_code == 302
    survey.refresh_from_db()
    assert survey.state == Survey.State.PUBLISHED
    action = InvolvementAction.objects.get(source=f"survey:{survey.public_id}")
    assert (
        action.kind == ActionKind.SURVEY and action.aci_level == 1 and action.structure == world.a
    )
    # Publishing twice does not duplicate the action; a published survey is frozen.
    client.post(f"/voix/enquetes/{survey.public_id}/publier/")
    assert InvolvementAction.objects.filter(source__startswith="survey:").count() == 1
    client.post(
        f"/voix/enquetes/{survey.public_id}/questions/", {"kind": "text", "label": "Trop tard"}
    )
    assert survey.questions.count() == 4
    detail = client.get(f"/voix/enquetes/{survey.public_id}/").content.decode()
    assert f"/p/enquete/{survey.public_token}/" in detail and "data:image/svg+xml" in detail
    poster = client.get(f"/voix/enquetes/{survey.public_id}/affiche.pdf")
    assert poster.status_code == 200
    text = PdfReader(BytesIO(poster.content)).pages[0].extract_text()
    assert survey.public_token in text.replace("\n", "")


def _public_answer(survey, anonymous, **overrides):
    page = anonymous.get(f"/p/enquete/{survey.public_token}/")
    assert page.status_code == 200
    form = page.context["form"]
    q = {x.kind: x for x in survey.questions.all()}
    data = {
        "submission_token": form.initial["submission_token"],
        f"q{q['scale'].pk}": 4,
        f"q{q['single'].pk}": 1,
        f"q{q['multiple'].pk}": [0, 2],
        f"q{q['text'].pk}": "Le parking est trop petit le matin.",
    }
    data.update(overrides)
    return data, anonymous.post(f"/p/enquete/{survey.public_token}/", data)


def test_anonymous_answer_is_stored_once_and_paper_answers_are_typed_in(world):
    client, survey = _build(world)
    client.post(f"/voix/enquetes/{survey.public_id}/publier/")
    anonymous = Client()
    data, response = _public_answer(survey, anonymous)
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert anonymous.post(f"/p/enquete/{survey.public_token}/", data).status_code == 200  # retried
    assert Response.objects.filter(survey=survey).count() == 1
    stored = Response.objects.get(survey=survey)
    assert stored.entered_by is None and stored.channel == "online"
    assert (
        Answer.objects.filter(response=stored).count() == 5
    )  # multiple choice: one row per choice
    # Required question missing: 422 in French, nothing stored.
    q_scale = survey.questions.get(kind="scale")
    _data, bad = _public_answer(survey, Client(), **{f"q{q_scale.pk}": ""})
    assert bad.status_code == 422 and "Ce champ est obligatoire" in bad.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    # The secretariat types in a paper answer.
    nurse = world.client_for("nurse")
    page = nurse.get(f"/voix/enquetes/{survey.public_id}/saisie-papier/")
    token = page.context["form"].initial["submission_token"]
    paper = nurse.post(
        f"/voix/enquetes/{survey.public_id}/saisie-papier/",
        {"submission_token": token, f"q{q_scale.pk}": 2},
    )
    assert paper.status_code == 302
    assert Response.objects.get(channel="paper").entered_by == world.users["nurse"]


def test_honeypot_and_size_limit(world):
    survey = QuestionFactory(survey__structure=world.a, kind=Question.Kind.TEXT).survey
    anonymous = Client()
    token = (
        anonymous.get(f"/p/enquete/{survey.public_token}/")
        .context["form"]
        .initial["submission_token"]
    )
    q = survey.questions.get()
    robot = anonymous.post(
        f"/p/enquete/{survey.public_token}/",
        {"submission_token": token, f"q{q.pk}": "achetez", "website": "http://spam.example"},
    )
    assert robot.status_code == 200 and not Response.objects.exists()
    long_text = anonymous.post(
        f"/p/enquete/{survey.public_token}/", {"submission_token": token, f"q{q.pk}": "x" * 2001}
    )
    assert long_text.status_code == 422 and not Response.objects.exists()
    huge = anonymous.post(
        f"/p/enquete/{survey.public_token}/", {"submission_token": token, f"q{q.pk}": "y" * 70_000}
    )
    assert huge.status_code == 413 and not Response.objects.exists()


def test_public_form_is_rate_limited(world, settings):
    survey = QuestionFactory(survey__structure=world.a, kind=Question.Kind.TEXT).survey
    q = survey.questions.get()
    anonymous = Client()
    statuses = [
        anonymous.post(
            f"/p/enquete/{survey.public_token}/",
            {"submission_token": f"jeton-de-soumission-{i:04d}", f"q{q.pk}": "ok"},
        ).status_code
        for i in range(32)
    ]
    assert statuses[:30] == [200] * 30 and statuses[30:] == [429, 429]
    assert Response.objects.count() == 30


def test_draft_and_closed_surveys_are_not_answerable(world):
    draft = SurveyFactory(structure=world.a, state=Survey.State.DRAFT)
    assert Client().get(f"/p/enquete/{draft.public_token}/").status_code == 404
    closed = QuestionFactory(survey__structure=world.a, survey__state=Survey.State.CLOSED).survey
    page = Client().get(f"/p/enquete/{closed.public_token}/")
    assert page.status_code == 200 and "Cette enquête est terminée" in page.content.decode()
    assert Client().get("/p/enquete/inexistant/").status_code == 404


def _grow(survey, n, start=0):
    """n responses with an answer to every question, in bulk."""
    questions = list(survey.questions.all())
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey, structure=survey.structure, submission_token=f"g{start + i:020d}"
            )
            for i in range(n)
        ]
    )
    texts = [
        "Délai de rendez-vous trop long",
        "Parking trop petit",
        "Accueil très aimable",
        "Téléphone souvent occupé",
    ]
    answers = []
    for i, r in enumerate(responses):
        for q in questions:
            if q.kind == Question.Kind.TEXT:
                answers.append(Answer(response=r, question=q, text=f"{texts[i % 4]} ({i})"))
            elif q.kind == Question.Kind.SCALE:
                answers.append(Answer(response=r, question=q, value=1 + i % 5))
            else:
                answers.append(Answer(response=r, question=q, value=i % len(q.choices)))
    Answer.objects.bulk_create(answers, batch_size=5000)


def test_results_charts_exports_and_themes(world):
    client, survey = _build(world)
    client.post(f"/voix/enquetes/{survey.public_id}/publier/")
    _grow(survey, 40)
    page = world.client_for("user_rep").get(f"/voix/enquetes/{survey.public_id}/resultats/")
    body = page.content.decode()
    assert page.status_code == 200 and "40 réponses" in body
    assert "<svg" in body and 'width="20"' in body  # each scale value: 8 of 40 = 20 %
    assert "style=" not in body  # CSP: no inline style attributes
    assert "moyenne 3,0 / 5" in body
    csv_response = client.get(f"/voix/enquetes/{survey.public_id}/reponses.csv")
    rows = list(csv.reader(StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 41 and rows[0][3] == "Êtes-vous satisfait de l'accueil ?"
    assert rows[1][4] == "Téléphone"
    xlsx = client.get(f"/voix/enquetes/{survey.public_id}/reponses.xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet.max_row == 41 and sheet.cell(1, 7).value == "Une remarque ?"
    themes = (
        world.client_for("user_rep")
        .get(f"/voix/enquetes/{survey.public_id}/themes/")
        .content.decode()
    )
    assert "mots clés" in themes and "parking" in themes.lower()


def test_results_queries_constant_from_10_to_10000_answers(world):
    _client, survey = _build(world)
    Survey.objects.filter(pk=survey.pk).update(state=Survey.State.PUBLISHED)
    client = world.client_for("coordinator")
    _grow(survey, 10)
    client.get(f"/voix/enquetes/{survey.public_id}/resultats/")
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/voix/enquetes/{survey.public_id}/resultats/").status_code == 200
    _grow(survey, 9990, start=10)
    with CaptureQueriesContext(connection) as big:
        response = client.get(f"/voix/enquetes/{survey.public_id}/resultats/")
    assert (
        "10\u202f000 réponses" in response.content.decode()
        or "10000 réponses" in response.content.decode()
    )
    assert len(big) == len(small)
    anonymous = Client()
    with CaptureQueriesContext(connection) as public:
        assert anonymous.get(f"/p/enquete/{survey.public_token}/").status_code == 200
    assert len(public) <= 4
