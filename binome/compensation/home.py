from django.urls import reverse
from django.utils.translation import gettext as _

from binome.compensation import services
from binome.compensation.models import Expense, Status, TimeEntry
from binome.people.models import Role
from binome.web.home import Card


def cards(request):
    if request.structure is None:
        return []
    roles = set(request.roles)
    if Role.COORDINATOR in roles:
        waiting = (
            TimeEntry.objects.filter(structure=request.structure, status=Status.SUBMITTED).count()
            + Expense.objects.filter(structure=request.structure, status=Status.SUBMITTED).count()
        )
        cards = [
            Card(
                _("Temps et frais à valider"),
                waiting,
                reverse("compensation:queue"),
                _("Saisies des patients partenaires en attente de votre validation."),
                order=600,
                tone="attention" if waiting else "neutral",
            )
        ]
        alerts = services.budget_overview(request.structure)["alerts"]
        if alerts:
            cards.append(
                Card(
                    _("Budgets de mission dépassés"),
                    len(alerts),
                    reverse("compensation:budget"),
                    ", ".join(row["budget"].mission.title for row in alerts[:3]),
                    order=605,
                    tone="attention",
                )
            )
        return cards
    if Role.PARTNER in roles:
        returned = (
            TimeEntry.objects.filter(structure=request.structure, partner__membership__user=request.user, status=Status.RETURNED).count()
            + Expense.objects.filter(structure=request.structure, partner__membership__user=request.user, status=Status.RETURNED).count()
        )
        return [
            Card(
                _("Mon temps et mes frais"),
                returned if returned else None,
                reverse("compensation:entries"),
                _("%(n)s saisie(s) à corriger") % {"n": returned} if returned else _("Noter mon temps ou des frais en quelques gestes."),
                order=600,
                tone="attention" if returned else "neutral",
            )
        ]
    return []
