"""Crash safety (issue 9): SIGKILL the server at random points of write-heavy flows, then check.

    .venv/bin/python bench/crash_safety.py [--kills 100] [--seed 1]

Needs data from ``python bench/seed_scale.py``. Each round starts gunicorn (bench settings) on
loopback, drives four flows through HTTP at once — a professional's referral with
separate consents, a partner logging contacts, a partner logging time, someone answering
the public survey — then kills the whole server (master and workers) with SIGKILL after a
random delay, mid-request or mid-transaction. A post left without an answer is sent again
with the same key once the server is back (a person retrying after a network error).
After the last round it checks:

* the database itself (SQLite ``PRAGMA integrity_check`` and ``foreign_key_check``;
  PostgreSQL ``amcheck`` with heapallindexed on every B-tree index when available);
* no half-written object: every referral created by the flows has its patient, its
  required consents, its two deadlines, its audit row and the partner's notification; no
  patient without referral; every contact and time entry its audit row; every survey
  response all its answers;
* every write the server acknowledged is in the database exactly once, and no key (resent
  or not) is stored twice.

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


KINDS = ("referral", "contact", "time", "response")


class Flows:
    """Four write loops; every write carries a unique key (submission token).

    A post that got no answer (the server died under it) stays pending and is sent again,
    with the same key, as soon as the server answers again, in this round or the next one:
    what a person does after a network error. Such a key must still be stored once.
    """

    def __init__(self, base, cookies, acc_id, survey, rng, pending=None):
        self.base, self.cookies, self.acc_id, self.survey, self.rng = (
            base,
            cookies,
            acc_id,
            survey,
            rng,
        )
        self.acked = {k: [] for k in KINDS}
        self.sent = {k: 0 for k in KINDS}  # posts answered by the server (any status)
        self.resent = {k: 0 for k in KINDS}  # posts of a key already posted once
        self.keys = {k: [] for k in KINDS}  # every key generated
        self.answers = {}  # survey response key -> answer rows sent
        self.pending = dict(pending or {})  # kind -> (key, fields, tries) without an answer yet
        self.other = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _loop(self, kind, browser, path, build, acknowledged=lambda status, body: status == 302):
        while not self.stop.is_set():
            try:
                _s, body, csrf = browser.form(path)
                if self.pending.get(kind) is None:
                    built = build(body)
                    if built is None:
                        time.sleep(0.05)
                        continue
                    with self.lock:
                        self.keys[kind].append(built[0])
                    self.pending[kind] = (*built, 0)
                key, fields, tries = self.pending[kind]
                self.pending[kind] = (key, fields, tries + 1)
                status, _h, answer = browser.post(path, fields, csrf)
                self.pending[kind] = None
                with self.lock:
                    self.sent[kind] += 1
                    self.resent[kind] += tries > 0
                    if acknowledged(status, answer):
                        self.acked[kind].append(key)
                    else:
                        self.other[status] = self.other.get(status, 0) + 1
            except OSError:
                time.sleep(0.02)

    def referral(self):
        def build(body):
            partners = re.findall(r'name="partner"[^>]*value="([0-9a-f-]{36})"', body)
            if not partners:
                return None
            token = uuid.uuid4().hex
            return token, {
                "submission_token": token,
                "first_name": MARK,
                "last_name": token[:8],
                "phone": "0600000000",
                "pathway": "diabetes",
                "consent_method": "oral",
                "consent_contact_by_partner": "on",
                "consent_share_contact_details": "on",
                "consent_share_summaries_with_team": "on",
                "partner": partners[0],
            }

        self._loop(
            "referral",
            Browser(self.base, self.cookies["professional"]),
            "/accompagnements/orienter/",
            build,
        )

    def contact(self):
        def build(_body):
            token = uuid.uuid4().hex
            return token, {
                "submission_token": token,
                "occurred_at": datetime.now().strftime("%Y-%m-%dT%H:%M"),
                "channel": "phone",
                "place": "remote",
                "duration_minutes": "20",
                "private_notes": f"{MARK} {token}",
                "summary_to_share": "",
            }

        self._loop(
            "contact",
            Browser(self.base, self.cookies["partner"]),
            f"/accompagnements/{self.acc_id}/echange/",
            build,
        )

    def time_entry(self):
        def build(body):
            missions = re.findall(r'<option value="([^"]+)"', body) or re.findall(
                r'name="mission"[^>]*value="([^"]+)"', body
            )
            if not missions:
                return None
            token = uuid.uuid4().hex
            return token, {
                "submission_token": token,
                "mission": missions[0],
                "date": datetime.now().strftime("%Y-%m-%d"),
                "duration_minutes": "60",
                "activity": "accompaniment",
                "note": f"{MARK} {token}",
            }

        self._loop(
            "time",
            Browser(self.base, self.cookies["partner"]),
            "/indemnisation/temps/nouveau/",
            build,
        )

    def response(self):
        """Someone answering the public survey (anonymous): a response and its answer rows."""
        token_url, questions = self.survey

        def build(_body):
            token = uuid.uuid4().hex
            fields = {"submission_token": token, "website": ""}
            for pk, kind, choices in questions:
                if kind == "scale":
                    fields[f"q{pk}"] = str(self.rng.randint(1, 5))
                elif kind in ("single", "multiple"):
                    fields[f"q{pk}"] = str(self.rng.randrange(max(1, choices)))
                else:
                    fields[f"q{pk}"] = f"{MARK} {token[:8]}"
            self.answers[token] = len(questions)
            return token, fields

        self._loop(
            "response",
            Browser(self.base, "anonymous=1"),
            f"/p/enquete/{token_url}/",
            build,
            acknowledged=lambda status, body: (
                status in (200, 302) and "csrfmiddlewaretoken" not in body
            ),
        )

    def start(self):
        flows = [self.referral, self.contact, self.time_entry] + (
            [self.response] if self.survey else []
        )
        self.threads = [threading.Thread(target=f, daemon=True) for f in flows]
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
                problems.append(
                    f"PRAGMA foreign_key_check: {len(rows)} lignes orphelines, ex. {rows[:3]}"
                )
        elif connection.vendor == "postgresql":
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            except Exception as exc:  # amcheck missing: say so, the other checks still run
                return [f"(amcheck indisponible : {exc.__class__.__name__})"]
            cursor.execute("""
                SELECT c.oid, c.relname FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE a.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid""")
            indexes = cursor.fetchall()
            for oid, name in indexes:
                try:  # heapallindexed: every heap row is in the index, not only the index's own order
                    cursor.execute("SELECT bt_index_check(%s, true)", [oid])
                except Exception as exc:
                    problems.append(f"amcheck {name} : {exc}")
            problems.append(f"(amcheck : {len(indexes)} index B-tree vérifiés, heapallindexed)")
    return problems


def object_checks(flows, structure) -> tuple[list[str], dict]:
    """No half-written object, and every key stored at most once (exactly once if acknowledged)."""
    from django.db.models import Count

    from binome.accompaniment import consent_text
    from binome.accompaniment.models import (
        Accompaniment,
        Consent,
        Contact,
        Deadline,
        Notification,
        Patient,
    )
    from binome.audit.models import AuditEvent
    from binome.compensation.models import TimeEntry
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Response

    problems = []
    with scopes_disabled():
        accs = list(
            Accompaniment.objects.filter(
                structure=structure, patient__first_name=MARK
            ).select_related("patient")
        )
        patients = Patient.objects.filter(structure=structure, first_name=MARK)
        orphans = patients.annotate(n=Count("accompaniments")).filter(n=0).count()
        if orphans:
            problems.append(f"{orphans} patients sans orientation (orientation à moitié écrite)")
        consents = {}
        for patient_id, purpose in Consent.objects.filter(
            patient__in=[a.patient_id for a in accs], withdrawn_at=None
        ).values_list("patient_id", "purpose"):
            consents.setdefault(patient_id, set()).add(purpose)
        deadlines = dict(
            Deadline.objects.filter(accompaniment__in=accs)
            .values_list("accompaniment")
            .annotate(n=Count("id"))
        )
        notified = set(
            Notification.objects.filter(accompaniment__in=accs).values_list(
                "accompaniment_id", flat=True
            )
        )
        with_user = set(
            Accompaniment.objects.filter(
                pk__in=[a.pk for a in accs], partner__membership__isnull=False
            ).values_list("pk", flat=True)
        )
        audited = set(
            AuditEvent.objects.filter(kind="accompaniment.referral_created").values_list(
                "target_id", flat=True
            )
        )
        for acc in accs:
            if not set(consent_text.REQUIRED) <= consents.get(acc.patient_id, set()):
                problems.append(f"orientation {acc.public_id} sans ses consentements")
            if deadlines.get(acc.pk, 0) != 2:
                problems.append(
                    f"orientation {acc.public_id} avec {deadlines.get(acc.pk, 0)} échéances au lieu de 2"
                )
            if str(acc.public_id) not in audited:
                problems.append(f"orientation {acc.public_id} sans sa ligne d'audit")
            if acc.pk in with_user and acc.pk not in notified:
                problems.append(f"orientation {acc.public_id} sans la notification du partenaire")
        contacts = list(
            Contact.objects.filter(private_notes__startswith=MARK).values_list(
                "public_id", "submission_token"
            )
        )
        audited_contacts = set(
            AuditEvent.objects.filter(kind="accompaniment.contact_logged").values_list(
                "target_id", flat=True
            )
        )
        missing_audit = [c for c, _t in contacts if str(c) not in audited_contacts]
        if missing_audit:
            problems.append(f"{len(missing_audit)} échanges sans ligne d'audit")
        times = list(
            TimeEntry.objects.filter(note__startswith=MARK).values_list(
                "public_id", "submission_token"
            )
        )
        audited_times = set(
            AuditEvent.objects.filter(kind="compensation.time_logged").values_list(
                "target_id", flat=True
            )
        )
        missing_audit = [t for t, _k in times if str(t) not in audited_times]
        if missing_audit:
            problems.append(f"{len(missing_audit)} temps sans ligne d'audit")
        response_keys = flows["keys"]["response"]
        responses = []
        for i in range(0, len(response_keys), 500):
            chunk = response_keys[i : i + 500]
            responses += list(
                Response.objects.filter(submission_token__in=chunk)
                .annotate(n=Count("answers"))
                .values_list("submission_token", "n")
            )
        for key, n in responses:
            if n != flows["answers"].get(key):
                problems.append(
                    f"réponse d'enquête {key[:8]} avec {n} réponses aux questions au lieu de "
                    f"{flows['answers'].get(key)}"
                )
        stored = {
            "referral": [a.submission_token for a in accs],
            "contact": [t for _c, t in contacts],
            "time": [k for _t, k in times],
            "response": [k for k, _n in responses],
        }
        for kind, keys in stored.items():
            counts = {}
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
            lost = [k for k in flows["acked"][kind] if counts.get(k, 0) == 0]
            doubled = [k for k, n in counts.items() if n > 1]
            if lost:
                problems.append(f"{kind}: {len(lost)} écritures confirmées absentes de la base")
            if doubled:
                problems.append(f"{kind}: {len(doubled)} clés écrites plusieurs fois")
        stored_counts = {kind: len(keys) for kind, keys in stored.items()}
        stored_unacked = {
            kind: len(set(keys) - set(flows["acked"][kind])) for kind, keys in stored.items()
        }
    return problems, {"stored": stored_counts, "unacked": stored_unacked}


def stored_keys(kind, keys) -> set:
    """Which of these keys are in the database (server down, between two rounds)."""
    from binome.accompaniment.models import Accompaniment, Contact
    from binome.compensation.models import TimeEntry
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Response

    model = {
        "referral": Accompaniment,
        "contact": Contact,
        "time": TimeEntry,
        "response": Response,
    }[kind]
    with scopes_disabled():
        return set(
            model.objects.filter(submission_token__in=list(keys)).values_list(
                "submission_token", flat=True
            )
        )


def release_partners(structure):
    """Between rounds (server down), end the test referrals so that partners stay available."""
    from django.utils import timezone

    from binome.accompaniment.models import Accompaniment
    from binome.people.scoping import scopes_disabled

    with scopes_disabled():
        Accompaniment.objects.filter(structure=structure, patient__first_name=MARK).exclude(
            status="ended"
        ).update(status="ended", ended_at=timezone.now(), end_reason="other", ended_by_role="team")


def public_survey(cast):
    """(public token, [(question pk, kind, number of choices)]) of the structure's published survey."""
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Question

    survey = cast.objects.get("survey")
    if survey is None:
        return None
    with scopes_disabled():
        questions = Question.objects.filter(survey=survey).order_by("position")
        return survey.public_token, [(q.pk, q.kind, len(q.choices or [])) for q in questions]


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

    from bench.sessions import session_cookie, verified_client

    db = db_label()
    cast = pick_cast(args.structure)
    cookies = {
        role: session_cookie(verified_client(cast.users[role]))
        for role in ("professional", "partner")
    }
    acc_id = cast.objects["partner_accompaniment"].public_id
    survey = public_survey(cast)
    total = {"acked": {k: [] for k in KINDS}, "keys": {k: [] for k in KINDS}, "answers": {}}
    sent = {k: 0 for k in KINDS}
    resent = {k: 0 for k in KINDS}
    unanswered = {k: 0 for k in KINDS}  # stored by a post whose answer never came (then resent)
    other: dict = {}
    pending: dict = {}
    started = time.monotonic()
    for i in range(args.kills):
        connection.close()  # the server owns the database while it runs
        # Public forms are rate-limited per address; every flow comes from 127.0.0.1.
        server = Server(workers=2, extra_env={"BENCH_RATELIMIT": "false"}).start()
        flows = Flows(server.base, cookies, acc_id, survey, rng, pending=pending)
        flows.start()
        time.sleep(rng.uniform(args.min_delay, args.max_delay))
        server.kill()  # SIGKILL to the whole process group, wherever it is
        flows.join()
        pending = flows.pending
        # Posts that got no answer: already stored? Then the resend must find it, not write it again.
        for kind, item in pending.items():
            if item is not None and item[2] > 0 and stored_keys(kind, [item[0]]):
                unanswered[kind] += 1
        for kind in KINDS:
            total["acked"][kind] += flows.acked[kind]
            total["keys"][kind] += flows.keys[kind]
            sent[kind] += flows.sent[kind]
            resent[kind] += flows.resent[kind]
        total["answers"].update(flows.answers)
        for status, n in flows.other.items():
            other[status] = other.get(status, 0) + n
        release_partners(cast.structure)
        print(
            f"  {i + 1}/{args.kills} tué ; confirmées : "
            + ", ".join(f"{k} {len(v)}" for k, v in total["acked"].items())
            + f" ; renvois {sum(resent.values())}",
            flush=True,
        )
    elapsed = time.monotonic() - started

    problems = database_checks()
    object_problems, stored = object_checks(total, cast.structure)
    problems += object_problems
    real = [p for p in problems if not p.startswith("(")]
    out = Path(args.out or ROOT / "bench" / f"results-crash-{db}.md")
    lines = [
        f"# Sûreté aux arrêts brutaux — {db}",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/crash_safety.py --kills {args.kills} --seed {args.seed}` "
        f"({elapsed:.0f} s) : {args.kills} arrêts par SIGKILL du serveur gunicorn entier (maître et workers) après "
        f"{args.min_delay}–{args.max_delay} s d'écritures simultanées ; structure `{cast.structure.slug}`.",
        "",
        "Quatre flux écrivent en même temps : orientation d'un patient avec ses consentements (professionnel), échange "
        "noté et temps noté (partenaire), réponse à l'enquête publique (anonyme). Un envoi resté sans réponse (serveur "
        "tué pendant la requête) est renvoyé tel quel, avec la même clé, dès que le serveur répond à nouveau, comme le "
        "ferait la personne après une erreur réseau.",
        "",
        "| flux | clés | envois avec réponse | dont renvois | écrites sans réponse puis renvoyées | confirmées | en base "
        "| en base sans confirmation |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {kind} | {len(total['keys'][kind])} | {sent[kind]} | {resent[kind]} | {unanswered[kind]} | "
            f"{len(total['acked'][kind])} | "
            f"{stored['stored'][kind]} | {stored['unacked'][kind]} |"
            for kind in KINDS
        ),
        "",
        f"Autres réponses reçues avant l'arrêt : {other or 'aucune'}.",
        "",
        "Vérifications : intégrité de la base ; orientations complètes (patient, consentements obligatoires, deux "
        "échéances, ligne d'audit, notification du partenaire) ; aucun patient sans orientation ; ligne d'audit de chaque "
        "échange et de chaque temps ; chaque réponse d'enquête avec toutes ses réponses aux questions ; chaque écriture "
        "confirmée présente exactement une fois, aucune clé (renvoyée ou non) écrite deux fois.",
        "",
        ("**Aucun problème trouvé.**" if not real else "**Problèmes :**"),
        *(f"- {p}" for p in problems),
    ]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
