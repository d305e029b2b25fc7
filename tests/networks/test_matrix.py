import pytest
from django.urls import reverse

from binome.networks import services
from binome.networks.models import (
    ImprovementAction,
    MatrixAnswer,
    MatrixAxis,
    MatrixConsensus,
    MatrixDimension,
    MatrixSession,
)
from tests.networks.factories import ImprovementActionFactory, MatrixSessionFactory

pytestmark = pytest.mark.django_db


def _levels(prefix, value, target=None):
    data = {}
    for dim in MatrixDimension.objects.filter(is_active=True):
        data[f"{prefix}_{dim.code}"] = value
        if target is not None:
            data[f"target_{dim.code}"] = target
    return data


def test_the_grid_keeps_the_four_has_axes_and_sixteen_dimensions():
    active = services.active_dimensions()
    assert len(active) == 16
    by_axis = {axis: [d.code for d in active if d.axis == axis] for axis in MatrixAxis.values}
    assert all(len(codes) == 4 for codes in by_axis.values()), by_axis
    # Shown axis by axis, in the HAS order of its chapters.
    assert [d.axis for d in active] == [a for a in MatrixAxis.values for _ in range(4)]
    assert MatrixAxis.PATIENTS.label == "Implication des patients"


def test_a_session_keeps_the_grid_it_was_answered_on(world):
    session = MatrixSessionFactory(structure=world.a)
    old = MatrixDimension.objects.create(
        code="ancienne",
        axis=MatrixAxis.TEAMWORK,
        title="Ancienne",
        levels=["a", "b"],
        is_active=False,
    )
    MatrixAnswer.objects.create(
        session=session, membership=world.memberships["nurse"], dimension=old, level=1
    )
    assert services.session_dimensions(session) == [old]
    # A new session is answered on the grid in force.
    assert len(services.session_dimensions(MatrixSessionFactory(structure=world.a))) == 16


def test_dimensions_are_data_with_numbered_levels():
    patient_axis = MatrixDimension.objects.get(code="implication-participation")
    assert patient_axis.is_patient_axis and patient_axis.axis == MatrixAxis.PATIENTS
    assert [n for n, _text in patient_axis.numbered_levels()] == [1, 2, 3, 4, 5]
    # Editable: a network or administrator may reword a level or add a dimension.
    patient_axis.levels = [*patient_axis.levels, "Texte choisi par l'équipe"]
    patient_axis.save()
    assert patient_axis.level_count == 6


def test_each_member_answers_alone_then_the_team_agrees(world):
    coordinator = world.client_for("coordinator")
    coordinator.post(
        reverse("networks:matrix_new"), {"title": "Matrice 2026", "meeting_date": "2026-12-01"}
    )
    session = MatrixSession.objects.get()
    url_answer = reverse("networks:matrix_answer", kwargs={"public_id": session.public_id})
    assert (
        world.client_for("partner")
        .post(
            url_answer,
            {
                **_levels("level", 2),
                "comment_implication-participation": "Je ne suis pas consultée",
            },
        )
        .status_code
        == 302
    )
    assert world.client_for("doctor").post(url_answer, _levels("level", 4)).status_code == 302
    # The partner's page shows her own answer and the spread, not who answered what.
    page = (
        world.client_for("partner")
        .get(reverse("networks:matrix_detail", kwargs={"public_id": session.public_id}))
        .content.decode()
    )
    assert "2 membres ont répondu" in page and "2 : 1 · 4 : 1" in page
    assert world.users["doctor"].last_name not in page and "Je ne suis pas consultée" not in page
    # Out-of-scale level: 422, nothing written.
    bad = world.client_for("nurse").post(url_answer, _levels("level", 9))
    assert (
        bad.status_code == 422
        and MatrixAnswer.objects.filter(membership=world.memberships["nurse"]).count() == 0
    )
    # Consensus: coordinator only.
    url_consensus = reverse("networks:matrix_consensus", kwargs={"public_id": session.public_id})
    assert (
        world.client_for("doctor").post(url_consensus, _levels("level", 3, target=4)).status_code
        == 403
    )
    assert coordinator.post(url_consensus, _levels("level", 3, target=4)).status_code == 302
    session.refresh_from_db()
    assert session.status == MatrixSession.Status.CONSENSUS
    assert (
        MatrixConsensus.objects.filter(session=session, level=3, target_level=4).count()
        == MatrixDimension.objects.filter(is_active=True).count()
    )
    detail = coordinator.get(
        reverse("networks:matrix_detail", kwargs={"public_id": session.public_id})
    ).content.decode()
    assert "Écarts à transformer en actions" in detail


def test_gaps_become_actions_reviewed_later(world):
    session = MatrixSessionFactory(structure=world.a)
    dim = MatrixDimension.objects.get(code="implication-participation")
    MatrixConsensus.objects.create(session=session, dimension=dim, level=2, target_level=4)
    client = world.client_for("coordinator")
    owner = world.memberships["nurse"]
    url = reverse("networks:matrix_action_new", kwargs={"public_id": session.public_id})
    bad = client.post(
        url,
        {"dimension": dim.pk, "title": "", "means": "", "owner": world.memberships_b["nurse"].pk},
    )
    assert bad.status_code == 422 and not ImprovementAction.objects.exists()
    client.post(
        url,
        {
            "dimension": dim.pk,
            "title": "Comité des usagers",
            "means": "Une salle, deux heures par trimestre",
            "owner": owner.pk,
            "due_date": "2027-03-31",
        },
    )
    action = ImprovementAction.objects.get()
    assert action.owner == owner
    review = reverse("networks:matrix_action_review", kwargs={"public_id": action.public_id})
    assert (
        client.post(review, {"status": "done", "review_note": "Fait"}).status_code == 422
    )  # review date required
    client.post(
        review,
        {"status": "done", "review_date": "2027-04-02", "review_note": "Première réunion tenue."},
    )
    action.refresh_from_db()
    assert action.status == "done" and action.review_note == "Première réunion tenue."


def test_matrix_detail_query_count_is_constant(world, django_assert_max_num_queries):
    session = MatrixSessionFactory(structure=world.a)
    ImprovementActionFactory(session=session)
    client = world.client_for("coordinator")
    url = reverse("networks:matrix_detail", kwargs={"public_id": session.public_id})
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for _ in range(10):
        ImprovementActionFactory(session=session)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_facilitator_rewords_a_dimension(world):
    dim = MatrixDimension.objects.get(code="equipe-concertation")
    client = world.client_for("facilitator")
    url = reverse("networks:dimension_edit", kwargs={"pk": dim.pk})
    bad = client.post(
        url,
        {
            "axis": "travail-equipe",
            "title": "Travail en équipe",
            "levels_text": "un seul niveau",
            "order": 20,
            "is_active": "on",
        },
    )
    assert bad.status_code == 422 and len(MatrixDimension.objects.get(pk=dim.pk).levels) == 5
    client.post(
        url,
        {
            "axis": "travail-equipe",
            "title": "Travail en équipe",
            "levels_text": "Texte 1\nTexte 2\n\nTexte 3",
            "order": 20,
            "is_active": "on",
        },
    )
    dim.refresh_from_db()
    assert dim.levels == ["Texte 1", "Texte 2", "Texte 3"]
    page = world.client_for("nurse").get(reverse("networks:dimensions")).content.decode()
    assert "Texte 3" in page and "Modifier" not in page
    assert world.client_for("coordinator").get(url).status_code == 404
