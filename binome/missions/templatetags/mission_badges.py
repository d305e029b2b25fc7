"""``{% mission_status_badge mission %}``: a mission's status badge (binome.core.badges)."""

from django import template

from binome.core.badges import status_badge

register = template.Library()

COLOURS = {"active": "ok", "in_validation": "warn", "closed": "danger"}


@register.simple_tag
def mission_status_badge(mission):
    return status_badge(mission.status, mission.status_label, COLOURS)
