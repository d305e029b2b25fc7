from django.core.management.base import BaseCommand
from django_q.models import Schedule

from binome.core.schedules import all_schedules


class Command(BaseCommand):
    help = "Enregistre les tâches périodiques de toutes les applications (idempotent)."

    def handle(self, *args, **options):
        names = []
        for periodic in all_schedules():
            Schedule.objects.update_or_create(
                name=periodic.name,
                defaults={
                    "func": periodic.func,
                    "schedule_type": Schedule.MINUTES,
                    "minutes": periodic.minutes,
                    "repeats": -1,
                },
            )
            names.append(periodic.name)
        Schedule.objects.exclude(name__in=names).filter(name__startswith="binome:").delete()
        self.stdout.write(f"{len(names)} tâche(s) périodique(s) enregistrée(s).")
