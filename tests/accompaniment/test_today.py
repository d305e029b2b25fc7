"""The partner's "Aujourd'hui" (accompaniment/today.py): what it shows, with its queries'
SQL kept between visits (binome.core.kept_sql) — in the production mode, where nothing is
built again, the page must still follow the data, the consent, the day and the person."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.accompaniment import today as today_rows
from binome.accompaniment.models import Accompaniment, ConsentPurpose, KeyMoment, Notification
from binome.accompaniment.services import withdraw_consent
from binome.core import kept_sql
from tests.accompaniment.factories import (
    AccompanimentFactory,
    AlertFactory,
    ContactFactory,
    KeyMomentFactory,
    PartnerFactory,
    partner_for,
    world_accompaniment,
)

pytestmark = pytest.mark.django_db

PHONE = "06 44 55 66 77"


def _today(world, persona="partner"):
    response = world.client_for(persona).get(reverse("accompaniment:today"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_day_lists_calls_moments_alerts_and_news(world, kept_only):
    to_call = world_accompaniment(world, patient__first_name="Rose", patient__phone=PHONE)
    active = world_accompaniment(
        world, status=Accompaniment.Status.ACTIVE, patient__first_name="Yvon"
    )
    ContactFactory(accompaniment=active, occurred_at=timezone.now() - dt.timedelta(days=3))
    KeyMomentFactory(accompaniment=active, label="Scanner de contrôle")
    AlertFactory(accompaniment=active)
    Notification.objects.create(
        structure=world.a, recipient=world.users["partner"], text="Nouvelle orientation : Rose"
    )
    other = world_accompaniment(world, partner=PartnerFactory(structure=world.a))
    page = _today(world)
    assert "Rose D." in page and f"tel:{PHONE}" in page
    assert reverse("accompaniment:detail", args=[to_call.public_id]) in page
    assert "Yvon D." in page and "dernier échange il y a 3" in page
    assert "Scanner de contrôle" in page
    assert "Mes alertes en attente de réponse" in page
    assert "Nouvelle orientation : Rose" in page
    assert str(other.public_id) not in page  # another partner's accompaniment
    # Shown = read, and no more shown on the next visit.
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "Nouvelle orientation : Rose" not in _today(world)


def test_kept_queries_are_not_built_again_and_follow_the_data(world, kept_only):
    acc = world_accompaniment(world, patient__first_name="Rose", patient__phone=PHONE)
    assert f"tel:{PHONE}" in _today(world)
    built = len(kept_only)
    assert built >= 3
    # The patient withdraws the sharing of her phone number: hidden at once.
    consent = acc.patient.consents.get(purpose=ConsentPurpose.SHARE_CONTACT_DETAILS)
    withdraw_consent(consent, user=world.users["coordinator"])
    page = _today(world)
    assert "Rose D." in page and PHONE not in page
    # The first contact is noted: the accompaniment leaves the calls to make.
    Accompaniment.objects.filter(pk=acc.pk).update(
        status=Accompaniment.Status.ACTIVE, first_contact_at=timezone.now()
    )
    page = _today(world)
    assert "Aucun premier contact en attente." in page and "Rose D." in page
    assert len(kept_only) == built, "a kept query was built again"


def test_kept_queries_answer_each_partner_for_herself(world, kept_only):
    world_accompaniment(world, patient__first_name="Rose")
    AccompanimentFactory(
        structure=world.b,
        partner=partner_for(world.memberships_b["partner"]),
        referred_by=world.memberships_b["doctor"],
        patient__first_name="Jean",
    )
    mine = _today(world)
    theirs = world.client_for("partner", structure="b").get(reverse("accompaniment:today"))
    assert "Rose D." in mine and "Jean D." not in mine
    assert "Jean D." in theirs.content.decode() and "Rose D." not in theirs.content.decode()


def test_moments_follow_the_day(world, kept_only):
    acc = world_accompaniment(world, status=Accompaniment.Status.ACTIVE)
    in_15_days = timezone.localdate() + dt.timedelta(days=15)
    KeyMomentFactory(accompaniment=acc, date=in_15_days, kind=KeyMoment.Kind.FIRST_CHEMO)
    assert today_rows.key_moments(acc.partner, timezone.localdate()) == []
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    moments = today_rows.key_moments(acc.partner, tomorrow)
    assert [(m["date"], m["title"]) for m in moments] == [
        (in_15_days, str(KeyMoment.Kind.FIRST_CHEMO.label))
    ]


def test_a_key_that_misses_an_input_fails_in_the_tests(world, settings):
    """BINOME_CHECK_KEPT_SQL (on in the tests): a query whose SQL depends on something
    outside its key is refused rather than served stale."""
    settings.BINOME_CHECK_KEPT_SQL = True
    first = partner_for(world.memberships["partner"])
    second = partner_for(world.memberships_b["partner"])
    current = [first]

    def build():
        return Accompaniment.objects.filter(partner=current[0]).values_list("pk")

    kept_sql.rows("test.missing_input", (), build)
    current[0] = second
    with pytest.raises(AssertionError, match="outside its key"):
        kept_sql.rows("test.missing_input", (), build)
