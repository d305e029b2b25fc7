"""API fuzzing (issue 9): schemathesis over /api/v1/openapi.json with every demo token, in one run.

    export BINOME_VAR_DIR=/tmp/binome-fuzz BINOME_DEMO=true    # a fresh, throwaway demo database
    .venv/bin/binome migrate && .venv/bin/binome load_demo
    .venv/bin/python bench/fuzz_api.py                          # ≥ 10,000 calls, ≈ 10 min on 2 cores

Starts gunicorn on loopback (bench settings, demo mode) and runs, for each demo API token
(binome.people.demo_set.ACCOUNTS and FACILITATOR), ``schemathesis run`` (coverage, fuzzing and
stateful phases) with the checks not_a_server_error, response_schema_conformance (error
answers included: binome/api/base.py documents them), status_code_conformance and
content_type_conformance. Operations with a path parameter get, besides generated values,
a real identifier of the token's structure (a second pass), so that bodies are fuzzed
against existing objects and not only against 404s. Every recorded answer (HAR) with a status
≥ 400 is also checked against the error shape {"detail": str, "errors"?: [{field, message}]}
— 405s and unknown addresses included, which the schema cannot document — except gunicorn's
HTML 414 (request line over 4,094 bytes), documented as such.
Needs schemathesis (``pip install -e '.[bench]'``). Write operations run: use a throwaway
database. Writes bench/results-fuzz-api.md; full output and reports in --logs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Server, db_label, setup_django  # noqa: E402

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def identifiers(structure) -> dict[str, dict]:
    """A real object of this structure for each operation with a path parameter."""
    from binome.accompaniment.models import Accompaniment, Alert
    from binome.compensation.models import Expense, Statement, TimeEntry
    from binome.involvement.models import InvolvementAction
    from binome.missions.models import Mission
    from binome.networks.models import Campaign, MaturityAssessment
    from binome.partners.models import Partner
    from binome.people.scoping import scopes_disabled
    from binome.steering.models import Project
    from binome.tandems.models import Tandem, TandemReport
    from binome.voice.models import Idea, Proposal, Survey

    def first(model, **filters):
        obj = model.objects.filter(**filters).order_by("pk").first()
        return str(obj.public_id) if obj else None

    s = structure
    with scopes_disabled():
        by_path = {
            "/accompaniment/{public_id}": first(Accompaniment, structure=s),
            "/accompaniment/alerts/{public_id}": first(Alert, accompaniment__structure=s),
            "/accompaniment/tandems/{public_id}": first(Tandem, structure=s),
            "/accompaniment/tandem-reports/{public_id}": first(TandemReport, tandem__structure=s),
            "/partners/{public_id}": first(Partner, structure=s),
            "/missions/{public_id}": first(Mission, structure=s),
            "/involvement/actions/{public_id}": first(InvolvementAction, structure=s),
            "/voice/surveys/{public_id}": first(Survey, structure=s),
            "/voice/ideas/{public_id}": first(Idea, structure=s),
            "/voice/proposals/{public_id}": first(Proposal, structure=s),
            "/networks/assessments/{public_id}": first(MaturityAssessment, structure=s),
            "/networks/campaigns/{public_id}": first(Campaign),
            "/compensation/time/{public_id}": first(TimeEntry, structure=s),
            "/compensation/expenses/{public_id}": first(Expense, structure=s),
            "/compensation/statements/{public_id}": first(Statement, structure=s),
            "/steering/projects/{public_id}": first(Project, structure=s),
        }
        survey = (
            Survey.objects.filter(structure=s, state=Survey.State.PUBLISHED)
            .exclude(public_token="")
            .first()
        )
    params = {
        f"/api/v1{prefix}": {"public_id": value} for prefix, value in by_path.items() if value
    }
    params["/api/v1/structures/{slug}"] = {"slug": s.slug}
    params["/api/v1/voice/public/{slug}"] = {"slug": s.slug}
    params["/api/v1/involvement/aci/{slug}/{year}"] = {
        "slug": s.slug,
        "year": datetime.now(UTC).year,
    }
    if survey is not None and survey.public_token:
        params["/api/v1/voice/public/surveys/{token}"] = {"token": survey.public_token}
    return params


def config_toml(params: dict[str, dict]) -> str:
    """schemathesis.toml: fixed path parameters for the operations under each prefix."""
    out = []
    for prefix, values in params.items():
        out += ["[[operations]]", f"include-path-regex = {json.dumps('^' + re.escape(prefix))}"]
        out.append(
            "parameters = { "
            + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in values.items())
            + " }"
        )
        out.append("")
    return "\n".join(out)


def error_shape_problem(entry) -> str | None:
    """None if a ≥ 400 answer is JSON {"detail": str, "errors"?: [{"field": str|None, "message": str}]},
    or, from a FHIR operation, an OperationOutcome in FHIR JSON (as documented)."""
    content = entry["response"]["content"]
    if (content.get("mimeType") or "").startswith("application/fhir+json"):
        try:
            body = json.loads(content.get("text") or "")
        except ValueError:
            return "JSON FHIR illisible"
        if "/api/v1/fhir/" in entry["request"]["url"] and body.get("resourceType") == (
            "OperationOutcome"
        ):
            return None
        return "réponse FHIR hors d'une opération FHIR ou sans OperationOutcome"
    if not (content.get("mimeType") or "").startswith("application/json"):
        return f"type {content.get('mimeType')!r}"
    try:
        body = json.loads(content.get("text") or "")
    except ValueError:
        return "JSON illisible"
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("detail"), str)
        or set(body) - {"detail", "errors"}
    ):
        return f"forme {sorted(body) if isinstance(body, dict) else type(body).__name__}"
    errors = body.get("errors")
    if errors is not None and not (
        isinstance(errors, list)
        and all(
            isinstance(e, dict)
            and set(e) == {"field", "message"}
            and isinstance(e["message"], str)
            and (e["field"] is None or isinstance(e["field"], str))
            for e in errors
        )
    ):
        return "errors mal formé"
    return None


def run_token(server, email, token, args, config: Path | None, label: str, env) -> dict:
    report_dir = Path(args.logs) / f"{email}{label}"
    cmd = [sys.executable, "-m", "schemathesis.cli"]
    if config is not None:
        cmd += ["--config-file", str(config)]
    cmd += [
        "run",
        f"{server.base}/api/v1/openapi.json",
        "-H",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "-n",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--no-color",
        "--request-timeout",
        "30",
        "--workers",
        str(args.st_workers),
        "--generation-database",
        "none",
        "--suppress-health-check",
        "all",
        "--continue-on-failure",
        "--report",
        "json,har",
        "--report-dir",
        str(report_dir),
    ]
    print("$", " ".join(cmd[1:]).replace(token, "<jeton>"), flush=True)
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    text = ANSI.sub("", proc.stdout + proc.stderr)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "output.log").write_text(text)
    report = (
        json.loads(next(report_dir.glob("json-*.json")).read_text())
        if list(report_dir.glob("json-*.json"))
        else {}
    )
    statuses, shape_problems = Counter(), Counter()
    for har in report_dir.glob("har-*.json"):
        for entry in json.loads(har.read_text())["log"]["entries"]:
            status = entry["response"]["status"]
            statuses[status] += 1
            # 414: gunicorn's own HTML answer to a request line over 4,094 bytes (documented as such).
            if status >= 400 and status != 414 and (problem := error_shape_problem(entry)):
                url = re.sub(r"^https?://[^/]+", "", entry["request"]["url"])[:120]
                shape_problems[f"{status} {entry['request']['method']} {url} : {problem}"] += 1
    failures = Counter()
    for failure in report.get("failures", []):
        failures[
            f"{failure.get('operation', '?')} — {failure.get('title') or failure.get('check') or failure}"
        ] += 1
    cases = report.get("test_cases", {})
    result = {
        "email": email,
        "pass": label.strip(" ()") or "générés",
        "rc": proc.returncode,
        "seconds": elapsed,
        "calls": sum(statuses.values()),
        "cases": cases.get("generated"),
        "unique_failures": cases.get("unique_failures", 0) if cases else None,
        "errors": len(report.get("errors", [])),
        "operations": report.get("operations", {}).get("tested"),
        "statuses": statuses,
        "failures": failures,
        "shape_problems": shape_problems,
        "tail": "\n".join(text.strip().splitlines()[-60:]),
    }
    print(
        f"  {email}{label}: {result['calls']} appels, {result['unique_failures']} échecs, "
        f"{sum(shape_problems.values())} erreurs hors format, {elapsed:.0f} s",
        flush=True,
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--max-examples", type=int, default=10, help="fuzzing-phase cases per operation"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--st-workers", type=int, default=2, help="schemathesis workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--min-calls", type=int, default=10_000, help="exit 1 below this many calls"
    )
    parser.add_argument(
        "--no-identifiers", action="store_true", help="skip the pass with real identifiers"
    )
    parser.add_argument("--out")
    parser.add_argument(
        "--logs", default="/tmp/binome-fuzz-logs", help="output and reports of each token"
    )
    parser.add_argument("--only", help="only the token of this e-mail")
    args = parser.parse_args()

    setup_django()
    from binome.people.demo_set import ACCOUNTS, FACILITATOR
    from binome.people.models import NetworkMembership, Structure
    from binome.people.scoping import scopes_disabled

    db = db_label()
    tokens = [(a[0], a[6], a[3]) for a in ACCOUNTS] + [(FACILITATOR[0], FACILITATOR[4], None)]
    if args.only:
        tokens = [t for t in tokens if t[0] == args.only]
    env = {**os.environ, "BINOME_DEMO": "true"}
    logs = Path(args.logs)
    logs.mkdir(parents=True, exist_ok=True)
    results = []
    started = time.monotonic()
    with Server(
        workers=args.workers, extra_env={"BINOME_DEMO": "true", "BENCH_RATELIMIT": "false"}
    ) as server:
        for email, token, slug in tokens:
            results.append(run_token(server, email, token, args, None, "", env))
            if args.no_identifiers:
                continue
            with scopes_disabled():
                if slug:
                    structure = Structure.objects.get(slug=slug)
                else:  # the facilitator: a structure of their network
                    nm = (
                        NetworkMembership.objects.filter(user__email=email)
                        .select_related("network")
                        .first()
                    )
                    structure = Structure.objects.filter(networks=nm.network).order_by("pk").first()
            params = identifiers(structure)
            config = logs / f"{email}.toml"
            config.write_text(config_toml(params))
            results.append(
                run_token(server, email, token, args, config, " (identifiants réels)", env)
            )
    elapsed = time.monotonic() - started
    write_results(args, db, results, elapsed)
    total = sum(r["calls"] for r in results)
    bad = sum(r["unique_failures"] or 0 for r in results) + sum(
        sum(r["shape_problems"].values()) for r in results
    )
    errored = any(r["unique_failures"] is None or r["errors"] for r in results)
    return 1 if bad or errored or total < args.min_calls else 0


def write_results(args, db, results, elapsed):
    total = sum(r["calls"] for r in results)
    statuses = sum((r["statuses"] for r in results), Counter())
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    shape = sum((r["shape_problems"] for r in results), Counter())
    per_token = Counter()
    for r in results:
        per_token[r["email"]] += r["calls"]
    out = Path(args.out or ROOT / "bench" / "results-fuzz-api.md")
    options = f"--max-examples {args.max_examples} --seed {args.seed}" + (
        " --no-identifiers" if args.no_identifiers else ""
    )
    lines = [
        f"# Fuzzing de l'API (schemathesis) — {db}",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, en une exécution, par "
        f"`.venv/bin/python bench/fuzz_api.py {options}` sur une base de démonstration neuve "
        f"(`binome migrate && binome load_demo`), gunicorn {args.workers} workers, machine partagée "
        f"de 2 cœurs. Durée : {elapsed / 60:.0f} min.",
        "",
        f"Vérifications schemathesis : `{CHECKS}` ; phases coverage, fuzzing et stateful ; "
        "les réponses d'erreur sont documentées dans l'OpenAPI (`ApiError`, `binome/api/base.py`). "
        "En plus, chaque réponse ≥ 400 enregistrée (HAR) est contrôlée contre la forme d'erreur "
        "(y compris les 405 et adresses inconnues, que le schéma ne peut pas décrire), "
        "sauf les 414 de gunicorn (ligne de requête > 4 094 octets, page HTML, documentée comme telle).",
        "",
        f"**{total} appels**, {results[0]['operations'] if results else '?'} opérations par jeton ; "
        f"**{server_errors} réponse(s) 5xx**, "
        f"**{sum(r['unique_failures'] or 0 for r in results)} échec(s) schemathesis**, "
        f"**{sum(shape.values())} réponse(s) d'erreur hors format**.",
        "",
        "| jeton de démonstration | passe | appels | cas | échecs uniques | erreurs hors format | durée (s) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['email']} | {r['pass']} | {r['calls']} | {r['cases'] if r['cases'] is not None else '?'} | "
            f"{r['unique_failures'] if r['unique_failures'] is not None else '?'} | {sum(r['shape_problems'].values())} | "
            f"{r['seconds']:.0f} |"
            for r in results
        ),
        "",
        "Appels par jeton : " + ", ".join(f"{e} {n}" for e, n in per_token.items()) + ".",
        "",
        "Statuts reçus : " + ", ".join(f"{s} × {n}" for s, n in sorted(statuses.items())) + ".",
        "",
    ]
    if shape:
        lines += [
            "## Réponses d'erreur hors format",
            "",
            *(f"- {k} (× {n})" for k, n in shape.most_common(30)),
            "",
        ]
    for r in results:
        if r["unique_failures"] or r["unique_failures"] is None or r["errors"]:
            lines += [
                f"## {r['email']} — {r['pass']}",
                "",
                *(f"- {k} (× {n})" for k, n in r["failures"].most_common(30)),
                "",
                "```",
                r["tail"],
                "```",
                "",
            ]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:14]))


if __name__ == "__main__":
    sys.exit(main())
