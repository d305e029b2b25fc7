"""Partner pages from a phone, bad input, receipts, statements and documents."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from binome.audit.models import AuditEvent
from binome.compensation import services
from binome.compensation.models import Expense, Statement, Status, TimeEntry
from tests.compensation.factories import (
    ExpenseFactory,
    PartnerFactory,
    PolicyFactory,
    StatementFactory,
    TimeEntryFactory,
    assigned,
    partner_of,
)

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _time_data(mission, **kw):
    return {
        "mission": mission.pk,
        "date": str(YESTERDAY),
        "duration_minutes": "90",
        "activity": "workshop",
        **kw,
    }


def test_partner_logs_time_in_a_few_taps(world):
    partner, mission = assigned(world)
    client = world.client_for("partner")
    page = client.get(reverse("compensation:log_time")).content.decode()
    assert 'value="90"' in page and mission.title in page
    assert f'value="{timezone.localdate().isoformat()}"' in page  # today by default
    assert 'id="id_activity_0" checked' in page and '<option value="60" selected>' in page
    response = client.post(reverse("compensation:log_time"), _time_data(mission))
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.partner, entry.duration_minutes, entry.status) == (partner, 90, Status.SUBMITTED)
    assert AuditEvent.objects.filter(kind="compensation.time_logged").count() == 1


def test_posting_the_same_time_form_twice_creates_one_entry(world):
    """Double tap or retry on a bad network: the hidden submission token stores the entry once."""
    _, mission = assigned(world)
    client = world.client_for("partner")
    page = client.get(reverse("compensation:log_time")).content.decode()
    token = page.split('name="submission_token" value="')[1].split('"')[0]
    assert len(token) >= 16
    data = _time_data(mission, submission_token=token)
    first = client.post(reverse("compensation:log_time"), data)
    second = client.post(reverse("compensation:log_time"), data)
    assert first.status_code == second.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.submission_token == token
    assert AuditEvent.objects.filter(kind="compensation.time_logged").count() == 1
    # A new form (a new token) is a new entry.
    fresh = client.get(reverse("compensation:log_time")).content.decode()
    other = fresh.split('name="submission_token" value="')[1].split('"')[0]
    assert other != token
    client.post(reverse("compensation:log_time"), _time_data(mission, submission_token=other))
    assert TimeEntry.objects.count() == 2


def test_posting_the_same_expense_form_twice_creates_one_expense(world, settings, tmp_path):
    """Same for expenses: the receipt is sent again on a retry, the expense is stored once."""
    settings.MEDIA_ROOT = tmp_path
    _, mission = assigned(world)
    client = world.client_for("partner")
    page = client.get(reverse("compensation:log_expense")).content.decode()
    token = page.split('name="submission_token" value="')[1].split('"')[0]
    for _ in range(2):
        response = client.post(
            reverse("compensation:log_expense"),
            {
                "mission": mission.pk,
                "date": str(YESTERDAY),
                "kind": "transport",
                "declared_amount": "3,20",
                "submission_token": token,
                "receipt": SimpleUploadedFile("ticket.png", PNG, content_type="image/png"),
            },
        )
        assert response.status_code == 302
    assert Expense.objects.get().submission_token == token
    assert AuditEvent.objects.filter(kind="compensation.expense_logged").count() == 1
    assert len(list(tmp_path.rglob("*.png"))) == 1  # the retried receipt is not stored either


def test_same_token_from_another_partner_is_not_a_duplicate(world):
    """The token is scoped to the partner: it never returns (or hides) someone else's entry."""
    partner, mission = assigned(world)
    other = PartnerFactory(structure=world.a)
    TimeEntryFactory(partner=other, submission_token="shared-token-1234567890")
    entry = TimeEntry(
        partner=partner, mission=mission, date=YESTERDAY, duration_minutes=60, activity="workshop"
    )
    saved = services.save_time(
        entry, actor=world.users["partner"], submission_token="shared-token-1234567890"
    )
    assert saved.partner == partner and TimeEntry.objects.filter(partner=partner).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "-30"}, "Choisissez une durée dans la liste"),
        ({"duration_minutes": "100000"}, "Choisissez une durée dans la liste"),
        ({"duration_minutes": "abc"}, "Choisissez une durée dans la liste"),
        (
            {"date": str(timezone.localdate() + dt.timedelta(days=3))},
            "La date ne peut pas être dans le futur.",
        ),
        ({"date": "2001-01-01"}, "plus d&#x27;un an"),
        ({"activity": "sieste"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_time_input_is_refused_in_french_and_nothing_written(world, changes, message):
    _, mission = assigned(world)
    response = world.client_for("partner").post(
        reverse("compensation:log_time"), _time_data(mission, **changes)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_mission_of_another_partner_is_not_a_choice(world):
    partner_of(world)
    other_partner = PartnerFactory(structure=world.a)
    from tests.compensation.factories import AssignmentFactory, MissionFactory

    mission = MissionFactory(structure=world.a)
    AssignmentFactory(mission=mission, partner=other_partner)
    response = world.client_for("partner").post(
        reverse("compensation:log_time"), _time_data(mission)
    )
    assert response.status_code == 422 and not TimeEntry.objects.exists()


def test_partner_logs_an_expense_with_a_receipt_photo_and_the_coordinator_sees_it(world):
    _, mission = assigned(world)
    client = world.client_for("partner")
    response = client.post(
        reverse("compensation:log_expense"),
        {
            "mission": mission.pk,
            "date": str(YESTERDAY),
            "kind": "transport",
            "declared_amount": "3,20",
            "receipt": SimpleUploadedFile("ticket.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.amount, expense.receipt_type) == (Decimal("3.20"), "image/png")
    receipt_url = reverse("compensation:receipt", kwargs={"public_id": expense.public_id})
    for persona in ("partner", "coordinator"):
        response = world.client_for(persona).get(receipt_url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG
    assert AuditEvent.objects.filter(kind="compensation.receipt_read").count() == 2
    assert world.client_for("doctor").get(receipt_url).status_code == 403


def test_another_partner_of_the_structure_gets_404_on_entries_and_receipts(world):
    from binome.people.models import Role
    from tests.conftest import force_verified_login
    from tests.factories import MembershipFactory

    partner_of(world)
    expense = ExpenseFactory(partner=partner_of(world))
    other = MembershipFactory(structure=world.a, role=Role.PARTNER)
    PartnerFactory(structure=world.a, membership=other)
    from django.test import Client

    client = force_verified_login(Client(), other.user)
    for name in ("compensation:edit_expense", "compensation:receipt"):
        assert client.get(reverse(name, kwargs={"public_id": expense.public_id})).status_code == 404
    statement = StatementFactory(partner=partner_of(world))
    assert (
        client.get(
            reverse("compensation:statement_pdf", kwargs={"public_id": statement.public_id})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("compensation:certificate", kwargs={"public_id": partner_of(world).public_id})
        ).status_code
        == 404
    )
    page = client.get(reverse("compensation:statements")).content.decode()
    assert statement.number not in page


@pytest.mark.parametrize(
    ("data", "upload", "message"),
    [
        ({"kind": "mileage", "kilometres": "-12"}, None, "entre 0,1 et 2 000"),
        ({"kind": "mileage", "kilometres": "99999"}, None, "entre 0,1 et 2 000"),
        ({"kind": "mileage"}, None, "Indiquez le nombre de kilomètres."),
        ({"kind": "meal", "declared_amount": "-5"}, ("repas.png", PNG), "entre 0,01 € et 5 000 €"),
        (
            {"kind": "meal", "declared_amount": "9999"},
            ("repas.png", PNG),
            "entre 0,01 € et 5 000 €",
        ),
        ({"kind": "meal", "declared_amount": "100000000"}, ("repas.png", PNG), "pas plus de"),
        ({"kind": "transport", "declared_amount": "3,20"}, None, "Joignez le justificatif"),
        (
            {"kind": "transport", "declared_amount": "3,20"},
            ("ticket.exe", b"MZ\x90\x00binary"),
            "Type de fichier refusé",
        ),
        (
            {"kind": "transport", "declared_amount": "3,20"},
            ("ticket.png", b"<html>not an image</html>"),
            "Type de fichier refusé",
        ),
        (
            {"kind": "transport", "declared_amount": "3,20"},
            ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 1)),
            "trop volumineux",
        ),
    ],
)
def test_bad_expense_input_is_refused_and_nothing_written(
    world, settings, tmp_path, data, upload, message
):
    _, mission = assigned(world)
    payload = {"mission": mission.pk, "date": str(YESTERDAY), **data}
    if upload:
        payload["receipt"] = SimpleUploadedFile(upload[0], upload[1])
    response = world.client_for("partner").post(reverse("compensation:log_expense"), payload)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Expense.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_paid_mode_warning_is_shown_to_the_partner(world):
    _, mission = assigned(world)
    client = world.client_for("partner")
    assert "AAH" not in client.get(reverse("compensation:log_time")).content.decode()
    PolicyFactory(mission=mission, mode="hourly", hourly_rate=Decimal("15"))
    page = client.get(reverse("compensation:log_time")).content.decode()
    assert (
        "allocation aux adultes handicapés (AAH)" in page
        and "pension d" in page
        and "invalidité" in page
    )
    assert "ne calcule ni impôts ni cotisations sociales" in page
    coordinator_page = world.client_for("coordinator").get(
        reverse("compensation:mission_budget", kwargs={"public_id": mission.public_id})
    )
    assert "AAH" in coordinator_page.content.decode()


def _approved_month(world):
    partner, mission = assigned(world, title="Atelier diabète")
    PolicyFactory(mission=mission, mode="hourly", hourly_rate=Decimal("15"))
    coordinator = world.users["coordinator"]
    t = services.save_time(
        TimeEntry(
            partner=partner,
            mission=mission,
            date=YESTERDAY,
            duration_minutes=90,
            activity="workshop",
        ),
        actor=None,
    )
    e = services.save_expense(
        Expense(
            partner=partner,
            mission=mission,
            date=YESTERDAY,
            kind="mileage",
            kilometres=Decimal("24"),
        ),
        actor=None,
    )
    services.approve(t, actor=coordinator)
    services.approve(e, actor=coordinator)
    return partner, mission


def test_statement_for_an_empty_period_is_refused_in_french(world):
    partner = partner_of(world)
    response = world.client_for("coordinator").post(
        reverse("compensation:statements"),
        {"partner": partner.pk, "period_start": "2026-01-01", "period_end": "2026-01-31"},
    )
    assert response.status_code == 422
    assert "il n&#x27;y a pas de relevé à établir" in response.content.decode()
    assert not Statement.objects.exists()
    response = world.client_for("coordinator").post(
        reverse("compensation:statements"),
        {"partner": partner.pk, "period_start": "2026-02-01", "period_end": "2026-01-01"},
    )
    assert (
        response.status_code == 422
        and "La fin de la période doit suivre son début." in response.content.decode()
    )


def test_statement_pdf_and_xlsx_show_the_right_total(world):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    partner, _ = _approved_month(world)
    client = world.client_for("coordinator")
    response = client.post(
        reverse("compensation:statements"),
        {
            "partner": partner.pk,
            "period_start": str(YESTERDAY - dt.timedelta(days=10)),
            "period_end": str(YESTERDAY),
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.total == Decimal("30.90")  # 1 h 30 × 15 € + 24 km × 0,35 €
    for persona in ("coordinator", "partner"):
        pdf = world.client_for(persona).get(
            reverse("compensation:statement_pdf", kwargs={"public_id": statement.public_id})
        )
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert (
            "Total : 30,90 €" in text.replace("\u00a0", " ").replace("\u202f", " ")
            and "Atelier diabète" in text
        )
    xlsx = client.get(
        reverse("compensation:statement_xlsx", kwargs={"public_id": statement.public_id})
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert Decimal(str(rows["Total (€)"])) == Decimal("30.90")
    assert AuditEvent.objects.filter(kind="compensation.statement_exported").count() == 3


def test_yearly_summary_and_certificate_for_vae(world):
    from pypdf import PdfReader

    from binome.partners.models import Training

    partner, mission = _approved_month(world)
    Training.objects.create(
        partner=partner,
        kind="etp_40h",
        title="Éducation thérapeutique 40 h",
        organisation="IREPS Occitanie",
        hours=40,
    )
    client = world.client_for("partner")
    year = YESTERDAY.year
    summary = client.get(
        reverse(
            "compensation:yearly_summary", kwargs={"public_id": partner.public_id, "year": year}
        )
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(summary.content)).pages)
    assert "Total : 30,90 €" in text.replace("\u00a0", " ").replace("\u202f", " ")
    cert = client.get(reverse("compensation:certificate", kwargs={"public_id": partner.public_id}))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(cert.content)).pages)
    assert (
        "Atelier diabète" in text
        and "1 h 30" in text
        and "Éducation thérapeutique 40 h" in text
        and "VAE" in text
    )
    assert AuditEvent.objects.filter(
        kind="compensation.certificate_exported", actor=world.users["partner"]
    ).exists()


def test_coordinator_budget_forms_refuse_negative_amounts(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("compensation:funding_create"),
        {"kind": "aci", "name": "ACI", "year": 2026, "amount": "-10", "committed": "0"},
    )
    assert (
        response.status_code == 422 and "ne peuvent pas être négatifs" in response.content.decode()
    )
    response = client.post(reverse("compensation:rates"), {"km_rate": "12", "meal_ceiling": "20"})
    assert response.status_code == 422 and "entre 0 et 5 €" in response.content.decode()
    response = client.post(
        reverse("compensation:funding_create"),
        {"kind": "cpts", "name": "CPTS Sud", "year": 2026, "amount": "1500,00", "committed": "200"},
    )
    assert response.status_code == 302
    from binome.compensation.models import ExpenseRates, FundingSource

    assert FundingSource.objects.get().amount == Decimal("1500.00")
    assert (
        client.post(
            reverse("compensation:rates"), {"km_rate": "0,321", "meal_ceiling": "20,20"}
        ).status_code
        == 302
    )
    assert ExpenseRates.objects.get(structure=world.a).km_rate == Decimal("0.321")


def test_coordinator_filters_entries_by_partner(world):
    from tests.compensation.factories import TimeEntryFactory

    mine = TimeEntryFactory(partner=partner_of(world), note="Atelier de Martine")
    other = TimeEntryFactory(partner=PartnerFactory(structure=world.a), note="Atelier de Paul")
    client = world.client_for("coordinator")
    page = client.get(
        reverse("compensation:entries"), {"partenaire": str(mine.partner.public_id)}
    ).content.decode()
    assert mine.mission.title in page and other.mission.title not in page
    page = client.get(
        reverse("compensation:entries"), {"partenaire": "n-importe-quoi"}
    ).content.decode()
    assert mine.mission.title not in page and other.mission.title not in page
