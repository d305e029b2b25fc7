from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.involvement.aci import aci_level_reached
from binome.involvement.models import InvolvementAction
from binome.people.models import Role
from binome.web.home import Card, first_value


def counters(request):
    """The highest ACI level among the year's actions (whatever the number of actions)."""
    if request.structure is None or not (
        {Role.COORDINATOR, Role.PROFESSIONAL} & set(request.roles)
    ):
        return {}
    actions = InvolvementAction.objects.filter(structure=request.structure).of_year(
        timezone.localdate().year
    )
    return {
        "best": first_value(
            actions.filter(aci_level__in=[1, 2]).order_by("-aci_level"), "aci_level"
        )
    }


class _Action:
    def __init__(self, level):
        self.aci_level = level


def cards(request, counts):
    if "best" not in counts:
        return []
    year = timezone.localdate().year
    level = aci_level_reached([_Action(counts["best"])] if counts["best"] else []).level
    label = {0: _("Non atteint"), 1: _("Niveau 1"), 2: _("Niveau 2")}[level]
    return [
        Card(
            _("Indicateur ACI « implication des usagers » %(year)s") % {"year": year},
            label,
            reverse("involvement:aci_report"),
            _("Voir les actions qui le justifient et le rapport à remettre.")
            if level
            else _("Une affiche ou une enquête suffit pour le niveau 1."),
            order=500,
            tone="success" if level else "attention",
        )
    ]
