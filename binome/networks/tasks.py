"""Scheduled job of regional campaigns: reminders to invited structures that have not answered.

Idempotent: each reminder is claimed by a conditional UPDATE on the invitation's counter,
so a second run, a restart or a second worker sends nothing twice.
"""

from binome.core.schedules import Periodic
from binome.networks import services

SCHEDULES = [
    Periodic(
        "binome.networks.tasks.send_campaign_reminders",
        minutes=60,
        name="binome:networks-campaign-reminders",
    ),
]


def send_campaign_reminders(now=None) -> int:
    return services.send_due_reminders(now=now)
