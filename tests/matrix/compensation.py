from tests.matrix import Entry

BOTH = {"coordinator", "partner"}
COORD = {"coordinator"}
PARTNER = {"partner"}


def _time(w, s):
    from tests.compensation.factories import TimeEntryFactory, partner_of

    return {
        "public_id": TimeEntryFactory(partner=partner_of(w, "a" if s == w.a else "b")).public_id
    }


def _expense(w, s, **kw):
    from tests.compensation.factories import ExpenseFactory, partner_of

    return {
        "public_id": ExpenseFactory(partner=partner_of(w, "a" if s == w.a else "b"), **kw).public_id
    }


def _receipt(w, s):
    from django.core.files.base import ContentFile

    return _expense(
        w,
        s,
        kind="transport",
        kilometres=None,
        declared_amount="3.20",
        amount="3.20",
        receipt=ContentFile(b"%PDF-1.4 ticket", name="ticket.pdf"),
        receipt_type="application/pdf",
    )


def _statement(w, s):
    from tests.compensation.factories import StatementFactory, partner_of

    return {
        "public_id": StatementFactory(partner=partner_of(w, "a" if s == w.a else "b")).public_id
    }


def _partner(w, s):
    from tests.compensation.factories import partner_of

    return {"public_id": partner_of(w, "a" if s == w.a else "b").public_id}


def _year(w, s):
    return {**_partner(w, s), "year": 2026}


def _funding(w, s):
    from tests.compensation.factories import FundingSourceFactory

    return {"public_id": FundingSourceFactory(structure=s).public_id}


def _mission(w, s):
    from tests.compensation.factories import MissionFactory

    return {"public_id": MissionFactory(structure=s).public_id}


def _e(name, obj, allowed, **kw):
    return Entry(
        name, allowed=allowed, own=lambda w: obj(w, w.a), other=lambda w: obj(w, w.b), **kw
    )


def _api(path, obj, allowed, **kw):
    return Entry(
        path,
        api=True,
        allowed=allowed,
        own=lambda w: obj(w, w.a),
        other=lambda w: obj(w, w.b),
        **kw,
    )


ENTRIES = [
    Entry("compensation:entries", allowed=BOTH),
    Entry("compensation:log_time", allowed=PARTNER),
    Entry("compensation:log_expense", allowed=PARTNER),
    _e("compensation:edit_time", _time, PARTNER),
    _e("compensation:edit_expense", _expense, PARTNER),
    _e("compensation:receipt", _receipt, BOTH),
    Entry("compensation:queue", allowed=COORD),
    _e(
        "compensation:review_time",
        _time,
        COORD,
        method="post",
        data={"decision": "approve"},
        ok_status=302,
    ),
    _e(
        "compensation:review_expense",
        _expense,
        COORD,
        method="post",
        data={"decision": "approve"},
        ok_status=302,
    ),
    Entry("compensation:statements", allowed=BOTH),
    _e("compensation:statement_pdf", _statement, BOTH),
    _e("compensation:statement_xlsx", _statement, BOTH),
    _e("compensation:yearly_summary", _year, BOTH),
    _e("compensation:certificate", _partner, BOTH),
    Entry("compensation:budget", allowed=COORD),
    Entry("compensation:funding_create", allowed=COORD),
    _e("compensation:funding_edit", _funding, COORD),
    _e("compensation:mission_budget", _mission, COORD),
    Entry("compensation:rates", allowed=COORD),
    # The budget pages' twins (issue 16): the coordination writes, with a payload that does.
    Entry(
        "/api/v1/compensation/funding/",
        api=True,
        method="post",
        allowed=COORD,
        hidden={"facilitator", "outsider"},
        ok_status=201,
        data={
            "structure": "structure-a",
            "kind": "aci",
            "name": "ACI 2026",
            "year": 2026,
            "amount": "1200.00",
        },
    ),
    _api(
        "/api/v1/compensation/funding/{public_id}",
        _funding,
        COORD,
        method="patch",
        data={"name": "ACI"},
    ),
    _api(
        "/api/v1/compensation/missions/{public_id}/budget",
        _mission,
        COORD,
        method="put",
        data={"amount": "300.00"},
    ),
    Entry(
        "/api/v1/compensation/rates/{structure}",
        api=True,
        method="put",
        allowed=COORD,
        own=lambda w: {"structure": w.a.slug},
        other=lambda w: {"structure": w.b.slug},
        data={"km_rate": "0.352"},
    ),
    # API: a partner sees only their own entries and statements (tests/compensation/test_api.py).
    Entry(
        "/api/v1/compensation/time/",
        api=True,
        allowed=BOTH | {"doctor", "nurse", "user_rep", "patient", "facilitator", "outsider"},
    ),
    Entry(
        "/api/v1/compensation/expenses/",
        api=True,
        allowed=BOTH | {"doctor", "nurse", "user_rep", "patient", "facilitator", "outsider"},
    ),
    Entry(
        "/api/v1/compensation/statements/",
        api=True,
        allowed=BOTH | {"doctor", "nurse", "user_rep", "patient", "facilitator", "outsider"},
    ),
    _api(
        "/api/v1/compensation/time/{public_id}",
        _time,
        BOTH,
        hidden={"doctor", "nurse", "user_rep", "patient"},
    ),
    _api(
        "/api/v1/compensation/expenses/{public_id}",
        _expense,
        BOTH,
        hidden={"doctor", "nurse", "user_rep", "patient"},
    ),
    _api(
        "/api/v1/compensation/time/{public_id}/review",
        _time,
        COORD,
        hidden={"doctor", "nurse", "user_rep", "patient"},
        method="post",
        data={"decision": "approve"},
    ),
    _api(
        "/api/v1/compensation/expenses/{public_id}/review",
        _expense,
        COORD,
        hidden={"doctor", "nurse", "user_rep", "patient"},
        method="post",
        data={"decision": "approve"},
    ),
    _api(
        "/api/v1/compensation/statements/{public_id}",
        _statement,
        BOTH,
        hidden={"doctor", "nurse", "user_rep", "patient"},
    ),
    _api(
        "/api/v1/compensation/statements/{public_id}/document.{fmt}",
        lambda w, s: {**_statement(w, s), "fmt": "xlsx"},
        BOTH,
        hidden={"doctor", "nurse", "user_rep", "patient"},
    ),
]
