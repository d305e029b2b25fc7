"""Issue 9 query budgets of the users' voice pages, measured with data: the request base
(session, user, second factor, memberships) plus at most a few queries of the page's own."""

import pytest
from django.urls import reverse

from binome.voice.models import Answer, Idea, Question, Response
from binome.voice.views import _qr
from tests.voice.factories import (
    CommitteeFactory,
    IdeaFactory,
    MeetingFactory,
    QuestionFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

BASE = 5  # queries before every view (binome/web/middleware.py)


def _survey_with_answers(structure, n=30):
    survey = SurveyFactory(structure=structure)
    scale = QuestionFactory(survey=survey, kind=Question.Kind.SCALE)
    multiple = QuestionFactory(
        survey=survey, kind=Question.Kind.MULTIPLE, choices=["Diabète", "Sommeil", "Marche"]
    )
    text = QuestionFactory(survey=survey, kind=Question.Kind.TEXT)
    responses = Response.objects.bulk_create(
        [
            Response(survey=survey, structure=structure, submission_token=f"budget{i:020d}")
            for i in range(n)
        ]
    )
    answers = []
    for i, r in enumerate(responses):
        answers.append(Answer(response=r, question=scale, value=1 + i % 5))
        answers += [
            Answer(response=r, question=multiple, value=v) for v in range(1 + i % 3)
        ]  # 1 to 3 choices
        answers.append(Answer(response=r, question=text, text="" if i % 2 else f"Remarque {i}"))
    Answer.objects.bulk_create(answers)
    return survey


def _get(client, url, django_assert_max_num_queries, own):
    client.get(url)  # warm-up
    with django_assert_max_num_queries(BASE + own):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_survey_list_and_results_budget(world, django_assert_max_num_queries):
    for _ in range(60):  # more than a page of surveys
        SurveyFactory(structure=world.a)
    survey = _survey_with_answers(world.a)
    client = world.client_for("coordinator")
    body = _get(client, reverse("voice:survey_list"), django_assert_max_num_queries, own=2)
    assert "page=2" in body and "Page 1 sur 2" in body
    assert "30 réponses" in body and "0 réponse" in body  # responses counted per row
    url = reverse("voice:survey_results", kwargs={"public_id": survey.public_id})
    # Survey, questions, channels, values, multiple/text respondents, text examples.
    body = _get(client, url, django_assert_max_num_queries, own=6)
    assert "30 réponses" in body
    assert "30 répondants" in body  # scale and multiple choices: every response
    assert "15 répondants" in body  # free text: the non-empty answers only
    assert "Remarque 28" in body


def test_idea_list_budget_and_pagination_keeps_the_view(world, django_assert_max_num_queries):
    for _ in range(60):
        IdeaFactory(structure=world.a, moderation=Idea.Moderation.PUBLISHED)
    IdeaFactory(structure=world.a)  # pending
    client = world.client_for("coordinator")
    body = _get(
        client, reverse("voice:idea_list") + "?vue=toutes", django_assert_max_num_queries, own=3
    )
    assert "vue=toutes&amp;page=2" in body
    assert 'src="data:image/svg+xml' in body  # the QR code of the public form
    hits = _qr.cache_info().hits
    assert 'src="data:image/svg+xml' in client.get(reverse("voice:idea_list")).content.decode()
    assert _qr.cache_info().hits == hits + 1  # computed once per URL and process


def test_home_and_committee_budget(world, django_assert_max_num_queries):
    _survey_with_answers(world.a, n=5)
    for _ in range(20):
        IdeaFactory(structure=world.a)
    for _ in range(3):
        committee = CommitteeFactory(structure=world.a)
        MeetingFactory(committee=committee)
    client = world.client_for("user_rep")
    assert "5 réponses" in _get(client, reverse("voice:home"), django_assert_max_num_queries, own=3)
    body = _get(client, reverse("voice:committee_list"), django_assert_max_num_queries, own=1)
    assert body.count("Comité des usagers") >= 3
