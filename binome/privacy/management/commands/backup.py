from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from binome.privacy.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base (SQLite : API de sauvegarde en ligne ; PostgreSQL : pg_dump) et "
        "écrit à côté un manifeste vérifié (lignes et somme de contrôle par table)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", type=Path, help=_("Fichier de sauvegarde (par défaut var/backups/…).")
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            outcome = backup(options["output"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = outcome.manifest["tables"]
        rows = sum(t["rows"] for t in tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde vérifiée : {outcome.path} ({len(tables)} tables, {rows} lignes). "
                f"Manifeste : {outcome.manifest_path}"
            )
        )
