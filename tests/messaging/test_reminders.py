"""Reminders that reach people (issue 15): e-mail, SMS or both as each person chose; an SMS
only with their agreement, sent once, retried on a provider's failure, none after STOP, and
nothing of health in any message that leaves the platform."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from binome.accompaniment import services as acc_services
from binome.accompaniment import tasks
from binome.accompaniment.models import ConsentPurpose
from binome.audit.models import AuditEvent
from binome.messaging import services, sms
from binome.messaging.models import ContactPreference, OutgoingSms
from tests.accompaniment.factories import partner_for

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _sms_for(user, phone="06 12 34 56 78"):
    return services.save_preference(user, channel="sms", phone=phone, agree_sms=True)


def _refer(world, first_name="Anne", pathway="cancer"):
    return acc_services.create_referral(
        structure=world.a,
        referrer=world.memberships["doctor"],
        patient_data={
            "first_name": first_name,
            "last_name": "Canari",
            "phone": "0600000000",
            "pathway": pathway,
        },
        purposes=[ConsentPurpose.CONTACT_BY_PARTNER, ConsentPurpose.SHARE_CONTACT_DETAILS],
        method="oral",
        partner=partner_for(world.memberships["partner"]),
    )


def test_the_page_asks_for_a_mobile_and_the_agreement(world):
    client = world.client_for("partner")
    url = reverse("messaging:preferences")
    response = client.post(url, {"channel": "sms", "phone": "06 12 34 56 78"})
    assert (
        response.status_code == 422
        and "Cochez la case pour accepter les SMS" in response.content.decode()
    )
    response = client.post(url, {"channel": "sms", "phone": "05 61 00 00 00", "agree_sms": "on"})
    assert (
        response.status_code == 422 and "numéro de portable (06 ou 07)" in response.content.decode()
    )
    assert not ContactPreference.objects.exists()
    response = client.post(
        url, {"channel": "both", "phone": "+33 6 12 34 56 78", "agree_sms": "on"}
    )
    assert response.status_code == 302
    pref = ContactPreference.objects.get(user=world.users["partner"])
    assert (pref.phone, pref.sms_opt_in_method, pref.sms_allowed, pref.email_allowed) == (
        "06 12 34 56 78",
        "online",
        True,
        True,
    )
    assert (
        AuditEvent.objects.filter(
            kind="messaging.preference_changed", actor=world.users["partner"]
        ).count()
        == 1
    )


def test_a_reminder_goes_once_by_sms_and_none_after_stop(
    world, outbox, settings, django_capture_on_commit_callbacks
):
    partner = world.users["partner"]
    _sms_for(partner)
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    assert len(outbox()) == 1  # the new referral, by SMS only (the partner chose SMS)
    assert not [m for m in mail.outbox if partner.email in m.to]
    with time_machine.travel(START + timedelta(hours=24, minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.process_deadlines() == 1
            assert tasks.process_deadlines() == 0
        assert services.retry_due() == 0
    assert len(outbox()) == 2 and outbox()[1]["to"] == "33612345678"
    assert OutgoingSms.objects.filter(status="sent").count() == 2

    settings.BINOME_SMS_INBOUND_TOKEN = "jeton-entrant"
    assert (
        world.client_for("anonymous")
        .post("/p/sms/reponse/faux/", {"from": "33612345678", "text": "STOP"})
        .status_code
        == 404
    )
    response = world.client_for("anonymous").post(
        "/p/sms/reponse/jeton-entrant/",
        json.dumps({"from": "+33612345678", "text": "Stop "}),
        content_type="application/json",
    )
    assert response.status_code == 204
    assert ContactPreference.objects.get(user=partner).sms_stopped_at is not None
    assert AuditEvent.objects.filter(kind="messaging.sms_stopped").count() == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world, first_name="Berthe")
    assert len(outbox()) == 2  # no SMS after STOP…
    assert [m.to for m in mail.outbox if partner.email in m.to] == [
        [partner.email]
    ]  # …the e-mail takes over


def test_a_failing_provider_is_retried_then_given_up(
    world, outbox, monkeypatch, django_capture_on_commit_callbacks
):
    _sms_for(world.users["partner"])
    calls = []

    def flaky(self, phone, body):
        calls.append(body)
        if len(calls) < 3:
            raise sms.SmsError("503")
        return "ok-3"

    monkeypatch.setattr(sms.FileBackend, "send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    message = OutgoingSms.objects.get()
    assert (message.status, message.attempts) == ("failed", 1)
    now = timezone.now()
    assert services.retry_due(now) == 0  # not due yet
    assert services.retry_due(now + timedelta(minutes=2)) == 0  # second try fails too
    assert services.retry_due(now + timedelta(minutes=10)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_id) == ("sent", 3, "ok-3")
    assert services.retry_due(now + timedelta(hours=2)) == 0 and len(calls) == 3

    def refused(self, phone, body):
        raise sms.SmsError("400", permanent=True)

    monkeypatch.setattr(sms.FileBackend, "send", refused)
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world, first_name="Berthe")
    assert OutgoingSms.objects.order_by("-pk").first().status == "gave_up"
    assert AuditEvent.objects.filter(kind="messaging.sms_failed").count() == 1


class _FakeBrevo(BaseHTTPRequestHandler):
    received = []
    status = 201

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeBrevo.received.append((self.path, self.headers["api-key"], body))
        self.send_response(_FakeBrevo.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"messageId": 1511882900176220}).encode())

    def log_message(self, *args):
        pass


def test_brevo_backend_speaks_its_http_api(settings):
    server = HTTPServer(("127.0.0.1", 0), _FakeBrevo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.BINOME_SMS_BACKEND = "brevo"
        settings.BINOME_SMS_BREVO_URL = (
            f"http://127.0.0.1:{server.server_port}/v3/transactionalSMS/send"
        )
        settings.BINOME_SMS_BREVO_KEY = "cle-de-test"
        assert (
            sms.backend().send("06 12 34 56 78", "Binôme : une notification vous attend.")
            == "1511882900176220"
        )
        path, key, body = _FakeBrevo.received[-1]
        assert (path, key) == ("/v3/transactionalSMS/send", "cle-de-test")
        assert body == {
            "sender": "Binome",
            "recipient": "33612345678",
            "content": "Binôme : une notification vous attend.",
            "type": "transactional",
        }
        _FakeBrevo.status = 400
        with pytest.raises(sms.SmsError) as refused:
            sms.backend().send("06 12 34 56 78", "x")
        assert refused.value.permanent
        _FakeBrevo.status = 502
        with pytest.raises(sms.SmsError) as failed:
            sms.backend().send("06 12 34 56 78", "x")
        assert not failed.value.permanent
    finally:
        _FakeBrevo.status = 201
        server.shutdown()


HEALTH_WORDS = [
    "cancer",
    "chimio",
    "diab",
    "douleur",
    "palliati",
    "fin de vie",
    "patholog",
    "traitement",
    "maladie",
    "oncolog",
    "tumeur",
    "psychiatr",
    "suicid",
    "Zéphyrine",
    "Canari",
]


def test_no_health_words_in_any_message_that_leaves(
    world, outbox, django_capture_on_commit_callbacks
):
    """Every channel that leaves the platform — e-mails and SMS of referrals, reminders, key
    moments, urgent alerts and their escalation — built from a patient whose name and
    pathway would tell everything."""
    for persona in ("partner", "doctor", "coordinator"):
        services.save_preference(
            world.users[persona],
            channel="both",
            phone="06 12 34 56 7" + str(len(persona) % 10),
            agree_sms=True,
        )
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        acc = _refer(world, first_name="Zéphyrine", pathway="cancer")
        acc_services.add_key_moment(
            acc,
            user=world.users["partner"],
            data={
                "kind": "first_chemo",
                "date": (START + timedelta(days=3)).date(),
                "label": "Chimiothérapie",
                "wants_support": True,
            },
        )
        acc_services.raise_alert(
            acc, user=world.users["partner"], message="Zéphyrine parle de suicide, douleur intense"
        )
    for hours in (25, 49, 24 * 3):
        with (
            time_machine.travel(START + timedelta(hours=hours), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            tasks.process_deadlines()
    texts = [m.subject + "\n" + m.body for m in mail.outbox] + [line["body"] for line in outbox()]
    assert len(outbox()) >= 4 and len(mail.outbox) >= 4
    for text in texts:
        found = [w for w in HEALTH_WORDS if w.lower() in text.lower()]
        assert not found, (found, text)
    for urgent in (False, True):
        for text in (
            services.sms_text("https://binome.example.org/x", urgent=urgent),
            *acc_services.neutral_message(world.a, "https://binome.example.org/x", urgent=urgent),
        ):
            assert not [w for w in HEALTH_WORDS if w.lower() in text.lower()]
            assert (
                len(
                    services.sms_text(
                        "https://binome.example.org/accompagnements/" + "x" * 36, urgent=urgent
                    )
                )
                <= 320
            )


def test_the_api_twin_refuses_sms_without_agreement_in_french(world):
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["partner"], "rappels", raw="jeton-rappels")
    api = Client(HTTP_AUTHORIZATION="Bearer jeton-rappels")
    response = api.post(
        "/api/v1/messaging/preferences",
        {"channel": "sms", "phone": "0612345678"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "Cochez la case" in str(response.json())
    assert not ContactPreference.objects.exists()
    response = api.post(
        "/api/v1/messaging/preferences",
        {"channel": "sms", "phone": "0612345678", "agree_sms": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["phone"] == "06 12 34 56 78"
    assert api.get("/api/v1/messaging/preferences").json()["channel"] == "sms"
