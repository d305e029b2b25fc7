"""Mission sheets: templates, drafts, versions with a diff, comments, validation, assignment, closing."""

import html

import pytest
from django.urls import reverse

from binome.missions import library, services
from binome.missions.models import (
    Mission,
    MissionAssignment,
    MissionComment,
    MissionValidation,
    MissionVersion,
)
from tests.missions.factories import AssignmentFactory, MissionFactory, MissionProfessionalFactory
from tests.partners.factories import PartnerFactory, partner_for

pytestmark = pytest.mark.django_db


def _body(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def mission(world):
    """A draft with the partner persona assigned and the doctor named."""
    m = MissionFactory(structure=world.a, title="Pair-accompagnement diabète")
    AssignmentFactory(mission=m, partner=partner_for(world), assigned_by=world.users["coordinator"])
    MissionProfessionalFactory(mission=m, membership=world.memberships["doctor"])
    return m


def test_library_covers_the_common_kinds():
    kinds = {t.kind for t in library.TEMPLATES}
    assert kinds == {
        "peer_accompaniment",
        "etp_coanimation",
        "working_group",
        "users_committee",
        "health_project_review",
        "communication",
        "student_training",
    }
    assert all(t.excluded_activities for t in library.TEMPLATES)


def test_create_from_template_then_edit(world):
    client = world.client_for("doctor")
    assert "Co-animation" in _body(client.get(reverse("missions:templates")))
    response = client.post(reverse("missions:create"), {"modele": "etp_coanimation"})
    mission = Mission.objects.get(structure=world.a)
    assert response["Location"] == reverse("missions:edit", args=[mission.public_id])
    assert (
        mission.kind == "etp_coanimation"
        and mission.required_training == "etp_40h"
        and mission.status == "draft"
    )
    form = client.get(reverse("missions:edit", args=[mission.public_id])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        title="Atelier « Bouger »",
        professionals=[world.memberships["nurse"].pk],
        skills="Animation",
        topics="Fin de vie",
        remote_possible="",
        places="1",
    )
    data.pop("remote_possible")
    response = client.post(reverse("missions:edit", args=[mission.public_id]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    mission.refresh_from_db()
    assert mission.title == "Atelier « Bouger »"
    assert list(mission.named.values_list("membership_id", flat=True)) == [
        world.memberships["nurse"].pk
    ]
    assert set(mission.criteria.values_list("kind", "value")) == {
        ("skill", "animation"),
        ("topic", "fin-de-vie"),
    }


def test_blank_sheet_with_bad_dates_is_refused(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("missions:create"),
        {
            "title": "X",
            "kind": "other",
            "level": "information",
            "slot": "daytime",
            "places": "1",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
        },
    )
    assert response.status_code == 422
    assert "La fin ne peut pas précéder le début." in _body(response)
    assert not Mission.objects.exists()


def test_submit_needs_a_professional_and_a_partner(world):
    mission = MissionFactory(structure=world.a)
    client = world.client_for("coordinator")
    response = client.post(reverse("missions:submit", args=[mission.public_id]))
    assert response.status_code == 422
    assert "Nommez au moins un professionnel" in _body(response)
    MissionProfessionalFactory(mission=mission, membership=world.memberships["doctor"])
    response = client.post(reverse("missions:submit", args=[mission.public_id]))
    assert "Affectez au moins un patient partenaire" in _body(response)
    assert not MissionVersion.objects.exists()


def test_validation_by_partner_and_named_professionals(world, mission):
    coordinator = world.client_for("coordinator")
    assert (
        coordinator.post(
            reverse("missions:submit", args=[mission.public_id]), {"note": "V1"}
        ).status_code
        == 302
    )
    mission.refresh_from_db()
    assert (mission.status, mission.version_number) == ("in_validation", 1)

    # A professional not named on the sheet: clear French refusal, nothing written.
    response = world.client_for("nurse").post(
        reverse("missions:validate", args=[mission.public_id])
    )
    assert response.status_code == 403
    assert (
        "Seuls le patient partenaire et les professionnels nommés sur la fiche peuvent la valider."
        in _body(response)
    )
    response = coordinator.post(reverse("missions:validate", args=[mission.public_id]))
    assert response.status_code == 403
    assert not MissionValidation.objects.exists()

    assert (
        world.client_for("doctor")
        .post(reverse("missions:validate", args=[mission.public_id]))
        .status_code
        == 302
    )
    mission.refresh_from_db()
    assert mission.status == "in_validation"
    # Validating twice is refused.
    response = world.client_for("doctor").post(
        reverse("missions:validate", args=[mission.public_id])
    )
    assert response.status_code == 422
    assert "Vous avez déjà validé la version 1" in _body(response)
    assert MissionValidation.objects.count() == 1

    assert (
        world.client_for("partner")
        .post(reverse("missions:validate", args=[mission.public_id]))
        .status_code
        == 302
    )
    mission.refresh_from_db()
    assert mission.status == "active" and mission.activated_at is not None


def test_editing_in_validation_goes_back_to_draft_and_versions_show_a_diff(world, mission):
    services.submit(mission, actor=world.users["coordinator"])
    services.validate(mission, user=world.users["doctor"])
    mission.refresh_from_db()
    mission.excluded_activities = "Ne donne aucun avis médical."
    services.save_mission(
        mission,
        actor=world.users["coordinator"],
        criteria={},
        professionals=[world.memberships["doctor"]],
    )
    mission.refresh_from_db()
    assert mission.status == "draft"
    services.submit(mission, actor=world.users["coordinator"], note="Limites précisées")
    mission.refresh_from_db()
    assert mission.version_number == 2
    # The doctor's validation was for version 1: they must validate again.
    assert not services.validate(mission, user=world.users["partner"])
    mission.refresh_from_db()
    assert mission.status == "in_validation"
    page = world.client_for("partner").get(reverse("missions:versions", args=[mission.public_id]))
    body = _body(page)
    assert page.status_code == 200
    assert "<ins>+ Ne donne aucun avis médical.</ins>" in body
    assert "<del>− —</del>" in body


def test_comments_from_both_sides(world, mission):
    assert (
        world.client_for("partner")
        .post(
            reverse("missions:comment", args=[mission.public_id]),
            {"body": "Je ne fais pas de visites à domicile."},
        )
        .status_code
        == 302
    )
    assert (
        world.client_for("doctor")
        .post(
            reverse("missions:comment", args=[mission.public_id]),
            {"body": "D'accord, je l'ajoute."},
        )
        .status_code
        == 302
    )
    assert list(MissionComment.objects.values_list("side", flat=True)) == ["partner", "team"]
    response = world.client_for("partner").post(
        reverse("missions:comment", args=[mission.public_id]), {"body": ""}
    )
    assert response.status_code == 422
    assert "Écrivez votre commentaire." in _body(response)
    body = _body(
        world.client_for("partner").get(reverse("missions:detail", args=[mission.public_id]))
    )
    assert "Je ne fais pas de visites à domicile." in body and "D'accord, je l'ajoute." in body


def test_assignment_rules_and_closing(world, mission):
    coordinator = world.client_for("coordinator")
    candidate = PartnerFactory(structure=world.a, status="candidate")
    response = coordinator.post(
        reverse("missions:assign", args=[mission.public_id]), {"partner": candidate.public_id}
    )
    assert response.status_code == 422
    foreign = PartnerFactory(structure=world.b, status="active")
    response = coordinator.post(
        reverse("missions:assign", args=[mission.public_id]), {"partner": foreign.public_id}
    )
    assert response.status_code == 422
    assert "Choisissez un patient partenaire de la liste." in _body(response)
    other = PartnerFactory(structure=world.a, status="active")
    response = coordinator.post(
        reverse("missions:assign", args=[mission.public_id]), {"partner": other.public_id}
    )
    assert response.status_code == 422
    assert "La mission prévoit 1 patient(s) partenaire(s)" in _body(response)
    Mission.objects.filter(pk=mission.pk).update(places=2)
    assert (
        coordinator.post(
            reverse("missions:assign", args=[mission.public_id]), {"partner": other.public_id}
        ).status_code
        == 302
    )
    assert MissionAssignment.objects.filter(mission=mission, ended_at__isnull=True).count() == 2
    assert (
        coordinator.post(
            reverse("missions:close", args=[mission.public_id]), {"note": "Bilan positif"}
        ).status_code
        == 302
    )
    mission.refresh_from_db()
    assert mission.status == "closed" and mission.closing_note == "Bilan positif"
    assert not MissionAssignment.objects.filter(mission=mission, ended_at__isnull=True).exists()
    # Closed: no more editing.
    response = world.client_for("doctor").get(reverse("missions:edit", args=[mission.public_id]))
    assert response.status_code == 302


def test_partner_sees_only_own_missions_in_list(world, mission):
    MissionFactory(structure=world.a, title="Mission sans elle")
    body = _body(world.client_for("partner").get(reverse("missions:list")))
    assert "Pair-accompagnement diabète" in body and "Mission sans elle" not in body
    body = _body(world.client_for("nurse").get(reverse("missions:list")))
    assert "Mission sans elle" in body


def test_mission_list_query_budget_and_partner_counts(world, django_assert_max_num_queries):
    coordinator = world.users["coordinator"]
    for i in range(12):
        m = MissionFactory(structure=world.a, status=["draft", "active", "closed"][i % 3])
        for _ in range(i % 4):
            AssignmentFactory(
                mission=m, partner=PartnerFactory(structure=world.a), assigned_by=coordinator
            )
    ended = AssignmentFactory(
        mission=m, partner=PartnerFactory(structure=world.a), assigned_by=coordinator
    )
    MissionAssignment.objects.filter(pk=ended.pk).update(ended_at="2026-01-01T10:00:00Z")
    client = world.client_for("coordinator")
    client.get(reverse("missions:list"))
    # Base (5) + count, missions with their current partners counted in the same query.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("missions:list"))
    counts = {mission.pk: mission.n_partners for mission in response.context["page"]}
    assert counts[m.pk] == 3  # the ended assignment is not counted
    assert sorted(counts.values()) == sorted([i % 4 for i in range(12)])
    # The row's texts, written in the view: plural, labels and badge.
    body = _body(response)
    assert "· 3 patients partenaires</span>" in body and "· 1 patient partenaire</span>" in body
    assert body.count('<span class="badge badge--ok">Active</span>') == 4
