#!/usr/bin/env python
"""Time the network dashboard over 2,000 opted-in structures.

    .venv/bin/python scripts/bench_network_dashboard.py [--structures 2000] [--runs 10]

Without DATABASE_URL it runs on a throw-away SQLite file. With DATABASE_URL set (a
PostgreSQL server), Django's test-database machinery creates and then drops a
``test_<name>`` database next to it, so the real database is never touched.
Each structure gets two self-assessments and, when the involvement register is
installed, two involvement actions. Prints the median and the worst time of
``reports.network_dashboard`` (what the dashboard page and API compute). Target on
PostgreSQL: under 300 ms.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    on_postgres = bool(os.environ.get("DATABASE_URL"))
    if not on_postgres:
        os.environ["BINOME_VAR_DIR"] = tempfile.mkdtemp(prefix="binome-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binome.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    old_name = None
    if on_postgres:
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0, skip_checks=True)
    try:
        from django_scopes import scopes_disabled

        with scopes_disabled():
            network = _populate(args.structures)
            from binome.networks.reports import network_dashboard

            timings = []
            data = None
            for _ in range(args.runs):
                start = time.perf_counter()
                data = network_dashboard(network)
                timings.append((time.perf_counter() - start) * 1000)
        engine = connection.vendor
        levels = ", ".join(f"{s.label} {s.count}" for s in data["levels"])
        print(f"{engine}: network dashboard over {data['structures']} structures ({levels})")
        print(f"median {statistics.median(timings):.1f} ms, worst {max(timings):.1f} ms over {args.runs} runs")
    finally:
        if on_postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _populate(n):
    from django.apps import apps
    from django.utils import timezone

    from binome.networks import questionnaire as q
    from binome.networks.models import MaturityAssessment
    from binome.people.models import Network, NetworkAffiliation, Region, Structure

    rng = random.Random(2024)
    network = Network.objects.create(slug="bench", name="Réseau de test", region=Region.OCC)
    Structure.objects.bulk_create([
        Structure(slug=f"bench-{i}", name=f"MSP {i}", kind="msp", region=Region.OCC, department=rng.choice(["09", "31", "34", "81"]))
        for i in range(n)
    ], batch_size=500)
    structures = list(Structure.objects.filter(slug__startswith="bench-"))
    NetworkAffiliation.objects.bulk_create([NetworkAffiliation(structure=s, network=network) for s in structures], batch_size=500)
    now = timezone.now()
    assessments = []
    for s in structures:
        for age in (400, 20):
            level = rng.choice(q.LEVEL_ORDER)
            assessments.append(MaturityAssessment(structure=s, answers={}, level=level, level_from_answers=level,
                                                  created_at=now - dt.timedelta(days=age)))
    MaturityAssessment.objects.bulk_create(assessments, batch_size=1000)
    if apps.is_installed("binome.involvement"):
        model = apps.get_model("involvement", "InvolvementAction")
        fields = {f.name for f in model._meta.get_fields()}
        rows = []
        for s in structures:
            for aci_level, level in ((1, q.CONSULTATION), (rng.choice([1, 2]), q.COLLABORATION)):
                data = {"structure": s, "level": level, "start_date": now.date().replace(month=1, day=15)}
                for name, value in (("aci_level", aci_level), ("title", "Action"), ("kind", "survey")):
                    if name in fields:
                        data[name] = value
                rows.append(model(**data))
        model.objects.bulk_create(rows, batch_size=1000)
    return network


if __name__ == "__main__":
    main()
