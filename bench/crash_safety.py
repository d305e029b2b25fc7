"""Crash safety (issue 9): SIGKILL the server at random points of write-heavy flows, then check.

    .venv/bin/python bench/crash_safety.py [--kills 100] [--seed 1]

Needs data from ``binome seed_scale``. Each round starts gunicorn (bench settings) on
loopback, drives three flows through HTTP at once — a professional's referral with
separate consents, a partner logging contacts, a partner logging time — then kills the
whole server (master and workers) with SIGKILL after a random delay, mid-request or
mid-transaction. After the last round it checks:

* the database itself (SQLite ``PRAGMA integrity_check`` and ``foreign_key_check``;
  PostgreSQL ``amcheck`` on every B-tree index when the extension is available);
* no half-written object: every referral created by the flows has its patient, its
  required consents, its two deadlines and its audit row; no patient without referral;
  every contact its audit row;
* every write the server acknowledged (302) is in the database exactly once.

Writes bench/results-crash-<db>.md.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Browser, Server, db_label, pick_cast, setup_django  # noqa: E402

MARK = "Crashtest"


class Flows:
    """Three write loops; every acknowledged write is remembered by its unique key."""

    def __init__(self, base, cookies, acc_id, rng):
        self.base, self.cookies, self.acc_id, self.rng = base, cookies, acc_id, rng
        self.acked = {"referral": [], "contact": [], "time": []}
        self.sent = {"referral": 0, "contact": 0, "time": 0}
        self.other = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _ack(self, kind, key, status):
        with self.lock:
            self.sent[kind] += 1
            if status == 302:
                self.acked[kind].append(key)
            else:
                self.other[status] = self.other.get(status, 0) + 1

    def referral(self):
        b = Browser(self.base, self.cookies["professional"])
        while not self.stop.is_set():
            try:
                _s, body, csrf = b.form("/accompagnements/orienter/")
                partners = re.findall(r'name="partner"[^>]*value="([0-9a-f-]{36})"', body)
                if not partners:
                    time.sleep(0.05)
                    continue
                token = uuid.uuid4().hex
                status, _h, _body = b.post("/accompagnements/orienter/", {
                    "submission_token": token, "first_name": MARK, "last_name": token[:8], "phone": "0600000000",
                    "pathway": "diabetes", "consent_method": "oral", "consent_contact_by_partner": "on",
                    "consent_share_contact_details": "on", "consent_share_summaries_with_team": "on",
                    "partner": partners[0],
                }, csrf)
                self._ack("referral", token, status)
            except OSError:
                time.sleep(0.02)

    def contact(self):
        b = Browser(self.base, self.cookies["partner"])
        path = f"/accompagnements/{self.acc_id}/echange/"
        while not self.stop.is_set():
            try:
                _s, _body, csrf = b.form(path)
                token = uuid.uuid4().hex
                status, _h, _b = b.post(path, {
                    "submission_token": token, "occurred_at": datetime.now().strftime("%Y-%m-%dT%H:%M"),
                    "channel": "phone", "place": "remote", "duration_minutes": "20",
                    "private_notes": f"{MARK} {token}", "summary_to_share": "",
                }, csrf)
                self._ack("contact", token, status)
            except OSError:
                time.sleep(0.02)

    def time_entry(self):
        b = Browser(self.base, self.cookies["partner"])
        path = "/indemnisation/temps/nouveau/"
        while not self.stop.is_set():
            try:
                _s, body, csrf = b.form(path)
                missions = re.findall(r'<option value="([^"]+)"', body) or re.findall(r'name="mission"[^>]*value="([^"]+)"', body)
                if not missions:
                    time.sleep(0.05)
                    continue
                note = f"{MARK} {uuid.uuid4().hex}"
                status, _h, _b = b.post(path, {
                    "mission": missions[0], "date": datetime.now().strftime("%Y-%m-%d"), "duration_minutes": "60",
                    "activity": "accompaniment", "note": note,
                }, csrf)
                self._ack("time", note, status)
            except OSError:
                time.sleep(0.02)

    def start(self):
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self.referral, self.contact, self.time_entry)]
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=15)


def database_checks() -> list[str]:
    from django.db import connection

    problems = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            result = [r[0] for r in cursor.fetchall()]
            if result != ["ok"]:
                problems.append(f"PRAGMA integrity_check: {result[:5]}")
            cursor.execute("PRAGMA foreign_key_check")
            rows = cursor.fetchall()
            if rows:
                problems.append(f"PRAGMA foreign_key_check: {len(rows)} lignes orphelines, ex. {rows[:3]}")
        elif connection.vendor == "postgresql":
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
                cursor.execute("""
                    SELECT c.relname, bt_index_check(c.oid) FROM pg_index i
                    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE a.amname = 'btree' AND n.nspname = 'public'""")
                cursor.fetchall()
            except Exception as exc:  # amcheck missing: say so, the other checks still run
                problems.append(f"(amcheck indisponible : {exc.__class__.__name__})")
    return problems


def object_checks(flows_acked, structure) -> tuple[list[str], dict]:
    from django.db.models import Count

    from binome.accompaniment import consent_text
    from binome.accompaniment.models import Accompaniment, Consent, Contact, Deadline, Patient
    from binome.audit.models import AuditEvent
    from binome.compensation.models import TimeEntry
    from binome.people.scoping import scopes_disabled

    problems = []
    with scopes_disabled():
        accs = list(Accompaniment.objects.filter(structure=structure, patient__first_name=MARK).select_related("patient"))
        patients = Patient.objects.filter(structure=structure, first_name=MARK)
        orphans = patients.annotate(n=Count("accompaniments")).filter(n=0).count()
        if orphans:
            problems.append(f"{orphans} patients sans orientation (orientation à moitié écrite)")
        consents = {}
        for patient_id, purpose in Consent.objects.filter(patient__in=[a.patient_id for a in accs], withdrawn_at=None).values_list(
                "patient_id", "purpose"):
            consents.setdefault(patient_id, set()).add(purpose)
        deadlines = dict(Deadline.objects.filter(accompaniment__in=accs).values_list("accompaniment").annotate(n=Count("id")))
        audited = set(AuditEvent.objects.filter(kind="accompaniment.referral_created").values_list("target_id", flat=True))
        for acc in accs:
            if not set(consent_text.REQUIRED) <= consents.get(acc.patient_id, set()):
                problems.append(f"orientation {acc.public_id} sans ses consentements")
            if deadlines.get(acc.pk, 0) != 2:
                problems.append(f"orientation {acc.public_id} avec {deadlines.get(acc.pk, 0)} échéances au lieu de 2")
            if str(acc.public_id) not in audited:
                problems.append(f"orientation {acc.public_id} sans sa ligne d'audit")
        contacts = list(Contact.objects.filter(private_notes__startswith=MARK).values_list("public_id", "submission_token"))
        audited_contacts = set(AuditEvent.objects.filter(kind="accompaniment.contact_logged").values_list("target_id", flat=True))
        missing_audit = [c for c, _t in contacts if str(c) not in audited_contacts]
        if missing_audit:
            problems.append(f"{len(missing_audit)} échanges sans ligne d'audit")
        referral_tokens = {a.submission_token for a in accs}
        contact_tokens = [t for _c, t in contacts]
        notes = list(TimeEntry.objects.filter(note__startswith=MARK).values_list("note", flat=True))
        for kind, stored in (("referral", list(referral_tokens)), ("contact", contact_tokens), ("time", notes)):
            counts = {}
            for key in stored:
                counts[key] = counts.get(key, 0) + 1
            lost = [k for k in flows_acked[kind] if counts.get(k, 0) == 0]
            doubled = [k for k in flows_acked[kind] if counts.get(k, 0) > 1]
            if lost:
                problems.append(f"{kind}: {len(lost)} écritures confirmées absentes de la base")
            if doubled:
                problems.append(f"{kind}: {len(doubled)} écritures confirmées en double")
        stored_counts = {"referral": len(accs), "contact": len(contacts), "time": len(notes)}
    return problems, stored_counts


def release_partners(structure):
    """Between rounds (server down), end the test referrals so that partners stay available."""
    from django.utils import timezone

    from binome.accompaniment.models import Accompaniment
    from binome.people.scoping import scopes_disabled

    with scopes_disabled():
        Accompaniment.objects.filter(structure=structure, patient__first_name=MARK).exclude(status="ended").update(
            status="ended", ended_at=timezone.now(), end_reason="other", ended_by_role="team")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-delay", type=float, default=0.05)
    parser.add_argument("--max-delay", type=float, default=3.0)
    parser.add_argument("--structure")
    parser.add_argument("--out")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    setup_django()
    from django.db import connection

    from binome.bench.sessions import session_cookie, verified_client

    db = db_label()
    cast = pick_cast(args.structure)
    cookies = {role: session_cookie(verified_client(cast.users[role])) for role in ("professional", "partner")}
    acc_id = cast.objects["partner_accompaniment"].public_id
    acked = {"referral": [], "contact": [], "time": []}
    sent = {"referral": 0, "contact": 0, "time": 0}
    other: dict = {}
    started = time.monotonic()
    for i in range(args.kills):
        connection.close()  # the server owns the database while it runs
        server = Server(workers=2).start()
        flows = Flows(server.base, cookies, acc_id, rng)
        flows.start()
        time.sleep(rng.uniform(args.min_delay, args.max_delay))
        server.kill()  # SIGKILL to the whole process group, wherever it is
        flows.join()
        for kind in acked:
            acked[kind] += flows.acked[kind]
            sent[kind] += flows.sent[kind]
        for status, n in flows.other.items():
            other[status] = other.get(status, 0) + n
        release_partners(cast.structure)
        print(f"  {i + 1}/{args.kills} tué ; confirmées : " + ", ".join(f"{k} {len(v)}" for k, v in acked.items()), flush=True)
    elapsed = time.monotonic() - started

    problems = database_checks()
    object_problems, stored = object_checks(acked, cast.structure)
    problems += object_problems
    real = [p for p in problems if not p.startswith("(")]
    out = Path(args.out or ROOT / "bench" / f"results-crash-{db}.md")
    lines = [
        f"# Sûreté aux arrêts brutaux — {db}",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/crash_safety.py --kills {args.kills} --seed {args.seed}` "
        f"({elapsed:.0f} s) : {args.kills} arrêts par SIGKILL du serveur gunicorn entier (maître et workers) après "
        f"{args.min_delay}–{args.max_delay} s d'écritures simultanées.",
        "",
        "| flux | envoyées | confirmées (302) | en base (y compris non confirmées) |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {kind} | {sent[kind]} | {len(acked[kind])} | {stored[kind]} |" for kind in acked),
        "",
        f"Autres réponses reçues avant l'arrêt : {other or 'aucune'}.",
        "",
        "Vérifications : intégrité de la base, orientations complètes (patient, consentements obligatoires, deux "
        "échéances, audit), patients sans orientation, audit de chaque échange, chaque écriture confirmée présente "
        "exactement une fois.",
        "",
        ("**Aucun problème trouvé.**" if not real else "**Problèmes :**"),
        *(f"- {p}" for p in problems),
    ]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
