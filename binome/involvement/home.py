from django.db.models import Exists
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.involvement.aci import aci_level_reached
from binome.involvement.models import InvolvementAction
from binome.people.models import Role
from binome.web.home import Card


def counters(request):
    """Whether the year's actions reach ACI level 1 or 2 (whatever the number of actions)."""
    if request.structure is None or not (
        {Role.COORDINATOR, Role.PROFESSIONAL} & set(request.roles)
    ):
        return {}
    actions = InvolvementAction.objects.filter(structure=request.structure).of_year(
        timezone.localdate().year
    )
    return {
        "level1": Exists(actions.filter(aci_level=1)),
        "level2": Exists(actions.filter(aci_level=2)),
    }


class _Action:
    def __init__(self, level):
        self.aci_level = level


def cards(request, counts):
    if "level1" not in counts:
        return []
    year = timezone.localdate().year
    level = aci_level_reached([_Action(n) for n in (1, 2) if counts[f"level{n}"]]).level
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
