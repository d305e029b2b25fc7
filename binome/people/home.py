from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.people.models import Invitation, Membership, Role
from binome.web.home import Card


def cards(request):
    if request.structure is None or Role.COORDINATOR not in request.roles:
        return []
    counts = {
        row["role"]: row["n"]
        for row in Membership.objects.active()
        .filter(structure=request.structure)
        .values("role")
        .annotate(n=Count("id"))
    }
    pending = Invitation.objects.pending().filter(structure=request.structure).count()
    team = sum(n for role, n in counts.items() if role != Role.PATIENT)
    return [
        Card(
            _("Membres de l'équipe"),
            team,
            reverse("people:members"),
            _("%(n)s invitation(s) en attente") % {"n": pending} if pending else "",
            order=900,
        ),
    ]
