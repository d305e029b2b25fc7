import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from binome.networks import questionnaire as q
from binome.networks import services
from binome.networks.reports import DASHBOARD_CACHE_SECONDS, network_dashboard
from binome.networks.synthetic import answers_for
from tests.conftest import force_verified_login
from tests.factories import (
    NetworkAffiliationFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    StructureFactory,
)
from tests.networks.factories import (
    CampaignFactory,
    MaturityAssessmentFactory,
    ProjectCardFactory,
    invitation,
)

pytestmark = pytest.mark.django_db

BASE = 5  # queries before every view (binome/web/middleware.py)


def _grow(network, n, level=q.CONSULTATION):
    structures = []
    for _ in range(n):
        s = StructureFactory()
        NetworkAffiliationFactory(network=network, structure=s)
        MaturityAssessmentFactory(structure=s, level=level)
        structures.append(s)
    return structures


def test_dashboard_aggregates_latest_levels_of_opted_in_structures(world):
    _grow(world.network, 3, q.CONSULTATION)
    _grow(world.network, 1, q.PARTNERSHIP)
    old = MaturityAssessmentFactory(structure=world.a, level=q.INFORMATION)
    old.created_at = timezone.now() - dt.timedelta(days=400)
    old.save()
    MaturityAssessmentFactory(structure=world.a, level=q.COLLABORATION)  # the latest counts
    # A structure that left the network is not counted.
    gone = StructureFactory()
    aff = NetworkAffiliationFactory(
        network=world.network, structure=gone, opted_out_at=timezone.now()
    )
    assert aff.opted_out_at
    MaturityAssessmentFactory(structure=gone, level=q.PARTNERSHIP)
    data = network_dashboard(world.network)
    assert (data["structures"], data["assessed"]) == (6, 5)
    shares = {s.code: s.count for s in data["levels"]}
    assert shares == {q.INFORMATION: 0, q.CONSULTATION: 3, q.COLLABORATION: 1, q.PARTNERSHIP: 1}
    assert data["aci"] is not None and sum(s.count for s in data["aci"]) == 6


def test_dashboard_withholds_small_networks(world):
    data = network_dashboard(world.network)
    assert data["withheld"] and data["levels"] == []
    page = world.client_for("facilitator").get(reverse("networks:dashboard")).content.decode()
    assert "Moins de 5 structures adhérentes" in page


def test_dashboard_accompaniments_when_the_app_has_models(world):
    from tests.accompaniment.factories import AccompanimentFactory

    structures = _grow(world.network, 5)
    now = timezone.now()
    for i, s in enumerate(structures):
        AccompanimentFactory(
            structure=s,
            referred_at=now - dt.timedelta(days=10),
            first_contact_at=now - dt.timedelta(days=10) + dt.timedelta(hours=20 + 20 * i),
        )
    data = network_dashboard(world.network)["accompaniments"]
    assert data["teams"] == 5 and data["total"] == 5 and data["contacted"] == 5
    assert data["within_48h_percent"] == 40.0  # 20 h and 40 h only


def test_dashboard_query_count_is_constant(world, django_assert_max_num_queries):
    _grow(world.network, 6)
    client = world.client_for("facilitator")
    url = reverse("networks:dashboard")
    client.get(url)
    cache.clear()  # measure the computation, not the cached figures
    with django_assert_max_num_queries(BASE + 4) as small:  # levels, kinds, ACI, accompaniments
        client.get(url)
    _grow(world.network, 40, q.PARTNERSHIP)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "Partenariat" in response.content.decode()
    with django_assert_max_num_queries(BASE):  # then served from the cache
        client.get(url)


def test_dashboard_figures_are_cached_per_network_for_a_few_minutes(world):
    import time_machine

    _grow(world.network, 6)
    client = world.client_for("facilitator")
    url = reverse("networks:dashboard")
    first = client.get(url).content.decode()
    assert "<strong>8</strong> structures adhérentes" in first  # A, B and the 6 new ones
    assert "Chiffres calculés le" in first and "toutes les 5 minutes au plus" in first
    _grow(world.network, 1)
    assert "<strong>8</strong> structures adhérentes" in client.get(url).content.decode()  # cached
    # Another network's facilitator gets its own figures.
    other = NetworkMembershipFactory(network=NetworkFactory()).user
    other_page = force_verified_login(Client(), other).get(url).content.decode()
    assert "<strong>0</strong> structures adhérentes" in other_page
    # The write shows up once the documented delay has passed.
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=DASHBOARD_CACHE_SECONDS + 1), tick=False
    ):
        assert "<strong>9</strong> structures adhérentes" in client.get(url).content.decode()


def test_facilitator_never_reaches_personal_data(world):
    """Pages, API and exports seen by a facilitator hold no name, e-mail or patient data."""
    from openpyxl import load_workbook

    from binome.accounts.models import ApiToken
    from tests.accompaniment.factories import AccompanimentFactory

    structures = _grow(world.network, 5)
    accompaniment = AccompanimentFactory(structure=world.a)
    patient = accompaniment.patient
    campaign = CampaignFactory(network=world.network)
    services.invite_affiliated(campaign)
    for inv in campaign.invitations.all()[:6]:
        services.store_response(
            inv,
            answers_for(
                q.CONSULTATION, text={"comments": f"Contactez {world.users['coordinator'].email}"}
            ),
        )
    invitation(campaign, name="ESP sans compte", email="personne.privee@example.org")
    card = ProjectCardFactory(structure=structures[0], contact="dr.martin@example.org")
    MaturityAssessmentFactory(structure=world.a)
    secrets = {
        patient.first_name + " " + patient.last_name,
        "dr.martin@example.org",
        "personne.privee@example.org",
    }
    for persona in ("coordinator", "doctor", "partner", "patient"):
        user = world.users[persona]
        secrets |= {user.email, user.get_full_name()}
    client = world.client_for("facilitator")
    pages = [
        reverse("networks:dashboard"),
        reverse("networks:campaigns"),
        reverse("networks:catalogue"),
        reverse("networks:resources"),
        reverse("networks:campaign_report", kwargs={"public_id": campaign.public_id}),
        reverse("networks:campaign_detail", kwargs={"public_id": campaign.public_id}),
        reverse("networks:card_detail", kwargs={"public_id": card.public_id}),
    ]
    ApiToken.issue(world.users["facilitator"], "t", raw="tok-fac")
    api = [
        f"/api/v1/networks/{p}"
        for p in (
            "dashboard",
            "campaigns/",
            "catalogue/",
            "assessments/",
            f"campaigns/{campaign.public_id}/report",
        )
    ]
    bodies = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    for url in api:
        response = client.get(url, HTTP_AUTHORIZATION="Bearer tok-fac")
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    xlsx = client.get(
        reverse("networks:campaign_report_xlsx", kwargs={"public_id": campaign.public_id})
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    bodies.append(
        " ".join(
            str(c)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c
        )
    )
    for body in bodies:
        for secret in secrets:
            assert secret not in body
    # Every structure page of the app answers 404 to the facilitator.
    for name, kwargs in [
        (
            "networks:assessment_detail",
            {"public_id": world.a.maturity_assessments.first().public_id},
        )
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_dashboard_cache_works_with_the_shared_database_cache(world, settings):
    """BINOME_CACHE=database (several workers): the cached figures survive pickling to the table."""
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "binome_cache_test",
        }
    }
    call_command("createcachetable", verbosity=0)
    _grow(world.network, 6)
    client = world.client_for("facilitator")
    url = reverse("networks:dashboard")
    first = client.get(url).content.decode()
    assert "<strong>8</strong> structures adhérentes" in first and "Consultation" in first
    _grow(world.network, 1)
    assert (
        "<strong>8</strong> structures adhérentes" in client.get(url).content.decode()
    )  # read back from the table
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM binome_cache_test")
        assert any("networks:dashboard" in key for (key,) in cursor.fetchall())
    caches["default"].clear()
    assert "<strong>9</strong> structures adhérentes" in client.get(url).content.decode()
