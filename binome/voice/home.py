from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.core.cards import Card, count
from binome.people.models import Role
from binome.voice.models import Idea, Status


def counters(request):
    """Ideas waiting for the coordinator."""
    if request.structure is None or Role.COORDINATOR not in request.roles:
        return {}
    ideas = Idea.objects.filter(structure=request.structure)
    return {
        "pending": count(ideas.filter(moderation=Idea.Moderation.PENDING)),
        "waiting": count(
            ideas.filter(Q(status=Status.RECEIVED) & ~Q(moderation=Idea.Moderation.HIDDEN))
        ),
    }


def cards(request, counts):
    if not counts.get("pending") and not counts.get("waiting"):
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
