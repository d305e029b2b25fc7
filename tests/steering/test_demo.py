import pytest
from django.urls import reverse

from binome.people.demo_set import load_core
from binome.steering import demo as steering_demo
from binome.steering.models import ActionItem, CheckIn, LimitingFactor, LogbookEntry, Project
from tests.conftest import force_verified_login

pytestmark = pytest.mark.django_db


def test_demo_project_reproduces_tableau_i_and_is_idempotent(client):
    demo = load_core()
    steering_demo.load(demo)
    counts = [
        Project.objects.count(),
        LimitingFactor.objects.count(),
        ActionItem.objects.count(),
        LogbookEntry.objects.count(),
        CheckIn.objects.count(),
    ]
    steering_demo.load(demo)
    assert [
        Project.objects.count(),
        LimitingFactor.objects.count(),
        ActionItem.objects.count(),
        LogbookEntry.objects.count(),
        CheckIn.objects.count(),
    ] == counts
    assert counts[1] == 6
    tools = LimitingFactor.objects.get(title="Outillage de la patiente partenaire")
    assert (
        "clapet" in tools.observation
        and "tableur" in tools.observation
        and "smartphone" in tools.remediation
    )
    referral = LimitingFactor.objects.get(title__startswith="Transmission des coordonnées")
    assert "une semaine" in referral.observation and "directe" in referral.remediation
    project = Project.objects.get()
    force_verified_login(client, demo.user("partenaire@tilleuls.demo"))
    page = client.get(
        reverse("steering:detail", kwargs={"public_id": project.public_id})
    ).content.decode()
    assert "Comité de pilotage" in page and "smartphone" in page
    # The partner sits on the committee: she can add to the logbook and sees her own check-ins.
    assert "Noter une réunion" in page and "Orientation directe : premier contact en 24 h." in page
