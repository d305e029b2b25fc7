"""A partner's declared limits mean something (seed 003, vicarious trauma): a "fin de vie"
limit keeps them out of a palliative referral, out of one touching the end of life, and out
of a mission on palliative care — by meaning, not only by the words typed."""

import json

import pytest

from binome.accompaniment.services import suggest_partners
from binome.missions.matching import ranked
from binome.missions.models import MissionCriterion
from binome.partners.limits import limit_hits
from binome.partners.models import PartnerTag
from tests.accompaniment.factories import partner_for
from tests.accompaniment.test_api import _client, _post
from tests.compensation.factories import MissionFactory

pytestmark = pytest.mark.django_db


def _limited(world, label="fin de vie", value="fin-de-vie"):
    partner = partner_for(world.memberships["partner"])
    PartnerTag.objects.create(partner=partner, kind=PartnerTag.Kind.LIMIT, value=value, label=label)
    return partner


def _suggestion(world, partner, pathway, moments=()):
    return next(
        s for s in suggest_partners(world.a, pathway, moments=moments) if s.partner.pk == partner.pk
    )


def test_a_fin_de_vie_limit_excludes_palliative_referrals_and_end_of_life_moments(world):
    partner = _limited(world)
    assert not _suggestion(world, partner, "palliative").is_available
    assert "fin de vie" in _suggestion(world, partner, "palliative").excluded_reason
    assert not _suggestion(world, partner, "cancer", moments=["fin-de-vie"]).is_available
    assert _suggestion(
        world, partner, "cancer"
    ).is_available  # the same partner for another cancer referral
    assert _suggestion(world, partner, "diabetes", moments=["annonce"]).is_available


def test_the_referral_api_refuses_an_excluded_partner(world):
    partner = _limited(world, "l'annonce", "l-annonce")
    payload = {
        "structure": "structure-a",
        "first_name": "Anne",
        "phone": "0611223344",
        "pathway": "cancer",
        "partner": str(partner.public_id),
        "consents": ["contact_by_partner", "share_contact_details"],
        "moments": ["annonce"],
    }
    response = _post(_client(world.users["doctor"]), "/api/v1/accompaniment/referrals", payload)
    assert response.status_code == 422 and "pas disponible" in json.dumps(
        response.json(), ensure_ascii=False
    )


def test_a_mission_on_palliative_care_excludes_the_partner(world):
    partner = _limited(world)
    mission = MissionFactory(structure=world.a, status="draft")
    MissionCriterion.objects.create(
        mission=mission, kind="topic", value="soins-palliatifs", label="Soins palliatifs"
    )
    match = next(p for p in ranked(mission) if p.pk == partner.pk)
    assert match.excluded and match.limit_conflicts


@pytest.mark.parametrize(
    "limit, context, hit",
    [
        ("fin-de-vie", {"soins-palliatifs"}, True),
        ("deuil", {"fin-de-vie"}, False),
        ("annonce-du-diagnostic", {"annonce"}, True),
        ("chimio", {"radiotherapie"}, False),
    ],
)
def test_limits_match_by_meaning(limit, context, hit):
    assert limit_hits(limit, context) is hit


def test_the_suggestions_api_takes_the_moments(world):
    partner = _limited(world)
    rows = (
        _client(world.users["doctor"])
        .get(
            "/api/v1/accompaniment/partners/suggestions",
            {"pathway": "cancer", "moments": "fin-de-vie"},
        )
        .json()
    )
    mine = next(r for r in rows if r["partner"] == str(partner.public_id))
    assert mine["available"] is False and "fin de vie" in mine["reason"]
