"""Sending an SMS through a provider: one small interface, a file or console backend for the
demo and the tests, and Brevo's transactional SMS API for production (BINOME_SMS_BACKEND).

Brevo: POST https://api.brevo.com/v3/transactionalSMS/send with the ``api-key`` header and
``{"sender", "recipient", "content", "type": "transactional"}``; the answer carries
``messageId`` (developers.brevo.com, "Transactional SMS endpoints", the endpoint that
replaced /v3/transactionalSMS/sms in 2025).
"""

import json
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone


class SmsError(Exception):
    """``permanent``: the provider refused the message itself (bad number...), retrying is useless."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


def international(phone: str) -> str:
    """06 12 34 56 78 -> 33612345678, as providers want it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0033"):
        digits = digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = digits[2:]
    return "33" + digits.lstrip("0")


def french(phone: str) -> str:
    """33612345678 or +33 6 12… -> 06 12 34 56 78, the form numbers are stored in."""
    digits = "0" + international(phone)[2:]
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


class FileBackend:
    """Appends each SMS to a JSON-lines file (var/sms/outbox.jsonl): the demo's phone."""

    _lock = threading.Lock()

    def __init__(self):
        self.path = Path(
            getattr(settings, "BINOME_SMS_FILE", "")
            or Path(settings.VAR_DIR) / "sms" / "outbox.jsonl"
        )

    def send(self, phone, body) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"to": international(phone), "body": body, "at": timezone.now().isoformat()},
            ensure_ascii=False,
        )
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return f"file-{timezone.now().timestamp():.6f}"


class ConsoleBackend:
    def send(self, phone, body) -> str:
        print(f"SMS à {international(phone)} : {body}")  # noqa: T201  (the demo's terminal)
        return "console"


class BrevoBackend:
    def __init__(self):
        self.url = settings.BINOME_SMS_BREVO_URL
        self.key = settings.BINOME_SMS_BREVO_KEY
        self.sender = settings.BINOME_SMS_SENDER

    def send(self, phone, body) -> str:
        import requests

        try:
            response = requests.post(
                self.url,
                timeout=10,
                headers={
                    "api-key": self.key,
                    "accept": "application/json",
                    "content-type": "application/json",
                },
                json={
                    "sender": self.sender,
                    "recipient": international(phone),
                    "content": body,
                    "type": "transactional",
                },
            )
        except requests.RequestException as exc:
            raise SmsError(f"Brevo injoignable : {exc.__class__.__name__}") from exc
        if response.status_code in (200, 201, 202):
            return str(response.json().get("messageId", ""))
        permanent = 400 <= response.status_code < 500 and response.status_code not in (
            401,
            403,
            408,
            429,
        )
        raise SmsError(f"Brevo a répondu {response.status_code}", permanent=permanent)


BACKENDS = {"file": FileBackend, "console": ConsoleBackend, "brevo": BrevoBackend}


def backend():
    return BACKENDS[settings.BINOME_SMS_BACKEND]()
