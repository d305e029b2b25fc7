"""Matching partners to a mission, computed by the database.

One query ranks every partner of the structure with correlated subqueries (skills,
lived experience, languages, training, availability, experience of the kind, load,
limits); reasons are then spelled out for the page shown only (constant queries).
"""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext as _

from binome.missions.models import Mission, MissionAssignment, MissionCriterion
from binome.partners.limits import expand
from binome.partners.load import load_expression
from binome.partners.models import Partner, PartnerTag, Training

MATCHABLE_STATUSES = (Partner.Status.ACTIVE, Partner.Status.ONBOARDED, Partner.Status.PAUSED)
BUSY_MISSION_STATUSES = (Mission.Status.ACTIVE, Mission.Status.IN_VALIDATION)

WEIGHTS = {"skill": 3, "condition": 3, "language": 2, "training": 2, "availability": 2}


def _count(queryset):
    """A correlated COUNT(*) per partner (0 when none)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("partner").annotate(c=Count("pk")).values("c")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def ranked(mission, criteria=None):
    """Partners of the mission's structure, best first, with scores and exclusion flags."""
    criteria = list(mission.criteria.all()) if criteria is None else criteria
    values = {
        kind: sorted({c.value for c in criteria if c.kind == kind})
        for kind in MissionCriterion.Kind.values
    }
    # A sensitive topic excludes partners whose limits name the same moment in other words.
    values["topic"] = sorted(expand(values["topic"]))
    tags = PartnerTag._base_manager

    def tag_count(kind, tag_kind=None, wanted=None):
        wanted = values[kind] if wanted is None else wanted
        if not wanted:
            return Value(0, output_field=IntegerField())
        return _count(tags.filter(partner=OuterRef("pk"), kind=tag_kind or kind, value__in=wanted))

    if mission.required_training:
        training = Exists(
            Training._base_manager.filter(partner=OuterRef("pk"), kind=mission.required_training)
        )
    else:
        training = Value(False, output_field=BooleanField())

    slot_ok = {
        Mission.Slot.DAYTIME: Q(available_daytime=True),
        Mission.Slot.EVENING: Q(available_evening=True),
        Mission.Slot.WEEKEND: Q(available_weekend=True),
        Mission.Slot.FLEXIBLE: Q(pk__isnull=False),
    }[mission.slot]
    if mission.remote_possible:
        slot_ok |= Q(remote_ok=True)
    if mission.estimated_hours_per_month:
        slot_ok &= Q(hours_per_month__isnull=True) | Q(
            hours_per_month__gte=mission.estimated_hours_per_month
        )

    qs = (
        Partner.objects.filter(structure_id=mission.structure_id, status__in=MATCHABLE_STATUSES)
        .annotate(
            skill_matches=tag_count("skill"),
            language_matches=tag_count("language"),
            condition_matches=Case(
                When(share_conditions=True, then=tag_count("condition")),
                default=Value(0),
                output_field=IntegerField(),
            ),
            limit_conflicts=tag_count("topic", tag_kind=PartnerTag.Kind.LIMIT),
            has_training=training,
            available=Case(
                When(slot_ok, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            experience=_count(
                MissionAssignment._base_manager.filter(
                    partner=OuterRef("pk"), mission__kind=mission.kind
                ).exclude(mission_id=mission.pk)
            ),
            load=load_expression(),
            on_mission=Exists(
                MissionAssignment._base_manager.filter(
                    partner=OuterRef("pk"), mission_id=mission.pk, ended_at__isnull=True
                )
            ),
        )
        .annotate(
            overloaded=Case(
                When(load__gte=F("max_active_accompaniments"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            paused=Case(
                When(status=Partner.Status.PAUSED, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            excluded=Case(
                When(
                    Q(limit_conflicts__gt=0) | Q(overloaded=True) | Q(paused=True), then=Value(True)
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            score=F("skill_matches") * WEIGHTS["skill"]
            + F("condition_matches") * WEIGHTS["condition"]
            + F("language_matches") * WEIGHTS["language"]
            + Case(
                When(has_training=True, then=Value(WEIGHTS["training"])),
                default=Value(0),
                output_field=IntegerField(),
            )
            + Case(
                When(available=True, then=Value(WEIGHTS["availability"])),
                default=Value(0),
                output_field=IntegerField(),
            )
            + Least(F("experience"), Value(3)),
        )
        .order_by("excluded", "-score", "last_name", "first_name", "pk")
    )
    return qs


@dataclass
class Match:
    partner: Partner
    reasons: list = field(default_factory=list)
    exclusions: list = field(default_factory=list)


def explain(mission, partners, criteria):
    """Spell out reasons and exclusions for the partners shown (one query for their tags)."""
    partners = list(partners)
    wanted = {(c.kind if c.kind != "topic" else PartnerTag.Kind.LIMIT, c.value) for c in criteria}
    wanted |= {
        (PartnerTag.Kind.LIMIT, v) for v in expand(c.value for c in criteria if c.kind == "topic")
    }
    by_partner = {}
    if partners and wanted:
        for tag in PartnerTag._base_manager.filter(
            partner__in=[p.pk for p in partners], value__in={v for _, v in wanted}
        ).only("partner_id", "kind", "value", "label"):
            if (tag.kind, tag.value) in wanted:
                by_partner.setdefault(tag.partner_id, []).append(tag)
    training_label = dict(Training.Kind.choices).get(mission.required_training, "")
    result = []
    for p in partners:
        tags = by_partner.get(p.pk, [])
        labels = {
            kind: [t.label for t in tags if t.kind == kind] for kind in PartnerTag.Kind.values
        }
        m = Match(partner=p)
        if labels["skill"]:
            m.reasons.append(_("Compétences : %(l)s") % {"l": ", ".join(labels["skill"])})
        if p.condition_matches and labels["condition"]:
            m.reasons.append(_("Expérience vécue : %(l)s") % {"l": ", ".join(labels["condition"])})
        if labels["language"]:
            m.reasons.append(_("Langue parlée : %(l)s") % {"l": ", ".join(labels["language"])})
        if p.has_training:
            m.reasons.append(_("Formation : %(l)s") % {"l": training_label})
        if p.available:
            m.reasons.append(_("Disponible au bon moment"))
        if p.experience:
            m.reasons.append(_("A déjà mené %(n)s mission(s) de ce type") % {"n": p.experience})
        if p.limit_conflicts:
            m.exclusions.append(
                _("Limite exprimée : %(l)s")
                % {"l": ", ".join(labels["limit"]) or _("sujet sensible de la mission")}
            )
        if p.overloaded:
            m.exclusions.append(
                _("Charge complète : %(n)s en cours sur %(max)s")
                % {"n": p.load, "max": p.max_active_accompaniments}
            )
        if p.paused:
            m.exclusions.append(_("En pause"))
        result.append(m)
    return result
