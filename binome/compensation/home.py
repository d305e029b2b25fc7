from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.compensation.models import Expense, MissionBudget, Status, TimeEntry
from binome.core.cards import Card, count
from binome.people.models import Role


def counters(request):
    if request.structure is None:
        return {}
    roles = set(request.roles)
    if Role.COORDINATOR in roles:
        return {
            "times": count(
                TimeEntry.objects.filter(structure=request.structure, status=Status.SUBMITTED)
            ),
            "expenses": count(
                Expense.objects.filter(structure=request.structure, status=Status.SUBMITTED)
            ),
            "exceeded": count(exceeded_budgets(request.structure)),
        }
    if Role.PARTNER in roles:
        mine = {
            "structure": request.structure,
            "partner__membership__user": request.user,
            "status": Status.RETURNED,
        }
        return {
            "times": count(TimeEntry.objects.filter(**mine)),
            "expenses": count(Expense.objects.filter(**mine)),
        }
    return {}


def _approved(model, structure):
    """Approved amount of one model for the outer budget's mission (0 when none)."""
    total = (
        model.objects.filter(
            structure=structure, status=Status.APPROVED, mission=OuterRef("mission_id")
        )
        .values("mission_id")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return Coalesce(Subquery(total), Value(Decimal("0")), output_field=DecimalField())


def exceeded_budgets(structure):
    """Budgets whose approved time and expenses exceed the amount.

    Same rule as ``compensation.services.budget_overview(...)["alerts"]``, in SQL.
    """
    return (
        MissionBudget.objects.filter(mission__structure=structure, amount__isnull=False)
        .annotate(spent=_approved(TimeEntry, structure) + _approved(Expense, structure))
        .filter(spent__gt=F("amount"))
        .order_by("pk")
    )


def cards(request, counts):
    if "times" not in counts:
        return []
    n = counts["times"] + counts["expenses"]
    if Role.COORDINATOR in request.roles:
        cards = [
            Card(
                _("Temps et frais à valider"),
                n,
                reverse("compensation:queue"),
                _("Saisies des patients partenaires en attente de votre validation."),
                order=600,
                tone="attention" if n else "neutral",
            )
        ]
        if counts["exceeded"]:
            titles = exceeded_budgets(request.structure).values_list("mission__title", flat=True)[
                :3
            ]
            cards.append(
                Card(
                    _("Budgets de mission dépassés"),
                    counts["exceeded"],
                    reverse("compensation:budget"),
                    ", ".join(titles),
                    order=605,
                    tone="attention",
                )
            )
        return cards
    return [
        Card(
            _("Mon temps et mes frais"),
            n if n else None,
            reverse("compensation:entries"),
            _("%(n)s saisie(s) à corriger") % {"n": n}
            if n
            else _("Noter mon temps ou des frais en quelques gestes."),
            order=600,
            tone="attention" if n else "neutral",
        )
    ]
