#!/usr/bin/env python
"""Time the import of a 5,000-row accompaniments file on a throw-away SQLite database.

    .venv/bin/python scripts/bench_import.py [--rows 5000]

Builds a structure with a coordinator, ten professionals and fifty partners, writes an XLSX
file of accompaniments (three paper consents each, two past contacts, one in five ended),
then runs the page's flow: preview of every row (rolled back), then the import of the valid
rows in one transaction. Prints both figures. Target (issue 15): the import under 60 s.
"""

import argparse
import os
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()

    os.environ["BINOME_VAR_DIR"] = tempfile.mkdtemp(prefix="binome-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binome.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)
    from django_scopes import scopes_disabled

    from binome.accompaniment.models import Accompaniment, Consent
    from binome.imports import services

    with scopes_disabled():
        structure, coordinator, content = _populate(args.rows)
        start = time.perf_counter()
        batch = services.open_batch(structure=structure, kind="accompagnements", name="bench.xlsx", content=content, actor=coordinator)
        preview = time.perf_counter() - start
        assert batch.n_errors == 0, batch.outcome[:3]
        start = time.perf_counter()
        services.decide(batch, import_valid=True, actor=coordinator)
        imported = time.perf_counter() - start
        n_acc, n_consents = Accompaniment.objects.count(), Consent.objects.count()
    print(f"Import of {args.rows} accompaniments (SQLite): preview {preview:.1f} s, import {imported:.1f} s "
          f"(target < 60 s) — {n_acc} accompaniments, {n_consents} paper consents — {'OK' if imported < 60 else 'TOO SLOW'}")
    return 0 if imported < 60 else 1


def _populate(n):
    from openpyxl import Workbook

    from binome.partners.models import Partner
    from binome.people.models import Membership, Profession, Region, Role, Structure, User

    structure = Structure.objects.create(slug="bench", name="MSP du banc d'essai", kind="msp", region=Region.OCC)
    coordinator = User.objects.create_user(email="coordination@bench.test", password="mot-de-passe-banc")
    Membership.objects.create(user=coordinator, structure=structure, role=Role.COORDINATOR)
    doctors = []
    for i in range(10):
        user = User.objects.create_user(email=f"medecin{i}@bench.test", password="mot-de-passe-banc")
        Membership.objects.create(user=user, structure=structure, role=Role.PROFESSIONAL, profession=Profession.GP)
        doctors.append(user.email)
    partners = [Partner.objects.create(structure=structure, first_name=f"Partenaire{i}", last_name="Banc",
                                       email=f"partenaire{i}@bench.test", status=Partner.Status.ACTIVE) for i in range(50)]
    book = Workbook()
    sheet = book.active
    sheet.append(["Prénom du patient", "Nom du patient", "Téléphone du patient", "Patient partenaire", "Orienté par", "Orienté le",
                  "Accord pour être contacté (date)", "Accord pour transmettre ses coordonnées (date)",
                  "Accord pour partager un résumé avec l'équipe (date)", "Contacts (dates)", "Terminé le"])
    for i in range(n):
        day = 1 + i % 27
        sheet.append([f"Patient{i}", "B", f"06{i:08d}", partners[i % 50].email, doctors[i % 10], f"{day:02d}/03/2026",
                      f"{day:02d}/03/2026", f"{day:02d}/03/2026", f"{day:02d}/03/2026",
                      f"{day:02d}/04/2026; {day:02d}/05/2026", f"{day:02d}/06/2026" if i % 5 == 0 else ""])
    out = BytesIO()
    book.save(out)
    return structure, coordinator, out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
