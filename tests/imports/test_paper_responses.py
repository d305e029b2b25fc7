"""Paper questionnaires of a survey by file (issue 15): one row per questionnaire, a column
per question (number or wording), through the survey page's own form; the questionnaire's
number is its key, so the same sheet is imported once."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from binome.audit.models import AuditEvent
from binome.imports.models import ImportBatch
from binome.voice.models import Answer, Question, Response
from tests.voice.factories import QuestionFactory, SurveyFactory


@pytest.fixture
def survey(world):
    survey = SurveyFactory(structure=world.a, title="Satisfaction 2026")
    QuestionFactory(
        survey=survey, kind=Question.Kind.SCALE, label="Accueil", position=1, required=True
    )
    QuestionFactory(
        survey=survey,
        kind=Question.Kind.SINGLE,
        label="Recommanderiez-vous la maison de santé ?",
        choices=["Oui", "Non", "Je ne sais pas"],
        position=2,
    )
    QuestionFactory(
        survey=survey,
        kind=Question.Kind.MULTIPLE,
        label="Qu'avez-vous utilisé ?",
        choices=["Ateliers", "Site internet", "Boîte à idées"],
        position=3,
    )
    QuestionFactory(survey=survey, kind=Question.Kind.TEXT, label="Une remarque ?", position=4)
    return survey


HEADER = "Enquête;N° du questionnaire;Q1;Recommanderiez-vous la maison de santé ?;Q3 — Qu'avez-vous utilisé ?;Q4\n"
GOOD = [
    'Satisfaction 2026;1;5;Oui;"Ateliers; Boîte à idées";Très bon accueil\n',
    "satisfaction 2026;2;3;3;2;\n",  # choices by their number on paper
]
BAD = [
    "Satisfaction 2026;3;9;Oui;;\n",  # the scale stops at 5
    "Satisfaction 2026;4;;Oui;;\n",  # the required question left empty
    "Enquête inconnue;5;4;Oui;;\n",
]


def csv_file(lines):
    return SimpleUploadedFile(
        "questionnaires.csv", (HEADER + "".join(lines)).encode("cp1252"), content_type="text/csv"
    )


def run(client, lines, decision="import"):
    response = client.post(reverse("imports:start"), {"kind": "reponses", "file": csv_file(lines)})
    assert response.status_code == 302, response.content.decode()[:500]
    batch = ImportBatch.objects.order_by("-created_at").first()
    preview = client.get(response["Location"]).content.decode()
    client.post(reverse("imports:decide", args=[batch.public_id]), {"decision": decision})
    batch.refresh_from_db()
    return batch, preview


def test_valid_questionnaires_are_imported_with_their_answers(world, survey):
    client = world.client_for("coordinator")
    batch, preview = run(client, GOOD + BAD)
    # Every error is shown beside its line, in French, before anything is written.
    assert "Ligne 4" in preview and "9 n’en fait pas partie" in preview
    assert "n&#x27;est pas une enquête publiée" in preview
    assert batch.n_valid == 2 and batch.n_errors == 3
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == 2
    assert set(responses.values_list("channel", flat=True)) == {Response.Channel.PAPER}
    first = Answer.objects.filter(response__survey=survey, response__in=responses)
    accueil = first.filter(question__label="Accueil").values_list("value", flat=True)
    assert sorted(accueil) == [3, 5]
    used = sorted(
        first.filter(question__label="Qu'avez-vous utilisé ?").values_list("value", flat=True)
    )
    assert used == [0, 1, 2]  # "Ateliers; Boîte à idées" then "2" (Site internet)
    recommend = sorted(
        first.filter(question__label__startswith="Recommanderiez").values_list("value", flat=True)
    )
    assert recommend == [0, 2]  # "Oui", then choice n° 3 "Je ne sais pas"
    assert first.filter(text="Très bon accueil").exists()
    assert AuditEvent.objects.filter(kind="voice.paper_response_entered").count() == 2
    messages = {o["line"]: " ".join(o["messages"]) for o in batch.outcome}
    assert "Accueil" in messages[4] and "Accueil" in messages[5]
    assert "n'est pas une enquête publiée" in messages[6]


def test_the_same_file_twice_creates_nothing_and_nothing_means_nothing(world, survey):
    client = world.client_for("coordinator")
    run(client, GOOD)
    again, _preview = run(client, GOOD)
    assert again.n_already == 2 and again.n_valid == 0
    assert Response.objects.filter(survey=survey).count() == 2
    # The same number with other answers is the same sheet: not imported a second time.
    changed, _preview = run(client, ["Satisfaction 2026;1;1;Non;;\n"])
    assert changed.n_already == 1
    nothing, _preview = run(client, ["Satisfaction 2026;9;4;Oui;;\n"], decision="nothing")
    assert nothing.n_valid == 1 and Response.objects.filter(survey=survey).count() == 2


def test_a_column_that_is_no_question_is_refused(world, survey):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("imports:start"),
        {
            "kind": "reponses",
            "file": SimpleUploadedFile(
                "q.csv",
                "Enquête;N° du questionnaire;Q7;Couleur préférée\nSatisfaction 2026;1;4;bleu\n".encode(),
                content_type="text/csv",
            ),
        },
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.n_errors == 1
    text = " ".join(batch.outcome[0]["messages"])
    assert "Q7" in text and "Couleur préférée" in text


def test_the_survey_template_has_its_questions_and_reads_back(world, survey):
    client = world.client_for("coordinator")
    download = client.get(reverse("imports:survey_template", args=[survey.public_id]))
    assert download.status_code == 200
    sheet = load_workbook(BytesIO(download.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Enquête *", "N° du questionnaire *"]
    assert header[2].startswith("Q1 — Accueil") and len(header) == 6
    # Filled in as a secretary would, and uploaded as it is.
    sheet.append(["Satisfaction 2026", "7", 4, "Non", "Site internet", ""])
    sheet.delete_rows(2)  # the example line
    out = BytesIO()
    sheet.parent.save(out)
    response = client.post(
        reverse("imports:start"),
        {"kind": "reponses", "file": SimpleUploadedFile("q.xlsx", out.getvalue())},
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.n_valid == 1, batch.outcome
    # The paper page offers it to the coordination.
    page = client.get(reverse("voice:survey_paper", args=[survey.public_id])).content.decode()
    assert reverse("imports:survey_template", args=[survey.public_id]) in page
    # Another structure's survey does not exist here.
    other = SurveyFactory(structure=world.b)
    assert client.get(reverse("imports:survey_template", args=[other.public_id])).status_code == 404


def test_the_command_line_imports_paper_questionnaires(world, survey, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "q.csv"
    path.write_bytes((HEADER + "".join(GOOD)).encode("cp1252"))
    out = StringIO()
    call_command("import", "paper-survey-responses", str(path), structure="structure-a", stdout=out)
    assert Response.objects.filter(survey=survey).count() == 2
