"""Load and soak (issue 9): locust's realistic mix against gunicorn, then write accounting.

    .venv/bin/python bench/load.py --users 200 --minutes 10      # the issue's soak
    .venv/bin/python bench/load.py --users 20 --seconds 60       # a short run
    .venv/bin/python bench/load.py --target http://127.0.0.1:28000 --users 200 --minutes 10
        # against servers already running: the two-node cluster's nginx (docs/performance.md)

Needs data from ``python bench/seed_scale.py`` and locust (``pip install -e '.[bench]'``, or
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

    from bench.generator import SLUG_PREFIX
    from bench.sessions import session_cookie, verified_client
    from binome.accompaniment.models import Accompaniment
    from binome.people.models import Membership, Role
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import IdeaBox, Question, Survey

    plan = {"partners": [], "coordinators": [], "surveys": [], "idea_boxes": []}
    with scopes_disabled():
        accs = (
            Accompaniment.objects.filter(structure__slug__startswith=SLUG_PREFIX, status="active")
            .filter(~Q(partner__membership=None))
            .select_related("partner__membership__user")
            .order_by("structure__slug", "pk")
        )
        seen = set()
        for acc in accs.iterator():
            user = acc.partner.membership.user
            if user.pk in seen:
                continue
            seen.add(user.pk)
            plan["partners"].append(
                {
                    "cookie": session_cookie(verified_client(user)),
                    "accompaniment": str(acc.public_id),
                }
            )
            if len(plan["partners"]) >= max_partners:
                break
        coordinators = (
            Membership.objects.filter(
                structure__slug__startswith=SLUG_PREFIX, role=Role.COORDINATOR
            )
            .select_related("user")
            .order_by("structure__slug")[:max_coordinators]
        )
        plan["coordinators"] = [
            {"cookie": session_cookie(verified_client(m.user))} for m in coordinators
        ]
        for survey in Survey.objects.filter(
            structure__slug__startswith=SLUG_PREFIX, state="published"
        ).order_by("pk")[:50]:
            questions = Question.objects.filter(survey=survey).order_by("position")
            plan["surveys"].append(
                {
                    "token": survey.public_token,
                    "questions": [
                        {"pk": q.pk, "kind": q.kind, "choices": len(q.choices or [])}
                        for q in questions
                    ],
                }
            )
        plan["idea_boxes"] = list(
            IdeaBox.objects.filter(structure__slug__startswith=SLUG_PREFIX, is_open=True)
            .order_by("structure__slug")
            .values_list("structure__slug", flat=True)[:50]
        )
    return plan


def read_journal(work: Path) -> tuple[dict, dict]:
    """Merge the locust processes' journals: (sent keys, acknowledged keys) per kind."""
    sent, acked = {}, {}
    for path in sorted(work.glob("acked.json.*")):
        for line in path.read_text().splitlines():
            event, kind, key = line.split(" ", 2)
            (acked if event == "ack" else sent).setdefault(kind, []).append(key)
    return sent, acked


def accounting(acked: dict, sent: dict | None = None) -> tuple[list[str], dict]:
    """Every acknowledged key in the database exactly once; also counts the writes sent but
    not acknowledged (client timeout, error) that the server nevertheless stored."""
    from django.db.models import Count

    from binome.accompaniment.models import Contact
    from binome.compensation.models import TimeEntry
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Idea, Response

    sent = sent or {}
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
            all_keys = list(dict.fromkeys(sent.get(kind, []) + keys))
            stored = {}
            for i in range(0, len(all_keys), 500):
                chunk = all_keys[i : i + 500]
                for key, n in (
                    model.objects.filter(**{f"{field}__in": chunk})
                    .values_list(field)
                    .annotate(n=Count("id"))
                ):
                    stored[key] = n
            lost = [k for k in keys if stored.get(k, 0) == 0]
            doubled = [k for k in all_keys if stored.get(k, 0) > 1]
            if lost:
                problems.append(f"{kind} : {len(lost)} écritures confirmées absentes")
            if doubled:
                problems.append(f"{kind} : {len(doubled)} écritures en double")
            if len(set(keys)) != len(keys):
                problems.append(f"{kind} : clés confirmées répétées côté client")
            acked_set = set(keys)
            summary[kind] = {
                "sent": len(all_keys),
                "acked": len(keys),
                "stored": sum(stored.get(k, 0) for k in keys),
                "stored_unacked": sum(n for k, n in stored.items() if k not in acked_set),
            }
    return problems, summary


def per_minute(history_csv: Path, windowed: bool = True) -> list[str]:
    """Soak stability: per minute, requests, failures and p50/p95 (locust's current-window
    percentiles with --csv-full-history, cumulative since the start otherwise)."""
    rows = [
        r
        for r in csv.DictReader(open(history_csv))
        if r["Name"] == "Aggregated" and r["50%"] != "N/A"
    ]
    if not rows:
        return []
    t0 = int(rows[0]["Timestamp"])
    minutes: dict[int, list] = {}
    for r in rows:
        minutes.setdefault((int(r["Timestamp"]) - t0) // 60, []).append(r)
    kind = "fenêtres glissantes de locust" if windowed else "cumulés depuis le début"
    lines = [
        f"| minute | utilisateurs | requêtes | erreurs | req/s | p50 ms ({kind}, médiane) | p95 ms ({kind}, maximum) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    previous = {"Total Request Count": 0, "Total Failure Count": 0}
    for minute, chunk in sorted(minutes.items()):
        last = chunk[-1]
        n = int(last["Total Request Count"]) - int(previous["Total Request Count"])
        f = int(last["Total Failure Count"]) - int(previous["Total Failure Count"])
        p50 = sorted(int(float(r["50%"])) for r in chunk)[len(chunk) // 2]
        p95 = max(int(float(r["95%"])) for r in chunk)
        lines.append(
            f"| {minute + 1} | {last['User Count']} | {n} | {f} | {n / 60:.1f} | {p50} | {p95} |"
        )
        previous = last
    return lines


class _Running:
    """Servers started by someone else (scripts/cluster.sh): only their address."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def source_commit() -> str:
    marker = ROOT / "COMMIT"  # a `git archive` snapshot has no .git
    if marker.exists():
        return marker.read_text().strip()[:7]
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--spawn-rate", type=float, default=None, help="users started per second (default users/10)"
    )
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="gunicorn workers (deploy/gunicorn.conf.py: 4 on 2 cores)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=1000,
        help="gunicorn worker recycling, as deployed (0: off)",
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="locust processes (locust --processes)"
    )
    parser.add_argument(
        "--pythonpath", default="", help="extra directory where locust is installed"
    )
    parser.add_argument(
        "--target",
        default="",
        help="address of servers already running (e.g. the cluster's nginx); no gunicorn started",
    )
    parser.add_argument("--out")
    args = parser.parse_args()
    seconds = args.seconds or int((args.minutes or 1) * 60)

    setup_django()
    db = db_label()
    plan = build_plan()
    if not plan["partners"] or not plan["coordinators"]:
        raise SystemExit("No generated data: run `python bench/seed_scale.py` first.")
    work = Path(tempfile.mkdtemp(prefix="binome-load-"))
    (work / "plan.json").write_text(json.dumps(plan))
    env = {
        **os.environ,
        "BENCH_PLAN": str(work / "plan.json"),
        "BENCH_ACKED": str(work / "acked.json"),
    }
    print(f"work directory: {work}", flush=True)
    if args.pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [args.pythonpath, env.get("PYTHONPATH", "")])
        )
    from django.db import connection

    connection.close()
    started = time.monotonic()
    gunicorn_args = (
        [
            "--max-requests",
            str(args.max_requests),
            "--max-requests-jitter",
            str(args.max_requests // 10),
        ]
        if args.max_requests
        else []
    )
    server = (
        _Running(args.target)
        if args.target
        else Server(
            workers=args.workers, extra_env={"BENCH_RATELIMIT": "false"}, args=gunicorn_args
        )
    )
    with server:
        cmd = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate or max(1, args.users / 10)),
            "-t",
            f"{seconds}s",
            "--host",
            server.base,
            "--csv",
            str(work / "stats"),
            "--only-summary",
            "--csv-full-history",
            "--stop-timeout",
            "20",
            "--loglevel",
            "WARNING",
        ]
        if args.processes > 1:
            cmd += ["--processes", str(args.processes)]
        print(" ".join(cmd), flush=True)
        locust_log = []
        with subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as proc:
            for line in proc.stdout:
                print(line, end="", flush=True)
                locust_log.append(line)
        (work / "locust.log").write_text("".join(locust_log))
    elapsed = time.monotonic() - started
    sent, acked = read_journal(work)
    problems, summary = accounting(acked, sent)
    cpu_warnings = sum("CPU usage" in line for line in locust_log)
    load_1, load_5, load_15 = os.getloadavg()

    rows = list(csv.DictReader(open(work / "stats_stats.csv")))
    out = Path(args.out or ROOT / "bench" / f"results-load-{db}.md")
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    lines = [
        f"# Charge (locust) — {db}",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/load.py --users {args.users} --seconds {seconds}` "
        f"{' --processes ' + str(args.processes) if args.processes > 1 else ''} "
        + (
            f"--target {args.target} ({elapsed:.0f} s au total, serveurs déjà démarrés : "
            f"la grappe de scripts/cluster.sh, nginx devant deux nœuds gunicorn de 2 workers, "
            f"{os.cpu_count()} cœurs en tout, "
            if args.target
            else f"({elapsed:.0f} s au total, gunicorn {args.workers} workers"
            f"{f', --max-requests {args.max_requests}' if args.max_requests else ''}, {os.cpu_count()} cœurs, "
        )
        + f"locust {args.processes} processus) ; "
        f"{len(plan['partners'])} partenaires, {len(plan['coordinators'])} coordinations, {len(plan['surveys'])} enquêtes, "
        f"{len(plan['idea_boxes'])} boîtes à idées ; code au commit {source_commit()}.",
        "",
        f"Avertissements de locust sur son propre CPU (> 90 %) : {cpu_warnings}. Charge de la machine à la fin "
        f"(load average 1/5/15 min) : {load_1:.1f} / {load_5:.1f} / {load_15:.1f}.",
        "",
    ]
    if total:
        lines += [
            f"Total : {total['Request Count']} requêtes, {total['Failure Count']} erreurs, "
            f"{float(total['Requests/s']):.1f} req/s, p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms.",
            "",
        ]
    lines += [
        "| requête | nombre | erreurs | p50 ms | p95 ms | p99 ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        if r["Name"] != "Aggregated":
            lines.append(
                f"| {r['Type']} {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} | "
                f"{r['99%']} | {float(r['Requests/s']):.2f} |"
            )
    history = per_minute(work / "stats_stats_history.csv")
    if history:
        lines += ["", "Au fil du temps (stabilité de l'endurance) :", "", *history]
    lines += [
        "",
        "Comptabilité des écritures (clé unique par envoi ; confirmées par le serveur → lignes en base "
        "avec la même clé) :",
        "",
        "| écriture | envoyées | confirmées | en base (confirmées) | en base sans confirmation |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {kind} | {v['sent']} | {v['acked']} | {v['stored']} | {v['stored_unacked']} |"
        for kind, v in summary.items()
    ]
    lines += [
        "",
        "**Chaque écriture confirmée est en base exactement une fois.**"
        if not problems
        else "**Problèmes :**",
    ]
    lines += [f"- {p}" for p in problems]
    failures = work / "stats_failures.csv"
    if failures.exists():
        fail_rows = list(csv.DictReader(open(failures)))
        if fail_rows:
            lines += [
                "",
                "Erreurs par type :",
                "",
                "| requête | erreur | nombre |",
                "| --- | --- | ---: |",
            ]
            lines += [
                f"| {f['Method']} {f['Name']} | {f['Error']} | {f['Occurrences']} |"
                for f in fail_rows
            ]
        else:
            lines += ["", "Erreurs par type : aucune."]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
