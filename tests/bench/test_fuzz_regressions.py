"""What the fuzzers found (bench/fuzz_api.py, bench/fuzz_forms.py), kept fixed."""

import pytest

from binome.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/partners/", "/api/v1/compensation/time/"])
def test_a_huge_page_number_is_a_422_in_the_documented_shape_not_a_500(world, client, path):
    _token, raw = ApiToken.issue(world.users["coordinator"], "fuzz")
    response = client.get(f"{path}?page=299363631414312384", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "page" and body["detail"]
    ok = client.get(f"{path}?page=1000000", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200 and ok.json()["items"] == []


@pytest.mark.parametrize("year", ["-329830173", "63226", "0"])
def test_an_impossible_year_on_involvement_actions_is_a_422_not_a_500(world, client, year):
    _token, raw = ApiToken.issue(world.users["coordinator"], "fuzz")
    response = client.get(
        f"/api/v1/involvement/actions/?year={year}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "year"
    assert (
        client.get(
            "/api/v1/involvement/actions/?year=2026", HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).status_code
        == 200
    )


def test_the_api_fuzzer_finds_an_object_for_operations_of_the_api(world, client):
    """bench/fuzz_api.py fixes the path parameters of each operation to a real object of the
    structure: each of its prefixes must still be a path of the API (an app moved, a path
    renamed), or schemathesis only meets 404s there."""
    from bench.fuzz_api import identifiers
    from tests.accompaniment.factories import AccompanimentFactory

    AccompanimentFactory(structure=world.a)
    params = identifiers(world.a)
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert params["/api/v1/accompaniment/{public_id}"]["public_id"]
    for prefix in params:
        assert any(path.startswith(prefix) for path in paths), prefix


def test_the_api_fuzzer_takes_a_fhir_operation_outcome_as_a_documented_error():
    import json

    from bench.fuzz_api import error_shape_problem

    outcome = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "x"}]}

    def entry(url, mime, body):
        return {
            "request": {"url": url},
            "response": {"content": {"mimeType": mime, "text": json.dumps(body)}},
        }

    fhir = "application/fhir+json"
    assert error_shape_problem(entry("http://h/api/v1/fhir/Consent/0", fhir, outcome)) is None
    assert error_shape_problem(entry("http://h/api/v1/partners/0", fhir, outcome))
    assert error_shape_problem(entry("http://h/api/v1/fhir/Consent/0", fhir, {"detail": "x"}))
    assert (
        error_shape_problem(entry("http://h/api/v1/me", "application/json", {"detail": "Non"}))
        is None
    )


def test_a_nul_character_in_a_body_or_a_query_is_a_422_not_a_500(world, client):
    """PostgreSQL refuses to store a text holding NUL: the fuzzer met a 500 there (a coding
    label's name). The API refuses it before any operation, as Django's form fields do."""
    import json

    from binome.voice.models import CodingLabel, Question
    from tests.voice.factories import (
        AnswerFactory,
        QuestionFactory,
        ResponseFactory,
        SurveyFactory,
    )

    survey = SurveyFactory(structure=world.a)
    question = QuestionFactory(survey=survey, kind=Question.Kind.TEXT, label="Un mot ?")
    answer = AnswerFactory(
        response=ResponseFactory(survey=survey), question=question, value=None, text="Attente"
    )
    _token, raw = ApiToken.issue(world.users["coordinator"], "fuzz")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/voice/surveys/{survey.public_id}/coding/answers/{answer.pk}/codes"
    response = client.post(
        url, json.dumps({"name": "d\u009a.Dr\u0000"}), content_type="application/json", **auth
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "name", "message": "Caractère nul (\\0) interdit dans un texte."}
    ]
    assert not CodingLabel.objects.exists()
    nested = client.post(
        url,
        json.dumps({"name": "ok", "x": ["a", {"b": "\u0000"}]}),
        content_type="application/json",
        **auth,
    )
    assert nested.status_code == 422 and nested.json()["errors"][0]["field"] == "x.1.b"
    query = client.get("/api/v1/partners/?q=a%00b", **auth)
    assert query.status_code == 422 and query.json()["errors"][0]["field"] == "q"
    fine = client.post(url, json.dumps({"name": "Délais"}), content_type="application/json", **auth)
    assert fine.status_code == 201 and CodingLabel.objects.get().name == "Délais"


def test_an_unreadable_upload_is_a_400_in_french_json_for_the_api_and_a_page_otherwise(
    world, client
):
    """Django answers a body it cannot read (here a multipart body without a boundary) with
    its own 400 page, in English: the fuzzer met it on the API's uploads."""
    _token, raw = ApiToken.issue(world.users["coordinator"], "fuzz")
    broken = {"data": b"--\r\nnot multipart", "content_type": "multipart/form-data; boundary="}
    api = client.generic("POST", "/api/v1/imports/", HTTP_AUTHORIZATION=f"Bearer {raw}", **broken)
    assert api.status_code == 400 and api["Content-Type"].startswith("application/json")
    assert api.json() == {"detail": "Requête illisible : le corps envoyé n'a pas pu être lu."}
    page = world.client_for("coordinator").generic("POST", "/import/", **broken)
    assert page.status_code == 400
    html = page.content.decode()
    assert '<html lang="fr">' in html and "Demande illisible" in html and "Bad Request" not in html
