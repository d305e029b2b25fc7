from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.people.models import Role
from binome.steering.models import ActionItem
from binome.web.home import Card


def cards(request):
    """My open actions in project plans (coordinators, professionals, partners)."""
    if request.structure is None or not {Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER} & set(request.roles):
        return []
    today = timezone.localdate()
    counts = ActionItem.objects.filter(
        cycle__project__structure=request.structure,
        owner__user=request.user,
        status__in=[ActionItem.Status.TODO, ActionItem.Status.DOING],
    ).aggregate(open=Count("id"), late=Count("id", filter=Q(due_date__lt=today)))
    if not counts["open"]:
        return []
    return [
        Card(
            _("Mes actions de projet à mener"),
            counts["open"],
            reverse("steering:list"),
            _("dont %(n)s en retard") % {"n": counts["late"]} if counts["late"] else "",
            order=700,
            tone="attention" if counts["late"] else "neutral",
        )
    ]
