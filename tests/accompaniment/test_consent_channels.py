"""Consent on every channel: free text about a patient follows the patient's consents at the
moment of writing and of reading; each refusal answers in French, writes nothing and is audited."""

import json

import pytest
from django.urls import reverse

from binome.accompaniment import consent_text, services
from binome.accompaniment.models import Consent, ConsentPurpose, Contact
from binome.audit.models import AuditEvent
from binome.tandems.models import TandemReport
from tests.accompaniment.factories import (
    AccompanimentFactory,
    TandemFactory,
    TandemReportFactory,
    partner_for,
)
from tests.accompaniment.test_api import _client, _post

pytestmark = pytest.mark.django_db
API = "/api/v1/accompaniment"
WITH_SHARING = ["contact_by_partner", "share_contact_details", "share_summaries_with_team"]
REPORT = {
    "patient_expressed": "Peur de l'opération",
    "needs": "Être écoutée",
    "agreed_to_share": "Sa peur",
}


def _scene(world, consents):
    partner = partner_for(world.memberships["partner"])
    acc = AccompanimentFactory(
        structure=world.a,
        partner=partner,
        referred_by=world.memberships["doctor"],
        consents=consents,
    )
    tandem = TandemFactory(structure=world.a, doctor=world.memberships["doctor"], partner=partner)
    return acc, tandem


def _refusals():
    return AuditEvent.objects.filter(kind="accompaniment.refused")


def test_tandem_report_about_a_patient_without_consent_is_refused_on_page_and_api(world):
    acc, tandem = _scene(world, ["contact_by_partner", "share_contact_details"])
    page = world.client_for("partner").post(
        reverse("tandems:report", args=[tandem.public_id]),
        {**REPORT, "accompaniment": acc.pk},
    )
    assert page.status_code == 422 and "accord pour partager" in page.content.decode()
    api = _post(
        _client(world.users["partner"]),
        f"{API}/tandems/{tandem.public_id}/reports",
        {**REPORT, "accompaniment": str(acc.public_id)},
    )
    assert api.status_code == 422 and "accord pour partager" in json.dumps(
        api.json(), ensure_ascii=False
    )
    assert not TandemReport.objects.exists()
    assert _refusals().filter(data__reason="tandem_report_without_consent").count() == 2


def test_withdrawal_hides_a_report_written_before_it_and_refuses_its_acknowledgement(world):
    acc, tandem = _scene(world, WITH_SHARING)
    report = TandemReportFactory(
        tandem=tandem, accompaniment=acc, patient_expressed="Peur de l'opération"
    )
    doctor_page = world.client_for("doctor")
    detail = reverse("tandems:detail", args=[tandem.public_id])
    assert "Peur de l&#x27;opération" in doctor_page.get(detail).content.decode()
    services.withdraw_consent(
        Consent.objects.get(patient=acc.patient, purpose=ConsentPurpose.SHARE_SUMMARIES),
        user=world.users["patient"],
    )
    assert "Peur de l" not in doctor_page.get(detail).content.decode()
    rows = (
        _client(world.users["doctor"])
        .get(f"{API}/tandems/{tandem.public_id}/reports")
        .json()["items"]
    )
    assert rows[0]["withheld"] is True and rows[0]["patient_expressed"] is None
    # the partner who wrote it still reads it
    assert "Peur de l" in world.client_for("partner").get(detail).content.decode()
    ack = doctor_page.post(
        reverse("tandems:acknowledge_report", args=[report.public_id]), {"reply": "Vu"}
    )
    assert ack.status_code == 403
    api = _post(
        _client(world.users["doctor"]),
        f"{API}/tandem-reports/{report.public_id}/acknowledge",
        {"response": "Vu"},
    )
    assert api.status_code == 403 and "retiré son accord" in api.json()["detail"]
    report.refresh_from_db()
    assert report.acknowledged_at is None and report.reply == ""
    assert _refusals().filter(data__reason="tandem_report_withheld").count() == 2


def test_summary_without_consent_refused_on_page_and_api(world):
    acc, _tandem = _scene(world, ["contact_by_partner", "share_contact_details"])
    api = _post(
        _client(world.users["partner"]),
        f"{API}/{acc.public_id}/contacts",
        {"summary_to_share": "Elle a peur", "duration_minutes": 20},
    )
    assert api.status_code == 422 and "résumé" in json.dumps(api.json(), ensure_ascii=False)
    assert not Contact.objects.exists()
    assert _refusals().filter(data__reason="summary_without_consent").exists()


def test_alert_text_follows_the_sharing_consent_but_the_alert_always_reaches_the_team(world):
    acc, _tandem = _scene(world, ["contact_by_partner", "share_contact_details"])
    form = (
        world.client_for("partner")
        .get(reverse("accompaniment:raise_alert", args=[acc.public_id]))
        .content.decode()
    )
    assert "3114" in form and "15" in form and "reste visible de vous seul" in form
    services.raise_alert(acc, user=world.users["partner"], message="Idées noires depuis hier")
    page = (
        world.client_for("doctor")
        .get(reverse("accompaniment:detail", args=[acc.public_id]))
        .content.decode()
    )
    assert "Idées noires" not in page and "À prendre en compte" in page
    api = _client(world.users["doctor"]).get(f"{API}/{acc.public_id}").json()
    assert api["alerts"][0]["message"] is None and api["alerts"][0]["acknowledged_at"] is None
    services.give_consent(
        acc.patient, ConsentPurpose.SHARE_SUMMARIES, method="oral", user=world.users["doctor"]
    )
    assert (
        "Idées noires"
        in world.client_for("doctor")
        .get(reverse("accompaniment:detail", args=[acc.public_id]))
        .content.decode()
    )


def test_consent_texts_carry_the_gdpr_information_with_the_retention_table(world, settings):
    settings.BINOME_RETENTION_DAYS = {"closed_accompaniments": 400, "contact_notes": 200}
    acc, _tandem = _scene(world, WITH_SHARING)
    notice = " ".join(f"{s['title']} {s['body']}" for s in consent_text.gdpr_notice(world.a))
    for words in (
        "Responsable du traitement",
        "Finalités",
        "Base légale",
        "Destinataires",
        "CNIL",
        "400 jours",
        "200 jours",
        "effacer",
    ):
        assert words in notice, words
    assert "730 jours" not in notice  # the periods in force, not the defaults
    patient_page = world.client_for("patient").get(reverse("accompaniment:mine")).content.decode()
    assert "CNIL" in patient_page and "400 jours" in patient_page
    raw = services.create_consent_link(acc, user=world.users["doctor"]).rsplit("/", 2)[-2]
    from django.test import Client

    online = Client().get(reverse("accompaniment_public:consent", args=[raw])).content.decode()
    assert "CNIL" in online and "400 jours" in online and "Base légale" in online
    from io import BytesIO

    from pypdf import PdfReader

    pdf = world.client_for("doctor").get(reverse("accompaniment:consent_pdf", args=[acc.public_id]))
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert (
        "CNIL" in text and "400 jours" in text and "pour la durée de l'accompagnement" not in text
    )
