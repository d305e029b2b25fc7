"""Retention: exactly the expired rows go, once, with a frozen clock."""

import hashlib
from collections import defaultdict
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from binome.audit.models import AuditEvent
from binome.people.models import Invitation, Role
from binome.privacy.retention import apply_retention, days, policy, retention_hook
from binome.privacy.tasks import SCHEDULES


def _invitation(world, tag, **dates):
    return Invitation.objects.create(
        structure=world.a,
        email=f"{tag}@exemple.fr",
        role=Role.PARTNER,
        token_hash=hashlib.sha256(tag.encode()).hexdigest(),
        invited_by=world.users["coordinator"],
        expires_at=dates.pop("expires_at", timezone.now()),
        **dates,
    )


def _event_at(when, world):
    with time_machine.travel(when, tick=False):
        return AuditEvent.objects.create(kind="auth.login", structure=world.a)


@pytest.fixture
def aged(world):
    now = timezone.now()
    d = lambda n: now - timedelta(days=n)  # noqa: E731
    rows = {
        "accepted_long_ago": _invitation(world, "accepted", expires_at=d(400), accepted_at=d(401)),
        "revoked_100": _invitation(world, "revoked100", expires_at=d(50), revoked_at=d(100)),
        "revoked_10": _invitation(world, "revoked10", expires_at=d(5), revoked_at=d(10)),
        "expired_91": _invitation(world, "expired91", expires_at=d(91)),
        "expired_80": _invitation(world, "expired80", expires_at=d(80)),
        "event_400": _event_at(d(400), world),
        "event_300": _event_at(d(300), world),
        "event_10": _event_at(d(10), world),
    }
    return now, rows


def test_exactly_the_expired_rows_go_once(aged):
    now, rows = aged
    with time_machine.travel(now, tick=False):
        report = apply_retention()
        assert report["invitations"] == 2
        assert report["audit_log"] == 1
        assert set(Invitation.objects.values_list("email", flat=True)) == {
            "accepted@exemple.fr",
            "revoked10@exemple.fr",
            "expired80@exemple.fr",
        }
        remaining = set(AuditEvent.objects.filter(kind="auth.login").values_list("pk", flat=True))
        assert remaining == {rows["event_300"].pk, rows["event_10"].pk}

        again = apply_retention()
    assert set(again.values()) == {0}
    reports = AuditEvent.objects.filter(kind="privacy.retention_applied").order_by(
        "created_at", "id"
    )
    assert [r.data["removed"] for r in reports] == [{"invitations": 2, "audit_log": 1}, {}]


def test_durations_are_configurable(aged, settings):
    now, _rows = aged
    settings.BINOME_RETENTION_DAYS = {"invitations": 5}
    assert days("invitations") == 5
    with time_machine.travel(now, tick=False):
        assert apply_retention()["invitations"] == 4  # every non-accepted invitation is past 5 days


def test_durations_from_the_environment(monkeypatch):
    monkeypatch.setenv("BINOME_RETENTION_CANDIDACIES_DAYS", "400")
    assert days("candidacies") == 400
    assert {p["key"]: p["days"] for p in policy()}["contact_notes"] == 365


def test_apps_plug_their_hooks(world, monkeypatch):
    from binome.privacy import retention

    seen = []
    retention.hooks_for("audit_log")  # the apps' hooks are discovered first
    monkeypatch.setattr(
        retention, "_hooks", defaultdict(list, {k: list(v) for k, v in retention._hooks.items()})
    )

    @retention_hook("survey_answers")
    def forget(cutoff, now):
        seen.append(round((now - cutoff).days))
        return 3

    assert apply_retention()["survey_answers"] == 3
    assert seen == [730]
    with pytest.raises(ValueError, match="Unknown retention kind"):
        retention_hook("nothing")


def test_command_reports_what_it_removed(aged, capsys):
    now, _rows = aged
    with time_machine.travel(now, tick=False):
        call_command("apply_retention")
    out = capsys.readouterr().out
    assert "Invitations non acceptées" in out and "2 ligne(s)" in out
    assert "Conservation appliquée : 3 ligne(s) au total." in out
    assert "aucune règle branchée" not in out  # every kind of data has its rule now


def test_the_job_is_scheduled_daily(db):
    from django_q.models import Schedule

    assert SCHEDULES[0].minutes == 24 * 60
    call_command("setup_schedules")
    schedule = Schedule.objects.get(name="binome:privacy-retention")
    assert schedule.func == "binome.privacy.tasks.apply_retention"


def test_the_task_runs(aged):
    from binome.privacy.tasks import apply_retention as task

    now, _rows = aged
    with time_machine.travel(now, tick=False):
        assert task()["invitations"] == 2


def test_retention_page_lists_the_durations(world):
    page = world.client_for("coordinator").get(reverse("privacy:retention")).content.decode()
    assert "Journal d&#x27;audit" in page or "Journal d'audit" in page
    assert "730 jours" in page


def test_free_text_of_closed_surveys_is_blanked_after_the_period_once(db):
    from binome.voice.models import Answer, Question, Survey
    from tests.voice.factories import AnswerFactory, QuestionFactory, ResponseFactory, SurveyFactory

    now = timezone.now()
    period = timedelta(days=days("survey_answers"))
    old = SurveyFactory(state=Survey.State.CLOSED, closed_at=now - period - timedelta(days=1))
    recent = SurveyFactory(state=Survey.State.CLOSED, closed_at=now - period + timedelta(days=1))
    still_open = SurveyFactory()
    answers = {}
    for name, survey in {"old": old, "recent": recent, "open": still_open}.items():
        text_q = QuestionFactory(survey=survey, kind=Question.Kind.TEXT)
        scale_q = QuestionFactory(survey=survey, kind=Question.Kind.SCALE)
        response = ResponseFactory(survey=survey)
        answers[name] = AnswerFactory(
            response=response, question=text_q, value=None, text="Mme Canari a attendu"
        )
        answers[f"{name}-scale"] = AnswerFactory(response=response, question=scale_q, value=2)
    with time_machine.travel(now, tick=False):
        first = apply_retention()
        second = apply_retention()
    assert first["survey_answers"] == 1
    assert second["survey_answers"] == 0
    assert Answer.objects.get(pk=answers["old"].pk).text == ""
    assert Answer.objects.get(pk=answers["old-scale"].pk).value == 2  # the figures stay
    assert Answer.objects.get(pk=answers["recent"].pk).text == "Mme Canari a attendu"
    assert Answer.objects.get(pk=answers["open"].pk).text == "Mme Canari a attendu"
