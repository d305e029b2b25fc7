"""One load figure per partner (binome.partners.load): the accompaniments in their hands and
their live missions, against their ceiling, the same for referrals, matching and the load page."""

import pytest
from django.urls import reverse

from binome.accompaniment.services import suggest_partners
from binome.missions.matching import ranked
from tests.accompaniment.factories import AccompanimentFactory, partner_for
from tests.compensation.factories import AssignmentFactory, MissionFactory

pytestmark = pytest.mark.django_db


def test_accompaniments_and_missions_count_once_everywhere(world):
    partner = partner_for(world.memberships["partner"])
    partner.max_active_accompaniments = 3
    partner.save()
    AccompanimentFactory(structure=world.a, partner=partner)
    AccompanimentFactory(structure=world.a, partner=partner, status="ended")  # done: not counted
    AccompanimentFactory(
        structure=world.a, partner=partner, status="to_reassign"
    )  # handed back: not counted
    for _i in range(2):
        AssignmentFactory(
            mission=MissionFactory(structure=world.a, status="active"), partner=partner
        )
    AssignmentFactory(
        mission=MissionFactory(structure=world.a, status="closed"), partner=partner
    )  # closed mission
    suggestion = next(s for s in suggest_partners(world.a, "cancer") if s.partner.pk == partner.pk)
    assert suggestion.load == 3 and not suggestion.is_available
    mission = MissionFactory(structure=world.a, status="draft")
    match = next(p for p in ranked(mission) if p.pk == partner.pk)
    assert match.load == 3 and match.overloaded
    page = world.client_for("coordinator").get(reverse("accompaniment:load")).content.decode()
    assert "3 / 3" in page and "plafond atteint" in page
