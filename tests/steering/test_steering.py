import datetime

import pytest
from django.urls import reverse

from binome.audit.models import AuditEvent
from binome.steering.models import (
    ActionItem,
    CommitteeMember,
    Cycle,
    IndicatorValue,
    LimitingFactor,
    LogbookEntry,
    Project,
    ProjectLink,
)
from tests.steering.factories import (
    ActionItemFactory,
    CheckInFactory,
    CommitteeMemberFactory,
    CycleFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    LimitingFactorFactory,
    LogbookEntryFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _detail(project):
    return reverse("steering:detail", kwargs={"public_id": project.public_id})


def test_coordinator_creates_a_project_and_sits_on_its_committee_as_lead(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("steering:create"),
        {
            "title": "Pair-accompagnement en oncologie",
            "status": "preparing",
            "checkin_every_days": 7,
            "start_date": "2026-01-05",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(project)
    assert project.structure == world.a
    seat = CommitteeMember.objects.get(project=project)
    assert (
        seat.membership == world.memberships["coordinator"]
        and seat.seat == CommitteeMember.Seat.LEAD
    )
    assert (
        AuditEvent.objects.filter(kind="steering.project_created", structure=world.a).count() == 1
    )


def test_project_with_end_before_start_is_refused_in_french_and_nothing_written(world):
    response = world.client_for("coordinator").post(
        reverse("steering:create"),
        {
            "title": "X",
            "status": "active",
            "checkin_every_days": 7,
            "start_date": "2026-03-01",
            "end_date": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert "La date de fin doit suivre la date de début." in response.content.decode()
    assert not Project.objects.exists()


def test_a_partner_on_the_committee_can_write_the_logbook_but_another_partner_cannot(world):
    project = ProjectFactory(structure=world.a)
    url = reverse("steering:add_logbook", kwargs={"public_id": project.public_id})
    data = {
        "date": "2026-01-12",
        "kind": "copil",
        "themes": "Fiche-mission",
        "decisions": "Statut de stagiaire",
    }
    assert world.client_for("partner").post(url, data).status_code == 403
    assert not LogbookEntry.objects.exists()
    CommitteeMemberFactory(project=project, membership=world.memberships["partner"])
    response = world.client_for("partner").post(url, data)
    assert response.status_code == 302
    entry = LogbookEntry.objects.get()
    assert entry.author == world.users["partner"] and entry.decisions == "Statut de stagiaire"


def test_logbook_entry_without_themes_is_refused(world):
    project = ProjectFactory(structure=world.a)
    url = reverse("steering:add_logbook", kwargs={"public_id": project.public_id})
    response = world.client_for("coordinator").post(
        url, {"date": "2026-01-12", "kind": "copil", "themes": ""}
    )
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not LogbookEntry.objects.exists()


def test_cycle_numbers_are_unique_per_project_and_dates_ordered(world):
    project = ProjectFactory(structure=world.a)
    CycleFactory(project=project, number=1)
    url = reverse("steering:add_cycle", kwargs={"public_id": project.public_id})
    client = world.client_for("coordinator")
    response = client.post(
        url, {"number": 1, "title": "Phase 2", "phase": "plan", "start_date": "2026-03-01"}
    )
    assert (
        response.status_code == 422
        and "Ce numéro de cycle existe déjà" in response.content.decode()
    )
    response = client.post(
        url,
        {
            "number": 2,
            "title": "Phase 2",
            "phase": "plan",
            "start_date": "2026-03-01",
            "end_date": "2026-02-01",
        },
    )
    assert response.status_code == 422
    assert Cycle.objects.count() == 1
    response = client.post(
        url,
        {
            "number": 2,
            "title": "Phase 2",
            "phase": "plan",
            "start_date": "2026-03-01",
            "end_date": "2026-04-15",
        },
    )
    assert response.status_code == 302 and Cycle.objects.count() == 2


def test_action_items_get_an_owner_and_a_status(world):
    cycle = CycleFactory(project__structure=world.a)
    client = world.client_for("coordinator")
    response = client.post(
        reverse("steering:add_action", kwargs={"public_id": cycle.public_id}),
        {
            "title": "Speed dating avec les soignants",
            "owner": world.memberships["partner"].pk,
            "due_date": "2026-04-01",
            "status": "todo",
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert action.owner == world.memberships["partner"]
    # An owner from another structure is not a valid choice.
    response = client.post(
        reverse("steering:add_action", kwargs={"public_id": cycle.public_id}),
        {"title": "Autre", "owner": world.memberships_b["partner"].pk, "status": "todo"},
    )
    assert response.status_code == 422 and ActionItem.objects.count() == 1
    client.post(
        reverse("steering:action_status", kwargs={"public_id": action.public_id}),
        {"status": "done"},
    )
    action.refresh_from_db()
    assert action.status == "done" and action.done_on is not None
    client.post(
        reverse("steering:action_status", kwargs={"public_id": action.public_id}),
        {"status": "n-importe"},
    )
    action.refresh_from_db()
    assert action.status == "done"


def test_limiting_factor_table_and_its_status(world):
    project = ProjectFactory(structure=world.a)
    client = world.client_for("coordinator")
    response = client.post(
        reverse("steering:add_factor", kwargs={"public_id": project.public_id}),
        {
            "title": "Transmission des coordonnées",
            "observation": "Un intermédiaire ralentit le premier contact jusqu'à une semaine.",
            "remediation": "Le médecin oriente directement vers la patiente partenaire.",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    factor = LimitingFactor.objects.get()
    client.post(
        reverse("steering:edit_factor", kwargs={"public_id": factor.public_id}),
        {
            "title": factor.title,
            "observation": factor.observation,
            "remediation": factor.remediation,
            "status": "resolved",
        },
    )
    factor.refresh_from_db()
    assert factor.status == "resolved"
    page = world.client_for("user_rep").get(
        reverse("steering:factors", kwargs={"public_id": project.public_id})
    )
    assert (
        "Le médecin oriente directement" in page.content.decode()
        and "Levé" in page.content.decode()
    )


def test_indicator_values_over_time_one_per_date(world):
    indicator = IndicatorFactory(project__structure=world.a, target=48)
    url = reverse("steering:add_value", kwargs={"public_id": indicator.public_id})
    client = world.client_for("coordinator")
    assert client.post(url, {"date": "2026-01-10", "value": "168"}).status_code == 302
    assert (
        client.post(url, {"date": "2026-02-10", "value": "36,5"}).status_code == 302
    )  # French decimal comma
    assert client.post(url, {"date": "2026-02-11", "value": "30.5"}).status_code == 302
    response = client.post(url, {"date": "2026-01-10", "value": "20"})
    assert (
        response.status_code == 422
        and "Une valeur existe déjà à cette date" in response.content.decode()
    )
    response = client.post(url, {"date": "2026-03-10", "value": "abc"})
    assert response.status_code == 422
    page = client.get(_detail(indicator.project)).content.decode()
    assert "<polyline" in page and "36,50" in page
    assert (
        IndicatorValue.objects.filter(indicator=indicator, date=datetime.date(2026, 1, 10))
        .get()
        .value
        == 168
    )


def test_checkins_are_visible_to_the_partner_concerned_and_the_coordinator_only(world):
    project = ProjectFactory(structure=world.a)
    CheckInFactory(
        project=project,
        partner=world.memberships["partner"],
        held_by=world.users["coordinator"],
        difficulties="Coordonnées transmises tard",
    )
    assert (
        "Coordonnées transmises tard"
        in world.client_for("partner").get(_detail(project)).content.decode()
    )
    assert (
        "Coordonnées transmises tard"
        in world.client_for("coordinator").get(_detail(project)).content.decode()
    )
    assert (
        "Coordonnées transmises tard"
        not in world.client_for("doctor").get(_detail(project)).content.decode()
    )


def test_checkin_partner_must_be_a_partner_of_the_structure(world):
    project = ProjectFactory(structure=world.a)
    url = reverse("steering:add_checkin", kwargs={"public_id": project.public_id})
    client = world.client_for("coordinator")
    response = client.post(url, {"partner": world.memberships["doctor"].pk, "date": "2026-01-15"})
    assert response.status_code == 422
    response = client.post(
        url,
        {
            "partner": world.memberships["partner"].pk,
            "date": "2026-01-15",
            "next_date": "2026-01-22",
        },
    )
    assert response.status_code == 302
    assert project.checkins.get().held_by == world.users["coordinator"]


def test_committee_only_offers_the_structures_team(world):
    project = ProjectFactory(structure=world.a)
    url = reverse("steering:add_member", kwargs={"public_id": project.public_id})
    client = world.client_for("coordinator")
    assert (
        client.post(
            url, {"membership": world.memberships_b["partner"].pk, "seat": "member"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            url, {"membership": world.memberships["patient"].pk, "seat": "member"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            url, {"membership": world.memberships["partner"].pk, "seat": "member"}
        ).status_code
        == 302
    )
    seat = project.committee.get()
    client.post(reverse("steering:remove_member", kwargs={"public_id": seat.public_id}))
    assert not project.committee.exists()


def test_link_to_a_mission_of_the_structure_only(world):
    from binome.missions.models import Mission

    project = ProjectFactory(structure=world.a)
    mission = Mission.objects.create(
        structure=world.a, title="Pair-accompagnement oncologie", kind="peer_accompaniment"
    )
    foreign = Mission.objects.create(structure=world.b, title="Autre", kind="peer_accompaniment")
    url = reverse("steering:add_link", kwargs={"public_id": project.public_id})
    client = world.client_for("coordinator")
    assert client.post(url, {"target": f"mission:{foreign.public_id}"}).status_code == 422
    assert client.post(url, {"target": f"mission:{mission.public_id}"}).status_code == 302
    link = ProjectLink.objects.get()
    assert (
        link.label == "Pair-accompagnement oncologie" and link.target_public_id == mission.public_id
    )
    assert "Pair-accompagnement oncologie" in client.get(_detail(project)).content.decode()


def _grow(project, world, n):
    cycle = CycleFactory(project=project)
    for _ in range(n):
        ActionItemFactory(cycle=cycle, owner=world.memberships["partner"])
        LogbookEntryFactory(project=project)
        LimitingFactorFactory(project=project, owner=world.memberships["doctor"], cycle=cycle)
        IndicatorValueFactory(indicator=IndicatorFactory(project=project))
        CheckInFactory(project=project, partner=world.memberships["partner"])


def test_detail_page_query_count_does_not_grow(world, django_assert_max_num_queries):
    project = ProjectFactory(structure=world.a)
    CommitteeMemberFactory(project=project, membership=world.memberships["partner"])
    _grow(project, world, 2)
    client = world.client_for("coordinator")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(_detail(project)).status_code == 200
    _grow(project, world, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(_detail(project)).status_code == 200


def test_api_project_detail_and_logbook(world):
    from tests.test_permission_matrix import _token

    project = ProjectFactory(structure=world.a)
    cycle = CycleFactory(project=project, number=1)
    ActionItemFactory(cycle=cycle, owner=world.memberships["partner"])
    LimitingFactorFactory(project=project)
    IndicatorValueFactory(indicator=IndicatorFactory(project=project), value="12.50")
    from django.test import Client

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(world.users['coordinator'])}"}
    data = client.get(f"/api/v1/steering/projects/{project.public_id}", **headers).json()
    assert data["cycles"][0]["actions"][0]["owner"] == str(world.memberships["partner"].public_id)
    assert data["factors"][0]["title"] == "Outillage de la patiente partenaire"
    assert data["indicators"][0]["values"][0]["value"] == "12.50"
    url = f"/api/v1/steering/projects/{project.public_id}/logbook/"
    response = client.post(
        url, {"date": "2026-01-12", "themes": ""}, content_type="application/json", **headers
    )
    assert response.status_code == 422 and not LogbookEntry.objects.exists()
    response = client.post(
        url,
        {"date": "2026-01-12", "themes": "Premier Copil"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    partner_headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(world.users['partner'])}"}
    response = client.post(
        url,
        {"date": "2026-01-19", "themes": "X"},
        content_type="application/json",
        **partner_headers,
    )
    assert response.status_code == 403
    assert client.get(url, **partner_headers).json()["count"] == 1


def test_link_to_a_programme_and_an_involvement_action(world):
    from binome.involvement.models import InvolvementAction, Programme

    project = ProjectFactory(structure=world.a)
    programme = Programme.objects.create(structure=world.a, title="ETP diabète de type 2")
    action = InvolvementAction.objects.create(
        structure=world.a,
        kind="committee",
        title="Comité des usagers",
        level="collaboration",
        aci_level=2,
        start_date=datetime.date(2026, 1, 1),
    )
    url = reverse("steering:add_link", kwargs={"public_id": project.public_id})
    client = world.client_for("coordinator")
    form_page = client.get(url).content.decode()
    assert "ETP diabète de type 2" in form_page and "Comité des usagers" in form_page
    assert client.post(url, {"target": f"programme:{programme.public_id}"}).status_code == 302
    assert client.post(url, {"target": f"action:{action.public_id}"}).status_code == 302
    assert (
        client.post(url, {"target": f"action:{action.public_id}"}).status_code == 422
    )  # already linked
    assert sorted(project.links.values_list("kind", flat=True)) == ["action", "programme"]


def test_home_cards_for_late_actions_and_overdue_checkins(world):
    project = ProjectFactory(structure=world.a, checkin_every_days=7)
    cycle = CycleFactory(project=project)
    ActionItemFactory(
        cycle=cycle, owner=world.memberships["partner"], due_date=datetime.date(2026, 1, 1)
    )
    CheckInFactory(
        project=project, partner=world.memberships["partner"], date=datetime.date(2026, 1, 1)
    )
    partner_home = world.client_for("partner").get(reverse("web:home")).content.decode()
    assert "Mes actions de projet à mener" in partner_home and "dont 1 en retard" in partner_home
    coordinator_home = world.client_for("coordinator").get(reverse("web:home")).content.decode()
    assert "Points d&#x27;étape avec le partenaire en retard" in coordinator_home


def test_committee_members_write_but_only_coordinators_and_leads_manage(world):
    project = ProjectFactory(structure=world.a)
    CommitteeMemberFactory(project=project, membership=world.memberships["partner"])
    doctor_seat = CommitteeMemberFactory(project=project, membership=world.memberships["doctor"])
    partner = world.client_for("partner")
    assert (
        partner.get(
            reverse("steering:add_factor", kwargs={"public_id": project.public_id})
        ).status_code
        == 200
    )
    assert (
        partner.get(reverse("steering:edit", kwargs={"public_id": project.public_id})).status_code
        == 403
    )
    assert (
        partner.get(
            reverse("steering:add_member", kwargs={"public_id": project.public_id})
        ).status_code
        == 403
    )
    assert (
        partner.post(
            reverse("steering:remove_member", kwargs={"public_id": doctor_seat.public_id})
        ).status_code
        == 403
    )
    assert project.committee.count() == 2
    doctor_seat.seat = CommitteeMember.Seat.LEAD
    doctor_seat.save()
    assert (
        world.client_for("doctor")
        .get(reverse("steering:edit", kwargs={"public_id": project.public_id}))
        .status_code
        == 200
    )


def test_project_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(n):
        for _ in range(n):
            project = ProjectFactory(structure=world.a)
            LimitingFactorFactory(project=project, cycle=CycleFactory(project=project))

    grow(2)
    client = world.client_for("partner")
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("steering:list")).status_code == 200
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("steering:list")).status_code == 200
