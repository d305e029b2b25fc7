"""Shared by the bench scripts: Django setup, the production application server, demo-like users.

Run the scripts from the repository root with the project's virtualenv, e.g.
``.venv/bin/python bench/run_bench.py``; they read BINOME_VAR_DIR / DATABASE_URL like
the application does.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SETTINGS = "bench.settings"


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = BENCH_SETTINGS
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns otherwise
    django.setup()


def db_label() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn (the production application server) on loopback, in its own process group."""

    def __init__(
        self,
        port: int | None = None,
        workers: int = 2,
        extra_env: dict | None = None,
        args: list | None = None,
    ):
        self.port = port or free_port()
        self.workers = workers
        self.args = list(
            args or []
        )  # more gunicorn options, e.g. deploy/gunicorn.conf.py's --max-requests
        # The bench package lives in the checkout, outside the installed package.
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS,
            "PYTHONPATH": str(ROOT),
            **(extra_env or {}),
        }
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60):
        from django.conf import settings

        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                "binome.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "120",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
                *self.args,
            ],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=sys.stderr,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def kill(self, sig=signal.SIGKILL):
        """Kill the master and its workers at once (the whole process group)."""
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)

    def stop(self):
        self.kill(signal.SIGTERM)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


@dataclass
class Cast:
    """Demo-like users of one generated structure, and objects their pages show."""

    structure: object
    users: dict = field(default_factory=dict)  # role -> User
    objects: dict = field(default_factory=dict)  # name -> model instance


def pick_cast(slug: str | None = None) -> Cast:
    """The busiest people of a generated structure (charge-… slugs): the pages measured are
    the heaviest the data set offers, not an average."""
    from django.db.models import Count, Q

    from bench.generator import SLUG_PREFIX
    from binome.accompaniment.models import Accompaniment, Patient
    from binome.partners.models import Partner
    from binome.people.models import Membership, NetworkMembership, Role, Structure
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Survey

    with scopes_disabled():
        qs = (
            Structure.objects.filter(slug=slug)
            if slug
            else Structure.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug")
        )
        structure = qs.first()
        if structure is None:
            raise SystemExit("No generated structure: run `python bench/seed_scale.py` first.")
        cast = Cast(structure)
        members = Membership.objects.filter(structure=structure, is_active=True).select_related(
            "user"
        )
        cast.users["coordinator"] = members.filter(role=Role.COORDINATOR).first().user
        pro = (
            members.filter(role=Role.PROFESSIONAL)
            .annotate(n=Count("referrals"))
            .order_by("-n", "pk")
            .first()
        )
        cast.users["professional"] = pro.user
        partner = (
            Partner.objects.filter(structure=structure, status="active")
            .exclude(membership=None)
            .annotate(
                open=Count("accompaniments", filter=~Q(accompaniments__status="ended")),
                n=Count("accompaniments"),
            )
            .order_by("-open", "-n", "pk")
            .select_related("membership__user")
            .first()
        )
        cast.users["partner"] = partner.membership.user
        cast.objects["partner"] = partner
        rep = members.filter(role=Role.USER_REP).first()
        if rep:
            cast.users["user_rep"] = rep.user
        patient = (
            Patient.objects.filter(structure=structure)
            .exclude(user=None)
            .select_related("user")
            .first()
        )
        if patient:
            cast.users["patient"] = patient.user
        facilitator = (
            NetworkMembership.objects.filter(network__affiliations__structure=structure)
            .select_related("user")
            .first()
        )
        if facilitator:
            cast.users["facilitator"] = facilitator.user
        accs = Accompaniment.objects.filter(partner=partner)
        cast.objects["partner_accompaniment"] = accs.exclude(status="ended").first() or accs.first()
        cast.objects["referral"] = (
            Accompaniment.objects.filter(referred_by=pro).order_by("-referred_at").first()
        )
        cast.objects["survey"] = Survey.objects.filter(
            structure=structure, state="published"
        ).first()
        cast.objects["pro_membership"] = pro
    return cast


class Browser:
    """A minimal keep-alive HTTP client with cookies and Django's CSRF token (no dependency)."""

    CSRF_RE = r'name="csrfmiddlewaretoken" value="([^"]+)"'

    def __init__(self, base: str, cookie: str, timeout: float = 10):
        from urllib.parse import urlsplit

        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        name, value = cookie.split("=", 1)
        self.cookies = {name: value}
        self.conn = None

    def _request(self, method, path, body=None, headers=None):
        import http.client

        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        try:
            self.conn.request(method, path, body=body, headers=h)
            response = self.conn.getresponse()
            data = response.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data.decode("utf-8", "replace")

    def get(self, path):
        return self._request("GET", path)

    def form(self, path):
        """GET a form page: (status, body, csrf token)."""
        import re

        status, _headers, body = self.get(path)
        match = re.search(self.CSRF_RE, body)
        return status, body, match.group(1) if match else ""

    def post(self, path, fields, csrf):
        from urllib.parse import urlencode

        pairs = [("csrfmiddlewaretoken", csrf)]
        for key, value in fields.items():
            for v in value if isinstance(value, list) else [value]:
                pairs.append((key, v))
        return self._request(
            "POST",
            path,
            body=urlencode(pairs),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}{path}",
            },
        )
