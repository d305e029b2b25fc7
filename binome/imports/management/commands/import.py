"""binome import KIND FILE --structure SLUG [--dry-run]: the page's import from a terminal."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from binome.imports import services
from binome.imports.kinds import ALIASES, KINDS, kind_slug


class Command(BaseCommand):
    help = (
        "Importe un tableur (XLSX ou CSV) dans une structure : tout ou rien, sauf --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted([*KINDS, *ALIASES]))
        parser.add_argument("file")
        parser.add_argument(
            "--structure", required=True, help=_("identifiant court (slug) de la structure")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("montre ce que ferait l'import, sans rien écrire"),
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=_("importe les lignes valides et laisse les autres"),
        )
        parser.add_argument(
            "--as",
            dest="actor",
            default="",
            help=_("adresse e-mail du coordinateur qui importe (par défaut le premier)"),
        )

    def handle(self, *args, kind, file, structure, dry_run, skip_invalid, actor, **options):
        from django_scopes import scopes_disabled

        from binome.people.models import Membership, Role, Structure

        with scopes_disabled():
            place = Structure.objects.filter(slug=structure).first()
            if place is None:
                raise CommandError(f"Structure inconnue : {structure}")
            coordinators = (
                Membership.objects.active()
                .filter(structure=place, role=Role.COORDINATOR)
                .select_related("user")
            )
            member = (
                coordinators.filter(user__email__iexact=actor).first()
                if actor
                else coordinators.order_by("pk").first()
            )
            if member is None:
                raise CommandError(
                    _("Aucun coordinateur de cette structure ne correspond : précisez --as.")
                )
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {file}")
            try:
                outcome, ignored, written = services.import_file(
                    structure=place,
                    kind=kind_slug(kind),
                    name=path.name,
                    content=path.read_bytes(),
                    actor=member.user,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        for name in ignored:
            self.stdout.write(f"Colonne ignorée : {name}")
        errors = [o for o in outcome if o["result"] == services.ERROR]
        for entry in errors:
            self.stdout.write(f"Ligne {entry['line']} : " + " ; ".join(entry["messages"]))
        created = sum(1 for o in outcome if o["result"] == services.CREATED)
        already = sum(1 for o in outcome if o["result"] == services.ALREADY)
        if written:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{created} ligne(s) importée(s), {already} déjà importée(s), {len(errors)} en erreur."
                )
            )
        elif dry_run:
            self.stdout.write(
                f"Essai, rien n'est écrit : {created} ligne(s) valide(s), {already} déjà importée(s), {len(errors)} en erreur."
            )
        else:
            raise CommandError(
                f"Rien n'est importé : {len(errors)} ligne(s) en erreur (corrigez-les, ou --skip-invalid)."
            )
