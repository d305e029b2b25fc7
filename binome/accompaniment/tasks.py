"""Background jobs of peer accompaniment: deadlines, reminders and escalations.

Each ``Deadline`` row fires once: the job claims it with a conditional UPDATE
(``done_at`` still empty) in the transaction that sends the notification, so a restart,
a second worker or a second run changes nothing.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accompaniment import services
from binome.accompaniment.models import Deadline
from binome.audit.services import record
from binome.core.schedules import Periodic
from binome.people.scoping import scopes_disabled

SCHEDULES = [
    Periodic(
        "binome.accompaniment.tasks.process_deadlines",
        minutes=5,
        name="binome:accompaniment-deadlines",
    ),
    # SQLite's planner statistics follow the table as it grows (binome/core/db_statistics.py).
    Periodic("binome.core.db_statistics.refresh", minutes=24 * 60, name="binome:db-statistics"),
]

BATCH = 500
logger = logging.getLogger(__name__)


def process_deadlines(now=None) -> int:
    """Fire every due deadline; returns how many sent something.

    A deadline whose handler fails is rolled back (``done_at`` stays empty) and logged; the
    others still fire, and the failed one is tried again on the next run.
    """
    now = now or timezone.now()
    sent = 0
    with scopes_disabled():
        due = list(
            Deadline.objects.filter(done_at__isnull=True, due_at__lte=now).values_list(
                "pk", flat=True
            )[:BATCH]
        )
        for pk in due:
            try:
                sent += _fire(pk, now)
            except Exception:
                logger.exception("Deadline %s failed; it will be tried again on the next run.", pk)
    return sent


def _fire(pk, now) -> int:
    with transaction.atomic():
        claimed = Deadline.objects.filter(pk=pk, done_at__isnull=True).update(done_at=now)
        if not claimed:
            return 0
        deadline = Deadline.objects.select_related(
            "accompaniment__structure",
            "accompaniment__partner__membership__user",
            "accompaniment__referred_by__user",
            "key_moment",
            "alert",
        ).get(pk=pk)
        acc = deadline.accompaniment
        handler = HANDLERS[deadline.kind]
        did = handler(deadline, acc, now)
        if not did:
            Deadline.objects.filter(pk=pk).update(skipped=True)
            return 0
        record(
            "accompaniment.reminder_sent",
            structure=acc.structure,
            target=deadline,
            deadline=deadline.kind,
            accompaniment=str(acc.public_id),
        )
        return 1


def _first_contact_reminder(deadline, acc, now):
    if acc.is_ended or acc.first_contact_at is not None:
        return False
    services.notify(
        [services.partner_user(acc)],
        structure=acc.structure,
        accompaniment=acc,
        url=services.detail_url(acc),
        text=_("Rappel : premier contact à faire avant le %(due)s.")
        % {"due": timezone.localtime(acc.first_contact_due_at).strftime("%d/%m à %H:%M")},
    )
    return True


def _first_contact_overdue(deadline, acc, now):
    if acc.is_ended or acc.first_contact_at is not None:
        return False
    text = _(
        "Le premier contact d'une orientation n'a pas encore eu lieu : le délai de %(hours)s h est dépassé."
    ) % {"hours": acc.structure.first_contact_deadline_hours}
    services.notify(
        [acc.referred_by.user, *services.coordinators_of(acc.structure)],
        structure=acc.structure,
        accompaniment=acc,
        url=services.detail_url(acc),
        text=text,
    )
    services.notify(
        [services.partner_user(acc)],
        structure=acc.structure,
        accompaniment=acc,
        url=services.detail_url(acc),
        text=_(
            "Le délai de premier contact est dépassé : appelez dès que possible, ou prévenez l'équipe."
        ),
    )
    return True


def _key_moment_reminder(deadline, acc, now):
    moment = deadline.key_moment
    if acc.is_ended or moment is None:
        return False
    services.notify(
        [services.partner_user(acc)],
        structure=acc.structure,
        accompaniment=acc,
        url=services.detail_url(acc),
        text=_("Demain : %(moment)s d'une personne que vous accompagnez.")
        % {"moment": moment.get_kind_display().lower()},
    )
    return True


def _alert_second_line(deadline, acc, now):
    alert = deadline.alert
    if alert is None or alert.acknowledged_at is not None:
        return False
    others = [u for u in services.care_team_users(acc) if u.pk != acc.referred_by.user_id]
    if not others:
        return False
    services.notify(
        others,
        structure=acc.structure,
        accompaniment=acc,
        url=services.detail_url(acc),
        urgent=True,
        text=_(
            "Une alerte urgente n'a pas encore été prise en compte par le professionnel qui a orienté : "
            "merci d'en prendre connaissance."
        ),
    )
    return True


def _alert_escalation(deadline, acc, now):
    alert = deadline.alert
    if alert is None or alert.acknowledged_at is not None:
        return False
    alert.escalated_at = now
    alert.save(update_fields=["escalated_at"])
    record("accompaniment.alert_escalated", structure=acc.structure, target=alert)
    services.notify(
        services.coordinators_of(acc.structure),
        structure=acc.structure,
        accompaniment=acc,
        url=services.detail_url(acc),
        urgent=True,
        text=_(
            "Une alerte urgente n'a pas été prise en compte par les professionnels désignés : "
            "merci de les joindre pour qu'un clinicien la prenne en charge."
        ),
    )
    return True


HANDLERS = {
    Deadline.Kind.FIRST_CONTACT_REMINDER: _first_contact_reminder,
    Deadline.Kind.FIRST_CONTACT_OVERDUE: _first_contact_overdue,
    Deadline.Kind.KEY_MOMENT_REMINDER: _key_moment_reminder,
    Deadline.Kind.ALERT_SECOND_LINE: _alert_second_line,
    Deadline.Kind.ALERT_ESCALATION: _alert_escalation,
}
