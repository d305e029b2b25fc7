"""A partner declines a referral on their phone; the coordinator confides the patient to
another partner, who finds the referral on their own "Aujourd'hui" (360 px and desktop)."""

import pytest
from playwright.sync_api import expect

from binome.accompaniment.models import Accompaniment, Handover
from binome.accompaniment.services import create_referral
from tests.accompaniment.factories import PartnerFactory, partner_for
from tests.conftest import build_world
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = build_world()
    first = partner_for(world.memberships["partner"])
    first.first_name, first.last_name = "Martine", "Cazals"
    first.save()
    second = MembershipFactory(structure=world.a, role="partner", user__email="odile@a.test")
    PartnerFactory(structure=world.a, membership=second, first_name="Odile", last_name="Garric")
    world.users["second_partner"] = second.user
    world.acc = create_referral(
        structure=world.a,
        referrer=world.memberships["doctor"],
        patient_data={
            "first_name": "Josiane",
            "last_name": "Marty",
            "phone": "06 11 22 33 44",
            "email": "",
            "pathway": "cancer",
        },
        purposes=["contact_by_partner", "share_contact_details"],
        method="signed_form",
        partner=first,
    )
    return world


def test_a_declined_referral_is_reassigned(page, world, login_as, check_page):
    acc = world.acc
    login_as(page, world.users["partner"])
    page.goto(f"/accompagnements/{acc.public_id}/")
    page.get_by_role("link", name="Je ne peux pas accompagner cette personne").click()
    check_page(page)
    page.get_by_label("Pourquoi ? (seule la coordination le lira)").fill(
        "Pas disponible ce mois-ci"
    )
    page.get_by_role("button", name="Décliner").click()
    page.wait_for_url("**/aujourdhui/")
    assert "Josiane" not in page.content()

    page.context.clear_cookies()
    login_as(page, world.users["coordinator"])
    page.goto(f"/accompagnements/{acc.public_id}/")
    assert "Pas disponible ce mois-ci" in page.content()
    page.get_by_role("link", name="Confier à un autre patient partenaire").click()
    check_page(page)
    page.get_by_label("Odile Garric", exact=False).check()
    page.get_by_role("button", name="Confier").click()
    page.wait_for_url(f"**/accompagnements/{acc.public_id}/")
    assert "Patients partenaires successifs" in page.content()
    check_page(page)
    acc.refresh_from_db()
    assert acc.partner.first_name == "Odile" and acc.status == Accompaniment.Status.REFERRED
    assert Handover.objects.get().reassigned_to == acc.partner

    page.context.clear_cookies()
    login_as(page, world.users["second_partner"])
    page.goto("/accompagnements/aujourdhui/")
    check_page(page)
    expect(page.get_by_role("link", name="Appeler le 06 11 22 33 44")).to_be_visible()
