from tests.matrix import Entry

VIEW = {"coordinator", "doctor", "nurse", "partner", "user_rep"}
EDIT = {"coordinator"}  # and committee members (tests/steering)


def _project(s):
    from tests.steering.factories import ProjectFactory

    return {"public_id": ProjectFactory(structure=s).public_id}


def _cycle(s):
    from tests.steering.factories import CycleFactory

    return {"public_id": CycleFactory(project__structure=s).public_id}


def _action(s):
    from tests.steering.factories import ActionItemFactory

    return {"public_id": ActionItemFactory(cycle__project__structure=s).public_id}


def _factor(s):
    from tests.steering.factories import LimitingFactorFactory

    return {"public_id": LimitingFactorFactory(project__structure=s).public_id}


def _indicator(s):
    from tests.steering.factories import IndicatorFactory

    return {"public_id": IndicatorFactory(project__structure=s).public_id}


def _seat(w, s):
    from binome.people.models import Role
    from tests.factories import MembershipFactory
    from tests.steering.factories import CommitteeMemberFactory

    membership = MembershipFactory(structure=s, role=Role.PROFESSIONAL)
    return {
        "public_id": CommitteeMemberFactory(project__structure=s, membership=membership).public_id
    }


def _entry(name, obj, allowed, method="get", **kw):
    return Entry(
        name, allowed=allowed, own=lambda w: obj(w.a), other=lambda w: obj(w.b), method=method, **kw
    )


ENTRIES = [
    Entry("steering:list", allowed=VIEW),
    Entry("steering:create", allowed=EDIT),
    _entry("steering:detail", _project, VIEW),
    _entry("steering:edit", _project, EDIT),
    _entry("steering:add_member", _project, EDIT),
    Entry(
        "steering:remove_member",
        method="post",
        allowed=EDIT,
        ok_status=302,
        own=lambda w: _seat(w, w.a),
        other=lambda w: _seat(w, w.b),
    ),
    _entry("steering:add_cycle", _project, EDIT),
    _entry("steering:edit_cycle", _cycle, EDIT),
    _entry("steering:add_action", _cycle, EDIT),
    _entry(
        "steering:action_status",
        _action,
        EDIT,
        method="post",
        data={"status": "done"},
        ok_status=302,
    ),
    _entry("steering:logbook", _project, VIEW),
    _entry("steering:add_logbook", _project, EDIT),
    _entry("steering:factors", _project, VIEW),
    _entry("steering:add_factor", _project, EDIT),
    _entry("steering:edit_factor", _factor, EDIT),
    _entry("steering:add_indicator", _project, EDIT),
    _entry("steering:add_value", _indicator, EDIT),
    _entry("steering:add_checkin", _project, EDIT),
    _entry("steering:add_link", _project, EDIT),
    Entry(
        "/api/v1/steering/projects/",
        api=True,
        allowed=VIEW | {"patient", "facilitator", "outsider"},
    ),
    Entry(
        "/api/v1/steering/projects/{public_id}",
        api=True,
        allowed=VIEW,
        own=lambda w: _project(w.a),
        other=lambda w: _project(w.b),
    ),
    Entry(
        "/api/v1/steering/projects/{public_id}/logbook/",
        api=True,
        allowed=VIEW,
        own=lambda w: _project(w.a),
        other=lambda w: _project(w.b),
    ),
    # The pages' twins (issue 16).
    Entry(
        "/api/v1/steering/projects/",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"facilitator", "outsider"},
        ok_status=201,
        data={
            "structure": "structure-a",
            "title": "Mieux accueillir",
            "status": "preparing",
            "checkin_every_days": 30,
        },
    ),
    Entry(
        "/api/v1/steering/actions/{public_id}/status",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"patient"},
        data={"status": "doing"},
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    Entry(
        "/api/v1/steering/projects/{public_id}/indicators",
        api=True,
        method="post",
        allowed=EDIT,
        ok_status=201,
        data={"name": "Patients partenaires présents"},
        own=lambda w: _project(w.a),
        other=lambda w: _project(w.b),
    ),
    Entry(
        "/api/v1/steering/projects/{public_id}/links",
        api=True,
        method="post",
        allowed=EDIT,
        ok_status=422,
        own=lambda w: _project(w.a),
        other=lambda w: _project(w.b),
    ),
    Entry(
        "/api/v1/steering/committee/{public_id}",
        api=True,
        method="delete",
        allowed=EDIT,
        hidden={"patient"},
        ok_status=204,
        own=lambda w: _seat(w, w.a),
        other=lambda w: _seat(w, w.b),
    ),
]
