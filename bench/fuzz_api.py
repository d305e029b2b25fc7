"""API fuzzing (issue 9): schemathesis over /api/v1/openapi.json with every demo token.

    BINOME_VAR_DIR=/tmp/binome-fuzz BINOME_DEMO=true .venv/bin/binome migrate
    BINOME_VAR_DIR=/tmp/binome-fuzz BINOME_DEMO=true .venv/bin/binome load_demo
    BINOME_VAR_DIR=/tmp/binome-fuzz BINOME_DEMO=true .venv/bin/python bench/fuzz_api.py --max-examples 200

Starts gunicorn on loopback (bench settings, demo mode) and runs, for each demo API token
(binome.people.demo.ACCOUNTS and FACILITATOR), ``schemathesis run`` with the checks
not_a_server_error, response_schema_conformance, content_type_conformance and
status_code_conformance (no 5xx, every answer — errors included — in the documented JSON
shape). Needs schemathesis (``pip install -e '.[bench]'`` or ``--pythonpath DIR``).
The write operations run too: use a throwaway database. Writes bench/results-fuzz-<db>.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Server, db_label, setup_django  # noqa: E402

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-examples", type=int, default=100, help="test cases per operation and token")
    parser.add_argument("--max-time", type=int, default=None, help="seconds per token (optional budget)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pythonpath", default="")
    parser.add_argument("--out")
    parser.add_argument("--logs", default="/tmp/binome-fuzz-logs", help="directory for each token's full output")
    parser.add_argument("--only", help="only the token of this e-mail")
    args = parser.parse_args()

    setup_django()
    from binome.people.demo import ACCOUNTS, FACILITATOR

    db = db_label()
    tokens = [(a[0], a[6]) for a in ACCOUNTS] + [(FACILITATOR[0], FACILITATOR[4])]
    if args.only:
        tokens = [t for t in tokens if t[0] == args.only]
    env = {**os.environ, "BINOME_DEMO": "true"}
    if args.pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.pythonpath, env.get("PYTHONPATH", "")]))
    log_dir = Path(args.logs)
    results = []
    started = time.monotonic()
    with Server(workers=args.workers, extra_env={"BINOME_DEMO": "true", "BENCH_RATELIMIT": "false"}) as server:
        for email, token in tokens:
            cmd = [sys.executable, "-m", "schemathesis.cli", "run", f"{server.base}/api/v1/openapi.json",
                   "-H", f"Authorization: Bearer {token}", "--checks", CHECKS, "-n", str(args.max_examples),
                   "--seed", str(args.seed), "--no-color", "--request-timeout", "30", "--workers", "1",
                   "--generation-database", "none", "--suppress-health-check", "all"]
            if args.max_time:
                cmd += ["--max-time", str(args.max_time)]
            print("$", " ".join(cmd[1:]).replace(token, "<jeton>"), flush=True)
            proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
            text = ANSI.sub("", proc.stdout + proc.stderr)
            generated = re.search(r"Test cases:\s+(\d+) generated", text)
            failures = re.search(r"(\d+) unique failures?", text)
            server_errors = len(re.findall(r"Server error", text))
            results.append({
                "email": email, "rc": proc.returncode, "cases": int(generated.group(1)) if generated else None,
                "failures": int(failures.group(1)) if failures else 0, "server_errors": server_errors,
                "tail": "\n".join(line for line in text.strip().splitlines()[-40:]),
            })
            log_dir.mkdir(parents=True, exist_ok=True)
            (log_dir / f"{email}.log").write_text(text)
            print(text[-1500:], flush=True)
    elapsed = time.monotonic() - started
    total = sum(r["cases"] or 0 for r in results)
    out = Path(args.out or ROOT / "bench" / f"results-fuzz-{db}.md")
    lines = [
        f"# Fuzzing de l'API (schemathesis) — {db}",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/fuzz_api.py --max-examples {args.max_examples}` "
        f"({elapsed:.0f} s) ; vérifications : `{CHECKS}`.",
        "",
        "| jeton de démonstration | cas générés | échecs uniques | erreurs 5xx signalées |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {r['email']} | {r['cases'] if r['cases'] is not None else '?'} | {r['failures']} | {r['server_errors']} |"
          for r in results),
        "",
        f"Total : {total} appels générés.",
        "",
    ]
    for r in results:
        if r["failures"] or r["cases"] is None:
            lines += [f"## {r['email']}", "", "```", r["tail"], "```", ""]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:12 + len(results)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
