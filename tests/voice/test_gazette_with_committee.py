"""The gazette edited with the users' committee before it is published (issue 15): the
coordination and the committee's representatives write it, the committee reads and
approves it (from Binôme, or at a meeting for members without an account), then the
coordination publishes it and its text no longer changes."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from binome.audit.models import AuditEvent
from binome.voice.models import CommitteeMember, GazetteIssue
from tests.voice.factories import CommitteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db
Q = {"year": 2026, "quarter": 3}


@pytest.fixture
def committee(world):
    committee = CommitteeFactory(structure=world.a)
    CommitteeMember.objects.create(committee=committee, membership=world.memberships["user_rep"])
    CommitteeMember.objects.create(
        committee=committee, first_name="Odette", invite_by="email", email="odette@exemple.fr"
    )
    CommitteeMember.objects.create(committee=committee, first_name="Marcel", invite_by="paper")
    return committee


def _text(client, **data):
    return client.post(reverse("voice:gazette_text"), {**Q, **data})


def _issue():
    return GazetteIssue.objects.get(year=2026, quarter=3)


def _pdf_text(client):
    response = client.get(reverse("voice:gazette_pdf"), Q)
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_written_together_approved_by_a_member_then_published(
    world, committee, django_capture_on_commit_callbacks
):
    coordinator, rep = world.client_for("coordinator"), world.client_for("user_rep")
    assert _text(coordinator, headline="Le samedi matin, c'est ouvert").status_code == 302
    # The representative who sits on the committee writes with the coordination.
    assert (
        _text(
            rep, headline="Le samedi matin, c'est ouvert", committee_word="Merci à vous."
        ).status_code
        == 302
    )
    issue = _issue()
    assert issue.committee_word == "Merci à vous." and issue.state == GazetteIssue.State.DRAFT
    # A professional reads it, but does not write the committee's word.
    assert world.client_for("doctor").get(reverse("voice:gazette"), Q).status_code == 200
    assert _text(world.client_for("doctor"), committee_word="x").status_code == 403
    # Publishing before the committee approved is refused.
    coordinator.post(reverse("voice:gazette_publish", args=[issue.public_id]))
    assert _issue().state == GazetteIssue.State.DRAFT
    # Sent for review: every member reached, by account, by e-mail, or on paper.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(reverse("voice:gazette_submit", args=[issue.public_id]))
    assert response.status_code == 302 and _issue().state == GazetteIssue.State.IN_REVIEW
    assert {t for m in mail.outbox for t in m.to} >= {"odette@exemple.fr", "user_rep@a.test"}
    assert all("santé" not in m.body.lower() for m in mail.outbox)
    # The draft PDF says it is a draft.
    assert "Projet" in _pdf_text(coordinator)
    # The representative approves for the committee.
    rep.post(reverse("voice:gazette_approve", args=[issue.public_id]), {})
    issue = _issue()
    assert (
        issue.state == GazetteIssue.State.APPROVED and issue.approved_by == world.users["user_rep"]
    )
    # A change after the approval goes back to the committee.
    _text(coordinator, headline="Ouvert le samedi matin", committee_word="Merci à vous.")
    assert _issue().state == GazetteIssue.State.IN_REVIEW and _issue().approved_at is None
    rep.post(reverse("voice:gazette_approve", args=[issue.public_id]), {})
    coordinator.post(reverse("voice:gazette_publish", args=[issue.public_id]))
    issue = _issue()
    assert issue.state == GazetteIssue.State.PUBLISHED and issue.published_at
    text = _pdf_text(coordinator)
    assert "Ouvert le samedi matin" in text and "Merci à vous." in text and "Projet" not in text
    # Published: the text no longer changes.
    response = _text(coordinator, headline="Autre chose")
    assert response.status_code == 422 and _issue().headline == "Ouvert le samedi matin"
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {
        "voice.gazette_edited",
        "voice.gazette_submitted",
        "voice.gazette_approved",
        "voice.gazette_published",
    } <= kinds


def test_the_coordination_records_an_approval_given_at_a_meeting(world, committee):
    coordinator = world.client_for("coordinator")
    _text(coordinator, headline="Trimestre")
    issue = _issue()
    coordinator.post(reverse("voice:gazette_submit", args=[issue.public_id]))
    # Alone, the coordination cannot approve for the committee: it names the meeting.
    response = coordinator.post(reverse("voice:gazette_approve", args=[issue.public_id]), {})
    assert response.status_code == 302 and _issue().state == GazetteIssue.State.IN_REVIEW
    meeting = MeetingFactory(committee=committee, structure=world.a)
    coordinator.post(
        reverse("voice:gazette_approve", args=[issue.public_id]), {"meeting": meeting.pk}
    )
    issue = _issue()
    assert issue.state == GazetteIssue.State.APPROVED and issue.approved_at_meeting == meeting
    # A meeting of another committee is no proof.
    other = MeetingFactory(committee=CommitteeFactory(structure=world.a), structure=world.a)
    assert other.committee_id != committee.pk


def test_no_committee_no_gazette_text(world):
    response = _text(world.client_for("coordinator"), headline="Trimestre")
    assert response.status_code == 422
    assert "abord le comité des usagers" in response.content.decode()
    assert not GazetteIssue.objects.exists()


def test_api_twins(world, committee):
    from django.test import Client

    from binome.accounts.models import ApiToken

    def api(persona):
        _t, raw = ApiToken.issue(world.users[persona], name="t")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    c, rep = api("coordinator"), api("user_rep")
    written = c.post(
        "/api/v1/voice/gazette",
        {"structure": world.a.slug, **Q, "headline": "À la une", "committee_word": "Bonjour"},
        content_type="application/json",
    )
    assert written.status_code == 200, written.content
    issue_id = written.json()["id"]
    assert c.post(f"/api/v1/voice/gazette/{issue_id}/publish").status_code == 422
    submitted = c.post(f"/api/v1/voice/gazette/{issue_id}/submit")
    assert submitted.status_code == 200 and len(submitted.json()["on_paper"]) == 1  # Marcel
    assert (
        api("doctor")
        .post(f"/api/v1/voice/gazette/{issue_id}/approve", {}, content_type="application/json")
        .status_code
        == 403
    )
    approved = rep.post(
        f"/api/v1/voice/gazette/{issue_id}/approve", {}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert rep.post(f"/api/v1/voice/gazette/{issue_id}/publish").status_code == 403
    published = c.post(f"/api/v1/voice/gazette/{issue_id}/publish")
    assert published.status_code == 200 and published.json()["state"] == "published"
    # Another structure's coordination does not find it.
    _t, raw = ApiToken.issue(world.users_b["coordinator"], name="t")
    other = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert other.get(f"/api/v1/voice/gazette/{issue_id}").status_code == 404


def test_only_a_published_gazette_is_public(world, committee, client):
    issue = GazetteIssue.objects.create(
        structure=world.a,
        committee=committee,
        year=2026,
        quarter=3,
        headline="Ouvert le samedi matin",
        state=GazetteIssue.State.APPROVED,
    )
    url = reverse("voice_public:gazette", args=[world.a.slug, 2026, 3])
    assert client.get(url).status_code == 404  # approved, not yet published
    assert (
        "La gazette des usagers"
        not in client.get(reverse("voice_public:done", args=[world.a.slug])).content.decode()
    )
    coordinator = world.client_for("coordinator")
    coordinator.post(reverse("voice:gazette_publish", args=[issue.public_id]))
    public = client.get(url)
    assert public.status_code == 200 and public["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(public.content)).pages)
    assert "Ouvert le samedi matin" in text and "Projet" not in text
    done = client.get(reverse("voice_public:done", args=[world.a.slug])).content.decode()
    assert url in done
    # Another structure's address, or another quarter, has none.
    assert (
        client.get(reverse("voice_public:gazette", args=[world.b.slug, 2026, 3])).status_code == 404
    )
    assert (
        client.get(reverse("voice_public:gazette", args=[world.a.slug, 2026, 2])).status_code == 404
    )
