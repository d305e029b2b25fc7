from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.involvement.aci import aci_level_reached
from binome.involvement.models import InvolvementAction
from binome.people.models import Role
from binome.web.home import Card


def cards(request):
    """The ACI level of the year so far (2 queries, whatever the number of actions)."""
    if request.structure is None or not ({Role.COORDINATOR, Role.PROFESSIONAL} & set(request.roles)):
        return []
    year = timezone.localdate().year
    levels = list(
        InvolvementAction.objects.filter(structure=request.structure).of_year(year).values_list("aci_level", flat=True).distinct()
    )

    class _A:
        def __init__(self, level):
            self.aci_level = level

    level = aci_level_reached([_A(x) for x in levels]).level
    label = {0: _("Non atteint"), 1: _("Niveau 1"), 2: _("Niveau 2")}[level]
    return [
        Card(
            _("Indicateur ACI « implication des usagers » %(year)s") % {"year": year},
            label,
            reverse("involvement:aci_report"),
            _("Voir les actions qui le justifient et le rapport à remettre.") if level else _("Une affiche ou une enquête suffit pour le niveau 1."),
            order=500,
            tone="success" if level else "attention",
        )
    ]
