import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from binome.networks import questionnaire as q
from binome.networks import reports, services, tasks
from binome.networks.models import (
    CampaignInvitation,
    CampaignResponse,
    MaturityAssessment,
    hash_token,
)
from binome.networks.reports import campaign_report
from binome.networks.synthetic import answers_for
from tests.factories import NetworkAffiliationFactory, StructureFactory
from tests.networks.factories import CampaignFactory, invitation

pytestmark = pytest.mark.django_db
YES, NO = q.YES, q.NO


def _fecop_like(campaign):
    """385 invited structures, 77 answers whose marginals are the Fécop 2024 figures (seed 001 §IV.A, §V.A–B)."""
    invitations = [
        invitation(
            campaign,
            name=f"Équipe {i}",
            department=["09", "31", "34", "81", "65"][i % 5],
            kind="msp",
        )
        for i in range(385)
    ]
    levels = (
        [q.INFORMATION] * 23 + [q.CONSULTATION] * 38 + [q.COLLABORATION] * 10 + [q.PARTNERSHIP] * 6
    )
    for i, (inv, level) in enumerate(zip(invitations[:77], levels, strict=True)):
        answers = answers_for(
            level,
            priority=NO if i < 52 else YES,  # 52/77 = 67.5 % "not a priority"
            wants_more=YES if i % 77 < 61 else NO,  # 61/77 = 79.2 % want to do more
            knows_guide=NO if (i * 5) % 77 < 45 else YES,  # 45/77 = 58.4 % do not know the guide
            wants_support=YES if i % 3 else NO,
            barriers=["time"] + (["money"] if i % 2 else []),
            levers=["training"] if i % 4 else ["sharing"],
            text={
                "priority_why": "Manque de temps pour l'équipe"
                if i % 2
                else "Priorité au projet de santé"
            },
        )
        services.store_response(inv, answers)
    return invitations


def test_report_shows_the_fecop_figures(world):
    campaign = CampaignFactory(network=world.network)
    _fecop_like(campaign)
    report = campaign_report(campaign)
    assert (report.invited, report.responded, report.response_rate) == (385, 77, 20.0)
    assert report.level(q.CONSULTATION).percent == pytest.approx(50, abs=1)
    assert report.level(q.COLLABORATION).percent == 13.0
    assert report.level(q.PARTNERSHIP).percent == pytest.approx(8, abs=0.5)
    assert report.share("priority", NO).percent == 67.5
    assert report.share("wants_more", YES).percent == 79.2
    assert report.share("knows_guide", NO).percent == 58.4
    barriers = report.frequencies["barriers"]
    assert barriers[0].code == "time" and barriers[0].count == 77 and barriers[1].code == "money"
    assert ("temps", 38) in report.keywords
    # Free-text themes come from the users' voice helper: key words and counts, never the answers.
    assert reports._themes_helper() is not None
    assert report.themes and all(count >= 5 for _keywords, count, _percent in report.themes)
    assert any("temps" in keywords for keywords, _c, _p in report.themes)

    client = world.client_for("facilitator")
    page = client.get(
        reverse("networks:campaign_report", kwargs={"public_id": campaign.public_id})
    ).content.decode()
    for figure in ["20,0 %", "49,4 %", "13,0 %", "7,8 %", "67,5 %", "79,2 %", "58,4 %"]:
        assert figure in page, figure
    assert "Équipe 1<" not in page  # no team is named in the report


def test_report_exports_pdf_and_xlsx(world):
    from openpyxl import load_workbook

    campaign = CampaignFactory(network=world.network)
    _fecop_like(campaign)
    client = world.client_for("facilitator")
    kwargs = {"public_id": campaign.public_id}
    pdf = client.get(reverse("networks:campaign_report_pdf", kwargs=kwargs))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("networks:campaign_report_xlsx", kwargs=kwargs))
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = {row[0]: row[1:] for row in book.active.iter_rows(values_only=True) if row and row[0]}
    assert rows["Taux de réponse (%)"][0] == 20.0
    assert rows["Collaboration"][:2] == (10, 13.0)
    assert rows["L'implication des usagers est une priorité"][3] == 67.5
    from binome.audit.models import AuditEvent

    assert AuditEvent.objects.filter(kind="networks.report_exported").count() == 2


def test_small_groups_are_never_shown_apart(world):
    campaign = CampaignFactory(network=world.network)
    invs = [
        invitation(campaign, name=f"E{i}", department="31" if i < 6 else "09") for i in range(10)
    ]
    for inv in invs[:4]:
        services.store_response(inv, answers_for(q.CONSULTATION))
    report = campaign_report(campaign)
    assert report.withheld and report.levels == [] and report.frequencies == {}
    page = (
        world.client_for("facilitator")
        .get(reverse("networks:campaign_report", kwargs={"public_id": campaign.public_id}))
        .content.decode()
    )
    assert "Moins de 5 réponses" in page
    for inv in invs[4:8]:
        services.store_response(inv, answers_for(q.PARTNERSHIP))
    report = campaign_report(campaign)
    assert not report.withheld
    # 6 answers in department 31 are shown; the 2 of department 09 are folded and not detailed.
    assert [(r["label"], r["count"]) for r in report.departments][0] == ("31", 6)
    assert report.departments[-1]["count"] == 2 and report.departments[-1]["levels"] is None
    assert all(n >= 5 for _w, n in report.keywords)


def test_public_link_without_account(world, client):
    campaign = CampaignFactory(network=world.network)
    inv = invitation(campaign, name="MSP de Castelnaudary", email="contact@msp.example")
    token = services.campaign_token(inv)
    # Only the hash is stored.
    assert inv.token_hash == hash_token(token) and token not in inv.token_hash
    url = reverse("networks_public:answer", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200 and "MSP de Castelnaudary" in page.content.decode()
    # Bad input: 422, French message, nothing written.
    bad = client.post(url, {"priority": "peut-être"})
    assert bad.status_code == 422 and "Merci de répondre à cette question." in bad.content.decode()
    assert CampaignResponse.objects.count() == 0
    data = {
        k: v
        for k, v in answers_for(q.COLLABORATION, barriers=["time"]).items()
        if v not in ("", [])
    }
    done = client.post(url, data)
    assert done.status_code == 200 and "Merci" in done.content.decode()
    response = CampaignResponse.objects.get()
    assert response.level == q.COLLABORATION and list(
        response.choices.filter(question="barriers").values_list("value", flat=True)
    ) == ["time"]
    again = client.post(url, data)
    assert "déjà répondu" in again.content.decode() and CampaignResponse.objects.count() == 1
    assert (
        client.get(reverse("networks_public:answer", kwargs={"token": "x" * 32})).status_code == 404
    )


def test_closed_campaign_refuses_answers(world, client):
    campaign = CampaignFactory(
        network=world.network, opens_on=dt.date(2024, 4, 23), closes_on=dt.date(2024, 5, 10)
    )
    inv = invitation(campaign)
    response = client.get(
        reverse("networks_public:answer", kwargs={"token": services.campaign_token(inv)})
    )
    assert response.status_code == 410


def test_structure_with_account_finds_its_answer_in_its_history(world):
    campaign = CampaignFactory(network=world.network)
    services.invite_affiliated(campaign)
    assert services.invite_affiliated(campaign) == 0  # idempotent
    inv = campaign.invitations.get(structure=world.a)
    services.submit_response(inv, answers_for(q.CONSULTATION))
    assessment = MaturityAssessment.objects.get(structure=world.a)
    assert (
        assessment.source == MaturityAssessment.Source.CAMPAIGN
        and assessment.level == q.CONSULTATION
    )


def test_facilitator_creates_invites_and_sends(world, django_capture_on_commit_callbacks):
    NetworkAffiliationFactory(network=world.network, structure=StructureFactory(name="MSP Gamma"))
    client = world.client_for("facilitator")
    today = timezone.localdate()
    response = client.post(
        reverse("networks:campaign_new"),
        {
            "title": "État des lieux 2026",
            "introduction": "Merci !",
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=14),
            "reminder_every_days": 7,
            "max_reminders": 2,
        },
    )
    campaign = world.network.campaigns.get()
    assert response.status_code == 302 and campaign.invitations.count() == 3
    bad = client.post(
        reverse("networks:campaign_add_structure", kwargs={"public_id": campaign.public_id}),
        {"name": "", "department": "999x"},
    )
    assert bad.status_code == 422 and campaign.invitations.count() == 3
    client.post(
        reverse("networks:campaign_add_structure", kwargs={"public_id": campaign.public_id}),
        {"name": "ESP sans compte", "email": "esp@example.org", "department": "2A"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("networks:campaign_send", kwargs={"public_id": campaign.public_id}))
    assert campaign.invitations.filter(sent_at__isnull=True).count() == 0
    # Invitations go to the address given, or to the structure's coordinators.
    recipients = {r for m in mail.outbox for r in m.to}
    assert "esp@example.org" in recipients and world.users["coordinator"].email in recipients
    assert world.users["doctor"].email not in recipients
    link_mail = next(m for m in mail.outbox if "esp@example.org" in m.to)
    inv = campaign.invitations.get(email="esp@example.org")
    assert services.campaign_token(inv) in link_mail.body
    # The tracking page lists who answered, never what they answered.
    page = client.get(
        reverse("networks:campaign_detail", kwargs={"public_id": campaign.public_id})
    ).content.decode()
    assert "ESP sans compte" in page and world.users["coordinator"].email not in page


def test_bad_campaign_dates_are_refused(world):
    client = world.client_for("facilitator")
    today = timezone.localdate()
    response = client.post(
        reverse("networks:campaign_new"),
        {
            "title": "X",
            "introduction": "Y",
            "opens_on": today,
            "closes_on": today - dt.timedelta(days=1),
            "reminder_every_days": 7,
            "max_reminders": 2,
        },
    )
    assert (
        response.status_code == 422
        and "La clôture doit suivre l&#x27;ouverture." in response.content.decode()
    )
    assert not world.network.campaigns.exists()


def test_reminders_are_idempotent_and_bounded(world, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(network=world.network, reminder_every_days=7, max_reminders=2)
    sent = timezone.now() - dt.timedelta(days=8)
    answered, waiting = (
        invitation(campaign, name="A", email="a@example.org"),
        invitation(campaign, name="B", email="b@example.org"),
    )
    unsent = invitation(campaign, name="C", email="c@example.org")
    CampaignInvitation.objects.filter(pk__in=[answered.pk, waiting.pk]).update(sent_at=sent)
    services.store_response(answered, answers_for(q.INFORMATION))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_campaign_reminders() == 1
        assert tasks.send_campaign_reminders() == 0  # same run again: nothing twice
    assert [m.to for m in mail.outbox] == [["b@example.org"]] and "Relance" in mail.outbox[
        0
    ].subject
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 1
    later = timezone.now() + dt.timedelta(days=8)
    assert tasks.send_campaign_reminders(now=later) == 1
    assert (
        tasks.send_campaign_reminders(now=later + dt.timedelta(days=8)) == 0
    )  # max_reminders reached
    unsent.refresh_from_db()
    assert unsent.reminders_sent == 0
    assert "binome:networks-campaign-reminders" in {s.name for s in tasks.SCHEDULES}


def test_facilitator_of_another_network_gets_404(world):
    from django.test import Client

    from tests.conftest import force_verified_login
    from tests.factories import NetworkMembershipFactory

    campaign = CampaignFactory(network=world.network)
    other = NetworkMembershipFactory().user
    client = force_verified_login(Client(), other)
    for name in [
        "networks:campaign_detail",
        "networks:campaign_report",
        "networks:campaign_report_xlsx",
    ]:
        assert (
            client.get(reverse(name, kwargs={"public_id": campaign.public_id})).status_code == 404
        )


def test_api_report_is_aggregates_only(world):
    from binome.accounts.models import ApiToken

    campaign = CampaignFactory(network=world.network)
    _fecop_like(campaign)
    ApiToken.issue(world.users["facilitator"], "test", raw="tok-facilitator")
    response = world.client_for("anonymous").get(
        f"/api/v1/networks/campaigns/{campaign.public_id}/report",
        HTTP_AUTHORIZATION="Bearer tok-facilitator",
    )
    body = response.json()
    assert response.status_code == 200 and body["responded"] == 77
    assert {s["code"]: s["percent"] for s in body["levels"]}[q.COLLABORATION] == 13.0
    assert "Équipe" not in response.content.decode() and "answers" not in body


def test_report_query_count_is_constant(world, django_assert_max_num_queries):
    campaign = CampaignFactory(network=world.network)
    invs = [invitation(campaign, name=f"E{i}") for i in range(60)]
    for inv in invs[:6]:
        services.store_response(inv, answers_for(q.CONSULTATION, barriers=["time"]))
    client = world.client_for("facilitator")
    url = reverse("networks:campaign_report", kwargs={"public_id": campaign.public_id})
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for inv in invs[6:60]:
        services.store_response(inv, answers_for(q.PARTNERSHIP, barriers=["time", "money"]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    detail = reverse("networks:campaign_detail", kwargs={"public_id": campaign.public_id})
    with django_assert_max_num_queries(20) as small:
        client.get(detail)
    for i in range(60):
        invitation(campaign, name=f"F{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(detail)
