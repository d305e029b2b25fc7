from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.accompaniment.models import Accompaniment, Alert, Notification
from binome.core.cards import Card, count
from binome.people.models import Role


def counters(request):
    if request.structure is None:
        return {}
    roles = set(request.roles)
    result = {}
    if Role.PARTNER in roles:
        mine = Accompaniment.objects.filter(structure=request.structure).for_partner_user(
            request.user
        )
        referred = mine.filter(status=Accompaniment.Status.REFERRED)
        result["to_call"] = count(referred)
        result["late"] = count(referred.filter(first_contact_due_at__lt=Now()))
        result["active"] = count(mine.filter(status=Accompaniment.Status.ACTIVE))
    if Role.COORDINATOR in roles or Role.PROFESSIONAL in roles:
        alerts = Alert.objects.filter(
            accompaniment__structure=request.structure, acknowledged_at__isnull=True
        )
        if Role.COORDINATOR not in roles:
            alerts = alerts.filter(
                Q(accompaniment__referred_by__user=request.user)
                | Q(accompaniment__designated_professionals__user=request.user)
            )
        result["alerts"] = count(alerts.distinct())
    if roles & {Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER}:
        unread = Notification.objects.filter(
            structure=request.structure, recipient=request.user, read_at__isnull=True
        )
        result["unread"] = count(unread)
        result["urgent"] = count(unread.filter(urgent=True))
    return result


def cards(request, counts):
    roles = set(request.roles)
    result = []
    if "to_call" in counts:
        to_call, late = counts["to_call"], counts["late"]
        result.append(
            Card(
                _("Premiers contacts à faire"),
                to_call,
                reverse("accompaniment:today"),
                _("dont %(n)s en retard") % {"n": late}
                if late
                else _("%(n)s accompagnement(s) en cours") % {"n": counts["active"]},
                order=110,
                tone="attention" if to_call else "neutral",
            )
        )
    if counts.get("alerts"):
        url = (
            reverse("accompaniment:dashboard")
            if Role.COORDINATOR in roles
            else reverse("accompaniment:list")
        )
        result.append(
            Card(
                _("Alertes urgentes à prendre en compte"),
                counts["alerts"],
                url,
                order=100,
                tone="attention",
            )
        )
    if request.structure is not None and Role.PATIENT in roles:
        result.append(
            Card(
                _("Mon accompagnement"),
                None,
                reverse("accompaniment:mine"),
                _("Voir et retirer mes accords, arrêter, donner mon avis."),
                order=110,
            )
        )
    if counts.get("unread"):
        urgent = counts["urgent"]
        result.append(
            Card(
                _("Messages de suivi non lus"),
                counts["unread"],
                reverse("accompaniment:notifications"),
                _("dont %(n)s urgent(s)") % {"n": urgent}
                if urgent
                else _("Rappels, retards de premier contact, alertes, comptes rendus."),
                order=105,
                tone="attention" if urgent else "neutral",
            )
        )
    return result
