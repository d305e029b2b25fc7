"""Query counts of the main pages stay the same from 10 to 10,000 accompaniments."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from binome.accompaniment.models import Accompaniment, Alert, Consent, Contact, KeyMoment, Patient
from tests.accompaniment.factories import AccompanimentFactory, PartnerFactory, partner_for

pytestmark = pytest.mark.django_db


def _grow(world, n, partners):
    now = timezone.now()
    start = Patient.objects.count()
    patients = Patient.objects.bulk_create(
        [
            Patient(
                structure=world.a,
                first_name=f"P{start + i}",
                last_name="X",
                phone="0600000000",
                pathway=["cancer", "diabetes", "cardio"][i % 3],
            )
            for i in range(n)
        ]
    )
    Consent.objects.bulk_create(
        [
            Consent(patient=p, purpose=purpose, text_version="2026-01", method="oral")
            for p in patients
            for purpose in ("contact_by_partner", "share_contact_details")
        ]
    )
    statuses = ["referred", "active", "ended"]
    accs = Accompaniment.objects.bulk_create(
        [
            Accompaniment(
                structure=world.a,
                patient=p,
                partner=partners[i % len(partners)],
                referred_by=world.memberships["doctor"],
                status=statuses[i % 3],
                referred_at=now - timedelta(days=i % 300, hours=3),
                first_contact_due_at=now - timedelta(days=i % 300, hours=3) + timedelta(hours=48),
                first_contact_at=None if i % 3 == 0 else now - timedelta(days=i % 300),
            )
            for i, p in enumerate(patients)
        ]
    )
    Contact.objects.bulk_create(
        [
            Contact(accompaniment=a, duration_minutes=20, private_notes="n")
            for a in accs
            if a.status != "referred"
        ]
    )
    KeyMoment.objects.bulk_create(
        [
            KeyMoment(
                accompaniment=a, kind="surgery", date=timezone.localdate() + timedelta(days=i % 10)
            )
            for i, a in enumerate(accs)
            if a.status == "active"
        ]
    )
    Alert.objects.bulk_create(
        [Alert(accompaniment=a, message="m") for a in accs[:: max(1, n // 5)]]
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_query_count_constant_from_10_to_10000(world):
    """Partner "today", accompaniment page, coordinator dashboard, list and load: same counts."""
    partners = [
        partner_for(world.memberships["partner"]),
        *[PartnerFactory(structure=world.a) for _ in range(3)],
    ]
    acc = AccompanimentFactory(
        structure=world.a, partner=partners[0], referred_by=world.memberships["doctor"]
    )
    Contact.objects.create(accompaniment=acc, private_notes="x")
    pages = {
        "today": ("partner", reverse("accompaniment:today")),
        "detail (partner)": ("partner", reverse("accompaniment:detail", args=[acc.public_id])),
        "detail (doctor)": ("doctor", reverse("accompaniment:detail", args=[acc.public_id])),
        "dashboard": ("coordinator", reverse("accompaniment:dashboard")),
        "list": ("doctor", reverse("accompaniment:list")),
        "load": ("coordinator", reverse("accompaniment:load")),
        "home": ("partner", reverse("web:home")),
    }
    clients = {p: world.client_for(p) for p in {persona for persona, _url in pages.values()}}
    _grow(world, 10, partners)
    for persona, url in pages.values():
        clients[persona].get(url)  # warm the session
    small = {name: _count(clients[persona], url) for name, (persona, url) in pages.items()}
    _grow(world, 9_990, partners)
    assert Accompaniment.objects.count() > 10_000
    large = {name: _count(clients[persona], url) for name, (persona, url) in pages.items()}
    small["list"] += (
        1  # A full page adds its COUNT; a short one has none (binome/core/pagination.py).
    )
    assert small == large, (small, large)
