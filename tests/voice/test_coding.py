"""The seeds' own method of analysis: the coordinator labels verbatims, groups labels into
categories, sees suggestions from the answers already coded, and exports the coded table."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from binome.voice.models import CodedAnswer, CodingLabel, Question
from tests.voice.factories import AnswerFactory, QuestionFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db

VERBATIMS = [
    "L'attente au secrétariat est trop longue le matin",
    "Trop d'attente au téléphone pour joindre le secrétariat",
    "Le médecin prend le temps d'écouter",
]


@pytest.fixture
def survey(world):
    survey = SurveyFactory(structure=world.a)
    question = QuestionFactory(
        survey=survey, kind=Question.Kind.TEXT, label="Qu'aimeriez-vous changer ?"
    )
    for text in VERBATIMS:
        AnswerFactory(
            response=ResponseFactory(survey=survey), question=question, value=None, text=text
        )
    return survey


def _post(client, survey, **data):
    return client.post(reverse("voice:survey_coding", args=[survey.public_id]), data)


def test_label_group_suggest_and_export(world, survey):
    client = world.client_for("coordinator")
    url = reverse("voice:survey_coding", args=[survey.public_id])
    first, second, third = survey.questions.get().answers.order_by("id")
    assert (
        _post(client, survey, action="label", answer=first.pk, name="Délais d'attente").status_code
        == 302
    )
    # the second verbatim shares words with the first: the label is suggested for it, not for the third
    page = client.get(url).content.decode()
    assert (
        f'value="{second.pk}"><input type="hidden" name="name" value="Délais d&#x27;attente"'
        in page
    )
    assert (
        f'value="{third.pk}"><input type="hidden" name="name" value="Délais d&#x27;attente"'
        not in page
    )
    _post(client, survey, action="label", answer=second.pk, name="Délais d'attente")
    _post(client, survey, action="label", answer=third.pk, name="Écoute du médecin")
    label = CodingLabel.objects.get(name="Délais d'attente")
    _post(
        client,
        survey,
        action="group",
        label=label.pk,
        category="Accès aux soins",
        property="le temps pour joindre l'équipe",
    )
    _post(
        client,
        survey,
        action="group",
        label=CodingLabel.objects.get(name="Écoute du médecin").pk,
        category="Relation de soin",
    )
    assert CodedAnswer.objects.count() == 3
    summary = client.get(url).content.decode()
    assert "Accès aux soins" in summary and "67 %" in summary

    xlsx = client.get(reverse("voice:survey_coding_xlsx", args=[survey.public_id]))
    wb = load_workbook(BytesIO(xlsx.content))
    rows = list(wb["Verbatims codés"].iter_rows(min_row=2, values_only=True))
    assert (rows[0][1], rows[0][2], rows[0][3], rows[0][4]) == (
        VERBATIMS[0],
        "Délais d'attente",
        "le temps pour joindre l'équipe",
        "Accès aux soins",
    )
    categories = {r[0]: r[1] for r in wb["Catégories"].iter_rows(min_row=2, values_only=True)}
    assert categories == {"Accès aux soins": 2, "Relation de soin": 1}
    # removing a label
    coded = CodedAnswer.objects.get(answer=third)
    _post(client, survey, action="unlabel", coded=coded.pk)
    assert not CodedAnswer.objects.filter(answer=third).exists()


def test_bad_input_changes_nothing_and_partners_cannot_code(world, survey):
    client = world.client_for("coordinator")
    answer = survey.questions.get().answers.first()
    response = _post(client, survey, action="label", answer=answer.pk, name="   ")
    assert response.status_code == 422 and not CodedAnswer.objects.exists()
    assert "Écrivez l&#x27;étiquette" in response.content.decode()
    other = SurveyFactory(structure=world.a)
    foreign = AnswerFactory(
        response=ResponseFactory(survey=other),
        question=QuestionFactory(survey=other, kind=Question.Kind.TEXT),
        value=None,
        text="x",
    )
    assert _post(client, survey, action="label", answer=foreign.pk, name="X").status_code == 404
    assert (
        world.client_for("partner")
        .get(reverse("voice:survey_coding", args=[survey.public_id]))
        .status_code
        == 403
    )


def test_the_api_twin_codes_like_the_page(world, survey):
    """Same service, same answers: label, suggestion, grouping, summary, export, refusal."""
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["coordinator"], "test", raw="coding-token-coordinator")
    ApiToken.issue(world.users["partner"], "test", raw="coding-token-partner")
    api = Client(HTTP_AUTHORIZATION="Bearer coding-token-coordinator")
    base = f"/api/v1/voice/surveys/{survey.public_id}/coding"
    first, second, third = survey.questions.get().answers.order_by("id")
    created = api.post(
        f"{base}/answers/{first.pk}/codes",
        {"name": "Délais d'attente"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["label"] == "Délais d'attente"
    listed = {a["id"]: a for a in api.get(f"{base}/answers").json()}
    assert listed[first.pk]["codes"][0]["label"] == "Délais d'attente"
    assert (
        listed[second.pk]["suggestions"] == ["Délais d'attente"]
        and listed[third.pk]["suggestions"] == []
    )
    label_id = created.json()["label_id"]
    grouped = api.post(
        f"{base}/labels/{label_id}/category",
        {"category": "Accès aux soins"},
        content_type="application/json",
    )
    assert grouped.status_code == 200 and grouped.json()["category"] == "Accès aux soins"
    assert api.get(f"{base}/summary").json() == [
        {"category": "Accès aux soins", "answers": 1, "share": 100, "labels": ["Délais d'attente"]}
    ]
    xlsx = load_workbook(BytesIO(api.get(f"{base}.xlsx").content))
    assert next(xlsx["Catégories"].iter_rows(min_row=2, values_only=True))[:2] == (
        "Accès aux soins",
        1,
    )
    # Bad input: French message, 422, nothing written.
    blank = api.post(
        f"{base}/answers/{second.pk}/codes", {"name": "  "}, content_type="application/json"
    )
    assert (
        blank.status_code == 422 and blank.json()["errors"][0]["message"] == "Écrivez l'étiquette."
    )
    assert CodedAnswer.objects.count() == 1
    # A partner reads the survey but does not code it.
    partner = Client(HTTP_AUTHORIZATION="Bearer coding-token-partner")
    assert (
        partner.post(
            f"{base}/answers/{second.pk}/codes", {"name": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    removed = api.post(
        f"{base}/codes/{created.json()['id']}/remove", content_type="application/json"
    )
    assert removed.status_code == 204 and not CodedAnswer.objects.exists()
