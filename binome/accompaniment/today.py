"""What a partner's "Aujourd'hui" shows, read as rows (issue 17).

The page is opened many times a day on a phone. Its four queries are small (20 rows at
most each) but building and compiling them cost the ORM more than running them, so their
SQL is kept between visits (binome.core.kept_sql) under what each one reads: the partner,
the person and the structure, and the day for the moments. The access rule is the one of
the page before: a partner's own open accompaniments (``in_partner_load``), their key
moments and alerts; the phone number only while the patient agrees to share it.
"""

from datetime import timedelta

from django.db.models import OuterRef, Subquery

from binome.accompaniment.access import active_consent
from binome.accompaniment.models import (
    Accompaniment,
    Alert,
    ConsentPurpose,
    Contact,
    KeyMoment,
    Notification,
    Patient,
)
from binome.core import kept_sql

MOMENTS_DAYS = 14
SHOWN = 20


def _open_accompaniments_query(partner_id):
    last_contact = (
        Contact.objects.filter(accompaniment=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return (
        Accompaniment.objects.filter(partner_id=partner_id)
        .in_partner_load()
        .annotate(
            shows_contact=active_consent(ConsentPurpose.SHARE_CONTACT_DETAILS),
            last_contact=Subquery(last_contact),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "public_id",
            "status",
            "first_contact_due_at",
            "first_contact_at",
            "notes_for_partner",
            "patient__first_name",
            "patient__last_name",
            "patient__phone",
            "shows_contact",
            "last_contact",
        )
    )


def open_accompaniments(partner, now) -> tuple[list[dict], list[dict]]:
    """The partner's open accompaniments: first contacts to make (soonest deadline first)
    and the people accompanied (the longest without news first)."""
    to_call, active = [], []
    rows = kept_sql.rows(
        "today.open_accompaniments",
        (partner.pk,),
        lambda: _open_accompaniments_query(partner.pk),
    )
    for (
        pk,
        public_id,
        status,
        due_at,
        first_contact_at,
        notes,
        first_name,
        last_name,
        phone,
        shows_contact,
        last_contact,
    ) in rows:
        row = {
            "pk": pk,
            "public_id": public_id,
            "patient_name": Patient.display_name_of(first_name, last_name),
            "first_contact_due_at": due_at,
            "last_contact": last_contact,
        }
        if status == Accompaniment.Status.REFERRED:
            row["is_late"] = Accompaniment.late_of(status, first_contact_at, due_at, now)
            row["notes_for_partner"] = notes
            row["phone"] = phone if shows_contact else ""  # the patient's consent
            to_call.append(row)
        elif status == Accompaniment.Status.ACTIVE:
            active.append(row)
    to_call.sort(key=lambda r: r["first_contact_due_at"])
    active.sort(key=lambda r: (r["last_contact"] is not None, r["last_contact"] or now, r["pk"]))
    return to_call, active


def key_moments(partner, today) -> list[dict]:
    """The key moments of the partner's active accompaniments over the next two weeks."""

    def build():
        return (
            KeyMoment.objects.filter(
                accompaniment__partner_id=partner.pk,
                accompaniment__status=Accompaniment.Status.ACTIVE,
                date__gte=today,
                date__lte=today + timedelta(days=MOMENTS_DAYS),
            )
            .order_by("date", "time")
            .values_list(
                "date",
                "time",
                "label",
                "kind",
                "accompaniment__public_id",
                "accompaniment__patient__first_name",
                "accompaniment__patient__last_name",
            )[:SHOWN]
        )

    return [
        {
            "date": date,
            "time": time,
            "title": KeyMoment.title_of(label, kind),
            "public_id": public_id,
            "patient_name": Patient.display_name_of(first_name, last_name),
        }
        for date, time, label, kind, public_id, first_name, last_name in kept_sql.rows(
            "today.key_moments", (partner.pk, today), build
        )
    ]


def open_alerts(partner) -> list[dict]:
    """The partner's alerts nobody has acknowledged yet (not those of accompaniments being
    handed over to someone else)."""

    def build():
        return (
            Alert.objects.filter(accompaniment__partner_id=partner.pk, acknowledged_at__isnull=True)
            .exclude(accompaniment__status=Accompaniment.Status.TO_REASSIGN)
            .values_list(
                "accompaniment__public_id",
                "accompaniment__patient__first_name",
                "accompaniment__patient__last_name",
                "raised_at",
                "escalated_at",
            )[:10]
        )

    return [
        {
            "public_id": public_id,
            "patient_name": Patient.display_name_of(first_name, last_name),
            "raised_at": raised_at,
            "escalated_at": escalated_at,
        }
        for public_id, first_name, last_name, raised_at, escalated_at in kept_sql.rows(
            "today.open_alerts", (partner.pk,), build
        )
    ]


def unread_notifications(structure_id, user_id) -> list[dict]:
    """The ten latest unread notifications of the person in this structure."""

    def build():
        return Notification.objects.filter(
            structure_id=structure_id, recipient_id=user_id, read_at__isnull=True
        ).values_list("pk", "text", "url", "urgent", "created_at")[:10]

    return [
        {"pk": pk, "text": text, "url": url, "urgent": urgent, "created_at": created_at}
        for pk, text, url, urgent, created_at in kept_sql.rows(
            "today.unread_notifications", (structure_id, user_id), build
        )
    ]
