"""The dashboard's kept figures (binome.accompaniment.stats.kept_figures, issue 17): kept for
one version of the structure's figures, which every write below it changes, and until the
clock alone would change them. Kept or computed, they must be the same figures."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from binome.accompaniment import stats
from binome.accompaniment.models import Accompaniment, Alert, FiguresVersion, PatientFeedback
from tests.accompaniment.factories import AccompanimentFactory, PartnerFactory, partner_for

pytestmark = pytest.mark.django_db


def _acc(world, **kw):
    kw.setdefault("partner", partner_for(world.memberships["partner"]))
    return AccompanimentFactory(structure=world.a, referred_by=world.memberships["doctor"], **kw)


def _kept(structure):
    figures = stats.kept_figures(structure)
    del figures["figures_version"]
    return figures


def _version(structure):
    return FiguresVersion.objects.filter(structure=structure).values_list("version", flat=True)[0]


def _new_accompaniment(world, acc):
    _acc(world, patient__pathway="diabetes")


def _first_contact(world, acc):
    acc.first_contact_at, acc.status = timezone.now(), Accompaniment.Status.ACTIVE
    acc.save()


def _end(world, acc):
    acc.status, acc.ended_at = Accompaniment.Status.ENDED, timezone.now()
    acc.save()


def _delete(world, acc):
    Accompaniment.objects.filter(pk=acc.pk).delete()


def _feedback(world, acc):
    PatientFeedback.objects.create(accompaniment=acc, usefulness=4, would_recommend=True)


def _rename_partner(world, acc):
    acc.partner.first_name = "Radegonde"
    acc.partner.save()


def _ceiling(world, acc):
    acc.partner.max_active_accompaniments = 1
    acc.partner.save()


def _pathway(world, acc):
    acc.patient.pathway = "diabetes"
    acc.patient.save()


WRITES = [
    _new_accompaniment,
    _first_contact,
    _end,
    _delete,
    _feedback,
    _rename_partner,
    _ceiling,
    _pathway,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_every_write_below_a_structure_gives_its_new_figures(world, write):
    acc = _acc(world, referred_at=timezone.now() - timedelta(days=2))
    _acc(world, partner=PartnerFactory(structure=world.a, first_name="Berthe"))
    AccompanimentFactory(structure=world.b)
    kept_before = _kept(world.a)
    other_before = (_kept(world.b), _version(world.b))
    version = _version(world.a)
    write(world, acc)
    assert _version(world.a) != version
    kept_after = _kept(world.a)
    assert kept_after == stats.figures(world.a)
    assert kept_after != kept_before  # each write above shows in the figures
    assert (_kept(world.b), _version(world.b)) == other_before


def test_a_write_rolled_back_keeps_the_version(world):
    acc = _acc(world)
    kept = _kept(world.a)
    version = _version(world.a)
    with pytest.raises(RuntimeError), transaction.atomic():
        _end(world, acc)
        raise RuntimeError
    assert _version(world.a) == version and _kept(world.a) == kept


def test_kept_figures_follow_the_clock_without_a_write(world):
    now = timezone.now()
    _acc(world, referred_at=now - timedelta(hours=1), first_contact_due_at=now + timedelta(hours=2))
    _acc(
        world,
        referred_at=now - timedelta(days=364, hours=23),
        first_contact_at=now - timedelta(days=364),
        first_contact_due_at=now - timedelta(days=363),
        status=Accompaniment.Status.ENDED,
    )
    kept = _kept(world.a)
    assert kept["totals"]["late"] == 0 and kept["totals"]["referred_year"] == 2
    version = _version(world.a)
    with time_machine.travel(now + timedelta(hours=3), tick=False):
        kept = _kept(world.a)
        assert kept == stats.figures(world.a)
        assert kept["totals"]["late"] == 1 and kept["totals"]["referred_year"] == 1
    assert _version(world.a) == version  # no write: the clock alone


def test_open_alerts_are_read_on_every_visit(world):
    acc = _acc(world)
    assert stats.kept_figures(world.a)["open_alerts"] == 0
    version = _version(world.a)
    alert = Alert.objects.create(accompaniment=acc, message="Inquiète")
    assert stats.kept_figures(world.a)["open_alerts"] == 1
    alert.acknowledged_at = timezone.now()
    alert.save()
    assert stats.kept_figures(world.a)["open_alerts"] == 0
    assert _version(world.a) == version  # not kept: no version needed


def test_the_dashboard_shows_a_new_referral_at_once(world):
    client = world.client_for("coordinator")
    _acc(world, partner=PartnerFactory(structure=world.a, first_name="Berthe"))
    page = client.get(reverse("accompaniment:dashboard")).content.decode()
    assert "Berthe" in page and "Radegonde" not in page
    _acc(world, partner=PartnerFactory(structure=world.a, first_name="Radegonde"))
    page = client.get(reverse("accompaniment:dashboard")).content.decode()
    assert "Berthe" in page and "Radegonde" in page  # the kept table too
    assert "2 en attente de premier contact" in page


def test_figures_kept_by_other_code_are_not_read(world, monkeypatch):
    """A shared cache outlives an upgrade: the key holds the code's version."""
    _acc(world)
    kept = stats.kept_figures(world.a)
    monkeypatch.setattr(stats, "CODE_VERSION", "autre-code")
    again = stats.kept_figures(world.a)
    assert again["figures_version"] != kept["figures_version"]
    assert again["figures_version"].endswith(":autre-code")
