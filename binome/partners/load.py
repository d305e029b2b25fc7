"""One load figure per partner, wherever it is shown or checked (referral suggestions,
reassignment, mission matching, the coordinator's load page): the accompaniments still in
the partner's hands plus their current assignments on live missions, against the ceiling
the team set with them (``Partner.max_active_accompaniments``).

One person, every structure: a partner who shares her profile in a CPTS's pool
(binome.partners.pool) has a copy of her record in each structure she agreed to; her load
counts the rows of her own record and of every copy, wherever it is read.

The other apps' models are read by label: partners is below accompaniment and missions.
"""

from django.apps import apps
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

OPEN_ACCOMPANIMENT_STATUSES = ("referred", "active")  # not handed back, not ended
BUSY_MISSION_STATUSES = ("active", "in_validation")


class _CountRows(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _same_person():
    """Rows of the outer partner's person: her own record (the origin) or any copy of it.

    Written as ``partner IN (her records)`` rather than an OR across a join, so that each
    count stays an index lookup on (partner, status): the OR made PostgreSQL scan the
    accompaniments of the structure for every partner of the page (national preset)."""
    partner = apps.get_model("partners", "Partner")
    person = Coalesce(OuterRef(OuterRef("pool_origin")), OuterRef(OuterRef("pk")))
    records = partner._base_manager.filter(Q(pk=person) | Q(pool_origin=person)).values("pk")
    return Q(partner__in=records)


def load_expression():
    """An annotation for a Partner queryset: the partner's load, by the one rule."""
    parts = []
    accompaniment = _model("accompaniment.Accompaniment")
    if accompaniment is not None:
        rows = accompaniment._base_manager.filter(
            _same_person(), status__in=OPEN_ACCOMPANIMENT_STATUSES
        )
        parts.append(_CountRows(rows.order_by().values("pk")))
    assignment = _model("missions.MissionAssignment")
    if assignment is not None:
        rows = assignment._base_manager.filter(
            _same_person(),
            ended_at__isnull=True,
            mission__status__in=BUSY_MISSION_STATUSES,
        )
        parts.append(_CountRows(rows.order_by().values("pk")))
    if not parts:
        return Value(0, output_field=IntegerField())
    total = Coalesce(parts[0], 0)
    for part in parts[1:]:
        total = total + Coalesce(part, 0)
    return total
