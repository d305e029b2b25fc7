from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.core.cards import Card, count
from binome.missions.models import Mission, MissionValidation
from binome.missions.services import visible_missions
from binome.people.models import Role


def counters(request):
    if request.structure is None or not set(request.roles) & {
        Role.COORDINATOR,
        Role.PROFESSIONAL,
        Role.PARTNER,
    }:
        return {}
    roles = set(request.roles)
    if roles & {Role.COORDINATOR, Role.PROFESSIONAL}:
        # The team sees every mission of the structure (as visible_missions, in a simpler query).
        visible = Mission.objects.filter(structure=request.structure)
    else:
        visible = visible_missions(request.user, request.binome.current_memberships)
    active = visible.filter(status=Mission.Status.ACTIVE)
    # Sheets waiting for *my* validation: I am named or assigned and have not validated this version.
    already = MissionValidation._base_manager.filter(
        mission=OuterRef("pk"), user=request.user, version__number=OuterRef("version_number")
    )
    mine = (
        Mission.objects.filter(status=Mission.Status.IN_VALIDATION, structure=request.structure)
        .filter(
            Q(named__membership__user=request.user)
            | Q(
                assignments__partner__membership__user=request.user,
                assignments__ended_at__isnull=True,
            )
        )
        .filter(~Exists(already))
        .distinct()
    )
    return {"active": count(active), "mine": count(mine)}


def cards(request, counts):
    if "active" not in counts:
        return []
    result = [
        Card(
            _("Missions actives"),
            counts["active"],
            reverse("missions:list") + "?status=active",
            order=220,
        )
    ]
    if counts["mine"]:
        result.append(
            Card(
                _("Fiches-mission à valider"),
                counts["mine"],
                reverse("missions:list") + "?status=in_validation",
                _("Relisez la fiche et validez-la si elle vous convient."),
                order=140,
                tone="attention",
            )
        )
    return result
