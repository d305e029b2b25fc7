"""The demo: partners at every stage, missions of several kinds; every page shows content."""

import pytest
from django.urls import reverse

from binome.missions.models import Mission
from binome.partners.models import CharterSignature, Partner
from binome.people.demo_set import load_demo
from tests.conftest import force_verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    return load_demo()


def test_demo_partners_missions_and_pages(demo, client):
    for slug in ("tilleuls", "vallee"):
        structure = demo.structures[slug]
        statuses = set(Partner.objects.filter(structure=structure).values_list("status", flat=True))
        assert {"candidate", "met", "selected", "active", "paused"} <= statuses
        assert set(
            Mission.objects.filter(structure=structure).values_list("status", flat=True)
        ) >= {"draft", "in_validation", "active"}
        assert Mission.objects.filter(structure=structure).values("kind").distinct().count() >= 3
        account = demo.user(f"partenaire@{slug}.demo")
        partner = Partner.objects.get(membership__user=account)
        assert partner.status == "active" and partner.structure == structure
    # Vallée published a second charter version: the partner is asked to sign again.
    fatima = demo.user("partenaire@vallee.demo")
    assert CharterSignature.objects.filter(user=fatima, charter__version=1).exists()
    assert not CharterSignature.objects.filter(user=fatima, charter__version=2).exists()

    force_verified_login(client, demo.user("coordination@tilleuls.demo"))
    mission = Mission.objects.filter(structure=demo.tilleuls, status="in_validation").first()
    partner = Partner.objects.filter(structure=demo.tilleuls, status="selected").first()
    for url in [
        reverse("partners:pool"),
        reverse("partners:pipeline"),
        reverse("partners:recruitment"),
        reverse("partners:charter"),
        reverse("partners:detail", args=[partner.public_id]),
        reverse("missions:list"),
        reverse("missions:compensation"),
        reverse("missions:detail", args=[mission.public_id]),
        reverse("missions:versions", args=[mission.public_id]),
        reverse("missions:matching", args=[mission.public_id]),
        reverse("missions:templates"),
        reverse("web:home"),
    ]:
        assert client.get(url).status_code == 200, url
    versions = client.get(reverse("missions:versions", args=[mission.public_id])).content.decode()
    assert "<ins>" in versions and "<del>" in versions

    partner_client = force_verified_login(type(client)(), demo.user("partenaire@tilleuls.demo"))
    for url in [
        reverse("partners:my_profile"),
        reverse("missions:list"),
        reverse("partners:charter"),
        reverse("web:home"),
    ]:
        assert partner_client.get(url).status_code == 200, url
    assert (
        "Pair-accompagnement : diabète de type 2"
        in partner_client.get(reverse("missions:list")).content.decode()
    )
