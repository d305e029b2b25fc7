import pytest
from django.urls import reverse

from binome.networks import demo as networks_demo
from binome.networks import questionnaire as q
from binome.networks.models import (
    Campaign,
    CampaignResponse,
    MatrixAnswer,
    MaturityAssessment,
    ProjectCard,
)
from binome.networks.reports import campaign_report, network_dashboard
from binome.people.demo_set import load_core
from tests.conftest import force_verified_login

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (MaturityAssessment, Campaign, CampaignResponse, ProjectCard, MatrixAnswer)
    ]


def test_demo_is_idempotent_and_shows_every_page(client):
    demo = load_core()
    networks_demo.load(demo)
    counts = _counts()
    networks_demo.load(demo)
    assert _counts() == counts
    tilleuls = MaturityAssessment.objects.filter(structure=demo.tilleuls, source="self").order_by(
        "created_at"
    )
    assert [a.level for a in tilleuls] == [q.CONSULTATION, q.COLLABORATION]
    campaign = Campaign.objects.get()
    report = campaign_report(campaign)
    assert report.responded == 12 and report.invited == 17 and not report.withheld
    assert campaign.invitations.filter(structure=demo.vallee, responded_at__isnull=False).exists()
    dashboard = network_dashboard(demo.networks["occitanie"])
    assert dashboard["structures"] == 14 and not dashboard["withheld"]

    force_verified_login(client, demo.user("reseau@occitanie.demo"))
    for name, kwargs in [
        ("networks:dashboard", None),
        ("networks:campaigns", None),
        ("networks:catalogue", None),
        ("networks:campaign_report", {"public_id": campaign.public_id}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
    home = client.get(reverse("web:home")).content.decode()
    assert "Campagnes en cours" in home and "Tableau de bord du réseau" in home

    force_verified_login(client, demo.user("coordination@tilleuls.demo"))
    page = client.get(reverse("networks:assessments")).content.decode()
    assert "Collaboration" in page and page.count("<rect") >= 2
    home = client.get(reverse("web:home")).content.decode()
    assert "Maturité de l&#x27;équipe" in home or "Maturité de l'équipe" in home
    matrix = client.get(reverse("networks:matrix_list")).content.decode()
    assert "Matrice de maturité 2026" in matrix
    exchanges = client.get(reverse("networks:exchanges")).content.decode()
    assert "gazette" in exchanges
