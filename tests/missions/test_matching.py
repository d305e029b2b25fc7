"""Matching: ranking with reasons and exclusions, computed in the database."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binome.missions import matching
from binome.missions.models import MissionCriterion
from binome.partners.models import PartnerTag, normalize_tag
from tests.missions.factories import AssignmentFactory, MissionFactory
from tests.partners.factories import PartnerFactory, PartnerTagFactory, TrainingFactory

pytestmark = pytest.mark.django_db


def _criterion(mission, kind, label):
    return MissionCriterion.objects.create(
        mission=mission, kind=kind, label=label, value=normalize_tag(label)
    )


def _tag(partner, kind, label):
    return PartnerTagFactory(partner=partner, kind=kind, label=label)


@pytest.fixture
def mission(world):
    m = MissionFactory(
        structure=world.a,
        kind="etp_coanimation",
        slot="evening",
        required_training="etp_40h",
        estimated_hours_per_month=4,
    )
    _criterion(m, "skill", "Animation")
    _criterion(m, "condition", "Diabète de type 2")
    _criterion(m, "language", "Arabe")
    _criterion(m, "topic", "Fin de vie")
    return m


def test_ranking_reasons_and_exclusions(world, mission):
    best = PartnerFactory(
        structure=world.a,
        first_name="Aïcha",
        share_conditions=True,
        available_evening=True,
        hours_per_month=8,
    )
    for kind, label in (
        ("skill", "Animation"),
        ("condition", "Diabète de type 2"),
        ("language", "Arabe"),
    ):
        _tag(best, kind, label)
    TrainingFactory(partner=best, kind="etp_40h")
    middle = PartnerFactory(structure=world.a, first_name="Bernard", available_evening=False)
    _tag(middle, "skill", "Animation")
    hidden_condition = PartnerFactory(
        structure=world.a, first_name="Chantal", share_conditions=False
    )
    _tag(hidden_condition, "condition", "Diabète de type 2")
    limited = PartnerFactory(structure=world.a, first_name="Denise", share_conditions=True)
    _tag(limited, "skill", "Animation")
    _tag(limited, "limit", "Fin de vie")
    overloaded = PartnerFactory(
        structure=world.a, first_name="Étienne", max_active_accompaniments=1
    )
    _tag(overloaded, "skill", "Animation")
    AssignmentFactory(
        mission=MissionFactory(structure=world.a, status="active"),
        partner=overloaded,
        assigned_by=world.users["coordinator"],
    )
    PartnerFactory(structure=world.a, first_name="Fanny", status="paused")
    PartnerFactory(
        structure=world.a, first_name="Gilles", status="candidate"
    )  # not in the pool yet
    PartnerFactory(structure=world.b, first_name="Hors structure")

    ranked = list(matching.ranked(mission))
    names = [p.first_name for p in ranked]
    assert "Gilles" not in names and "Hors structure" not in names
    assert names[0] == "Aïcha"
    assert names.index("Bernard") < names.index("Chantal")
    excluded = {p.first_name for p in ranked if p.excluded}
    assert excluded == {"Denise", "Étienne", "Fanny"}
    assert all(not p.excluded for p in ranked[: len(ranked) - 3])
    # Lived experience is used only when the partner shares it.
    chantal = next(p for p in ranked if p.first_name == "Chantal")
    assert chantal.condition_matches == 0

    explained = {
        m.partner.first_name: m
        for m in matching.explain(mission, ranked, list(mission.criteria.all()))
    }
    reasons = " | ".join(explained["Aïcha"].reasons)
    for part in (
        "Compétences : Animation",
        "Expérience vécue : Diabète de type 2",
        "Langue parlée : Arabe",
        "Formation : Formation ETP 40 heures",
        "Disponible au bon moment",
    ):
        assert part in reasons
    assert explained["Denise"].exclusions == ["Limite exprimée : Fin de vie"]
    assert explained["Étienne"].exclusions == ["Charge complète : 1 en cours sur 1"]
    assert explained["Fanny"].exclusions == ["En pause"]


def test_matching_page(world, mission):
    partner = PartnerFactory(structure=world.a, first_name="Aïcha")
    _tag(partner, "skill", "Animation")
    response = world.client_for("doctor").get(
        reverse("missions:matching", args=[mission.public_id])
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Aïcha" in body and "Compétences : Animation" in body


def grow_pool(structure, n, coordinator):
    """n partners with tags, a training and an assignment each (bulk, fast)."""
    from binome.missions.models import Mission, MissionAssignment
    from binome.partners.models import Partner, Training

    start = Partner.objects.filter(structure=structure).count()
    partners = Partner.objects.bulk_create(
        [
            Partner(
                structure=structure,
                first_name=f"P{start + i}",
                last_name="Test",
                status="active",
                available_evening=bool(i % 2),
                share_conditions=bool(i % 3),
            )
            for i in range(n)
        ]
    )
    tags = []
    for i, p in enumerate(partners):
        tags += [
            PartnerTag(
                partner=p,
                kind="skill",
                value="animation" if i % 2 else "ecoute",
                label="Animation" if i % 2 else "Écoute",
            ),
            PartnerTag(
                partner=p,
                kind="language",
                value="arabe" if i % 5 == 0 else "francais",
                label="Arabe" if i % 5 == 0 else "Français",
            ),
            PartnerTag(
                partner=p, kind="condition", value="diabete-de-type-2", label="Diabète de type 2"
            ),
        ]
        if i % 7 == 0:
            tags.append(PartnerTag(partner=p, kind="limit", value="fin-de-vie", label="Fin de vie"))
    PartnerTag.objects.bulk_create(tags)
    Training.objects.bulk_create(
        [Training(partner=p, kind="etp_40h", title="ETP") for p in partners[::3]]
    )
    busy = Mission.objects.create(
        structure=structure, title=f"Occupée {start}", kind="working_group", status="active"
    )
    MissionAssignment.objects.bulk_create(
        [MissionAssignment(mission=busy, partner=p, assigned_by=coordinator) for p in partners[::4]]
    )
    return partners


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page",
    ["partners:pool", "partners:pipeline", "missions:detail", "missions:matching", "missions:list"],
)
def test_query_count_constant_from_10_to_1000_partners(world, mission, page):
    client = world.client_for("coordinator")
    coordinator = world.users["coordinator"]
    url = (
        reverse(page, args=[mission.public_id])
        if page.startswith("missions:") and page != "missions:list"
        else reverse(page)
    )
    grow_pool(world.a, 10, coordinator)
    AssignmentFactory(
        mission=mission, partner=PartnerFactory(structure=world.a), assigned_by=coordinator
    )
    client.get(url)  # warm-up: the session is saved on the first request only
    small = _queries(client, url)
    grow_pool(world.a, 990, coordinator)
    AssignmentFactory(
        mission=mission, partner=PartnerFactory(structure=world.a), assigned_by=coordinator
    )
    large = _queries(client, url)
    if page == "missions:matching":
        small += 1  # A full page adds its COUNT; a short one has none (binome/core/pagination.py).
    assert large == small, f"{page}: {small} queries with 10 partners, {large} with 1,000"


def test_coordinator_assigns_from_the_suggestions(world, mission):
    partner = PartnerFactory(structure=world.a, first_name="Aïcha")
    _tag(partner, "skill", "Animation")
    client = world.client_for("coordinator")
    body = html.unescape(
        client.get(reverse("missions:matching", args=[mission.public_id])).content.decode()
    )
    assert "Affecter Aïcha" in body
    assert (
        client.post(
            reverse("missions:assign", args=[mission.public_id]), {"partner": partner.public_id}
        ).status_code
        == 302
    )
    assert mission.assignments.filter(partner=partner).exists()
    body = html.unescape(
        world.client_for("doctor")
        .get(reverse("missions:matching", args=[mission.public_id]))
        .content.decode()
    )
    assert "Affecter" not in body
