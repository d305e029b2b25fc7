"""Retention of the capability data, through each app's own erasure rules: exactly the
expired rows go, once."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from binome.accompaniment.models import Consent, Contact, Patient
from binome.partners.models import Partner
from binome.privacy.retention import apply_retention, hooks_for
from tests.accompaniment.factories import AccompanimentFactory, ContactFactory

NOW = timezone.now()


def _days(n):
    return NOW - timedelta(days=n)


def test_contact_notes_go_a_year_after_the_end(world):
    old = ContactFactory(
        accompaniment=AccompanimentFactory(structure=world.a, ended_at=_days(400), status="ended")
    )
    recent = ContactFactory(
        accompaniment=AccompanimentFactory(structure=world.a, ended_at=_days(100), status="ended")
    )
    ongoing = ContactFactory(accompaniment=AccompanimentFactory(structure=world.a))
    with time_machine.travel(NOW, tick=False):
        assert apply_retention()["contact_notes"] == 1
        assert apply_retention()["contact_notes"] == 0
    old.refresh_from_db()
    assert (old.private_notes, old.summary_to_share) == ("", "")
    assert old.duration_minutes  # the exchange itself is still counted
    assert (
        Contact.objects.get(pk=recent.pk).private_notes
        and Contact.objects.get(pk=ongoing.pk).private_notes
    )


def test_patients_are_anonymised_two_years_after_their_last_accompaniment(world):
    forgotten = AccompanimentFactory(
        structure=world.a, ended_at=_days(800), status="ended", end_comment="Déménagement"
    )
    recent = AccompanimentFactory(structure=world.a, ended_at=_days(300), status="ended")
    mixed = AccompanimentFactory(structure=world.a, ended_at=_days(800), status="ended")
    AccompanimentFactory(
        structure=world.a, patient=mixed.patient, consents=[]
    )  # a new one, still open
    with time_machine.travel(NOW, tick=False):
        assert apply_retention()["closed_accompaniments"] == 1
        assert apply_retention()["closed_accompaniments"] == 0
    patient = Patient.objects.get(pk=forgotten.patient.pk)
    assert (patient.last_name, patient.phone, patient.email) == ("", "", "")
    forgotten.refresh_from_db()
    assert forgotten.end_comment == "" and forgotten.ended_at == _days(
        800
    )  # outcome and dates stay
    assert Consent.objects.filter(patient=patient).exists()  # proof of consent stays
    assert Patient.objects.get(pk=recent.patient.pk).email
    assert Patient.objects.get(pk=mixed.patient.pk).email


def test_candidacies_not_retained_go_after_two_years(world):
    def candidate(email, days):
        return Partner.objects.create(
            structure=world.a,
            first_name="Nadia",
            email=email,
            motivation="Aider les autres",
            status="ended",
            status_changed_at=_days(days),
        )

    old = candidate("ancienne@exemple.fr", 800)
    recent = candidate("recente@exemple.fr", 100)
    with time_machine.travel(NOW, tick=False):
        assert apply_retention()["candidacies"] == 1
        assert apply_retention()["candidacies"] == 0
    old.refresh_from_db()
    assert old.email == "" and old.motivation == ""
    assert Partner.objects.get(pk=recent.pk).motivation


def test_the_capability_rules_are_plugged_in(db):
    assert all(hooks_for(key) for key in ("contact_notes", "closed_accompaniments", "candidacies"))
