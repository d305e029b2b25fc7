"""Query budgets of the accompaniment pages (issue 9), with data on every page.

Each budget is the per-request base of the middleware (session, user, second factor,
memberships: ``BASE``) plus the page's own queries, at most 7. Reading patient data stays
audited: the audit insert is one of the page's own queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.accompaniment.models import Notification, PatientFeedback
from binome.audit.models import AuditEvent
from binome.partners.models import PartnerTag
from tests.accompaniment.factories import (
    AccompanimentFactory,
    AlertFactory,
    ContactFactory,
    KeyMomentFactory,
    PartnerFactory,
    SupervisionSessionFactory,
    partner_for,
)

pytestmark = pytest.mark.django_db

# The middleware's queries before every signed-in view: session, user, second factor,
# memberships, network memberships (the session is written once every 5 minutes at most).
BASE = 5

ALL_CONSENTS = ["contact_by_partner", "share_contact_details", "share_summaries_with_team"]


@pytest.fixture
def data(world):
    """A structure with several partners, accompaniments in every state, exchanges, key
    moments, alerts, feedback, tags and supervision: every block of every page shows."""
    me = partner_for(world.memberships["partner"])
    others = [PartnerFactory(structure=world.a) for _ in range(14)]
    PartnerTag.objects.create(
        partner=others[0], kind="condition", value="cancer-du-sein", label="Cancer du sein"
    )
    PartnerTag.objects.create(partner=others[1], kind="limit", value="cancer", label="Cancer")
    now = timezone.now()
    doctor = world.memberships["doctor"]
    accs = []
    for i in range(12):
        partner = me if i % 2 == 0 else others[i % len(others)]
        status = ["referred", "active", "ended"][i % 3]
        acc = AccompanimentFactory(
            structure=world.a,
            partner=partner,
            referred_by=doctor,
            status=status,
            consents=ALL_CONSENTS,
            referred_at=now - timedelta(days=i + 3),
            first_contact_due_at=now - timedelta(days=i + 1),
            first_contact_at=None if status == "referred" else now - timedelta(days=i + 2),
        )
        acc.designated_professionals.add(world.memberships["nurse"])
        for _ in range(3):
            ContactFactory(accompaniment=acc)
        KeyMomentFactory(accompaniment=acc, date=timezone.localdate() + timedelta(days=i % 5))
        AlertFactory(accompaniment=acc)
        if status == "ended":
            PatientFeedback.objects.create(accompaniment=acc, usefulness=4)
        accs.append(acc)
    # The patient persona's own accompaniments (one ended with feedback, one active).
    for status in ("active", "ended"):
        mine = AccompanimentFactory(
            structure=world.a,
            partner=me,
            referred_by=doctor,
            status=status,
            consents=ALL_CONSENTS,
            patient__user=world.users["patient"],
        )
        KeyMomentFactory(accompaniment=mine)
    PatientFeedback.objects.create(accompaniment=mine, usefulness=3)
    for partner in [me, *others[:3]]:
        SupervisionSessionFactory(partner=partner)
    Notification.objects.create(
        structure=world.a, recipient=world.users["partner"], text="Nouvelle orientation"
    )
    return accs[0]  # the partner's own, referred by the doctor, the nurse designated


def _pages(acc):
    detail = reverse("accompaniment:detail", args=[acc.public_id])
    return [
        ("coordinator", reverse("accompaniment:list"), 3),
        ("coordinator", reverse("accompaniment:dashboard"), 7),
        ("coordinator", reverse("accompaniment:load"), 6),
        ("coordinator", detail, 6),  # + the history of partners (handovers)
        ("doctor", reverse("accompaniment:list"), 3),
        ("doctor", reverse("accompaniment:refer"), 5),
        ("doctor", reverse("accompaniment:refer") + "?pathway=cancer&partner_search=a", 5),
        ("doctor", detail, 7),
        ("nurse", detail, 7),
        ("partner", reverse("accompaniment:today"), 6),
        ("partner", reverse("accompaniment:list"), 3),
        ("partner", detail, 7),
        ("partner", reverse("accompaniment:add_contact", args=[acc.public_id]), 3),
        # + the GDPR notice: the register entry (or the coordinators and networks it is pre-filled from).
        ("patient", reverse("accompaniment:mine"), 8),
    ]


@pytest.mark.parametrize("index", range(14))
def test_page_stays_within_its_query_budget(world, data, index, django_assert_max_num_queries):
    persona, url, own = _pages(data)[index]
    client = world.client_for(persona)
    assert client.get(url).status_code == 200  # warm the session
    with django_assert_max_num_queries(BASE + own):
        response = client.get(url)
    assert response.status_code == 200


def test_reading_pages_are_still_audited(world, data):
    """One audit row per read of patient data, on the pages made cheaper."""
    for persona, url, _own in _pages(data):
        if "orienter" in url or "echange" in url:
            continue
        client = world.client_for(persona)
        client.get(url)  # sign-in events, notifications read, patient account linked
        before = AuditEvent.objects.count()
        client.get(url)
        assert AuditEvent.objects.count() == before + 1, url


def test_load_page_figures_are_those_of_each_partner(world):
    """The load page's grouped figures land on the right rows: open accompaniments against the
    ceiling, hours of exchanges over 30 days, last supervision."""
    busy = PartnerFactory(structure=world.a, first_name="Aline", max_active_accompaniments=2)
    idle = PartnerFactory(structure=world.a, first_name="Bruno")
    for status in ("active", "referred", "ended"):
        acc = AccompanimentFactory(structure=world.a, partner=busy, status=status)
        ContactFactory(accompaniment=acc, duration_minutes=45)
    ContactFactory(
        accompaniment=acc, duration_minutes=600, occurred_at=timezone.now() - timedelta(days=40)
    )
    SupervisionSessionFactory(
        partner=busy, date=timezone.localdate().replace(year=2026, month=3, day=2)
    )
    page = world.client_for("coordinator").get(reverse("accompaniment:load")).content.decode()
    rows = {
        name: page[page.index(name) : page.index("</tr>", page.index(name))]
        for name in (busy.full_name, idle.full_name)
    }
    assert "2 / 2" in rows[busy.full_name] and "plafond atteint" in rows[busy.full_name]
    assert (
        "2,2" in rows[busy.full_name] or "2.2" in rows[busy.full_name]
    )  # 3 × 45 min; the old one is out
    assert "2 mars 2026" in rows[busy.full_name]
    assert "0 / 3" in rows[idle.full_name] and "—" in rows[idle.full_name]
