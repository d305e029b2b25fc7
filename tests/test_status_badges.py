"""Status badges of missions and partners: the colour each status gets, and its label, the
same on every page that shows one (lists, the record, the partner's own profile)."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from binome.missions.models import Mission
from binome.partners.models import Partner

MISSION_CLASSES = {
    "draft": "badge",
    "in_validation": "badge badge--warn",
    "active": "badge badge--ok",
    "closed": "badge badge--danger",
}
PARTNER_CLASSES = {
    "candidate": "badge badge--warn",
    "met": "badge",
    "selected": "badge",
    "onboarded": "badge",
    "active": "badge badge--ok",
    "paused": "badge badge--warn",
    "ended": "badge badge--danger",
}


def _render(source, obj):
    with translation.override("fr"):
        return Template(source).render(Context({"obj": obj}))


@pytest.mark.parametrize("status", Mission.Status.values)
def test_mission_badge(status):
    mission = Mission(status=status)
    html = _render("{% load mission_badges %}{% mission_status_badge obj %}", mission)
    assert html == f'<span class="{MISSION_CLASSES[status]}">{mission.status_label}</span>'


@pytest.mark.parametrize("status", Partner.Status.values)
def test_partner_badge(status):
    partner = Partner(status=status)
    html = _render("{% load partner_badges %}{% partner_status_badge obj %}", partner)
    assert html == f'<span class="{PARTNER_CLASSES[status]}">{partner.status_label}</span>'


def test_badge_labels_are_escaped():
    html = _render(
        "{% load partner_badges %}{% partner_status_badge obj %}",
        SimpleNamespace(status="x", status_label="<b>"),
    )
    assert html == '<span class="badge">&lt;b&gt;</span>'
