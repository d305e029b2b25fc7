"""The pages of one object read through SQL compiled once for every object
(binome.core.kept_sql with arguments). In the production mode, where nothing is built
again, each page must still show its own object, follow the data and the consent at once,
and keep the 404 across structures and people."""

import pytest
from django.urls import reverse

from binome.accompaniment.models import ConsentPurpose
from binome.accompaniment.services import withdraw_consent
from tests.accompaniment.factories import partner_for, world_accompaniment
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db

PHONE = "06 44 55 66 77"


def _page(client, name, obj, status=200):
    response = client.get(reverse(name, args=[obj.public_id]))
    assert response.status_code == status
    return response.content.decode()


def test_an_accompaniment_page_compiles_once_for_every_accompaniment(world, kept_only):
    rose = world_accompaniment(world, patient__first_name="Rose", patient__last_name="Martin")
    yvon = world_accompaniment(world, patient__first_name="Yvon", patient__last_name="Durand")
    partner = world.client_for("partner")
    assert "Rose Martin" in _page(partner, "accompaniment:detail", rose)
    assert kept_only, "the page reads through kept SQL"
    kept_only.clear()
    page = _page(partner, "accompaniment:detail", yvon)
    assert "Yvon Durand" in page and "Rose" not in page
    assert kept_only == [], "a kept query was compiled again for another accompaniment"


def test_the_consent_is_read_at_each_visit(world, kept_only):
    acc = world_accompaniment(
        world, patient__first_name="Rose", patient__last_name="Martin", patient__phone=PHONE
    )
    partner = world.client_for("partner")
    assert PHONE in _page(partner, "accompaniment:detail", acc)
    consent = acc.patient.consents.get(purpose=ConsentPurpose.SHARE_CONTACT_DETAILS)
    withdraw_consent(consent, user=world.users["coordinator"])
    page = _page(partner, "accompaniment:detail", acc)
    assert PHONE not in page and "Martin" not in page and "Rose M." in page


def test_the_kept_sql_keeps_the_404_across_structures_and_people(world, kept_only):
    mine = world_accompaniment(world)
    other_partner = world_accompaniment(world, partner=PartnerFactory(structure=world.a))
    partner = world.client_for("partner")
    _page(partner, "accompaniment:detail", mine)
    _page(partner, "accompaniment:detail", other_partner, status=404)
    _page(world.client_for("coordinator"), "accompaniment:detail", mine)
    _page(world.client_for("coordinator", structure="b"), "accompaniment:detail", mine, 404)
    _page(world.client_for("patient"), "accompaniment:detail", mine, 404)


def test_a_partner_sheet_compiles_once_for_every_partner(world, kept_only):
    rose = PartnerFactory(structure=world.a, first_name="Rose", last_name="Martin")
    yvon = PartnerFactory(structure=world.a, first_name="Yvon", last_name="Durand")
    coordinator = world.client_for("coordinator")
    assert "Rose Martin" in _page(coordinator, "partners:detail", rose)
    kept_only.clear()
    page = _page(coordinator, "partners:detail", yvon)
    assert "Yvon Durand" in page and "Rose Martin" not in page
    assert kept_only == [], "a kept query was compiled again for another partner"
    _page(world.client_for("coordinator", structure="b"), "partners:detail", yvon, 404)
    _page(world.client_for("partner"), "partners:detail", yvon, 404)  # another partner's sheet


def test_the_patients_page_shows_her_own_accompaniments_only(world, kept_only):
    patient_user = world.users["patient"]
    own = world_accompaniment(world, patient__user=patient_user, patient__first_name="Rose")
    world_accompaniment(world, patient__first_name="Yvon")
    client = world.client_for("patient")
    page = client.get(reverse("accompaniment:mine")).content.decode()
    assert str(own.public_id) in page
    consent = own.patient.consents.get(purpose=ConsentPurpose.SHARE_CONTACT_DETAILS)
    withdraw_consent(consent, user=patient_user)
    kept_only.clear()
    page = client.get(reverse("accompaniment:mine")).content.decode()
    assert "retiré le" in page and kept_only == []


def test_the_time_form_reads_the_partners_missions_once(world, kept_only):
    """The missions read with their mode (kept SQL) are the form's options too: Django's
    field copies its queryset without the rows, and would query them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.compensation.factories import AssignmentFactory, MissionFactory

    partner = partner_for(world.memberships["partner"])
    mine = MissionFactory(structure=world.a, title="Atelier diabète")
    AssignmentFactory(mission=mine, partner=partner)
    other = MissionFactory(structure=world.a, title="Café des aidants")
    client = world.client_for("partner")
    client.get(reverse("compensation:log_time"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("compensation:log_time")).content.decode()
    assert "Atelier diabète" in page and other.title not in page
    missions = [q for q in queries.captured_queries if 'FROM "missions_mission"' in q["sql"]]
    assert len(missions) == 1
    # A mission that is not hers is refused, whatever the options held.
    response = client.post(
        reverse("compensation:log_time"),
        {
            "mission": other.pk,
            "date": "2026-12-01",
            "duration_minutes": 60,
            "activity": "accompaniment",
        },
    )
    assert response.status_code == 422
