"""Load and soak (issue 9): locust's realistic mix against gunicorn, then write accounting.

    .venv/bin/python bench/load.py --users 200 --minutes 10      # the issue's soak
    .venv/bin/python bench/load.py --users 20 --seconds 60       # a short run

Needs data from ``binome seed_scale`` and locust (``pip install -e '.[bench]'``, or
``--pythonpath DIR`` where locust is installed). Steps: signed-in sessions for up to 100
partners and 20 coordinators of the generated structures, gunicorn on loopback (bench
settings, per-address rate limits off since every virtual user comes from 127.0.0.1),
``locust --headless`` with bench/locustfile.py, then the accounting check: every write
the server acknowledged is in the database exactly once. Writes bench/results-load-<db>.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Server, db_label, setup_django  # noqa: E402


def build_plan(max_partners=100, max_coordinators=20) -> dict:
    from django.db.models import Q

    from binome.accompaniment.models import Accompaniment
    from binome.bench.generator import SLUG_PREFIX
    from binome.bench.sessions import session_cookie, verified_client
    from binome.people.models import Membership, Role
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import IdeaBox, Question, Survey

    plan = {"partners": [], "coordinators": [], "surveys": [], "idea_boxes": []}
    with scopes_disabled():
        accs = (
            Accompaniment.objects.filter(structure__slug__startswith=SLUG_PREFIX, status="active")
            .filter(~Q(partner__membership=None)).select_related("partner__membership__user").order_by("structure__slug", "pk")
        )
        seen = set()
        for acc in accs.iterator():
            user = acc.partner.membership.user
            if user.pk in seen:
                continue
            seen.add(user.pk)
            plan["partners"].append({"cookie": session_cookie(verified_client(user)), "accompaniment": str(acc.public_id)})
            if len(plan["partners"]) >= max_partners:
                break
        coordinators = Membership.objects.filter(structure__slug__startswith=SLUG_PREFIX, role=Role.COORDINATOR).select_related(
            "user").order_by("structure__slug")[:max_coordinators]
        plan["coordinators"] = [{"cookie": session_cookie(verified_client(m.user))} for m in coordinators]
        for survey in Survey.objects.filter(structure__slug__startswith=SLUG_PREFIX, state="published").order_by("pk")[:50]:
            questions = Question.objects.filter(survey=survey).order_by("position")
            plan["surveys"].append({"token": survey.public_token, "questions": [
                {"pk": q.pk, "kind": q.kind, "choices": len(q.choices or [])} for q in questions]})
        plan["idea_boxes"] = list(IdeaBox.objects.filter(structure__slug__startswith=SLUG_PREFIX, is_open=True)
                                  .order_by("structure__slug").values_list("structure__slug", flat=True)[:50])
    return plan


def accounting(acked: dict) -> tuple[list[str], dict]:
    from django.db.models import Count

    from binome.accompaniment.models import Contact
    from binome.compensation.models import TimeEntry
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Idea, Response

    problems, summary = [], {}
    with scopes_disabled():
        sources = {
            "contact": (Contact, "submission_token"),
            "time": (TimeEntry, "note"),
            "idea": (Idea, "submission_token"),
            "response": (Response, "submission_token"),
        }
        for kind, (model, field) in sources.items():
            keys = acked.get(kind, [])
            stored = {}
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                for key, n in model.objects.filter(**{f"{field}__in": chunk}).values_list(field).annotate(n=Count("id")):
                    stored[key] = n
            lost = [k for k in keys if stored.get(k, 0) == 0]
            doubled = [k for k in keys if stored.get(k, 0) > 1]
            if lost:
                problems.append(f"{kind} : {len(lost)} écritures confirmées absentes")
            if doubled:
                problems.append(f"{kind} : {len(doubled)} écritures confirmées en double")
            if len(set(keys)) != len(keys):
                problems.append(f"{kind} : clés confirmées répétées côté client")
            summary[kind] = (len(keys), sum(stored.values()))
    return problems, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=None, help="users started per second (default users/10)")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pythonpath", default="", help="extra directory where locust is installed")
    parser.add_argument("--out")
    args = parser.parse_args()
    seconds = args.seconds or int((args.minutes or 1) * 60)

    setup_django()
    db = db_label()
    plan = build_plan()
    if not plan["partners"] or not plan["coordinators"]:
        raise SystemExit("No generated data: run `binome seed_scale` first.")
    work = Path(tempfile.mkdtemp(prefix="binome-load-"))
    (work / "plan.json").write_text(json.dumps(plan))
    env = {**os.environ, "BENCH_PLAN": str(work / "plan.json"), "BENCH_ACKED": str(work / "acked.json")}
    if args.pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.pythonpath, env.get("PYTHONPATH", "")]))
    from django.db import connection

    connection.close()
    started = time.monotonic()
    with Server(workers=args.workers, extra_env={"BENCH_RATELIMIT": "false"}) as server:
        cmd = [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
               "-u", str(args.users), "-r", str(args.spawn_rate or max(1, args.users / 10)), "-t", f"{seconds}s",
               "--host", server.base, "--csv", str(work / "stats"), "--only-summary", "--stop-timeout", "20",
               "--loglevel", "WARNING"]
        print(" ".join(cmd))
        subprocess.run(cmd, env=env, cwd=ROOT, check=False)
    elapsed = time.monotonic() - started
    acked = json.loads((work / "acked.json").read_text())
    problems, summary = accounting(acked)

    rows = list(csv.DictReader(open(work / "stats_stats.csv")))
    out = Path(args.out or ROOT / "bench" / f"results-load-{db}.md")
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    lines = [
        f"# Charge (locust) — {db}",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/load.py --users {args.users} --seconds {seconds}` "
        f"({elapsed:.0f} s au total, gunicorn {args.workers} workers, {os.cpu_count()} cœurs) ; "
        f"{len(plan['partners'])} partenaires, {len(plan['coordinators'])} coordinations, {len(plan['surveys'])} enquêtes, "
        f"{len(plan['idea_boxes'])} boîtes à idées.",
        "",
    ]
    if total:
        lines += [
            f"Total : {total['Request Count']} requêtes, {total['Failure Count']} erreurs, "
            f"{float(total['Requests/s']):.1f} req/s, p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms.",
            "",
        ]
    lines += ["| requête | nombre | erreurs | p50 ms | p95 ms | p99 ms | req/s |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        if r["Name"] != "Aggregated":
            lines.append(f"| {r['Type']} {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} | "
                         f"{r['99%']} | {float(r['Requests/s']):.2f} |")
    lines += ["", "Comptabilité des écritures (confirmées par le serveur → lignes en base avec la même clé) :", ""]
    lines += [f"- {kind} : {a} confirmées, {s} en base" for kind, (a, s) in summary.items()]
    lines += ["", "**Chaque écriture confirmée est en base exactement une fois.**" if not problems else "**Problèmes :**"]
    lines += [f"- {p}" for p in problems]
    failures = work / "stats_failures.csv"
    if failures.exists():
        fail_rows = list(csv.DictReader(open(failures)))
        if fail_rows:
            lines += ["", "Erreurs :", ""] + [f"- {f['Method']} {f['Name']} : {f['Error']} ({f['Occurrences']})" for f in fail_rows]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
