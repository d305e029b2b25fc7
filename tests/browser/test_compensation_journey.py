"""On a phone (360 px): a partner logs time and an expense with a photo of the receipt, the
coordinator approves both, and the statement PDF shows the right total."""

import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from binome.compensation.models import Expense, Statement, Status, TimeEntry
from tests.compensation.factories import PolicyFactory, assigned
from tests.conftest import build_world

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_partner_logs_time_and_receipt_coordinator_approves_statement_total(
    page, world, login_as, check_page
):
    _, mission = assigned(world, title="Atelier diabète")
    PolicyFactory(mission=mission, mode="hourly", hourly_rate=Decimal("15.00"))

    # 1. The partner, on her phone: time in a few taps.
    login_as(page, world.users["partner"])
    page.goto("/indemnisation/")
    check_page(page)
    assert (
        "allocation aux adultes handicapés (AAH)" in page.content()
    )  # paid mode: the plain warning
    page.get_by_role("link", name="Noter mon temps").click()
    check_page(page)
    page.get_by_label("Durée").select_option(label="1 h 30")
    page.get_by_label("Atelier ou séance co-animée").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert "Votre temps est enregistré : 1 h 30" in page.content()
    check_page(page)

    # 2. A bus ticket, photographed.
    page.get_by_role("link", name="Noter des frais").click()
    page.get_by_label("Transport (bus, train, stationnement)").check()
    # Only what this kind needs (the script hides the rest once the kind is chosen).
    expect(page.get_by_label("Kilomètres (aller et retour)")).to_be_hidden()
    page.get_by_label("Montant payé (€)").fill("3,20")
    page.get_by_label("Justificatif (photo ou PDF)").set_input_files(
        {"name": "ticket.png", "mimeType": "image/png", "buffer": PNG}
    )
    check_page(page)
    page.get_by_role("button", name="Enregistrer").click()
    assert "Vos frais sont enregistrés (3,20 €)" in page.content()
    check_page(page)
    assert TimeEntry.objects.get().status == Status.SUBMITTED and Expense.objects.get().receipt

    # 3. The coordinator approves both.
    page.context.clear_cookies()
    login_as(page, world.users["coordinator"])
    page.goto("/indemnisation/a-valider/")
    check_page(page)
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Voir le justificatif").click()
    popup.value.close()
    for _ in range(2):
        page.get_by_role("button", name="Valider", exact=True).first.click()
        assert "Saisie validée." in page.content()
    assert (
        "Aucun temps en attente." in page.content() and "Aucun frais en attente." in page.content()
    )
    assert {TimeEntry.objects.get().status, Expense.objects.get().status} == {Status.APPROVED}

    # 4. The statement of the month, as a PDF with the right total: 1 h 30 × 15 € + 3,20 €.
    page.goto("/indemnisation/releves/")
    check_page(page)
    today = TimeEntry.objects.get().date
    page.get_by_role("textbox", name="Du", exact=True).fill(today.replace(day=1).isoformat())
    page.get_by_role("textbox", name="Au", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Établir le relevé").click()
    assert "établi : 25,70 €" in page.content()
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages
    )
    assert "Total : 25,70 €" in text.replace("\u00a0", " ").replace("\u202f", " ")
    assert Statement.objects.get().total == Decimal("25.70")
    page.goto("/indemnisation/budget/")
    check_page(page)
