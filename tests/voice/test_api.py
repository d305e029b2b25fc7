"""The voice API: reads, status changes (403/404 across roles and structures), public writes."""

import pytest
from django.test import Client

from binome.accounts.models import ApiToken
from binome.voice.models import Idea, Question, Response, Status
from tests.voice.factories import (
    CommitteeFactory,
    IdeaBoxFactory,
    IdeaFactory,
    ProposalFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


def _client(world, persona, structure="a"):
    user = (world.users if structure == "a" else world.users_b)[persona]
    raw = f"jeton-{persona}-{structure}"
    ApiToken.issue(user, "t", raw=raw)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_idea_status_by_coordinator_only_and_404_elsewhere(world):
    idea = IdeaFactory(structure=world.a, moderation=Idea.Moderation.PUBLISHED)
    url = f"/api/v1/voice/ideas/{idea.public_id}/status"
    body = {"status": "done", "public_answer": "C'est fait."}
    assert Client().post(url, body, content_type="application/json").status_code == 401
    assert (
        _client(world, "user_rep").post(url, body, content_type="application/json").status_code
        == 403
    )
    assert (
        _client(world, "partner").post(url, body, content_type="application/json").status_code
        == 404
    )
    assert (
        _client(world, "coordinator", "b")
        .post(url, body, content_type="application/json")
        .status_code
        == 404
    )
    coordinator = _client(world, "coordinator")
    declined = coordinator.post(url, {"status": "declined"}, content_type="application/json")
    assert declined.status_code == 422 and "raison" in declined.json()["errors"][0]["message"]
    ok = coordinator.post(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "done" and ok.json()["done_at"]


def test_proposal_status(world):
    proposal = ProposalFactory(committee=CommitteeFactory(structure=world.a))
    url = f"/api/v1/voice/proposals/{proposal.public_id}/status"
    assert (
        _client(world, "doctor")
        .post(url, {"status": "accepted"}, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        _client(world, "coordinator", "b")
        .post(url, {"status": "accepted"}, content_type="application/json")
        .status_code
        == 404
    )
    ok = _client(world, "coordinator").post(
        url, {"status": "accepted", "public_answer": "À l'essai."}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["public_answer"] == "À l'essai."


def test_moderation_queue_only_for_coordinators(world):
    IdeaFactory(structure=world.a, text="En attente de modération")
    IdeaFactory(structure=world.a, text="Publiée", moderation=Idea.Moderation.PUBLISHED)
    rep = [
        i["text"] for i in _client(world, "user_rep").get("/api/v1/voice/ideas/").json()["items"]
    ]
    coord = [
        i["text"] for i in _client(world, "coordinator").get("/api/v1/voice/ideas/").json()["items"]
    ]
    assert rep == ["Publiée"] and sorted(coord) == ["En attente de modération", "Publiée"]


def test_survey_read_and_results(world):
    q = QuestionFactory(
        survey__structure=world.a, kind=Question.Kind.SINGLE, choices=["Oui", "Non"]
    )
    client = _client(world, "partner")
    detail = client.get(f"/api/v1/voice/surveys/{q.survey.public_id}").json()
    assert detail["questions"][0]["choices"] == ["Oui", "Non"]
    results = client.get(f"/api/v1/voice/surveys/{q.survey.public_id}/results").json()
    assert results["total"] == 0 and results["questions"][0]["options"][0]["label"] == "Oui"


def test_public_survey_answer_is_idempotent_validated_and_rate_limited(world):
    scale = QuestionFactory(survey__structure=world.a, kind=Question.Kind.SCALE, required=True)
    survey = scale.survey
    multiple = QuestionFactory(survey=survey, kind=Question.Kind.MULTIPLE, choices=["A", "B", "C"])
    text = QuestionFactory(survey=survey, kind=Question.Kind.TEXT)
    url = f"/api/v1/voice/public/surveys/{survey.public_token}/responses"
    anonymous = Client()
    assert (
        anonymous.get(f"/api/v1/voice/public/surveys/{survey.public_token}").json()["title"]
        == survey.title
    )
    payload = {
        "submission_token": "api-jeton-0000000001",
        "answers": [
            {"question": str(scale.public_id), "value": 5},
            {"question": str(multiple.public_id), "values": [0, 2]},
            {"question": str(text.public_id), "text": "Très bon accueil."},
        ],
    }
    first = anonymous.post(url, payload, content_type="application/json")
    again = anonymous.post(url, payload, content_type="application/json")
    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 201 and again.json() == {"id": first.json()["id"], "created": False}
    assert Response.objects.count() == 1 and Response.objects.get().channel == "api"
    bad = anonymous.post(
        url,
        {
            "submission_token": "api-jeton-0000000002",
            "answers": [{"question": str(scale.public_id), "value": 9}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and "Réponse invalide" in bad.json()["detail"]
    missing = anonymous.post(
        url,
        {
            "submission_token": "api-jeton-0000000003",
            "answers": [{"question": str(text.public_id), "text": "x"}],
        },
        content_type="application/json",
    )
    assert missing.status_code == 422 and "obligatoire" in missing.json()["detail"]
    assert Response.objects.count() == 1
    codes = [
        anonymous.post(
            url,
            {**payload, "submission_token": f"api-jeton-limite-{i:04d}"},
            content_type="application/json",
        ).status_code
        for i in range(30)
    ]
    assert codes[-1] == 429 and 429 not in codes[:25]


def test_public_idea_endpoint(world):
    url = f"/api/v1/voice/public/{world.a.slug}/ideas"
    body = {"text": "Un banc devant l'entrée", "submission_token": "api-idee-000000000001"}
    assert (
        Client().post(url, body, content_type="application/json").status_code == 404
    )  # box not open
    IdeaBoxFactory(structure=world.a)
    first = Client().post(url, body, content_type="application/json")
    assert (
        first.status_code == 201
        and Client().post(url, body, content_type="application/json").json()["created"] is False
    )
    assert Idea.objects.get().moderation == Idea.Moderation.PENDING
    too_long = Client().post(
        url,
        {**body, "text": "x" * 2001, "submission_token": "api-idee-000000000002"},
        content_type="application/json",
    )
    assert too_long.status_code == 422 and Idea.objects.count() == 1
    Idea.objects.update(
        moderation=Idea.Moderation.PUBLISHED, status=Status.DONE, public_answer="Installé."
    )
    done = Client().get(f"/api/v1/voice/public/{world.a.slug}/done").json()
    assert done["items"][0]["public_answer"] == "Installé."
