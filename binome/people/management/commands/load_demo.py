from django.core.management.base import BaseCommand, CommandError

from binome.people.demo_set import load_demo


class Command(BaseCommand):
    help = "Charge le jeu de données de démonstration (mode démo uniquement ; idempotent)."

    def handle(self, *args, **options):
        try:
            demo = load_demo()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Démo prête : {len(demo.structures)} structures, {len(demo.users)} comptes."
            )
        )
