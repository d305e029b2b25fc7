"""At 1280 px: the coordinator brings in her partners' spreadsheet, sees the two bad rows with
what is wrong, fixes the file and imports it; then her accompaniments with paper consents."""

from io import BytesIO

import pytest
from django_scopes import scopes_disabled
from openpyxl import Workbook

from binome.accompaniment.models import Accompaniment, Consent
from binome.partners.models import Partner
from tests.conftest import build_world

pytestmark = pytest.mark.browser

HEADER = "Prénom;Nom;E-mail;Téléphone;Commune;Limites\n"
GOOD = "Martine;Cazals;martine@exemple.fr;06 12 34 56 78;Toulouse;fin de vie\nPaul;Ribes;paul@exemple.fr;0611223344;Balma;\n"
BAD = "Anne;Vidal;anne@exemple;;;\nLuc;Bosc;luc@exemple.fr;0123;;\n"


@pytest.fixture
def world(transactional_db):
    return build_world()


def _csv(text):
    return {
        "name": "partenaires.csv",
        "mimeType": "text/csv",
        "buffer": (HEADER + text).encode("cp1252"),
    }


def _accompaniments(doctor_email):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Prénom du patient",
            "Nom du patient",
            "Téléphone du patient",
            "Patient partenaire",
            "Orienté par",
            "Orienté le",
            "Accord pour être contacté (date)",
            "Accord pour transmettre ses coordonnées (date)",
            "Contacts (dates)",
        ]
    )
    sheet.append(
        [
            "Jeanne",
            "D",
            "0698765432",
            "martine@exemple.fr",
            doctor_email,
            "02/09/2026",
            "02/09/2026",
            "02/09/2026",
            "05/09/2026",
        ]
    )
    out = BytesIO()
    book.save(out)
    return {
        "name": "accompagnements.xlsx",
        "mimeType": "application/octet-stream",
        "buffer": out.getvalue(),
    }


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_coordinator_imports_partners_then_accompaniments_with_paper_consents(
    page, world, login_as, check_page
):
    login_as(page, world.users["coordinator"])
    page.goto("/")
    page.get_by_role("link", name="Importer un tableur").first.click()
    check_page(page)

    # 1. A file with two bad rows: every row is shown, the errors beside them, nothing written.
    page.get_by_role("radio", name="Patients partenaires", exact=True).check()
    page.get_by_label("Fichier (.xlsx ou .csv)").set_input_files(_csv(GOOD + BAD))
    page.get_by_role("button", name="Voir l'aperçu").click()
    check_page(page)
    content = page.content()
    assert "2 valide(s)" in content and "2 en erreur" in content
    assert "E-mail : Saisissez une adresse e-mail valide, par exemple prenom@exemple.fr." in content
    assert "Numéro de téléphone invalide" in content
    with scopes_disabled():
        assert not Partner.objects.exists()
    page.get_by_role("button", name="Ne rien importer").click()
    assert "Rien n'a été importé" in page.content()

    # 2. The fixed file: imported.
    page.get_by_role("link", name="← Importer un tableur").click()
    page.get_by_role("radio", name="Patients partenaires", exact=True).check()
    fixed = BAD.replace("anne@exemple;", "anne@exemple.fr;").replace("0123", "0561000000")
    page.get_by_label("Fichier (.xlsx ou .csv)").set_input_files(_csv(GOOD + fixed))
    page.get_by_role("button", name="Voir l'aperçu").click()
    assert "4 valide(s)" in page.content() and "0 en erreur" in page.content()
    page.get_by_role("button", name="Importer les 4 lignes valides").click()
    check_page(page)
    assert "Import terminé : 4 ligne(s) enregistrée(s)" in page.content()
    with scopes_disabled():
        assert Partner.objects.filter(structure=world.a).count() == 4

    # 3. Her accompaniments, with the consents signed on paper.
    page.get_by_role("link", name="← Importer un tableur").click()
    page.get_by_role("radio", name="Accompagnements et consentements papier").check()
    page.get_by_label("Fichier (.xlsx ou .csv)").set_input_files(
        _accompaniments(world.users["doctor"].email)
    )
    page.get_by_role("button", name="Voir l'aperçu").click()
    check_page(page)
    assert "1 valide(s)" in page.content()
    page.get_by_role("button", name="Importer la ligne valide").click()
    assert "Import terminé : 1 ligne(s) enregistrée(s)" in page.content()
    with scopes_disabled():
        acc = Accompaniment.objects.get()
        assert acc.partner.email == "martine@exemple.fr" and acc.status == "active"
        assert set(
            Consent.objects.filter(patient=acc.patient).values_list("method", flat=True)
        ) == {"signed_form"}
