"""Reminders: everyone signed in chooses their own; nothing of anyone else is reachable."""

from tests.matrix import Entry

EVERYONE = {
    "coordinator",
    "doctor",
    "nurse",
    "partner",
    "user_rep",
    "patient",
    "facilitator",
    "outsider",
}

ENTRIES = [
    Entry("messaging:preferences", allowed=EVERYONE),
    Entry("/api/v1/messaging/preferences", api=True, allowed=EVERYONE),
    Entry(
        "/api/v1/messaging/preferences",
        api=True,
        method="post",
        allowed=EVERYONE,
        data={"channel": "email"},
    ),
]
