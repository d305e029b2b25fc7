from django.core.management.base import BaseCommand

from binome.privacy.retention import KINDS_BY_KEY, apply_retention, days, hooks_for


class Command(BaseCommand):
    help = "Applique les durées de conservation et dit ce qui a été supprimé ou anonymisé."

    def handle(self, *args, **options):
        report = apply_retention()
        for key, count in report.items():
            kind = KINDS_BY_KEY[key]
            note = "" if hooks_for(key) else " (aucune règle branchée pour l'instant)"
            self.stdout.write(
                f"- {kind.label} — {days(key)} jours : {count} ligne(s) supprimée(s) ou anonymisée(s){note}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Conservation appliquée : {sum(report.values())} ligne(s) au total."
            )
        )
