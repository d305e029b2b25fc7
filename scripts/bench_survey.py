#!/usr/bin/env python
"""Time the survey results page for 10,000 answers on a throw-away SQLite database.

    .venv/bin/python scripts/bench_survey.py [--responses 10000] [--runs 10]

Builds a survey of six questions (two scales, one single choice, one multiple choice, two
free texts), stores the responses in bulk, then requests the results page through Django's
test client as the coordinator (middleware, scoping, template rendering included) and
prints the median and worst time. Target: under 300 ms for 10,000 answers. Also times the
free-text themes (computed once, then cached).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXTS = [
    "Le délai pour avoir un rendez-vous est trop long",
    "Le parking est trop petit le matin",
    "Accueil très aimable, merci aux secrétaires",
    "Le téléphone sonne souvent dans le vide",
    "Des ateliers sur l'alimentation seraient utiles",
    "L'attente en salle d'attente est longue",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="binome-bench-")
    os.environ["BINOME_VAR_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binome.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, skip_checks=True)

    from django.test import Client
    from django_scopes import scopes_disabled

    from tests.conftest import force_verified_login

    with scopes_disabled():
        coordinator, survey = _populate(args.responses)
    client = Client()
    force_verified_login(client, coordinator)
    url = f"/voix/enquetes/{survey.public_id}/resultats/"
    assert client.get(url).status_code == 200  # warm-up
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    median, worst = statistics.median(timings), max(timings)
    start = time.perf_counter()
    assert client.get(f"/voix/enquetes/{survey.public_id}/themes/").status_code == 200
    themes = time.perf_counter() - start
    print(f"Survey results page, {args.responses} responses (SQLite, {args.runs} runs): "
          f"median {median:.1f} ms, worst {worst:.1f} ms (target < 300 ms) — {'OK' if median < 300 else 'TOO SLOW'}")
    print(f"Free-text themes of 2 × {args.responses} answers (first computation, then cached): {themes:.1f} s")
    return 0 if median < 300 else 1


def _populate(n):
    from binome.people.models import Membership, Region, Role, Structure, User
    from binome.voice.models import Answer, Question, Response, Survey

    structure = Structure.objects.create(slug="bench", name="MSP du banc d'essai", kind="msp", region=Region.OCC)
    user = User.objects.create_user(email="coordination@bench.test", password="mot-de-passe-banc")
    Membership.objects.create(user=user, structure=structure, role=Role.COORDINATOR)
    survey = Survey.objects.create(structure=structure, title="Enquête de satisfaction", state=Survey.State.PUBLISHED)
    spec = [
        (Question.Kind.SCALE, "Accueil", []),
        (Question.Kind.SCALE, "Explications", []),
        (Question.Kind.SINGLE, "Prise de rendez-vous", ["Téléphone", "Internet", "Sur place"]),
        (Question.Kind.MULTIPLE, "Ateliers", ["Diabète", "Alimentation", "Sommeil", "Mémoire"]),
        (Question.Kind.TEXT, "À améliorer", []),
        (Question.Kind.TEXT, "Un mot", []),
    ]
    questions = [Question.objects.create(survey=survey, kind=k, label=label, choices=c, position=i) for i, (k, label, c) in enumerate(spec)]
    rng = random.Random(1)
    responses = Response.objects.bulk_create(
        [Response(survey=survey, structure=structure, submission_token=f"bench-{i:012d}") for i in range(n)], batch_size=2000
    )
    answers = []
    for r in responses:
        for q in questions:
            if q.kind == Question.Kind.SCALE:
                answers.append(Answer(response=r, question=q, value=rng.randint(1, 5)))
            elif q.kind == Question.Kind.SINGLE:
                answers.append(Answer(response=r, question=q, value=rng.randrange(3)))
            elif q.kind == Question.Kind.MULTIPLE:
                answers.extend(Answer(response=r, question=q, value=v) for v in rng.sample(range(4), 2))
            else:
                answers.append(Answer(response=r, question=q, text=f"{rng.choice(TEXTS)} ({rng.randint(1, 99)})"))
    Answer.objects.bulk_create(answers, batch_size=5000)
    return user, survey


if __name__ == "__main__":
    sys.exit(main())
