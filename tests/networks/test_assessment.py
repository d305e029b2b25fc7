import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from binome.audit.models import AuditEvent
from binome.networks import questionnaire as q
from binome.networks import services
from binome.networks.models import MaturityAssessment, Resource
from binome.networks.synthetic import answers_for
from tests.networks.factories import MaturityAssessmentFactory

pytestmark = pytest.mark.django_db
YES, NO = q.YES, q.NO


@pytest.mark.parametrize("level", q.LEVEL_ORDER)
def test_placement_rule_on_each_level(level):
    assert q.place_from_answers(answers_for(level)) == level


def test_placement_rule_details():
    base = answers_for(q.INFORMATION)
    assert q.place_from_answers({**base, "exchange_spaces": YES}) == q.CONSULTATION
    assert q.place_from_answers({**base, "info_with_users": YES}) == q.COLLABORATION
    # Seed 001: partenariat is co-construction; users cannot sit in a SISA's governance, so
    # a place in governance is not asked for.
    assert q.place_from_answers({**base, "co_built_actions": YES}) == q.PARTNERSHIP
    assert (
        q.place_from_answers({**base, "co_built_actions": NO, "governance_place": YES})
        != q.PARTNERSHIP
    )


def test_answers_are_validated():
    with pytest.raises(q.AnswerError) as exc:
        q.clean_answers({"priority": "maybe", "barriers": ["time", "nope"], "intrus": "x"})
    errors = exc.value.errors
    assert errors["priority"] == "Choix inconnu." and errors["barriers"] == "Choix inconnu."
    assert (
        errors["wants_more"] == "Merci de répondre à cette question."
        and "intrus" in errors["__all__"]
    )
    clean = q.clean_answers(answers_for(q.CONSULTATION, barriers=["money", "time", "time"]))
    assert clean["barriers"] == ["time", "money"]  # questionnaire order, no duplicates


def test_barriers_come_with_matching_levers():
    answers = answers_for(q.CONSULTATION, barriers=["communication", "money"], levers=["mediator"])
    result = q.barriers_with_levers(answers)
    assert [b["code"] for b in result] == ["communication", "money"]
    communication = result[0]["levers"]
    assert [lv["code"] for lv in communication] == [
        "mediator",
        "tools",
    ]  # the lever they named comes first
    assert communication[0]["named"] and not communication[1]["named"]
    assert {lv["code"] for lv in result[1]["levers"]} == {"funding", "support"}


def test_small_steps_follow_the_level():
    steps = q.next_steps(q.INFORMATION, answers_for(q.INFORMATION, priority=NO, knows_guide=NO))
    titles = [str(s["title"]) for s in steps]
    assert titles[0] == "Choisir un seul petit objectif pour l'année"
    assert any("enquête de satisfaction" in t for t in titles) and any("guide" in t for t in titles)
    assert any(
        "catalogue" in str(s["why"])
        for s in q.next_steps(q.PARTNERSHIP, answers_for(q.PARTNERSHIP, knows_guide=YES))
    )


def test_resources_match_level_and_barriers():
    # The reference library is loaded by a data migration.
    assert Resource.objects.filter(kind=Resource.Kind.HAS).count() == 8
    chosen = services.resources_for(q.INFORMATION, ["communication"])
    assert chosen[0].slug in {"facile-santebd", "facile-falc", "guide-posture", "has-facilitateurs"}
    assert "communication" in chosen[0].barriers


def _post_data(level, **kw):
    return {k: v for k, v in answers_for(level, **kw).items() if v not in ("", [])}


def test_team_assesses_itself_and_sees_progress(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("networks:assessment_new"),
        _post_data(q.CONSULTATION, barriers=["time", "knowledge"]),
    )
    first = MaturityAssessment.objects.get()
    assert (
        response.status_code == 302
        and first.level == q.CONSULTATION
        and first.created_by == world.users["coordinator"]
    )
    MaturityAssessment.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(days=365)
    )
    # The form is prefilled from the previous assessment.
    form = client.get(reverse("networks:assessment_new")).content.decode()
    assert "reprises" in form
    client.post(reverse("networks:assessment_new"), _post_data(q.PARTNERSHIP, priority=YES))
    second = MaturityAssessment.objects.order_by("-created_at").first()
    page = client.get(
        reverse("networks:assessment_detail", kwargs={"public_id": second.public_id})
    ).content.decode()
    assert "Progrès" in page and "Partenariat" in page and "Partager votre expérience" in page
    detail = client.get(
        reverse("networks:assessment_detail", kwargs={"public_id": first.public_id})
    ).content.decode()
    assert "Manque de temps" in detail and "Incitations financières" in detail
    history = client.get(reverse("networks:assessments")).content.decode()
    assert history.count("<rect") == 2 and "Consultation" in history
    assert AuditEvent.objects.filter(kind="networks.assessment_created").count() == 2


def test_bad_answers_change_nothing(world):
    response = world.client_for("doctor").post(
        reverse("networks:assessment_new"), {"priority": "peut-être", "barriers": ["inconnu"]}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Merci de répondre à cette question." in body
    assert not MaturityAssessment.objects.exists()


def test_register_level_is_used_when_the_register_exists(world):
    if not apps.is_installed("binome.involvement"):
        assert services.register_level(world.a) == ""
        return
    from binome.involvement.models import InvolvementAction

    assert services.register_level(world.a) == ""
    fields = {f.name for f in InvolvementAction._meta.get_fields()}
    data = {
        "structure": world.a,
        "level": q.PARTNERSHIP,
        "start_date": timezone.localdate() - dt.timedelta(days=30),
    }
    for name, value in (
        ("title", "Usagers au conseil d'administration"),
        ("kind", "governance"),
        ("aci_level", 2),
    ):
        if name in fields:
            data[name] = value
    InvolvementAction.objects.create(**data)
    assert services.register_level(world.a) == q.PARTNERSHIP
    assessment = services.create_assessment(structure=world.a, answers=answers_for(q.CONSULTATION))
    # One rule (binome.people.continuum): the lower of what is recorded and what is recognised.
    assert (assessment.level_from_answers, assessment.register_level, assessment.level) == (
        q.CONSULTATION,
        q.PARTNERSHIP,
        q.CONSULTATION,
    )


def test_api_assessments(world):
    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["coordinator"], "t", raw="tok-coord")
    ApiToken.issue(world.users["partner"], "t", raw="tok-partner")
    auth = {"HTTP_AUTHORIZATION": "Bearer tok-coord"}
    client = world.client_for("anonymous")
    created = client.post(
        "/api/v1/networks/assessments/",
        {"structure": "structure-a", "answers": answers_for(q.COLLABORATION, barriers=["time"])},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201
    body = created.json()
    assert (
        body["level"] == q.COLLABORATION
        and body["barriers"][0]["code"] == "time"
        and body["next_steps"]
    )
    bad = client.post(
        "/api/v1/networks/assessments/",
        {"structure": "structure-a", "answers": {"priority": "x"}},
        content_type="application/json",
        **auth,
    )
    assert (
        bad.status_code == 422
        and {"field": "answers.priority", "message": "Choix inconnu."} in bad.json()["errors"]
    )
    assert MaturityAssessment.objects.count() == 1
    forbidden = client.post(
        "/api/v1/networks/assessments/",
        {"structure": "structure-a", "answers": {}},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer tok-partner",
    )
    assert forbidden.status_code == 403
    assert (
        client.post(
            "/api/v1/networks/assessments/",
            {"structure": "structure-b", "answers": {}},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )
    MaturityAssessmentFactory(structure=world.b)
    listed = client.get("/api/v1/networks/assessments/", **auth).json()
    assert [a["structure"] for a in listed["items"]] == ["structure-a"]


def test_assessment_pages_query_count_is_constant(world, django_assert_max_num_queries):
    client = world.client_for("coordinator")
    for _ in range(2):
        MaturityAssessmentFactory(structure=world.a)
    url = reverse("networks:assessments")
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for _ in range(20):
        MaturityAssessmentFactory(structure=world.a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
