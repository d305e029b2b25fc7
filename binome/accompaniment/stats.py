"""Coordinator figures: delays from referral to first contact, open accompaniments, feedback.
A constant number of queries whatever the amount of data (the median reads one column)."""

import statistics
from datetime import timedelta

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from binome.accompaniment.models import Accompaniment, Alert, Pathway, PatientFeedback


def figures(structure, *, days=365) -> dict:
    now = timezone.now()
    since = now - timedelta(days=days)
    qs = Accompaniment.objects.filter(structure=structure)
    durations = [
        (contact - referred).total_seconds() / 3600
        for referred, contact in qs.filter(referred_at__gte=since, first_contact_at__isnull=False)
        .values_list("referred_at", "first_contact_at").iterator()
    ]
    totals = qs.aggregate(
        referred_year=Count("id", filter=Q(referred_at__gte=since)),
        within=Count("id", filter=Q(referred_at__gte=since, first_contact_at__lte=F("first_contact_due_at"))),
        # Referrals whose first contact happened or whose deadline has passed: a late one counts as missed.
        measurable=Count("id", filter=Q(referred_at__gte=since) & (Q(first_contact_at__isnull=False) | Q(first_contact_due_at__lt=now))),
        active=Count("id", filter=Q(status=Accompaniment.Status.ACTIVE)),
        waiting=Count("id", filter=Q(status=Accompaniment.Status.REFERRED)),
        late=Count("id", filter=Q(status=Accompaniment.Status.REFERRED, first_contact_due_at__lt=now)),
        ended=Count("id", filter=Q(status=Accompaniment.Status.ENDED)),
    )
    open_qs = qs.exclude(status=Accompaniment.Status.ENDED)
    pathway_labels = dict(Pathway.choices)
    return {
        "totals": totals,
        "median_hours": round(statistics.median(durations), 1) if durations else None,
        "share_within": round(100 * totals["within"] / totals["measurable"]) if totals["measurable"] else None,
        "deadline_hours": structure.first_contact_deadline_hours,
        "by_partner": list(
            open_qs.values("partner__public_id", "partner__first_name", "partner__last_name", "partner__max_active_accompaniments")
            .annotate(n=Count("id")).order_by("-n", "partner__first_name")[:50]
        ),
        "by_pathway": [
            {"pathway": r["patient__pathway"], "label": str(pathway_labels.get(r["patient__pathway"], r["patient__pathway"])), "n": r["n"]}
            for r in open_qs.values("patient__pathway").annotate(n=Count("id")).order_by("-n")
        ],
        "open_alerts": Alert.objects.filter(accompaniment__structure=structure, acknowledged_at__isnull=True).count(),
        "feedback": PatientFeedback.objects.filter(accompaniment__structure=structure).aggregate(
            n=Count("id"), usefulness=Avg("usefulness"), recommend=Count("id", filter=Q(would_recommend=True))),
    }
