"""Idea box (public form, moderation, statuses, public page), committee, proposals, gazette."""

from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from binome.involvement.models import ActionKind, InvolvementAction
from binome.voice.models import CommitteeMember, Idea, Meeting, Proposal, Status
from tests.voice.factories import CommitteeFactory, IdeaBoxFactory, IdeaFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def test_idea_from_public_form_to_done_on_the_public_page(world):
    coordinator = world.client_for("coordinator")
    assert coordinator.get("/voix/idees/").status_code == 200  # opens the box
    assert InvolvementAction.objects.get(source="idea_box").kind == ActionKind.IDEA_BOX
    anonymous = Client()
    page = anonymous.get(f"/p/{world.a.slug}/idees/")
    token = page.context["form"].initial["submission_token"]
    data = {"text": "Un distributeur d'eau dans la salle d'attente.", "submission_token": token}
    assert anonymous.post(f"/p/{world.a.slug}/idees/", data).status_code == 200
    assert anonymous.post(f"/p/{world.a.slug}/idees/", data).status_code == 200  # retried
    idea = Idea.objects.get()
    assert idea.structure == world.a and idea.moderation == Idea.Moderation.PENDING
    public = anonymous.get(f"/p/{world.a.slug}/nous-avons-fait/").content.decode()
    assert "distributeur" not in public  # not yet answered
    # Declined needs a reason: 422, nothing changed.
    bad = coordinator.post(
        f"/voix/idees/{idea.public_id}/", {"status": "declined", "public_answer": ""}
    )
    assert bad.status_code == 422 and "Dites pourquoi" in bad.content.decode()
    idea.refresh_from_db()
    assert idea.status == Status.RECEIVED
    coordinator.post(
        f"/voix/idees/{idea.public_id}/",
        {"status": "under_study", "public_answer": "Nous regardons les devis."},
    )
    assert (
        "Nous regardons les devis."
        in anonymous.get(f"/p/{world.a.slug}/nous-avons-fait/").content.decode()
    )
    coordinator.post(
        f"/voix/idees/{idea.public_id}/",
        {"status": "done", "public_answer": "Une fontaine est installée depuis lundi."},
    )
    idea.refresh_from_db()
    assert idea.status == Status.DONE and idea.done_at == timezone.localdate()
    public = anonymous.get(f"/p/{world.a.slug}/nous-avons-fait/").content.decode()
    assert (
        "distributeur d&#x27;eau" in public
        and "Une fontaine est installée depuis lundi." in public
        and "Réalisée" in public
    )


def test_moderation_hides_an_idea_and_others_cannot_moderate(world):
    IdeaBoxFactory(structure=world.a)
    idea = IdeaFactory(structure=world.a, text="Message insultant")
    assert (
        world.client_for("user_rep")
        .post(f"/voix/idees/{idea.public_id}/moderer/", {"decision": "hidden"})
        .status_code
        == 403
    )
    world.client_for("coordinator").post(
        f"/voix/idees/{idea.public_id}/moderer/", {"decision": "hidden"}
    )
    idea.refresh_from_db()
    assert idea.moderation == Idea.Moderation.HIDDEN
    world.client_for("coordinator").post(
        f"/voix/idees/{idea.public_id}/", {"status": "done", "public_answer": "x"}
    )
    assert "insultant" not in Client().get(f"/p/{world.a.slug}/nous-avons-fait/").content.decode()
    # The user representative sees published ideas only, never the moderation queue.
    pending = IdeaFactory(structure=world.a, text="Pas encore modérée")
    published = IdeaFactory(
        structure=world.a, text="Déjà publiée", moderation=Idea.Moderation.PUBLISHED
    )
    rep = world.client_for("user_rep")
    listing = rep.get("/voix/idees/").content.decode()
    assert (
        "insultant" not in listing
        and "Pas encore modérée" not in listing
        and "Déjà publiée" in listing
    )
    assert rep.get(f"/voix/idees/{pending.public_id}/").status_code == 404
    assert rep.get(f"/voix/idees/{published.public_id}/").status_code == 200
    assert (
        "Pas encore modérée" in world.client_for("coordinator").get("/voix/idees/").content.decode()
    )


def test_idea_box_closed_or_unknown_is_404(world):
    assert Client().get(f"/p/{world.a.slug}/idees/").status_code == 404  # never opened
    assert Client().get("/p/inconnue/idees/").status_code == 404
    assert Client().get("/p/inconnue/nous-avons-fait/").status_code == 404


def test_idea_honeypot_and_rate_limit(world):
    IdeaBoxFactory(structure=world.a)
    anonymous = Client()
    anonymous.post(
        f"/p/{world.a.slug}/idees/",
        {"text": "Achetez nos montres", "submission_token": "r" * 24, "website": "spam"},
    )
    assert not Idea.objects.exists()
    codes = [
        anonymous.post(
            f"/p/{world.a.slug}/idees/",
            {"text": f"Idée numéro {i}", "submission_token": f"jeton-idee-{i:010d}"},
        ).status_code
        for i in range(31)
    ]
    assert codes[-1] == 429 and Idea.objects.count() == 29  # the honeypot post counted too


def test_public_page_query_count_is_constant(world):
    IdeaBoxFactory(structure=world.a)
    committee = CommitteeFactory(structure=world.a)
    for i in range(3):
        IdeaFactory(
            structure=world.a,
            moderation=Idea.Moderation.PUBLISHED,
            status=Status.DONE,
            public_answer=f"Fait {i}",
        )
        ProposalFactory(committee=committee, status=Status.DONE, public_answer="Fait")
    anonymous = Client()
    anonymous.get(f"/p/{world.a.slug}/nous-avons-fait/")
    with CaptureQueriesContext(connection) as small:
        anonymous.get(f"/p/{world.a.slug}/nous-avons-fait/")
    Idea.objects.bulk_create(
        [
            Idea(
                structure=world.a,
                text=f"Idée {i}",
                submission_token=f"t{i:030d}",
                moderation=Idea.Moderation.PUBLISHED,
                status=Status.DONE,
                public_answer="Fait",
            )
            for i in range(1000)
        ]
    )
    with CaptureQueriesContext(connection) as big:
        assert anonymous.get(f"/p/{world.a.slug}/nous-avons-fait/").status_code == 200
    # A full page adds its COUNT; a short one has none (binome/core/pagination.py).
    assert len(big) == len(small) + 1


def test_committee_members_meetings_proposals_and_gazette(world):
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        "/voix/comite/",
        {"name": "Comité des usagers des Tilleuls", "purpose": "Améliorer l'accueil."},
    )
    assert response.status_code == 302
    action = InvolvementAction.objects.get(source__startswith="committee:")
    assert action.aci_level == 2
    committee = world.a.committees.get()
    coordinator.post(
        f"/voix/comite/{committee.public_id}/membres/",
        {"membership": world.memberships["user_rep"].pk, "function": "Présidente"},
    )
    coordinator.post(
        f"/voix/comite/{committee.public_id}/membres/",
        {"membership": world.memberships["doctor"].pk},
    )
    assert CommitteeMember.objects.filter(committee=committee).count() == 2
    action.refresh_from_db()
    assert action.users_count == 1
    # A member of another structure cannot be added.
    bad = coordinator.post(
        f"/voix/comite/{committee.public_id}/membres/",
        {"membership": world.memberships_b["user_rep"].pk},
    )
    assert bad.status_code == 422
    # The user representative, now a member, records a meeting and a proposal.
    rep = world.client_for("user_rep")
    today = timezone.localdate()
    assert (
        rep.post(
            f"/voix/comite/{committee.public_id}/reunions/",
            {
                "date": today.isoformat(),
                "agenda": "Horaires du samedi",
                "minutes": "Accord pour tester.",
            },
        ).status_code
        == 302
    )
    meeting = Meeting.objects.get()
    assert (
        rep.post(
            f"/voix/comite/{committee.public_id}/propositions/",
            {"title": "Ouvrir le samedi matin", "text": "Pour les actifs.", "meeting": meeting.pk},
        ).status_code
        == 302
    )
    proposal = Proposal.objects.get()
    assert (
        rep.post(f"/voix/propositions/{proposal.public_id}/", {"status": "done"}).status_code == 403
    )
    coordinator.post(
        f"/voix/propositions/{proposal.public_id}/",
        {"status": "done", "public_answer": "Ouverture le samedi de 9 h à 12 h depuis mars."},
    )
    public = Client().get(f"/p/{world.a.slug}/nous-avons-fait/").content.decode()
    assert "Ouvrir le samedi matin" in public
    quarter = (today.month - 1) // 3 + 1
    pdf = coordinator.get("/voix/gazette/gazette.pdf", {"year": today.year, "quarter": quarter})
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    squashed = " ".join(text.split())
    assert (
        "La gazette des usagers" in squashed
        and "Ouvrir le samedi matin" in squashed
        and "Horaires du samedi" in squashed
    )
