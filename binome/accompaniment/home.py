from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accompaniment.models import Accompaniment, Alert, Notification
from binome.people.models import Role
from binome.web.home import Card


def cards(request):
    """Constant number of queries: one aggregate per role shown."""
    if request.structure is None:
        return []
    roles = set(request.roles)
    now = timezone.now()
    result = []
    if Role.PARTNER in roles:
        counts = Accompaniment.objects.filter(structure=request.structure).for_partner_user(request.user).aggregate(
            to_call=Count("id", filter=Q(status=Accompaniment.Status.REFERRED)),
            late=Count("id", filter=Q(status=Accompaniment.Status.REFERRED, first_contact_due_at__lt=now)),
            active=Count("id", filter=Q(status=Accompaniment.Status.ACTIVE)),
        )
        result.append(Card(_("Premiers contacts à faire"), counts["to_call"], reverse("accompaniment:today"),
                           _("dont %(n)s en retard") % {"n": counts["late"]} if counts["late"] else
                           _("%(n)s accompagnement(s) en cours") % {"n": counts["active"]},
                           order=110, tone="attention" if counts["to_call"] else "neutral"))
    if Role.COORDINATOR in roles or Role.PROFESSIONAL in roles:
        alerts = Alert.objects.filter(accompaniment__structure=request.structure, acknowledged_at__isnull=True)
        if Role.COORDINATOR not in roles:
            alerts = alerts.filter(Q(accompaniment__referred_by__user=request.user) | Q(accompaniment__designated_professionals__user=request.user))
        n = alerts.values("pk").distinct().count()
        if n:
            url = reverse("accompaniment:dashboard") if Role.COORDINATOR in roles else reverse("accompaniment:list")
            result.append(Card(_("Alertes urgentes à prendre en compte"), n, url, order=100, tone="attention"))
    if Role.PATIENT in roles:
        result.append(Card(_("Mon accompagnement"), None, reverse("accompaniment:mine"),
                           _("Voir et retirer mes accords, arrêter, donner mon avis."), order=110))
    if roles & {Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER}:
        unread = Notification.objects.filter(structure=request.structure, recipient=request.user, read_at__isnull=True).aggregate(
            n=Count("id"), urgent=Count("id", filter=Q(urgent=True)))
        if unread["n"]:
            result.append(Card(_("Messages de suivi non lus"), unread["n"], reverse("accompaniment:notifications"),
                               _("dont %(n)s urgent(s)") % {"n": unread["urgent"]} if unread["urgent"] else
                               _("Rappels, retards de premier contact, alertes, comptes rendus."),
                               order=105, tone="attention" if unread["urgent"] else "neutral"))
    return result
