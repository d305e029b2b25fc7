"""Personal data of steering projects: the check-ins with a partner are about that person."""

from django.utils.translation import gettext_lazy

from binome.privacy.registry import not_personal, register
from binome.steering.models import CheckIn, Indicator, IndicatorValue

register(
    CheckIn,
    fields=["project", "date", "went_well", "difficulties", "adjustments", "next_date"],
    subject=lambda person: (
        CheckIn.objects.filter(partner__user=person.user) if person.user else CheckIn.objects.none()
    ),
    erase="anonymise",
    anonymise={"went_well": "", "difficulties": "", "adjustments": ""},
    structure_path="project__structure",
)

not_personal(
    Indicator, ["name"], reason=gettext_lazy("Nom d'un indicateur d'évaluation du projet.")
)
not_personal(
    IndicatorValue,
    ["comment"],
    reason=gettext_lazy("Commentaire sur une mesure agrégée du projet, sans donnée nominative."),
)
