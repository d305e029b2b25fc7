"""The users' committee without accounts (issue 15): members listed by the coordination and
reached by e-mail, SMS or on paper; convocations, attendance, minutes sent after the meeting."""

import pytest
from django.core import mail
from django.urls import reverse

from binome.audit.models import AuditEvent
from binome.messaging.models import ContactPreference
from binome.voice.models import CommitteeMember, MeetingAttendance
from tests.voice.factories import CommitteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(world):
    committee = CommitteeFactory(structure=world.a)
    CommitteeMember.objects.create(committee=committee, membership=world.memberships["user_rep"])
    return committee


def _add(client, committee, **data):
    return client.post(reverse("voice:committee_add_external", args=[committee.public_id]), data)


def test_the_coordination_lists_members_without_accounts(world, committee):
    client = world.client_for("coordinator")
    response = _add(client, committee, first_name="Odette", invite_by="sms", phone="06 22 33 44 55")
    assert (
        response.status_code == 422
        and "Notez comment la personne a accepté les SMS" in response.content.decode()
    )
    response = _add(client, committee, first_name="Odette", invite_by="email")
    assert (
        response.status_code == 422
        and "Indiquez l&#x27;adresse e-mail" in response.content.decode()
    )
    assert CommitteeMember.objects.filter(membership__isnull=True).count() == 0
    assert (
        _add(
            client,
            committee,
            first_name="Odette",
            last_name="Py",
            invite_by="sms",
            phone="06 22 33 44 55",
            sms_agreement="paper",
        ).status_code
        == 302
    )
    assert (
        _add(
            client, committee, first_name="Raymond", invite_by="email", email="raymond@exemple.fr"
        ).status_code
        == 302
    )
    assert _add(client, committee, first_name="Lucienne", invite_by="paper").status_code == 302
    pref = ContactPreference.objects.get(user__isnull=True)
    assert (pref.phone, pref.sms_opt_in_method, pref.sms_allowed) == (
        "06 22 33 44 55",
        "paper",
        True,
    )
    page = client.get(
        reverse("voice:committee_detail", args=[committee.public_id])
    ).content.decode()
    assert (
        "Odette Py — sans compte, par sms" in page and "Lucienne — sans compte, sur papier" in page
    )
    # A user representative or a doctor cannot add anyone.
    assert (
        _add(world.client_for("doctor"), committee, first_name="X", invite_by="paper").status_code
        == 403
    )


def test_convocation_attendance_and_minutes_reach_every_member(
    world, committee, outbox, django_capture_on_commit_callbacks
):
    from binome.voice import services

    # Last names no generated persona can carry: the page also shows the signed-in user's name.
    odette = services.add_member_without_account(
        committee,
        first_name="Odette",
        last_name="Zqsms",
        invite_by="sms",
        phone="0622334455",
        sms_method="oral",
    )
    raymond = services.add_member_without_account(
        committee,
        first_name="Raymond",
        last_name="Zqmail",
        invite_by="email",
        email="raymond@exemple.fr",
    )
    lucienne = services.add_member_without_account(
        committee, first_name="Lucienne", last_name="Zqpapier", invite_by="paper"
    )
    meeting = MeetingFactory(committee=committee, place="salle de réunion de la MSP")
    client = world.client_for(
        "user_rep"
    )  # a member of the committee prepares it with the coordination

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(reverse("voice:meeting_convene", args=[meeting.public_id])).status_code
            == 302
        )
    assert {m.to[0] for m in mail.outbox} == {"raymond@exemple.fr", world.users["user_rep"].email}
    assert "Ordre du jour" in mail.outbox[0].body
    sms = outbox()
    assert [s["to"] for s in sms] == ["33622334455"] and "réunion du comité des usagers" in sms[0][
        "body"
    ]
    paper = client.get(reverse("voice:meeting_paper", args=[meeting.public_id])).content.decode()
    assert "Zqpapier" in paper and "Zqsms" not in paper and "Zqmail" not in paper

    assert (
        client.post(
            reverse("voice:meeting_attendance", args=[meeting.public_id]),
            {"present": [odette.pk, lucienne.pk]},
        ).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert meeting.attendees_count == 2
    assert set(MeetingAttendance.objects.filter(present=True).values_list("member", flat=True)) == {
        odette.pk,
        lucienne.pk,
    }
    assert not MeetingAttendance.objects.get(member=raymond).present

    client.post(reverse("voice:meeting_send_minutes", args=[meeting.public_id]))
    meeting.refresh_from_db()
    assert meeting.minutes_sent_at is None  # no minutes yet: refused, nothing sent
    meeting.minutes = "Le comité propose un affichage des horaires."
    meeting.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("voice:meeting_send_minutes", args=[meeting.public_id]))
    assert {m.to[0] for m in mail.outbox} == {"raymond@exemple.fr", world.users["user_rep"].email}
    assert all("affichage des horaires" in m.body for m in mail.outbox)
    assert len(outbox()) == 2
    assert (
        AuditEvent.objects.filter(
            kind__in=["voice.meeting_convened", "voice.meeting_attendance", "voice.minutes_sent"]
        ).count()
        == 3
    )

    # Odette answers STOP: the next convocation reaches her on paper, not by SMS.
    from binome.messaging.services import handle_reply

    assert handle_reply("+33622334455", "STOP") == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.convene(meeting)
    assert len(outbox()) == 2
    assert odette in services.convene(meeting)
    assert (
        "Zqsms"
        in client.get(reverse("voice:meeting_paper", args=[meeting.public_id])).content.decode()
    )


def test_a_doctor_cannot_convene_and_another_structure_is_404(world, committee):
    meeting = MeetingFactory(committee=committee)
    assert (
        world.client_for("doctor")
        .post(reverse("voice:meeting_convene", args=[meeting.public_id]))
        .status_code
        == 403
    )
    other = world.client_for("coordinator", structure="b")
    assert other.post(reverse("voice:meeting_convene", args=[meeting.public_id])).status_code == 404
    assert (
        world.client_for("coordinator")
        .post(reverse("voice:meeting_convene", args=[meeting.public_id]))
        .status_code
        == 302
    )


def test_the_api_twins_follow_the_pages_rules(world, committee):
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["coordinator"], "comite", raw="jeton-comite")
    api = Client(HTTP_AUTHORIZATION="Bearer jeton-comite")
    url = f"/api/v1/voice/committees/{committee.public_id}/members-without-account"
    response = api.post(
        url,
        {"first_name": "Odette", "invite_by": "sms", "phone": "0622334455"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "accepté les SMS" in str(response.json())
    response = api.post(
        url, {"first_name": "Lucienne", "invite_by": "paper"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["has_account"] is False
    meeting = MeetingFactory(committee=committee)
    response = api.post(
        f"/api/v1/voice/meetings/{meeting.public_id}/convocation", content_type="application/json"
    )
    assert response.status_code == 200 and [s["name"] for s in response.json()["on_paper"]] == [
        "Lucienne"
    ]
    response = api.post(
        f"/api/v1/voice/meetings/{meeting.public_id}/minutes/send", content_type="application/json"
    )
    assert response.status_code == 422 and "compte rendu" in str(response.json())
    seat = CommitteeMember.objects.get(first_name="Lucienne")
    response = api.post(
        f"/api/v1/voice/meetings/{meeting.public_id}/attendance",
        {"present": [seat.pk, 999999]},
        content_type="application/json",
    )
    assert response.status_code == 422 and not MeetingAttendance.objects.exists()
