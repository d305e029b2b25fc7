import datetime as dt

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.cards import Card, count
from binome.people.models import Role
from binome.steering.models import ActionItem, Project


def counters(request):
    if request.structure is None or not {Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER} & set(
        request.roles
    ):
        return {}
    mine = ActionItem.objects.filter(
        cycle__project__structure=request.structure,
        owner__user=request.user,
        status__in=[ActionItem.Status.TODO, ActionItem.Status.DOING],
    )
    return {"open": count(mine), "late": count(mine.filter(due_date__lt=timezone.localdate()))}


def cards(request, counts):
    if "open" not in counts:
        return []
    cards = []
    if counts["open"]:
        cards.append(
            Card(
                _("Mes actions de projet à mener"),
                counts["open"],
                reverse("steering:list"),
                _("dont %(n)s en retard") % {"n": counts["late"]} if counts["late"] else "",
                order=700,
                tone="attention" if counts["late"] else "neutral",
            )
        )
    if Role.COORDINATOR in request.roles:
        # Active projects whose last check-in with the partner is older than the agreed rhythm (one query).
        today = timezone.localdate()
        projects = (
            Project.objects.filter(structure=request.structure, status=Project.Status.ACTIVE)
            .annotate(last=Max("checkins__date"))
            .values_list("last", "checkin_every_days")
        )
        overdue = sum(
            1 for last, every in projects if last is None or last + dt.timedelta(days=every) < today
        )
        if overdue:
            cards.append(
                Card(
                    _("Points d'étape avec le partenaire en retard"),
                    overdue,
                    reverse("steering:list"),
                    _("Projets où le dernier point d'étape date de plus que le rythme prévu."),
                    order=710,
                    tone="attention",
                )
            )
    return cards
