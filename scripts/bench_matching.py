#!/usr/bin/env python
"""Time the matching of a mission against 1,000 partners on a throw-away SQLite database.

    .venv/bin/python scripts/bench_matching.py [--partners 1000] [--runs 20]

Prints the median and worst time of ranking every partner and explaining the first page
(what the matching page does). Target: under 100 ms for 1,000 partners.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="binome-bench-")
    os.environ["BINOME_VAR_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binome.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)

    from django_scopes import scopes_disabled

    with scopes_disabled():
        structure, mission = _populate(args.partners)
        from binome.missions import matching

        criteria = list(mission.criteria.all())
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            ranked = matching.ranked(mission, criteria)
            total = ranked.count()
            page = list(ranked[:25])
            matching.explain(mission, page, criteria)
            timings.append((time.perf_counter() - start) * 1000)
    median, worst = statistics.median(timings), max(timings)
    print(f"Matching of 1 mission against {total} partners (SQLite, {args.runs} runs): "
          f"median {median:.1f} ms, worst {worst:.1f} ms (target < 100 ms) — {'OK' if median < 100 else 'TOO SLOW'}")
    return 0 if median < 100 else 1


def _populate(n):
    from binome.missions.models import Mission, MissionAssignment, MissionCriterion
    from binome.partners.models import Partner, PartnerTag, Training
    from binome.people.models import Region, Structure, User

    structure = Structure.objects.create(slug="bench", name="MSP du banc d'essai", kind="msp", region=Region.OCC)
    user = User.objects.create_user(email="bench@exemple.fr")
    mission = Mission.objects.create(
        structure=structure, title="Co-animation ETP", kind="etp_coanimation", slot="evening",
        required_training="etp_40h", estimated_hours_per_month=4, remote_possible=True,
    )
    for kind, value, label in (("skill", "animation", "Animation"), ("condition", "diabete-de-type-2", "Diabète de type 2"),
                               ("language", "arabe", "Arabe"), ("topic", "fin-de-vie", "Fin de vie")):
        MissionCriterion.objects.create(mission=mission, kind=kind, value=value, label=label)
    skills = ["animation", "ecoute", "redaction", "communication", "gestion-de-projet"]
    conditions = ["diabete-de-type-2", "cancer-du-sein", "bpco", "depression", "insuffisance-cardiaque"]
    languages = ["francais", "arabe", "anglais", "espagnol", "occitan"]
    partners = Partner.objects.bulk_create([
        Partner(structure=structure, first_name=f"Prénom{i}", last_name=f"Nom{i:04d}", status="active" if i % 10 else "paused",
                available_evening=bool(i % 2), remote_ok=bool(i % 3), share_conditions=bool(i % 4), hours_per_month=2 + i % 10)
        for i in range(n)
    ])
    tags = []
    for i, p in enumerate(partners):
        tags += [PartnerTag(partner=p, kind="skill", value=skills[i % 5], label=skills[i % 5]),
                 PartnerTag(partner=p, kind="skill", value=skills[(i + 2) % 5], label=skills[(i + 2) % 5]),
                 PartnerTag(partner=p, kind="condition", value=conditions[i % 5], label=conditions[i % 5]),
                 PartnerTag(partner=p, kind="language", value="francais", label="Français")]
        if i % 5:
            tags.append(PartnerTag(partner=p, kind="language", value=languages[i % 5], label=languages[i % 5]))
        if i % 9 == 0:
            tags.append(PartnerTag(partner=p, kind="limit", value="fin-de-vie", label="Fin de vie"))
    PartnerTag.objects.bulk_create(tags)
    Training.objects.bulk_create([Training(partner=p, kind="etp_40h", title="ETP 40 h") for p in partners[::3]])
    busy = [Mission.objects.create(structure=structure, title=f"Mission {k}", kind="peer_accompaniment", status="active") for k in range(20)]
    MissionAssignment.objects.bulk_create(
        [MissionAssignment(mission=busy[i % 20], partner=p, assigned_by=user) for i, p in enumerate(partners) if i % 3 == 0]
    )
    return structure, mission


if __name__ == "__main__":
    sys.exit(main())
