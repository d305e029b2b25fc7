from datetime import date

from tests.matrix import Entry

VIEW = {"coordinator", "doctor", "nurse", "partner", "user_rep"}
EDIT = {"coordinator", "doctor", "nurse"}


def _action(s):
    from tests.involvement.factories import InvolvementActionFactory

    return {"public_id": InvolvementActionFactory(structure=s).public_id}


def _evidence(s):
    from tests.involvement.factories import EvidenceFactory

    return {"public_id": EvidenceFactory(action__structure=s).public_id}


def _programme(s):
    from tests.involvement.factories import ProgrammeFactory

    return {"public_id": ProgrammeFactory(structure=s).public_id}


def _workshop(s):
    from tests.involvement.factories import WorkshopFactory

    return {"public_id": WorkshopFactory(programme__structure=s).public_id}


def _workshop_token(s):
    from tests.involvement.factories import WorkshopFactory

    return {"token": WorkshopFactory(programme__structure=s).feedback_token}


YEAR = date.today().year

ENTRIES = [
    Entry("involvement:register", allowed=VIEW),
    Entry("involvement:action_create", allowed=EDIT),
    Entry(
        "involvement:action_detail",
        allowed=VIEW,
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "involvement:action_edit",
        allowed=EDIT,
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "involvement:action_delete",
        method="post",
        allowed={"coordinator"},
        ok_status=302,
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "involvement:evidence_upload",
        method="post",
        allowed=EDIT,
        ok_status=422,
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "involvement:evidence_download",
        allowed=VIEW,
        own=lambda w: _evidence(w.a),
        other=lambda w: _evidence(w.b),
    ),
    Entry(
        "involvement:evidence_delete",
        method="post",
        allowed=EDIT,
        ok_status=302,
        own=lambda w: _evidence(w.a),
        other=lambda w: _evidence(w.b),
    ),
    Entry("involvement:continuum", allowed=VIEW),
    Entry("involvement:aci_report", allowed=EDIT),
    Entry("involvement:aci_report_pdf", allowed=EDIT),
    Entry("involvement:aci_report_xlsx", allowed=EDIT),
    Entry("involvement:programme_list", allowed=VIEW),
    Entry("involvement:programme_create", allowed=EDIT),
    Entry(
        "involvement:programme_detail",
        allowed=VIEW,
        own=lambda w: _programme(w.a),
        other=lambda w: _programme(w.b),
    ),
    Entry(
        "involvement:programme_edit",
        allowed=EDIT,
        own=lambda w: _programme(w.a),
        other=lambda w: _programme(w.b),
    ),
    Entry(
        "involvement:workshop_detail",
        allowed=VIEW,
        own=lambda w: _workshop(w.a),
        other=lambda w: _workshop(w.b),
    ),
    Entry(
        "involvement:workshop_edit",
        allowed=EDIT,
        own=lambda w: _workshop(w.a),
        other=lambda w: _workshop(w.b),
    ),
    Entry(
        "involvement:workshop_paper_feedback",
        method="post",
        allowed=EDIT,
        ok_status=422,
        own=lambda w: _workshop(w.a),
        other=lambda w: _workshop(w.b),
    ),
    Entry("involvement_public:feedback", public=True, own=lambda w: _workshop_token(w.a)),
    # The pages' twins (issue 16).
    Entry(
        "/api/v1/involvement/programmes/",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"facilitator", "outsider"},
        ok_status=201,
        data={"structure": "structure-a", "kind": "etp", "title": "ETP diabète"},
    ),
    Entry(
        "/api/v1/involvement/programmes/{public_id}",
        api=True,
        method="patch",
        allowed=EDIT,
        hidden={"patient"},
        data={"title": "ETP diabète de type 2"},
        own=lambda w: _programme(w.a),
        other=lambda w: _programme(w.b),
    ),
    Entry(
        "/api/v1/involvement/programmes/{public_id}/workshops",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"patient"},
        ok_status=201,
        data={"title": "Séance 1", "starts_at": "2026-12-10T14:00", "planned_count": 8},
        own=lambda w: _programme(w.a),
        other=lambda w: _programme(w.b),
    ),
    Entry(
        "/api/v1/involvement/workshops/{public_id}",
        api=True,
        method="patch",
        allowed=EDIT,
        hidden={"patient"},
        data={"place": "Salle 2"},
        own=lambda w: _workshop(w.a),
        other=lambda w: _workshop(w.b),
    ),
    Entry(
        "/api/v1/involvement/workshops/{public_id}/paper-feedback",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"patient"},
        ok_status=201,
        data={"useful": 4, "understood": 4, "freer": 3, "submission_token": "papier-0001-atelier"},
        own=lambda w: _workshop(w.a),
        other=lambda w: _workshop(w.b),
    ),
    Entry(
        "/api/v1/involvement/public/workshops/{token}/feedback",
        api=True,
        public=True,
        method="post",
        ok_status=201,
        data={
            "useful": 4,
            "understood": 3,
            "freer": 4,
            "submission_token": "en-ligne-0001-atelier",
        },
        own=lambda w: _workshop_token(w.a),
    ),
    # API
    Entry(
        "/api/v1/involvement/actions/",
        api=True,
        allowed=VIEW | {"patient", "facilitator", "outsider"},
    ),
    Entry(
        "/api/v1/involvement/actions/{public_id}",
        api=True,
        allowed=VIEW,
        hidden={"patient"},
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "/api/v1/involvement/actions/{public_id}",
        api=True,
        method="patch",
        allowed=EDIT,
        hidden={"patient"},
        data={"title": "Nouveau titre"},
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "/api/v1/involvement/actions/{public_id}",
        api=True,
        method="delete",
        allowed={"coordinator"},
        hidden={"patient"},
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "/api/v1/involvement/actions/{public_id}/evidence",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"patient"},
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "/api/v1/involvement/evidence/{public_id}",
        api=True,
        method="delete",
        allowed=EDIT,
        hidden={"patient"},
        own=lambda w: _evidence(w.a),
        other=lambda w: _evidence(w.b),
    ),
    Entry(
        "/api/v1/involvement/aci/{slug}/{year}",
        api=True,
        allowed=EDIT,
        hidden={"facilitator", "outsider"},
        own=lambda w: {"slug": w.a.slug, "year": YEAR},
        other=lambda w: {"slug": w.b.slug, "year": YEAR},
    ),
    Entry(
        "/api/v1/involvement/aci/{slug}/{year}/report.{fmt}",
        api=True,
        allowed=EDIT,
        hidden={"facilitator", "outsider"},
        own=lambda w: {"slug": w.a.slug, "year": YEAR, "fmt": "xlsx"},
        other=lambda w: {"slug": w.b.slug, "year": YEAR, "fmt": "xlsx"},
    ),
    Entry(
        "/api/v1/involvement/programmes/",
        api=True,
        allowed=VIEW | {"patient", "facilitator", "outsider"},
    ),
]
