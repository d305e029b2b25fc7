"""Who sees what of a tandem: one rule for its pages and its API.

The coordination sees the tandems of its structure, not the reports' content; the doctor and
the partner see their own. The partner reads the reports she wrote whole; the doctor reads a
report about a patient only while that patient agrees to share (``ConsentPurpose.SHARE_SUMMARIES``).
"""

from django.db.models import Case, Exists, OuterRef, Q, Value, When

from binome.accompaniment.models import Consent, ConsentPurpose
from binome.people.models import Role


def tandem_reports(tandem):
    """A tandem's reports, each annotated with ``shared``: whether its content may reach the
    doctor now (no patient named, or the patient's "share summaries" consent is active)."""
    shared_now = Exists(
        Consent.objects.filter(
            patient=OuterRef("accompaniment__patient"),
            purpose=ConsentPurpose.SHARE_SUMMARIES,
            withdrawn_at__isnull=True,
        )
    )
    return tandem.reports.annotate(
        shared=Case(
            When(accompaniment__isnull=True, then=Value(True)),
            When(shared_now, then=Value(True)),
            default=Value(False),
        )
    ).select_related("acknowledged_by", "accompaniment__patient")


REPORT_TEXT_FIELDS = (
    "patient_expressed",
    "needs",
    "agreed_to_share",
    "next_steps",
    "detail",
    "reply",
)


def report_fields(report, *, is_doctor, is_partner) -> dict:
    """One report as the tandem's doctor or partner may read it. The partner who wrote it
    reads it whole; the doctor reads its text only while the patient agrees to share."""
    readable = is_partner or (is_doctor and report.shared)
    acc = report.accompaniment
    fields = {
        "public_id": report.public_id,
        "tandem": report.tandem.public_id,
        "created_at": report.created_at,
        "joint_consultation": report.joint_consultation,
        "acknowledged_at": report.acknowledged_at,
        "withheld": not readable,
        "patient": acc.patient.display_name if acc is not None and readable else None,
    }
    for name in REPORT_TEXT_FIELDS:
        fields[name] = getattr(report, name) if readable else None
    return fields


def visible_tandems(user, roles, structure) -> Q:
    """The tandems a person may open in one structure: the coordinator all of them (without
    the reports' content), the doctor and the partner their own."""
    roles = {str(r) for r in roles}
    if Role.COORDINATOR in roles:
        return Q(structure=structure)
    condition = Q(pk__in=[])
    if Role.PROFESSIONAL in roles:
        condition |= Q(doctor__user=user)
    if Role.PARTNER in roles:
        condition |= Q(partner__membership__user=user, partner__membership__is_active=True)
    return Q(structure=structure) & condition


def tandem_roles(user, roles, tandem) -> tuple[bool, bool]:
    """(is the tandem's doctor, is the tandem's partner) for this person."""
    roles = {str(r) for r in roles}
    is_doctor = Role.PROFESSIONAL in roles and tandem.doctor.user_id == user.pk
    membership = tandem.partner.membership
    is_partner = (
        Role.PARTNER in roles
        and membership is not None
        and membership.is_active
        and membership.user_id == user.pk
    )
    return is_doctor, is_partner
