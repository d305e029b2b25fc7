import pytest
from django.urls import reverse

from binome.accompaniment import demo as accompaniment_demo
from binome.accompaniment.models import (
    Accompaniment,
    Alert,
    Contact,
    KeyMoment,
)
from binome.partners import demo as partners_demo
from binome.people.demo_set import load_core
from binome.tandems import demo as tandems_demo
from binome.tandems.models import Tandem, TandemReport
from tests.conftest import force_verified_login

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count() for m in (Accompaniment, Contact, KeyMoment, Alert, Tandem, TandemReport)
    ]


def test_demo_has_every_stage_and_is_idempotent(client):
    demo = load_core()
    partners_demo.load(demo)
    accompaniment_demo.load(demo)
    tandems_demo.load(demo)
    counts = _counts()
    assert Tandem.objects.count() == 2 and TandemReport.objects.count() == 4
    accompaniment_demo.load(demo)
    tandems_demo.load(demo)
    assert _counts() == counts
    for slug in ("tilleuls", "vallee"):
        assert set(
            Accompaniment.objects.filter(structure__slug=slug).values_list("status", flat=True)
        ) == {"referred", "active", "ended"}
    jacques = Accompaniment.objects.get(patient__user=demo.user("patient@tilleuls.demo"))
    assert jacques.partner.membership.user == demo.user("partenaire@tilleuls.demo")
    assert jacques.referred_by.user == demo.user("medecin@tilleuls.demo")
    assert jacques.alerts.filter(acknowledged_at__isnull=True).count() == 1
    assert jacques.contacts.exists() and jacques.key_moments.exists()

    pages = {
        "partenaire@tilleuls.demo": [
            reverse("accompaniment:today"),
            reverse("accompaniment:detail", args=[jacques.public_id]),
        ],
        "medecin@tilleuls.demo": [
            reverse("accompaniment:list"),
            reverse("accompaniment:detail", args=[jacques.public_id]),
            reverse("accompaniment:refer"),
            reverse("tandems:list"),
        ],
        "coordination@tilleuls.demo": [
            reverse("accompaniment:dashboard"),
            reverse("accompaniment:load"),
        ],
        "patient@tilleuls.demo": [reverse("accompaniment:mine")],
    }
    for email, urls in pages.items():
        client.logout()
        force_verified_login(client, demo.user(email))
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)
    force_verified_login(client, demo.user("medecin@tilleuls.demo"))
    page = client.get(reverse("accompaniment:detail", args=[jacques.public_id])).content.decode()
    assert "il a peur des piqûres" not in page  # private note
    assert "appréhende le passage à l&#x27;insuline" in page  # shared summary
