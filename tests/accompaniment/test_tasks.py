"""Deadlines, reminders and escalation fire at the right time, once each, and survive a restart."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from binome.accompaniment import services, tasks
from binome.accompaniment.models import Alert, ConsentPurpose, Deadline, KeyMoment, Notification
from binome.audit.models import AuditEvent
from tests.accompaniment.factories import partner_for

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _refer(world, **kw):
    return services.create_referral(
        structure=world.a,
        referrer=world.memberships["doctor"],
        patient_data={
            "first_name": "Anne",
            "last_name": "M",
            "phone": "0600000000",
            "pathway": "cancer",
        },
        purposes=[ConsentPurpose.CONTACT_BY_PARTNER, ConsentPurpose.SHARE_CONTACT_DETAILS],
        method="oral",
        partner=partner_for(world.memberships["partner"]),
        **kw,
    )


def _notes(user, text):
    return Notification.objects.filter(recipient=user, text__icontains=text).count()


@pytest.mark.django_db
def test_first_contact_reminder_then_warning_fire_once_each(
    world, django_capture_on_commit_callbacks
):
    partner, doctor, coordinator = (
        world.users["partner"],
        world.users["doctor"],
        world.users["coordinator"],
    )
    with time_machine.travel(START, tick=False):
        acc = _refer(world)
    assert acc.first_contact_due_at == START + timedelta(hours=48)
    assert _notes(partner, "Nouvelle orientation") == 1

    with time_machine.travel(START + timedelta(hours=23), tick=False):
        assert tasks.process_deadlines() == 0
    assert _notes(partner, "Rappel") == 0

    with time_machine.travel(START + timedelta(hours=24, minutes=1), tick=False):
        assert tasks.process_deadlines() == 1
        assert tasks.process_deadlines() == 0  # a second run (restart) sends nothing more
    assert _notes(partner, "Rappel") == 1
    assert _notes(doctor, "délai") == 0

    with time_machine.travel(START + timedelta(hours=48, minutes=1), tick=False):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.process_deadlines() == 1
            assert tasks.process_deadlines() == 0
    assert _notes(doctor, "délai") == 1
    assert _notes(coordinator, "délai") == 1
    assert _notes(partner, "délai de premier contact est dépassé") == 1
    # e-mails carry no patient data
    assert {m.to[0] for m in mail.outbox} >= {doctor.email, coordinator.email}
    assert all("Anne" not in m.body for m in mail.outbox)
    assert Deadline.objects.filter(done_at__isnull=True).count() == 0
    assert AuditEvent.objects.filter(kind="accompaniment.reminder_sent").count() == 2


@pytest.mark.django_db
def test_first_contact_logged_cancels_the_warning(world):
    with time_machine.travel(START, tick=False):
        acc = _refer(world)
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        services.log_contact(
            acc, user=world.users["partner"], data={"channel": "phone", "duration_minutes": 20}
        )
    with time_machine.travel(START + timedelta(days=3), tick=False):
        assert tasks.process_deadlines() == 0
    assert _notes(world.users["doctor"], "délai") == 0
    assert Deadline.objects.filter(skipped=True).count() == 2
    acc.refresh_from_db()
    assert acc.status == "active" and acc.hours_to_first_contact == 2.0


@pytest.mark.django_db
def test_key_moment_reminder_the_day_before(world):
    with time_machine.travel(START, tick=False):
        acc = _refer(world)
        services.log_contact(acc, user=world.users["partner"], data={})
        services.add_key_moment(
            acc,
            user=world.users["partner"],
            data={
                "kind": KeyMoment.Kind.SURGERY,
                "date": datetime(2026, 3, 10).date(),
                "time": None,
            },
        )
    due = Deadline.objects.get(kind=Deadline.Kind.KEY_MOMENT_REMINDER).due_at
    with time_machine.travel(due - timedelta(minutes=1), tick=False):
        assert tasks.process_deadlines() == 0
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        assert tasks.process_deadlines() == 1
    with time_machine.travel(due + timedelta(hours=5), tick=False):
        assert tasks.process_deadlines() == 0
    assert _notes(world.users["partner"], "Demain") == 1


@pytest.mark.django_db
def test_alert_escalates_after_the_delay_unless_acknowledged(world, settings):
    settings.BINOME_ALERT_ESCALATION_MINUTES = 60
    with time_machine.travel(START, tick=False):
        acc = _refer(world)
        first = services.raise_alert(
            acc, user=world.users["partner"], message="Elle ne répond plus et semblait très mal"
        )
        second = services.raise_alert(acc, user=world.users["partner"], message="Autre inquiétude")
    assert _notes(world.users["doctor"], "Alerte urgente") == 2
    with time_machine.travel(START + timedelta(minutes=30), tick=False):
        services.acknowledge_alert(second, user=world.users["doctor"], response="Je l'appelle")
        assert tasks.process_deadlines() == 0
    with time_machine.travel(START + timedelta(minutes=61), tick=False):
        assert tasks.process_deadlines() == 1
        assert tasks.process_deadlines() == 0
    first.refresh_from_db()
    assert first.escalated_at == START + timedelta(minutes=61)
    assert Alert.objects.get(pk=second.pk).escalated_at is None
    assert _notes(world.users["coordinator"], "n'a pas été prise en compte") == 1


@pytest.mark.django_db
def test_a_failing_deadline_is_retried_on_the_next_run_and_others_still_fire(
    world, monkeypatch, caplog
):
    with time_machine.travel(START, tick=False):
        first = _refer(world)
        second = _refer(world, submission_token="autre")
    calls = {"n": 0}
    original = services.notify

    def flaky(users, **kw):
        if kw.get("accompaniment") == first and calls["n"] == 0:
            calls["n"] += 1
            raise ConnectionError("serveur de messagerie injoignable")
        return original(users, **kw)

    monkeypatch.setattr(services, "notify", flaky)
    with time_machine.travel(START + timedelta(hours=25), tick=False):
        assert tasks.process_deadlines() == 1  # the second referral's reminder; the first failed
        assert "tried again" in caplog.text
        assert Deadline.objects.get(key=f"first_contact_reminder:{first.pk}").done_at is None
        assert Deadline.objects.get(key=f"first_contact_reminder:{second.pk}").done_at is not None
        assert tasks.process_deadlines() == 1  # "restart": the failed one fires now, once
        assert tasks.process_deadlines() == 0
    assert Notification.objects.filter(accompaniment=first, text__startswith="Rappel").count() == 1
    assert Notification.objects.filter(accompaniment=second, text__startswith="Rappel").count() == 1


def test_the_job_is_scheduled():
    from binome.core.schedules import all_schedules

    assert any(s.func == "binome.accompaniment.tasks.process_deadlines" for s in all_schedules())
