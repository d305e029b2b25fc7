"""Page benchmark (issue 9): every main page of every role against an empty Django view.

    .venv/bin/python bench/run_bench.py [--duration 10] [--connections 4] [--workers 2]

Needs data from ``python bench/seed_scale.py`` in the database named by BINOME_VAR_DIR /
DATABASE_URL. For each page it measures, in one run:

1. the number of SQL queries (django.test.Client + CaptureQueriesContext, second request);
2. latency p50/p95/p99 and throughput under wrk (or a Python load loop without wrk)
   against gunicorn on loopback, with a signed-in session (second factor marked passed);
3. the same for an empty view behind the same middleware (bench.urls), measured
   first and last; each page's throughput is given as a ratio to that ceiling.

Writes bench/results-<db>.md (under version control) and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Server, db_label, pick_cast, setup_django  # noqa: E402

TARGET_P95_MS = 50
TARGET_QUERIES = 12
TARGET_RATIO = 0.33  # issue 17 (issue 9 asked 25 %)


@dataclass
class Page:
    role: str
    label: str
    url: str
    api: bool = False  # an /api/v1/ list, read with the role's API token
    status: int = 0
    queries: int | None = None
    size: int = 0
    p50: float = 0
    p95: float = 0
    p99: float = 0
    rps: float = 0
    ceiling: float = 0  # empty view's throughput around this page's measure
    errors: int = 0
    requests: int = 0


def pages_for(cast) -> list[Page]:
    from django.urls import NoReverseMatch, reverse

    o = cast.objects
    spec = {
        "coordinator": [
            ("Accueil", "web:home", ()),
            ("Accompagnements (liste)", "accompaniment:list", ()),
            ("Tableau de bord des accompagnements", "accompaniment:dashboard", ()),
            ("Charge des partenaires", "accompaniment:load", ()),
            ("Un accompagnement", "accompaniment:detail", (o["partner_accompaniment"].public_id,)),
            ("Vivier des partenaires", "partners:pool", ()),
            ("Candidatures", "partners:pipeline", ()),
            ("Un partenaire", "partners:detail", (o["partner"].public_id,)),
            ("Fiches-mission", "missions:list", ()),
            ("Registre d'implication", "involvement:register", ()),
            ("Rapport ACI", "involvement:aci_report", ()),
            ("Enquêtes", "voice:survey_list", ()),
            (
                "Résultats d'une enquête",
                "voice:survey_results",
                (o["survey"].public_id,) if o["survey"] else None,
            ),
            ("Boîte à idées", "voice:idea_list", ()),
            ("Temps à valider", "compensation:queue", ()),
            ("Budget", "compensation:budget", ()),
            ("Membres", "people:members", ()),
            ("Journal d'audit", "audit:log", ()),
        ],
        "professional": [
            ("Accueil", "web:home", ()),
            ("Mes orientations", "accompaniment:list", ()),
            ("Orienter un patient (formulaire)", "accompaniment:refer", ()),
            (
                "Une orientation",
                "accompaniment:detail",
                (o["referral"].public_id,) if o["referral"] else None,
            ),
            ("Fiches-mission", "missions:list", ()),
        ],
        "partner": [
            ("Accueil", "web:home", ()),
            ("Aujourd'hui", "accompaniment:today", ()),
            ("Mes accompagnements", "accompaniment:list", ()),
            ("Un accompagnement", "accompaniment:detail", (o["partner_accompaniment"].public_id,)),
            (
                "Noter un échange (formulaire)",
                "accompaniment:add_contact",
                (o["partner_accompaniment"].public_id,),
            ),
            ("Mon temps", "compensation:entries", ()),
            ("Noter du temps (formulaire)", "compensation:log_time", ()),
            ("Mon profil", "partners:my_profile", ()),
        ],
        "user_rep": [
            ("Accueil", "web:home", ()),
            ("Voix des usagers", "voice:home", ()),
            ("Comité des usagers", "voice:committee_list", ()),
        ],
        "patient": [
            ("Accueil", "web:home", ()),
            ("Mon accompagnement", "accompaniment:mine", ()),
        ],
        "facilitator": [
            ("Accueil", "web:home", ()),
            ("Tableau de bord du réseau", "networks:dashboard", ()),
            ("Catalogue des projets", "networks:catalogue", ()),
        ],
    }
    # The API's list endpoints (issue 17), read by integrators with a personal token.
    api_spec = {
        "coordinator": [
            ("API : accompagnements", "/api/v1/accompaniment/"),
            ("API : patients partenaires", "/api/v1/partners/"),
            ("API : fiches-mission", "/api/v1/missions/"),
            ("API : temps saisis", "/api/v1/compensation/time/"),
            ("API : enquêtes", "/api/v1/voice/surveys/"),
            ("API : structures", "/api/v1/structures/"),
        ],
        "professional": [("API : mes orientations", "/api/v1/accompaniment/")],
        "partner": [
            ("API : mes accompagnements", "/api/v1/accompaniment/"),
            ("API : mon temps", "/api/v1/compensation/time/"),
        ],
    }
    pages = []
    for role, entries in api_spec.items():
        if role in cast.users:
            pages += [Page(role, label, url, api=True) for label, url in entries]
    for role, entries in spec.items():
        if role not in cast.users:
            continue
        for label, name, args in entries:
            if args is None:
                continue
            try:
                pages.append(Page(role, label, reverse(name, args=args)))
            except NoReverseMatch:
                print(f"  (page {name} absente de cette version, ignorée)")
    return pages


def count_queries(client, url) -> tuple[int, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up (caches, session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries), len(response.content)


def run_wrk(url, header, duration, connections) -> dict:
    script = Path(__file__).with_name("wrk_report.lua")
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            "-H",
            header,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(re.search(r"BENCH_JSON (\{.*\})", out).group(1))
    seconds = data["duration_us"] / 1e6
    return {
        "p50": data["p50_us"] / 1e3,
        "p95": data["p95_us"] / 1e3,
        "p99": data["p99_us"] / 1e3,
        "rps": data["requests"] / seconds,
        "errors": data["errors"],
        "requests": data["requests"],
    }


def run_python_loop(url, header, duration, connections) -> dict:
    """Without wrk: N threads with keep-alive connections, same figures (less precise)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        local, bad = [], 0
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                name, _, value = header.partition(": ")
                conn.request("GET", parts.path, headers={name: value})
                r = conn.getresponse()
                r.read()
                if r.status >= 400:
                    bad += 1
            except OSError:
                bad += 1
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            local.append((time.perf_counter() - t0) * 1e3)
        with lock:
            latencies.extend(local)
            errors[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "rps": len(latencies) / elapsed,
        "errors": errors[0],
        "requests": len(latencies),
    }


def production_workers() -> int:
    """The worker count of the production configuration, computed for this machine."""
    import runpy

    return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["workers"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--workers",
        type=int,
        default=production_workers(),
        help="gunicorn workers (default: as deploy/gunicorn.conf.py on this machine)",
    )
    parser.add_argument(
        "--structure", help="slug of the generated structure to use (default: the first)"
    )
    parser.add_argument("--out", help="results file (default: bench/results-<db>.md)")
    parser.add_argument("--only", help="measure only pages whose URL contains this text")
    parser.add_argument(
        "--note", default="", help="free text written under the title (e.g. the preset)"
    )
    args = parser.parse_args()

    setup_django()
    from django.db.models import Count  # noqa: F401
    from django.test import Client

    from bench.sessions import session_cookie, verified_client
    from bench.urls import EMPTY_PATH
    from binome.accompaniment.models import Accompaniment, Contact
    from binome.accounts.models import ApiToken
    from binome.partners.models import Partner
    from binome.people.models import Structure
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Answer

    db = db_label()
    load_before = os.getloadavg()[0]
    cast = pick_cast(args.structure)
    pages = pages_for(cast)
    if args.only:
        pages = [p for p in pages if args.only in p.url]
    clients = {role: verified_client(user) for role, user in cast.users.items()}
    tokens = {role: ApiToken.issue(user, "bench")[1] for role, user in cast.users.items()}
    api_clients = {
        role: Client(HTTP_AUTHORIZATION=f"Bearer {token}") for role, token in tokens.items()
    }
    print(f"Structure {cast.structure.slug} — {len(pages)} pages, base {db}")

    # 1. Query counts, in process (the empty view's are the middleware's own).
    _s, empty_queries, _size = count_queries(clients["coordinator"], EMPTY_PATH)
    for page in pages:
        client = (api_clients if page.api else clients)[page.role]
        page.status, page.queries, page.size = count_queries(client, page.url)
        print(f"  {page.role:12} {page.url:70} {page.status} {page.queries:3} requêtes")

    # 2. Load, against gunicorn on loopback. The empty view is measured before and after
    # every page: each page's ratio is to the ceiling of the same minute, so a neighbour's
    # burst of activity on a shared machine moves both figures, not the ratio.
    load = run_wrk if shutil.which("wrk") else run_python_loop
    tool = "wrk" if load is run_wrk else "boucle Python (wrk absent)"
    cookies = {role: f"Cookie: {session_cookie(c)}" for role, c in clients.items()}
    bearers = {role: f"Authorization: Bearer {token}" for role, token in tokens.items()}
    empties = []
    with Server(workers=args.workers) as server:

        def measure(url, role, api=False):
            header = (bearers if api else cookies)[role]
            load(server.base + url, header, 1, args.workers)  # warm-up: every worker
            return load(server.base + url, header, args.duration, args.connections)

        empties.append(measure(EMPTY_PATH, "coordinator"))
        print(f"  vue vide : {empties[-1]['rps']:.0f} req/s, p95 {empties[-1]['p95']:.1f} ms")
        for page in pages:
            if page.status != 200:
                continue
            r = measure(page.url, page.role, page.api)
            page.p50, page.p95, page.p99, page.rps, page.errors, page.requests = (
                r["p50"],
                r["p95"],
                r["p99"],
                r["rps"],
                r["errors"],
                r["requests"],
            )
            empties.append(measure(EMPTY_PATH, "coordinator"))
            page.ceiling = (empties[-2]["rps"] + empties[-1]["rps"]) / 2
            print(
                f"  {page.role:12} {page.label:40} p95 {page.p95:7.1f} ms  {page.rps:7.1f} req/s"
                f"  ({page.rps / page.ceiling:.0%} de {page.ceiling:.0f})"
            )
    ceiling = statistics.mean(e["rps"] for e in empties)
    empty_p95 = statistics.median(e["p95"] for e in empties)

    with scopes_disabled():
        sizes = {
            "structures": Structure.objects.count(),
            "partenaires": Partner.objects.count(),
            "accompagnements": Accompaniment.objects.count(),
            "échanges": Contact.objects.count(),
            "réponses d'enquête": Answer.objects.count(),
        }
    out = Path(args.out or ROOT / "bench" / f"results-{db}.md")
    lines = [
        f"# Bench des pages — {db}",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/run_bench.py` ({tool}, {args.connections} connexions, "
        f"{args.duration} s par page, gunicorn {args.workers} workers, {os.cpu_count()} cœurs, charge de la machine "
        f"{load_before:.1f} au départ et {os.getloadavg()[0]:.1f} à la fin, Python {platform.python_version()}).",
        "",
        f"Données : {', '.join(f'{v:,} {k}'.replace(',', ' ') for k, v in sizes.items())}; structure mesurée "
        f"`{cast.structure.slug}` (les personnes les plus chargées).",
    ]
    if args.note:
        lines += ["", args.note]
    lines += [
        "",
        f"Plafond (vue vide derrière les mêmes middlewares, session ouverte), mesuré avant et après chaque page "
        f"({len(empties)} mesures) : de {min(e['rps'] for e in empties):.0f} à {max(e['rps'] for e in empties):.0f} "
        f"req/s (moyenne {ceiling:.0f}), p95 médian {empty_p95:.1f} ms, {empty_queries} requêtes SQL (session, "
        f"utilisateur, second facteur, appartenances aux structures et aux réseaux). Le débit de chaque page est "
        f"rapporté au plafond mesuré juste avant et juste après elle.",
        "",
        f"Cibles : p95 ≤ {TARGET_P95_MS} ms, ≤ {TARGET_QUERIES} requêtes SQL, débit ≥ {TARGET_RATIO:.0%} du plafond.",
        "",
        "| rôle | page | URL | statut | requêtes SQL | p50 ms | p95 ms | p99 ms | req/s | plafond voisin | % du plafond | erreurs | cibles |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    misses = 0
    for p in pages:
        ratio = p.rps / p.ceiling if p.ceiling else 0
        missed = []
        if p.status != 200:
            missed.append(f"statut {p.status}")
        else:
            if p.p95 > TARGET_P95_MS:
                missed.append("p95")
            if ratio < TARGET_RATIO:
                missed.append("débit")
            if p.errors:
                missed.append("erreurs")
        if p.queries is not None and p.queries > TARGET_QUERIES:
            missed.append("requêtes")
        misses += bool(missed)
        lines.append(
            f"| {p.role} | {p.label} | `{p.url}` | {p.status} | {p.queries} | {p.p50:.1f} | {p.p95:.1f} | {p.p99:.1f} | "
            f"{p.rps:.1f} | {p.ceiling:.0f} | {ratio:.0%} | {p.errors} | {'✔' if not missed else '✘ ' + ', '.join(missed)} |"
        )
    lines += ["", f"{len(pages) - misses} pages sur {len(pages)} atteignent les trois cibles."]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nRésultats écrits dans {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    urllib.request.install_opener(urllib.request.build_opener())
    sys.exit(main())
