"""`python bench/seed_scale.py --preset team|national --structures N --seed S`: data at scale.

Outside the installed package (docs/architecture.md): run from a checkout, with the same
settings as `binome` (BINOME_VAR_DIR, DATABASE_URL).
"""

import os
import sys
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.generator import PRESETS, generate  # noqa: E402


class Command(BaseCommand):
    help = "Génère des données réalistes à grande échelle (bench), déterministes avec une graine."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="team")
        parser.add_argument(
            "--structures",
            type=int,
            default=None,
            help="Nombre de structures (défaut : celui du préréglage).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--contacts",
            type=float,
            default=None,
            help="Échanges par accompagnement (défaut : préréglage).",
        )
        parser.add_argument(
            "--accompaniments", type=int, default=None, help="Accompagnements par structure."
        )
        parser.add_argument(
            "--partners", type=int, default=None, help="Patients partenaires par structure."
        )
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="Jour de référence AAAA-MM-JJ (défaut : aujourd'hui).",
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise l'exécution avec les réglages de production.",
        )
        parser.add_argument(
            "--if-absent",
            action="store_true",
            help="Ne fait rien si des données de charge existent déjà.",
        )

    def handle(self, *args, **o):
        if settings.PRODUCTION and not o["force"]:
            raise CommandError(
                "Refusé avec les réglages de production (ajoutez --force si c'est vraiment voulu)."
            )
        if o["if_absent"]:
            from bench.generator import SLUG_PREFIX
            from binome.people.models import Structure

            existing = Structure.objects.filter(slug__startswith=SLUG_PREFIX).count()
            expected = o["structures"] or PRESETS[o["preset"]].structures
            if existing and existing < expected:
                # Batches commit one by one: an interrupted run leaves whole structures, fewer of them.
                raise CommandError(
                    f"Données de charge incomplètes ({existing} structures sur {expected}) : une génération a "
                    "été interrompue. Repartez d'une base neuve (pour make bench : supprimez var/bench/)."
                )
            if existing:
                self.stdout.write("Des données de charge existent déjà : rien à faire.")
                return
        overrides = {k: o[k] for k in ("accompaniments", "partners") if o[k] is not None}
        started = time.monotonic()
        try:
            report = generate(
                o["preset"],
                structures=o["structures"],
                seed=o["seed"],
                anchor=o["anchor"],
                contacts_per_accompaniment=o["contacts"],
                batch_size=o["batch_size"],
                log=lambda msg: self.stdout.write(msg),
                **overrides,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        # As the daily job would: SQLite plans the lists from these (binome/core/db_statistics.py).
        from binome.core.db_statistics import refresh

        refresh()
        total = sum(report.counts.values())
        for label, n in sorted(report.counts.items()):
            self.stdout.write(f"  {label:40} {n:>10}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.structures)} structures, {total} lignes en {elapsed:.1f} s ({total / max(elapsed, 1e-9):.0f} lignes/s)."
            )
        )


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binome.settings")
    import django

    django.setup()
    Command().run_from_argv(["seed_scale", "seed_scale", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
