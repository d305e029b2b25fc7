from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from binome.people.models import User
from binome.privacy.registry import Person
from binome.privacy.services import erase_person


class Command(BaseCommand):
    help = (
        "Efface ou anonymise une personne dans toutes les structures (administrateur de la "
        "plateforme), d'après le registre des données personnelles."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "email",
            help=_(
                "Adresse e-mail du compte, ou d'une personne sans compte (candidature, invitation)."
            ),
        )
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive")

    def handle(self, *args, email, **options):
        email = email.strip().lower()
        user = User.objects.filter(email=email).first()
        if user is not None and user.is_superuser:
            raise CommandError(
                _(
                    "Un compte d'administration technique ne s'efface pas ainsi : retirez d'abord ses droits."
                )
            )
        person = Person(user=user, email=email)
        if options["interactive"]:
            answer = input(
                f"Effacer définitivement les données de {email} dans toutes les structures ? Tapez « oui » : "
            )
            if answer.strip().lower() != "oui":
                raise CommandError(_("Effacement annulé."))
        counts = erase_person(person)
        for label, count in counts.items():
            if count:
                self.stdout.write(f"- {label} : {count}")
        self.stdout.write(
            self.style.SUCCESS(f"Effacement terminé : {sum(counts.values())} élément(s) traités.")
        )
