"""The ACI level rules (seed 001 §V.A) and the annual report on screen, in PDF and in XLSX."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from binome.involvement.aci import aci_level_reached, annual_report, points_for
from binome.involvement.models import AciParameters, ActionKind, Level
from binome.involvement.services import defaults_for
from tests.involvement.factories import EvidenceFactory, InvolvementActionFactory

YEAR = date.today().year


class _Proofs(list):
    def all(self):
        return self


class _Proof:
    def __init__(self, kind):
        self.kind = kind


RULES = AciParameters(valid_from=date(2022, 8, 3))
REQUIRED = {1: ["support"], 2: ["minutes", "attendance"]}


class _Action:
    """What the rule reads of an action: its ACI level and its evidence."""

    def __init__(self, kind, proofs):
        self.kind, self.level, self.aci_level = kind, defaults_for(kind)[0], defaults_for(kind)[1]
        self.evidence = (
            _Proofs(_Proof(p) for p in REQUIRED.get(self.aci_level, [])) if proofs else _Proofs()
        )


def _actions(*kinds, proofs=True):
    """Actions of these kinds, with the evidence their ACI level requires (or none)."""
    return [_Action(k, proofs) for k in kinds]


def _level(actions):
    return aci_level_reached(actions, RULES).level


def test_posters_and_satisfaction_survey_alone_reach_level_1():
    result = aci_level_reached(_actions(ActionKind.POSTERS, ActionKind.SURVEY), RULES)
    assert result.level == 1
    assert len(result.level1_actions) == 2 and result.level2_actions == []


def test_users_committee_reaches_level_2():
    assert _level(_actions(ActionKind.COMMITTEE)) == 2


def test_user_referent_in_an_etp_workshop_reaches_level_2():
    assert _level(_actions(ActionKind.POSTERS, ActionKind.USER_REFERENT)) == 2


def test_nothing_is_not_reached():
    assert _level([]) == 0


def test_the_aci_level_of_an_action_is_editable():
    survey = _actions(ActionKind.SURVEY)[0]
    survey.aci_level = 2  # e.g. a survey co-built with the users' committee
    survey.evidence = _Proofs([_Proof("minutes"), _Proof("attendance")])
    assert _level([survey]) == 2


def test_a_level_2_action_without_its_evidence_earns_nothing_and_is_to_complete():
    committee = _actions(ActionKind.COMMITTEE, proofs=False)[0]
    result = aci_level_reached([committee], RULES)
    assert result.level == 0 and result.level2_actions == []
    assert result.to_complete == [
        (
            committee,
            [
                "Compte rendu de la réunion ou de l'atelier avec les usagers",
                "Liste des usagers qui ont participé",
            ],
        )
    ]
    # the minutes alone are not enough either; a poster with its support still gives level 1
    committee.evidence = _Proofs([_Proof("minutes")])
    assert _level([committee, *_actions(ActionKind.POSTERS)]) == 1


def test_points_follow_the_parameters_kept_as_data():
    params = AciParameters(valid_from=date(2022, 1, 1))
    assert points_for(0, params, 5200) == (0, 0)
    assert points_for(1, params, 5200) == (200, 0)
    fixed, variable = points_for(2, params, 2000)
    assert fixed == 200 and variable == Decimal("150.00")  # 300 points × 2000 / 4000


@pytest.mark.django_db
def test_an_avenant_changes_the_figures_from_its_date(world):
    AciParameters.objects.create(valid_from=date(2022, 1, 1))
    AciParameters.objects.create(
        valid_from=date(YEAR, 6, 1), level1_fixed_points=250, point_value_eur=Decimal("7.50")
    )
    world.a.patient_count = 4000
    world.a.save()
    EvidenceFactory(
        action=InvolvementActionFactory(structure=world.a, kind=ActionKind.POSTERS), kind="support"
    )
    report = annual_report(world.a, YEAR)
    assert report.level == 1 and report.fixed_points == 250
    assert report.amount_eur == Decimal("1875.00")
    assert annual_report(world.a, YEAR - 1).parameters.point_value_eur == Decimal("7.00")


@pytest.mark.django_db
def test_actions_of_another_year_do_not_count(world):
    old = InvolvementActionFactory(
        structure=world.a,
        kind=ActionKind.COMMITTEE,
        aci_level=2,
        start_date=date(YEAR - 2, 1, 1),
        end_date=date(YEAR - 2, 12, 1),
    )
    EvidenceFactory(action=old, kind="minutes")
    EvidenceFactory(action=old, kind="attendance")
    assert annual_report(world.a, YEAR).level == 0
    assert annual_report(world.a, YEAR - 2).level == 2


def _digits(text):
    return re.sub(r"\s", "", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture
def level2_world(world):
    world.a.patient_count = 5200
    world.a.save()
    posters = InvolvementActionFactory(
        structure=world.a, kind=ActionKind.POSTERS, title="Affiches de la salle d'attente"
    )
    EvidenceFactory(action=posters, original_name="affiche.pdf", kind="support")
    committee = InvolvementActionFactory(
        structure=world.a,
        kind=ActionKind.COMMITTEE,
        aci_level=2,
        level=Level.COLLABORATION,
        title="Comité des usagers",
    )
    EvidenceFactory(action=committee, original_name="compte-rendu-mars.pdf", kind="minutes")
    EvidenceFactory(action=committee, original_name="emargement-mars.pdf", kind="attendance")
    InvolvementActionFactory(
        structure=world.b, kind=ActionKind.GOVERNANCE, aci_level=2, title="Action de B"
    )
    return world


def test_report_screen_pdf_and_xlsx_show_the_same_figures(level2_world):
    world = level2_world
    client = world.client_for("coordinator")
    screen = client.get("/implication/aci/", {"year": YEAR})
    assert screen.status_code == 200
    html = screen.content.decode()
    figures = dict(re.findall(r'data-figure="(\w+)">(?:<strong>)?([^<]+)<', html))
    # 200 fixed + 300 × 5200 / 4000 = 590 points, × 7 € = 4 130 €.
    assert _digits(figures["total_points"]) == "590,00"
    assert _digits(figures["amount"]) == "4130,00€"
    assert "Niveau 2" in html and "Action de B" not in html

    pdf = client.get("/implication/aci/rapport.pdf", {"year": YEAR})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    squashed = _digits(text)
    assert "Niveau atteint : Niveau 2" in text
    for key in ("fixed_points", "variable_points", "total_points", "amount"):
        assert _digits(figures[key]) in squashed, key
    assert _digits("Comité des usagers") in squashed and "compte-rendu-mars.pdf" in squashed
    assert _digits("Action de B") not in squashed

    xlsx = client.get("/implication/aci/rapport.xlsx", {"year": YEAR})
    assert xlsx.status_code == 200
    wb = load_workbook(BytesIO(xlsx.content))
    sheet = {row[0]: row[1] for row in wb["Indicateur"].iter_rows(values_only=True)}
    assert sheet["Niveau atteint"] == "Niveau 2"
    assert Decimal(str(sheet["Total des points"])) == Decimal("590")
    assert Decimal(str(sheet["Montant (€)"])) == Decimal("4130")
    assert Decimal(str(sheet["Points variables (niveau 2)"])) == Decimal("390")
    titles = [row[0] for row in wb["Actions"].iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == ["Affiches de la salle d'attente", "Comité des usagers"]

    from binome.audit.models import AuditEvent

    assert AuditEvent.objects.filter(kind="involvement.aci_report_exported").count() == 2


def test_api_report_gives_the_same_figures(level2_world):
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(level2_world.users["coordinator"], "t", raw="jeton-aci")
    response = Client().get(
        f"/api/v1/involvement/aci/{level2_world.a.slug}/{YEAR}",
        HTTP_AUTHORIZATION="Bearer jeton-aci",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == 2
    assert Decimal(body["total_points"]) == Decimal("590") and Decimal(
        body["amount_eur"]
    ) == Decimal("4130")
    assert {a["title"] for a in body["actions"]} == {
        "Affiches de la salle d'attente",
        "Comité des usagers",
    }
    assert (
        Client()
        .get(
            f"/api/v1/involvement/aci/{level2_world.a.slug}/1900",
            HTTP_AUTHORIZATION="Bearer jeton-aci",
        )
        .status_code
        == 422
    )


def test_report_query_count_is_constant(world, django_assert_max_num_queries):
    client = world.client_for("coordinator")
    for i in range(3):
        EvidenceFactory(action=InvolvementActionFactory(structure=world.a, title=f"a{i}"))
    client.get("/implication/aci/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/implication/aci/")
    for i in range(30):
        EvidenceFactory(action=InvolvementActionFactory(structure=world.a, title=f"b{i}"))
    with django_assert_max_num_queries(len(small)):
        assert client.get("/implication/aci/").status_code == 200


# The report follows the structure's own agreement (issue "Domain rules right") ------------------


def _signed_world(world, kind, *, signatory, agreement=""):
    world.a.kind, world.a.aci_signatory, world.a.signed_agreement, world.a.patient_count = (
        kind,
        signatory,
        agreement,
        4000,
    )
    world.a.save()
    posters = InvolvementActionFactory(structure=world.a, kind=ActionKind.POSTERS, title="Affiches")
    EvidenceFactory(action=posters, kind="support")
    return world


def _api_report(world):
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["coordinator"], "t", raw="jeton-accord")
    return (
        Client()
        .get(
            f"/api/v1/involvement/aci/{world.a.slug}/{YEAR}",
            HTTP_AUTHORIZATION="Bearer jeton-accord",
        )
        .json()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, signatory, agreement, points, why",
    [
        ("msp", True, "", True, ""),  # the demo MSP: a signatory of the ACI
        (
            "centre",
            False,
            "",
            False,
            "Aucun accord conventionnel signé",
        ),  # the demo centre de santé signed nothing
        ("centre", True, "", True, ""),  # a centre de santé under the Accord national
        (
            "cpts",
            True,
            "",
            False,
            "ne comporte pas d'indicateur",
        ),  # the ACI of CPTS has no such indicator
        ("service", False, "", False, "ne relève d'aucun accord"),  # a cancer-centre service
    ],
)
def test_the_report_follows_the_structure_agreement_on_page_and_api(
    world, kind, signatory, agreement, points, why
):
    _signed_world(world, kind, signatory=signatory, agreement=agreement)
    report = annual_report(world.a, YEAR)
    assert report.applies is points and (report.amount_eur > 0) is points
    html = world.client_for("coordinator").get("/implication/aci/", {"year": YEAR}).content.decode()
    body = _api_report(world)
    assert body["applies"] is points and (body["amount_eur"] is not None) is points
    if points:
        assert "1 400,00 €" in html.replace("\u00a0", " ") and Decimal(
            body["amount_eur"]
        ) == Decimal("1400")
        assert "avenant" in html and "avenant" in body["rules_source"]
    else:
        assert why in html.replace("&#x27;", "'") and why in body["why_no_points"]
        assert "€" not in html.split('id="niveau"')[1].split("</section>")[0]


@pytest.mark.django_db
def test_demo_structures_get_their_own_report(settings):
    from binome.people.demo_set import load_demo
    from binome.people.models import Structure

    settings.DEMO_MODE = True
    load_demo()
    tilleuls, vallee = Structure.objects.get(slug="tilleuls"), Structure.objects.get(slug="vallee")
    assert tilleuls.agreement == "aci_msp" and annual_report(tilleuls, YEAR).applies
    vallee_report = annual_report(vallee, YEAR)
    assert vallee.agreement == "" and not vallee_report.applies and vallee_report.amount_eur == 0


@pytest.mark.django_db
def test_the_demo_msp_reaches_level_2_with_the_evidence_of_its_health_project_reading(settings):
    from binome.people.demo_set import load_demo
    from binome.people.models import Structure

    settings.DEMO_MODE = True
    load_demo()
    report = annual_report(Structure.objects.get(slug="tilleuls"), YEAR)
    assert report.level == 2 and report.applies
    titles = {a.title for a in report.result.level2_actions}
    assert "Relecture du projet de santé par trois usagers" in titles
