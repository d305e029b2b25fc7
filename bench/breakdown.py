"""Where each page's time goes (issue 17): database, templates, the rest of Python.

    .venv/bin/python bench/breakdown.py [--requests 20] [--only /accompagnements/] [--out F]

For every page of `make bench` (bench/run_bench.py ``pages_for``), in process with Django's
test client and the same signed-in people, it times N requests and splits each one into:

- **base**: the empty view behind the same middleware (session, user, second factor,
  memberships), the ceiling of `make bench`;
- **SQL**: time inside the database driver, execution *and* reading of the rows (SQLite
  reads lazily: most of its work happens in ``fetchmany``, which a query counter misses);
- **gabarits**: template rendering (Django's templates and the Jinja2 rows of long lists,
  binome.core.rows), minus the SQL run from inside templates;
- **Python**: the rest of the view — building querysets and compiling them to SQL, forms,
  model instances, serialisation of the API's answers, audit.

The 33 % target of `make bench` means a page may cost about three times the empty view.
Writes bench/results-breakdown-<db>.md; the figures are in-process (no HTTP, no wrk), to
compare pages with each other and one run with the next, not with the bench's req/s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, db_label, pick_cast, setup_django  # noqa: E402

TARGET_FACTOR = 3.0  # 33 % of the ceiling: at most three empty views


class Clock:
    """Accumulates database time and template time, the latter without nested SQL."""

    def __init__(self):
        self.sql = 0.0
        self.template = 0.0
        self._template_depth = 0
        self._sql_in_template = 0.0

    def reset(self):
        self.sql = self.template = self._sql_in_template = 0.0

    def add_sql(self, seconds):
        self.sql += seconds
        if self._template_depth:
            self._sql_in_template += seconds


def install(clock: Clock):
    """Time the driver's cursor calls and the template backend's render()."""
    from django.db import connection
    from django.db.backends import utils
    from django.template.backends import django as django_backend

    from binome.core import rows

    def execute_wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            clock.add_sql(time.perf_counter() - started)

    connection.execute_wrappers.append(execute_wrapper)

    original_getattr = utils.CursorWrapper.__getattr__

    def timed_getattr(self, attr):
        value = original_getattr(self, attr)
        if attr in ("fetchone", "fetchmany", "fetchall"):

            def timed(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return value(*args, **kwargs)
                finally:
                    clock.add_sql(time.perf_counter() - started)

            return timed
        return value

    utils.CursorWrapper.__getattr__ = timed_getattr
    # Django's iteration over a cursor (results_iter) calls fetchmany through iter(); and
    # the cursor itself is iterated by some backends: time __iter__ too.
    original_iter = utils.CursorWrapper.__iter__

    def timed_iter(self):
        iterator = original_iter(self)
        while True:
            started = time.perf_counter()
            try:
                row = next(iterator)
            except StopIteration:
                clock.add_sql(time.perf_counter() - started)
                return
            clock.add_sql(time.perf_counter() - started)
            yield row

    utils.CursorWrapper.__iter__ = timed_iter

    def timed(render):
        def timed_render(*args, **kwargs):
            outermost = clock._template_depth == 0
            clock._template_depth += 1
            if outermost:
                clock._sql_in_template = 0.0
            started = time.perf_counter()
            try:
                return render(*args, **kwargs)
            finally:
                clock._template_depth -= 1
                if outermost:
                    clock.template += time.perf_counter() - started - clock._sql_in_template

        return timed_render

    django_backend.Template.render = timed(django_backend.Template.render)
    # The rows of long lists, rendered by Jinja2 in the view (binome.core.rows): templates too.
    rows.render_template = timed(rows.render_template)


def measure(client, url, clock, n):
    for _ in range(3):
        response = client.get(url)
    totals, sqls, templates = [], [], []
    for _ in range(n):
        clock.reset()
        started = time.perf_counter()
        client.get(url)
        totals.append(time.perf_counter() - started)
        sqls.append(clock.sql)
        templates.append(clock.template)
    # Medians of each part: a single slow request (a neighbour's burst) does not skew it.
    return (
        response.status_code,
        statistics.median(totals) * 1e3,
        statistics.median(sqls) * 1e3,
        statistics.median(templates) * 1e3,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="requests per page")
    parser.add_argument("--only", help="only pages whose URL contains this text")
    parser.add_argument("--out", help="results file (default: bench/results-breakdown-<db>.md)")
    parser.add_argument("--note", default="")
    args = parser.parse_args()

    setup_django()
    from django.test import Client

    from bench.run_bench import pages_for
    from bench.sessions import verified_client
    from bench.urls import EMPTY_PATH
    from binome.accounts.models import ApiToken

    cast = pick_cast()
    pages = pages_for(cast)
    if args.only:
        pages = [p for p in pages if args.only in p.url]
    clients = {role: verified_client(user) for role, user in cast.users.items()}
    api_clients = {
        role: Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'breakdown')[1]}")
        for role, user in cast.users.items()
    }
    clock = Clock()
    install(clock)
    empties = []
    rows = []
    for page in pages:
        # The empty view right before each page: a neighbour's burst of activity on a shared
        # machine weighs on both (as in run_bench.py).
        _s, empty, empty_sql, _t = measure(clients["coordinator"], EMPTY_PATH, clock, args.requests)
        empties.append((empty, empty_sql))
        client = (api_clients if page.api else clients)[page.role]
        status, total, sql, template = measure(client, page.url, clock, args.requests)
        # The page's own work: what the empty view does not do (its SQL is the base's too).
        own_sql = max(sql - empty_sql, 0.0)
        python = max(total - empty - own_sql - template, 0.0)
        rows.append((page, status, total, own_sql, template, python, empty))
        print(
            f"  {page.role:12} {page.label:40} {total:6.1f} ms = base {empty:4.1f} + SQL {own_sql:5.1f}"
            f" + gabarits {template:5.1f} + Python {python:5.1f}  (x{total / empty:.1f})"
        )

    def main_cost(sql, template, python):
        parts = {"SQL": sql, "gabarits": template, "Python": python}
        return max(parts, key=parts.get)

    empty = statistics.median(e for e, _sql in empties)
    empty_sql = statistics.median(sql for _e, sql in empties)
    db = db_label()
    out = Path(args.out or ROOT / "bench" / f"results-breakdown-{db}.md")
    lines = [
        f"# Où va le temps de chaque page — {db}",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/breakdown.py` ({args.requests} requêtes "
        f"par page dans le processus, médianes ; structure `{cast.structure.slug}`, les personnes les plus chargées).",
    ]
    if args.note:
        lines += ["", args.note]
    lines += [
        "",
        f"Base (vue vide derrière les mêmes middlewares, mesurée avant chaque page) : médiane {empty:.1f} ms "
        f"(de {min(e for e, _s in empties):.1f} à {max(e for e, _s in empties):.1f}), dont {empty_sql:.1f} ms de SQL. "
        f"La cible de `make bench` (débit ≥ 33 % du plafond) revient à une page d'au plus "
        f"≈ {TARGET_FACTOR:.0f} fois la base, soit ≈ {TARGET_FACTOR * empty:.0f} ms ici.",
        "",
        "SQL : exécution et lecture des lignes par le pilote ; gabarits : rendu, sans le SQL lancé "
        "depuis les gabarits ; Python : le reste de la vue (construction et compilation des "
        "requêtes par l'ORM, formulaires, instances, sérialisation de l'API, audit).",
        "",
        "| rôle | page | statut | total ms | × base | SQL ms | gabarits ms | Python ms | poste principal |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, status, total, sql, template, python, base in rows:
        lines.append(
            f"| {page.role} | {page.label} | {status} | {total:.1f} | {total / base:.1f} | {sql:.1f} | "
            f"{template:.1f} | {python:.1f} | {main_cost(sql, template, python)} |"
        )
    within = sum(1 for r in rows if r[2] <= TARGET_FACTOR * r[6])
    lines += [
        "",
        f"{within} pages sur {len(rows)} coûtent au plus {TARGET_FACTOR:.0f} fois la base.",
    ]
    out.write_text("\n".join(lines) + "\n")
    print(f"\nRésultats écrits dans {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
