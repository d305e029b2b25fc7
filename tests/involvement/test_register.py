"""The register: actions, evidence files served by a checked view, continuum, programmes, workshops."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from binome.audit.models import AuditEvent
from binome.involvement.continuum import next_step, positions
from binome.involvement.models import (
    ActionKind,
    Evidence,
    InvolvementAction,
    Level,
    WorkshopFeedback,
)
from tests.involvement.factories import (
    EvidenceFactory,
    InvolvementActionFactory,
    ProgrammeFactory,
    WorkshopFactory,
    WorkshopFeedbackFactory,
)

YEAR = date.today().year
PDF = b"%PDF-1.4\n%test\n"


def test_create_action_takes_levels_from_its_kind(world):
    client = world.client_for("coordinator")
    response = client.post(
        "/implication/actions/nouvelle/",
        {
            "kind": ActionKind.COMMITTEE,
            "title": "Comité des usagers de la MSP",
            "start_date": f"{YEAR}-02-01",
            "professions": ["gp", "nurse"],
            "users_count": 6,
            "description": "Quatre réunions par an.",
        },
    )
    assert response.status_code == 302
    action = InvolvementAction.objects.get(title="Comité des usagers de la MSP")
    assert action.structure == world.a
    assert (action.level, action.aci_level) == (Level.COLLABORATION, 2)
    assert action.professions == ["gp", "nurse"]
    assert AuditEvent.objects.filter(
        kind="involvement.action_created", target_id=str(action.public_id)
    ).exists()


def test_the_levels_can_be_overridden(world):
    client = world.client_for("doctor")
    client.post(
        "/implication/actions/nouvelle/",
        {
            "kind": ActionKind.SURVEY,
            "title": "Enquête co-construite",
            "start_date": f"{YEAR}-03-01",
            "level": Level.COLLABORATION,
            "aci_level": 2,
            "users_count": 0,
        },
    )
    action = InvolvementAction.objects.get(title="Enquête co-construite")
    assert (action.level, action.aci_level) == (Level.COLLABORATION, 2)


def test_bad_input_is_422_in_french_and_writes_nothing(world):
    client = world.client_for("coordinator")
    response = client.post(
        "/implication/actions/nouvelle/",
        {
            "kind": ActionKind.POSTERS,
            "title": "Affiches",
            "start_date": f"{YEAR}-03-01",
            "end_date": f"{YEAR}-01-01",
            "users_count": 0,
        },
    )
    assert response.status_code == 422
    assert "La date de fin doit suivre la date de début." in response.content.decode()
    assert not InvolvementAction.objects.exists()


def test_evidence_is_validated_and_served_only_through_the_checked_view(world):
    action = InvolvementActionFactory(structure=world.a)
    client = world.client_for("coordinator")
    bad = client.post(
        f"/implication/actions/{action.public_id}/pieces/",
        {
            "file": SimpleUploadedFile(
                "affiche.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
            )
        },
    )
    assert bad.status_code == 422 and "Type de fichier refusé" in bad.content.decode()
    assert not Evidence.objects.exists()
    ok = client.post(
        f"/implication/actions/{action.public_id}/pieces/",
        {
            "kind": "support",
            "file": SimpleUploadedFile("affiche.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert ok.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.kind == "support"
    assert "/media/" not in client.get(f"/implication/actions/{action.public_id}/").content.decode()
    download = world.client_for("user_rep").get(f"/implication/pieces/{evidence.public_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        world.client_for("coordinator", structure="b")
        .get(f"/implication/pieces/{evidence.public_id}/")
        .status_code
        == 404
    )
    assert AuditEvent.objects.filter(kind="involvement.evidence_read").count() == 1


def test_delete_action_removes_its_files(world):
    evidence = EvidenceFactory(action__structure=world.a)
    path = evidence.file.path
    response = world.client_for("coordinator").post(
        f"/implication/actions/{evidence.action.public_id}/supprimer/"
    )
    assert response.status_code == 302
    assert not InvolvementAction.objects.exists()
    import os

    assert not os.path.exists(path)


def test_register_lists_only_own_structure_with_constant_queries(world):
    client = world.client_for("partner")
    InvolvementActionFactory(structure=world.b, title="Action de Bêta")
    for i in range(10):
        EvidenceFactory(action=InvolvementActionFactory(structure=world.a, title=f"Action {i}"))
    client.get("/implication/")
    with CaptureQueriesContext(connection) as small:
        response = client.get("/implication/")
    assert (
        "Action 0" in response.content.decode()
        and "Action de Bêta" not in response.content.decode()
    )
    InvolvementAction.objects.bulk_create(
        [
            InvolvementAction(
                structure=world.a,
                title=f"Autre {i}",
                kind=ActionKind.SURVEY,
                level=Level.CONSULTATION,
                aci_level=1,
                start_date=date(YEAR, 1, 1) + timedelta(days=i % 300),
            )
            for i in range(9990)
        ]
    )
    with CaptureQueriesContext(connection) as big:
        assert client.get("/implication/").status_code == 200
    # A full page adds its COUNT; a short one has none (binome/core/pagination.py).
    assert len(big) == len(small) + 1


def test_register_filters_by_kind_and_year(world):
    InvolvementActionFactory(
        structure=world.a,
        title="Ancienne gazette",
        kind=ActionKind.GAZETTE,
        start_date=date(YEAR - 3, 1, 1),
        end_date=date(YEAR - 3, 6, 1),
    )
    InvolvementActionFactory(structure=world.a, title="Affiches", kind=ActionKind.POSTERS)
    client = world.client_for("coordinator")
    assert "Ancienne gazette" not in client.get("/implication/", {"year": YEAR}).content.decode()
    body = client.get("/implication/", {"kind": "gazette"}).content.decode()
    assert "Ancienne gazette" in body and "Affiches" not in body.split("actions")[-1]


def test_continuum_positions_and_next_small_step(world):
    InvolvementActionFactory(
        structure=world.a, kind=ActionKind.POSTERS, start_date=date(YEAR - 2, 3, 1)
    )
    InvolvementActionFactory(
        structure=world.a,
        kind=ActionKind.SURVEY,
        level=Level.CONSULTATION,
        start_date=date(YEAR - 1, 3, 1),
    )
    InvolvementActionFactory(
        structure=world.a,
        kind=ActionKind.COMMITTEE,
        level=Level.COLLABORATION,
        aci_level=2,
        start_date=date(YEAR, 1, 10),
    )
    years = positions(world.a)
    assert [(y.year, y.level) for y in years] == [
        (YEAR - 2, Level.INFORMATION),
        (YEAR - 1, Level.CONSULTATION),
        (YEAR, Level.COLLABORATION),
    ]
    # The next step lies beyond the team's stage, never at it or behind it.
    assert next_step([]).kind == ActionKind.POSTERS
    assert next_step([ActionKind.POSTERS], "information").kind == ActionKind.SURVEY
    assert (
        next_step([ActionKind.POSTERS, ActionKind.SURVEY], "consultation").kind
        == ActionKind.WORKING_GROUP
    )
    body = world.client_for("user_rep").get("/implication/continuum/").content.decode()
    # The register of the last 12 months says collaboration and there is no self-assessment.
    assert (
        "Le prochain petit pas suggéré" in body
        and "Co-construire et co-animer un atelier ETP" in body
    )
    assert "D&#x27;après votre registre d&#x27;actions." in body


def test_workshop_with_partner_counts_as_user_referent_action(world):
    from binome.partners.models import Training
    from tests.accompaniment.factories import partner_for

    Training.objects.create(
        partner=partner_for(world.memberships["partner"]), kind="etp_40h", title="ETP 40 h"
    )
    programme = ProgrammeFactory(structure=world.a, title="Diabète de type 2")
    client = world.client_for("doctor")
    response = client.post(
        f"/implication/programmes/{programme.public_id}/",
        {
            "title": "Bouger avec le diabète",
            "starts_at": (timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Salle de réunion",
            "professional": world.memberships["doctor"].pk,
            "partner": world.memberships["partner"].pk,
            "planned_count": 8,
        },
    )
    assert response.status_code == 302
    action = InvolvementAction.objects.get(source=f"programme:{programme.public_id}")
    assert action.kind == ActionKind.USER_REFERENT and action.aci_level == 2
    # A second workshop does not add a second action.
    client.post(
        f"/implication/programmes/{programme.public_id}/",
        {
            "title": "Le pied diabétique",
            "starts_at": (timezone.now() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
            "professional": world.memberships["nurse"].pk,
            "partner": world.memberships["partner"].pk,
            "planned_count": 8,
        },
    )
    assert InvolvementAction.objects.filter(source__startswith="programme:").count() == 1


def test_workshop_rejects_a_partner_of_another_structure(world):
    programme = ProgrammeFactory(structure=world.a)
    response = world.client_for("coordinator").post(
        f"/implication/programmes/{programme.public_id}/",
        {
            "title": "Atelier",
            "starts_at": "2026-01-10T14:00",
            "partner": world.memberships_b["partner"].pk,
            "planned_count": 5,
        },
    )
    assert response.status_code == 422
    assert not programme.workshops.exists()


def test_participants_feedback_public_once_and_paper(world):
    workshop = WorkshopFactory(programme__structure=world.a, partner=world.memberships["partner"])
    from django.test import Client

    anonymous = Client()
    page = anonymous.get(f"/p/atelier/{workshop.feedback_token}/")
    assert page.status_code == 200
    token = page.context["form"].initial["submission_token"]
    data = {
        "useful": 5,
        "understood": 4,
        "freer": 5,
        "comment": "Elle a vécu la même chose que moi.",
        "submission_token": token,
    }
    assert anonymous.post(f"/p/atelier/{workshop.feedback_token}/", data).status_code == 200
    assert (
        anonymous.post(f"/p/atelier/{workshop.feedback_token}/", data).status_code == 200
    )  # retried
    assert WorkshopFeedback.objects.filter(workshop=workshop).count() == 1
    # Robots fill the honeypot: nothing is stored.
    anonymous.post(
        f"/p/atelier/{workshop.feedback_token}/",
        {**data, "submission_token": "x" * 30, "website": "http://spam"},
    )
    assert WorkshopFeedback.objects.filter(workshop=workshop).count() == 1
    paper = world.client_for("nurse").post(
        f"/implication/ateliers/{workshop.public_id}/avis-papier/",
        {"useful": 3, "understood": 3, "freer": 4, "submission_token": "p" * 30},
    )
    assert paper.status_code == 302
    assert WorkshopFeedback.objects.filter(workshop=workshop, channel="paper").count() == 1
    body = (
        world.client_for("partner")
        .get(f"/implication/ateliers/{workshop.public_id}/")
        .content.decode()
    )
    assert "Elle a vécu la même chose que moi." in body and "4,0 / 5" in body


def test_programme_page_query_count_is_constant(world):
    programme = ProgrammeFactory(structure=world.a)
    client = world.client_for("coordinator")
    WorkshopFeedbackFactory(
        workshop=WorkshopFactory(
            programme=programme,
            partner=world.memberships["partner"],
            professional=world.memberships["doctor"],
        )
    )
    client.get(f"/implication/programmes/{programme.public_id}/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/implication/programmes/{programme.public_id}/")
    for _ in range(20):
        w = WorkshopFactory(
            programme=programme,
            partner=world.memberships["partner"],
            professional=world.memberships["nurse"],
        )
        WorkshopFeedbackFactory.create_batch(3, workshop=w)
    with CaptureQueriesContext(connection) as big:
        assert client.get(f"/implication/programmes/{programme.public_id}/").status_code == 200
    assert len(big) == len(small)


def test_api_lists_and_creates_actions(world):
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["nurse"], "t", raw="jeton-ide")
    InvolvementActionFactory(structure=world.a, title="Site internet")
    InvolvementActionFactory(structure=world.b, title="Site de B")
    client = Client(HTTP_AUTHORIZATION="Bearer jeton-ide")
    listing = client.get("/api/v1/involvement/actions/").json()
    assert [a["title"] for a in listing["items"]] == ["Site internet"]
    created = client.post(
        "/api/v1/involvement/actions/",
        {
            "structure": world.a.slug,
            "kind": "idea_box",
            "title": "Boîte à idées",
            "start_date": f"{YEAR}-01-05",
        },
        content_type="application/json",
    )
    assert (
        created.status_code == 201
        and created.json()["aci_level"] == 1
        and created.json()["level"] == "consultation"
    )
    bad = client.post(
        "/api/v1/involvement/actions/",
        {"structure": world.a.slug, "kind": "nope", "title": "", "start_date": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"].startswith("Données invalides")
    other = client.post(
        "/api/v1/involvement/actions/",
        {"structure": world.b.slug, "kind": "posters", "title": "x", "start_date": f"{YEAR}-01-05"},
        content_type="application/json",
    )
    assert other.status_code == 404
    assert InvolvementAction.objects.count() == 3


def test_co_animating_etp_needs_the_40_hour_training_or_a_coordinator_justification(world):
    from binome.involvement.models import Workshop

    programme = ProgrammeFactory(structure=world.a, title="Diabète de type 2")
    data = {
        "title": "Bouger avec le diabète",
        "starts_at": (timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "professional": world.memberships["doctor"].pk,
        "partner": world.memberships["partner"].pk,
        "planned_count": 8,
    }
    url = f"/implication/programmes/{programme.public_id}/"
    refused = world.client_for("doctor").post(url, data)
    assert refused.status_code == 422 and "formation ETP de 40 heures" in refused.content.decode()
    assert not Workshop.objects.exists()
    coordinator = world.client_for("coordinator")
    assert (
        coordinator.post(url, data).status_code == 422
    )  # a coordinator too, unless she justifies it
    done = coordinator.post(
        url,
        {**data, "etp_training_override": "Formation prévue en mars ; binôme avec l'IDE Asalée."},
    )
    assert done.status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.etp_training_override.startswith("Formation prévue")
    from binome.audit.models import AuditEvent

    assert AuditEvent.objects.filter(
        kind="involvement.workshop_created", data__etp_training_override=True
    ).exists()
