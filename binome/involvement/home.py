from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binome.core.cards import Card, count
from binome.involvement.models import InvolvementAction
from binome.people.models import Role


def counters(request):
    """The year's actions that aim at an ACI level. The level itself needs their evidence and
    the structure's agreement: only the report (binome.involvement.aci) decides it."""
    if request.structure is None or not (
        {Role.COORDINATOR, Role.PROFESSIONAL} & set(request.roles)
    ):
        return {}
    actions = InvolvementAction.objects.filter(structure=request.structure).of_year(
        timezone.localdate().year
    )
    return {"aci_actions": count(actions.filter(aci_level__in=[1, 2]))}


def cards(request, counts):
    if "aci_actions" not in counts:
        return []
    year = timezone.localdate().year
    n = counts["aci_actions"] or 0
    return [
        Card(
            _("Implication des usagers %(year)s") % {"year": year},
            ngettext("%(n)s action", "%(n)s actions", n) % {"n": n} if n else _("Aucune action"),
            reverse("involvement:aci_report"),
            _("Voir le bilan : le niveau reconnu par votre accord et les pièces à compléter.")
            if n
            else _(
                "Une affiche ou une enquête, avec sa pièce justificative, suffit pour commencer."
            ),
            order=500,
            tone="success" if n else "attention",
        )
    ]
