from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from binome.privacy.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Remplace la base par une sauvegarde faite avec `binome backup`, après avoir vérifié "
        "le fichier, puis compare la base restaurée au manifeste table par table."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            type=Path,
            help=_("Fichier de sauvegarde (le manifeste .manifest.json doit être à côté)."),
        )
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=_("Ne pas demander de confirmation."),
        )

    def handle(self, *args, **options):
        path = options["path"]
        try:
            manifest = read_manifest(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["interactive"]:
            answer = input(
                f"La base actuelle sera REMPLACÉE par la sauvegarde du {manifest['created_at']}. "
                "Tapez « oui » pour continuer : "
            )
            if answer.strip().lower() != "oui":
                raise CommandError(_("Restauration annulée."))
        try:
            outcome = restore(path, using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = outcome.manifest["tables"]
        rows = sum(t["rows"] for t in tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauration vérifiée : {len(tables)} tables, {rows} lignes identiques au manifeste."
            )
        )
