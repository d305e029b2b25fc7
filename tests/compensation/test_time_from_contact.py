"""No double entry (issue 15): an exchange the partner logged becomes a time entry in one
tap — its day and duration carried over, the partner confirms — and counts only once."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from binome.compensation.models import TimeEntry
from tests.accompaniment.factories import AccompanimentFactory, ContactFactory
from tests.compensation.factories import PolicyFactory, assigned


def test_an_exchange_becomes_a_time_entry_once(world):
    partner, mission = assigned(world, title="Pair-accompagnement")
    PolicyFactory(mission=mission, mode="volunteer_expenses")
    acc = AccompanimentFactory(structure=world.a, partner=partner)
    when = timezone.make_aware(dt.datetime(2026, 11, 20, 15, 0))
    contact = ContactFactory(
        accompaniment=acc, created_by=world.users["partner"], duration_minutes=40, occurred_at=when
    )
    client = world.client_for("partner")

    detail = client.get(reverse("accompaniment:detail", args=[acc.public_id])).content.decode()
    link = f"{reverse('compensation:log_time')}?echange={contact.public_id}"
    assert link in detail
    form = client.get(link)
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert (initial["date"], initial["duration_minutes"], initial["activity"]) == (
        dt.date(2026, 11, 20),
        45,
        "accompaniment",
    )
    assert acc.patient.first_name not in initial["note"]
    token = initial["submission_token"]
    response = client.post(
        link,
        {
            "mission": mission.pk,
            "date": "2026-11-20",
            "duration_minutes": 45,
            "activity": "accompaniment",
            "note": initial["note"],
            "submission_token": token,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        entry = TimeEntry.objects.get()
    assert (entry.duration_minutes, entry.date, entry.submission_token) == (
        45,
        dt.date(2026, 11, 20),
        f"contact-{contact.public_id}",
    )
    again = client.get(link)
    assert again.status_code == 302 and again["Location"] == reverse(
        "compensation:edit_time", args=[entry.public_id]
    )
    client.post(
        link,
        {
            "mission": mission.pk,
            "date": "2026-11-20",
            "duration_minutes": 45,
            "activity": "accompaniment",
            "submission_token": token,
        },
    )
    with scopes_disabled():
        assert TimeEntry.objects.count() == 1


def test_someone_elses_exchange_is_404(world):
    from tests.partners.factories import PartnerFactory

    assigned(world)  # the partner persona has a partner record
    other = AccompanimentFactory(structure=world.a, partner=PartnerFactory(structure=world.a))
    contact = ContactFactory(accompaniment=other, created_by=world.users["coordinator"])
    client = world.client_for("partner")
    assert (
        client.get(f"{reverse('compensation:log_time')}?echange={contact.public_id}").status_code
        == 404
    )
    assert client.get(f"{reverse('compensation:log_time')}?echange=pas-un-uuid").status_code == 404
