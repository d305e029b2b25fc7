from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.people.models import Role
from binome.voice.models import Idea, Status
from binome.web.home import Card


def cards(request):
    """Ideas waiting for the coordinator (one query)."""
    if request.structure is None or Role.COORDINATOR not in request.roles:
        return []
    counts = Idea.objects.filter(structure=request.structure).aggregate(
        pending=Count("id", filter=Q(moderation=Idea.Moderation.PENDING)),
        waiting=Count("id", filter=Q(status=Status.RECEIVED) & ~Q(moderation=Idea.Moderation.HIDDEN)),
    )
    if not counts["pending"] and not counts["waiting"]:
        return []
    return [
        Card(
            _("Idées des usagers à traiter"),
            counts["waiting"],
            reverse("voice:idea_list"),
            _("%(n)s à modérer") % {"n": counts["pending"]} if counts["pending"] else "",
            order=530,
            tone="attention",
        )
    ]
