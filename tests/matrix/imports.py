"""Import of spreadsheets: the coordination only; another structure's import is a 404."""

from tests.matrix import Entry


def _batch(structure):
    from binome.imports.models import ImportBatch

    return {
        "public_id": ImportBatch.objects.create(
            structure=structure, kind="partenaires", file_name="x.csv", file_sha256="0" * 64
        ).public_id
    }


OWN, OTHER = (lambda w: _batch(w.a)), (lambda w: _batch(w.b))
COORD = {"coordinator"}


def _survey(structure):
    from tests.voice.factories import QuestionFactory, SurveyFactory

    return QuestionFactory(survey=SurveyFactory(structure=structure)).survey


ENTRIES = [
    Entry("imports:start", allowed=COORD),
    Entry(
        "imports:start", method="post", allowed=COORD, data={"kind": "partenaires"}, ok_status=422
    ),
    Entry("imports:template", allowed=COORD),
    Entry(
        "imports:survey_template",
        allowed=COORD,
        own=lambda w: {"public_id": _survey(w.a).public_id},
        other=lambda w: {"public_id": _survey(w.b).public_id},
    ),
    Entry("imports:batch", allowed=COORD, own=OWN, other=OTHER),
    Entry(
        "imports:decide",
        method="post",
        allowed=COORD,
        data={"decision": "nothing"},
        ok_status=302,
        own=OWN,
        other=OTHER,
    ),
    Entry("imports:report", allowed=COORD, own=OWN, other=OTHER),
    Entry(
        "/api/v1/imports/",
        api=True,
        allowed={
            "coordinator",
            "doctor",
            "nurse",
            "partner",
            "user_rep",
            "patient",
            "facilitator",
            "outsider",
        },
    ),
    Entry("/api/v1/imports/{public_id}", api=True, allowed=COORD, own=OWN, other=OTHER),
    Entry(
        "/api/v1/imports/{public_id}/decision",
        api=True,
        method="post",
        allowed=COORD,
        data={"decision": "nothing"},
        own=OWN,
        other=OTHER,
    ),
]
