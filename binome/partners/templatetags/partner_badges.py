"""``{% partner_status_badge partner %}``: a partner's status badge (binome.core.badges)."""

from django import template

from binome.core.badges import status_badge

register = template.Library()

COLOURS = {"active": "ok", "paused": "warn", "candidate": "warn", "ended": "danger"}


@register.simple_tag
def partner_status_badge(partner):
    return status_badge(partner.status, partner.status_label, COLOURS)
