"""Coordinator figures: delays from referral to first contact, open accompaniments, feedback.
A constant number of queries whatever the amount of data: the median is read in the
database (one or two rows at the middle of the sorted delays), never all the delays."""

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.cache import cache
from django.db.models import Avg, Count, F, FloatField, Func, Min, Q
from django.utils import timezone
from django.utils.translation import get_language

from binome.accompaniment.models import Accompaniment, Alert, FiguresVersion, Pathway

OPEN_ALERTS_LISTED = 20


class SecondsBetween(Func):
    """end - start in seconds, computed by the database itself.

    Django's generic datetime difference calls a Python function for each row on SQLite
    (``django_timestamp_diff``): sorting a year of delays of a large CPTS (5,000 rows) cost
    29 ms there, against 9 ms with SQLite's own ``julianday``. PostgreSQL: ``EXTRACT(EPOCH
    FROM end - start)``.
    """

    arity = 2
    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _median_hours(qs, n):
    """Median of first_contact_at - referred_at over the n rows of qs (statistics.median's rule)."""
    if not n:
        return None
    delays = (
        qs.annotate(delay=SecondsBetween(F("first_contact_at"), F("referred_at")))
        .order_by("delay")
        .values_list("delay", flat=True)
    )
    middle = list(delays[(n - 1) // 2 : n // 2 + 1])
    return round(sum(middle) / len(middle) / 3600, 1)


def _aggregates(structure, *, days, now) -> tuple[dict, object]:
    """The figures that depend on the accompaniments alone, and the instant until which
    they hold if nothing is written: the next first-contact deadline that would make one
    late or measurable, or the oldest referral of the period leaving it."""
    since = now - timedelta(days=days)
    qs = Accompaniment.objects.filter(structure=structure)
    uncontacted = Q(status=Accompaniment.Status.REFERRED) | Q(
        referred_at__gte=since, first_contact_at__isnull=True
    )
    totals = qs.aggregate(
        referred_year=Count("id", filter=Q(referred_at__gte=since)),
        contacted_year=Count(
            "id", filter=Q(referred_at__gte=since, first_contact_at__isnull=False)
        ),
        within=Count(
            "id", filter=Q(referred_at__gte=since, first_contact_at__lte=F("first_contact_due_at"))
        ),
        # Referrals whose first contact happened or whose deadline has passed: a late one counts as missed.
        measurable=Count(
            "id",
            filter=Q(referred_at__gte=since)
            & (Q(first_contact_at__isnull=False) | Q(first_contact_due_at__lt=now)),
        ),
        active=Count("id", filter=Q(status=Accompaniment.Status.ACTIVE)),
        waiting=Count("id", filter=Q(status=Accompaniment.Status.REFERRED)),
        late=Count(
            "id", filter=Q(status=Accompaniment.Status.REFERRED, first_contact_due_at__lt=now)
        ),
        ended=Count("id", filter=Q(status=Accompaniment.Status.ENDED)),
        # One feedback at most per accompaniment (one-to-one): the join adds no row.
        feedback_n=Count("feedback"),
        feedback_usefulness=Avg("feedback__usefulness"),
        feedback_recommend=Count("feedback", filter=Q(feedback__would_recommend=True)),
        next_deadline=Min(
            "first_contact_due_at", filter=uncontacted & Q(first_contact_due_at__gte=now)
        ),
        oldest_in_period=Min("referred_at", filter=Q(referred_at__gte=since)),
    )
    feedback = {
        "n": totals.pop("feedback_n"),
        "usefulness": totals.pop("feedback_usefulness"),
        "recommend": totals.pop("feedback_recommend"),
    }
    turns = [totals.pop("next_deadline")]
    oldest = totals.pop("oldest_in_period")
    if oldest is not None:
        turns.append(oldest + timedelta(days=days))
    contacted = totals.pop("contacted_year")
    open_qs = qs.exclude(status=Accompaniment.Status.ENDED)
    pathway_labels = dict(Pathway.choices)
    result = {
        "totals": totals,
        "median_hours": _median_hours(
            qs.filter(referred_at__gte=since, first_contact_at__isnull=False), contacted
        ),
        "share_within": round(100 * totals["within"] / totals["measurable"])
        if totals["measurable"]
        else None,
        "by_partner": list(
            open_qs.in_partner_load()
            .values(
                "partner__public_id",
                "partner__first_name",
                "partner__last_name",
                "partner__max_active_accompaniments",
            )
            .annotate(n=Count("id"))
            .order_by("-n", "partner__first_name")[:50]
        ),
        "by_pathway": [
            {
                "pathway": r["patient__pathway"],
                "label": str(pathway_labels.get(r["patient__pathway"], r["patient__pathway"])),
                "n": r["n"],
            }
            for r in open_qs.values("patient__pathway").annotate(n=Count("id")).order_by("-n")
        ],
        "feedback": feedback,
    }
    return result, min((t for t in turns if t is not None), default=None)


def _with_alerts(result, structure, with_alert_list):
    alerts = Alert.objects.filter(accompaniment__structure=structure, acknowledged_at__isnull=True)
    if with_alert_list:
        listed = list(
            alerts.select_related("accompaniment__partner", "accompaniment__referred_by__user")
            .only(
                "raised_at",
                "escalated_at",
                "accompaniment__public_id",
                "accompaniment__partner__first_name",
                "accompaniment__referred_by__user__first_name",
                "accompaniment__referred_by__user__last_name",
            )
            .order_by("raised_at")[:OPEN_ALERTS_LISTED]
        )
        result["open_alert_list"] = listed
        result["open_alerts"] = len(listed) if len(listed) < OPEN_ALERTS_LISTED else alerts.count()
    else:
        result["open_alerts"] = alerts.count()
    return result


def figures(structure, *, days=365, with_alert_list=False) -> dict:
    """The figures of the coordinator's dashboard, computed now. With ``with_alert_list``,
    also the first open alerts (``open_alert_list``), from which the number of open alerts
    is read when they all fit in the list."""
    result, _valid_until = _aggregates(structure, days=days, now=timezone.now())
    result["deadline_hours"] = structure.first_contact_deadline_hours
    return _with_alerts(result, structure, with_alert_list)


# Kept figures (issue 17): the aggregates over a year of accompaniments cost 25 to 30 ms on
# SQLite for a large CPTS, on every visit of the dashboard. They are kept in the cache for
# one FiguresVersion of the structure, which every write below it changes in its own
# transaction (binome.accompaniment.signals), and until the first instant the clock alone
# would change them. Reading the version first, then computing, a reader never keeps
# figures older than the version it read. The open alerts stay read on every visit.
KEPT_FIGURES_SECONDS = 24 * 3600


def _code_version() -> str:
    """This module and the dashboard's template, as they are deployed: a shared cache (Redis)
    outlives an upgrade, and figures or tables kept by the previous code must not be read."""
    here = Path(__file__).resolve().parent
    sources = (Path(__file__).resolve(), here / "templates/accompaniment/dashboard.html")
    return hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:12]


CODE_VERSION = _code_version()


def figures_version(structure) -> int:
    version = (
        FiguresVersion.objects.filter(structure=structure).values_list("version", flat=True).first()
    )
    if version is None:
        version = FiguresVersion.objects.get_or_create(structure=structure)[0].version
    return version


def figures_changed(structure_id) -> None:
    """A write below this structure: its kept figures are no longer valid. The new version
    is drawn at random rather than counted, so that a database restored from a backup, whose
    versions go back, never meets figures kept for a later state under the same version."""
    FiguresVersion.objects.filter(structure_id=structure_id).update(version=secrets.randbits(62))


def kept_figures(structure, *, days=365, with_alert_list=False) -> dict:
    """``figures()``, its aggregates taken from the cache while they hold; with
    ``figures_version``, for what is kept with them (the dashboard's tables)."""
    now = timezone.now()
    version = f"{structure.pk}:{figures_version(structure)}:{days}:{CODE_VERSION}"
    key = f"accompaniment:figures:{version}:{get_language()}"
    kept = cache.get(key)
    if kept is None or (kept[1] is not None and kept[1] <= now):
        kept = _aggregates(structure, days=days, now=now)
        cache.set(key, kept, KEPT_FIGURES_SECONDS)
    result = {**kept[0], "figures_version": version}  # the values stay as kept
    result["deadline_hours"] = structure.first_contact_deadline_hours
    return _with_alerts(result, structure, with_alert_list)
