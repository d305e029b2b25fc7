from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.core.cards import Card, count
from binome.people.models import Invitation, Membership, Role


def counters(request):
    if request.structure is None or Role.COORDINATOR not in request.roles:
        return {}
    return {
        "team": count(
            Membership.objects.active()
            .filter(structure=request.structure)
            .exclude(role=Role.PATIENT)
        ),
        "pending": count(Invitation.objects.pending(at=Now()).filter(structure=request.structure)),
    }


def cards(request, counts):
    if "team" not in counts:
        return []
    pending = counts["pending"]
    return [
        Card(
            _("Membres de l'équipe"),
            counts["team"],
            reverse("people:members"),
            _("%(n)s invitation(s) en attente") % {"n": pending} if pending else "",
            order=900,
        ),
    ]
