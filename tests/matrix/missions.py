from tests.matrix import Entry

STAFF = {"coordinator", "doctor", "nurse"}


def _mission(w, structure, *, with_partner=False, named_doctor=False, status="draft"):
    from tests.missions.factories import (
        AssignmentFactory,
        MissionFactory,
        MissionProfessionalFactory,
    )
    from tests.partners.factories import partner_for

    mission = MissionFactory(structure=structure, status=status)
    if with_partner:
        partner = partner_for(w, "a" if structure == w.a else "b")
        users = w.users if structure == w.a else w.users_b
        AssignmentFactory(mission=mission, partner=partner, assigned_by=users["coordinator"])
    if named_doctor:
        memberships = w.memberships if structure == w.a else w.memberships_b
        MissionProfessionalFactory(mission=mission, membership=memberships["doctor"])
    return mission


def _pid(fn):
    return lambda w: {"public_id": fn(w).public_id}


# A mission the partner persona is on (they see it) / one they are not on (404 for them).
WITH_PARTNER = {
    "own": _pid(lambda w: _mission(w, w.a, with_partner=True)),
    "other": _pid(lambda w: _mission(w, w.b, with_partner=True)),
}
WITHOUT_PARTNER = {
    "own": _pid(lambda w: _mission(w, w.a)),
    "other": _pid(lambda w: _mission(w, w.b)),
}


def _in_validation(w, structure):
    from binome.missions import services

    mission = _mission(w, structure, with_partner=True, named_doctor=True)
    users = w.users if structure == w.a else w.users_b
    services.submit(mission, actor=users["coordinator"])
    return mission


def _assignment(w, structure):
    mission = _mission(w, structure, with_partner=True)
    return {"public_id": mission.public_id, "assignment_id": mission.assignments.get().public_id}


ENTRIES = [
    Entry("missions:list", allowed=STAFF | {"partner"}),
    Entry("missions:templates", allowed=STAFF),
    Entry("missions:create", allowed=STAFF),
    Entry("missions:compensation", allowed=STAFF | {"partner"}),
    Entry("missions:detail", allowed=STAFF | {"partner"}, **WITH_PARTNER),
    Entry("missions:detail", allowed=STAFF, hidden={"partner"}, **WITHOUT_PARTNER),
    Entry("missions:edit", allowed=STAFF, **WITH_PARTNER),
    Entry("missions:versions", allowed=STAFF | {"partner"}, **WITH_PARTNER),
    Entry("missions:matching", allowed=STAFF, hidden={"partner"}, **WITHOUT_PARTNER),
    Entry("missions:submit", method="post", allowed=STAFF, ok_status=302, **WITH_PARTNER),
    # Only the named doctor and the assigned partner validate; anyone else is refused.
    Entry(
        "missions:validate",
        method="post",
        allowed={"doctor", "partner"},
        ok_status=302,
        own=_pid(lambda w: _in_validation(w, w.a)),
        other=_pid(lambda w: _in_validation(w, w.b)),
    ),
    Entry(
        "missions:comment",
        method="post",
        allowed=STAFF | {"partner"},
        data={"body": "Bonjour"},
        ok_status=302,
        **WITH_PARTNER,
    ),
    Entry("missions:assign", method="post", allowed={"coordinator"}, ok_status=302, **WITH_PARTNER),
    Entry(
        "missions:unassign",
        method="post",
        allowed={"coordinator"},
        ok_status=302,
        own=lambda w: _assignment(w, w.a),
        other=lambda w: _assignment(w, w.b),
    ),
    Entry("missions:close", method="post", allowed={"coordinator"}, ok_status=302, **WITH_PARTNER),
    Entry(
        "missions:set_policy", method="post", allowed={"coordinator"}, ok_status=302, **WITH_PARTNER
    ),
    # API
    Entry("/api/v1/missions/", api=True, allowed=STAFF | {"partner"}),
    Entry(
        "/api/v1/missions/{public_id}",
        api=True,
        allowed=STAFF | {"partner"},
        hidden={"user_rep", "patient"},
        **WITH_PARTNER,
    ),
    Entry(
        "/api/v1/missions/{public_id}/matching",
        api=True,
        allowed=STAFF,
        hidden={"partner", "user_rep", "patient"},
        **WITHOUT_PARTNER,
    ),
]

HIDDEN = {"user_rep", "patient"}  # a mission sheet does not exist for them


def _structure(w, structure):
    return {"structure": structure.slug}


ENTRIES += [
    Entry(
        "/api/v1/missions/{public_id}",
        api=True,
        method="patch",
        allowed=STAFF,
        hidden=HIDDEN,
        data={"title": "Nouveau titre"},
        **WITH_PARTNER,
    ),
    Entry(
        "/api/v1/missions/{public_id}/submit",
        api=True,
        method="post",
        allowed=STAFF,
        hidden=HIDDEN,
        **WITH_PARTNER,
    ),
    Entry(
        "/api/v1/missions/{public_id}/validate",
        api=True,
        method="post",
        allowed={"doctor", "partner"},
        hidden=HIDDEN,
        own=_pid(lambda w: _in_validation(w, w.a)),
        other=_pid(lambda w: _in_validation(w, w.b)),
    ),
    Entry(
        "/api/v1/missions/{public_id}/comments",
        api=True,
        method="post",
        allowed=STAFF | {"partner"},
        hidden=HIDDEN,
        data={"body": "Bonjour"},
        **WITH_PARTNER,
    ),
    Entry(
        "/api/v1/missions/{public_id}/assignments",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden=HIDDEN,
        data={"partner": "00000000-0000-0000-0000-000000000000"},
        **WITH_PARTNER,
    ),
    Entry(
        "/api/v1/missions/{public_id}/assignments/{assignment_id}/end",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden=HIDDEN,
        own=lambda w: _assignment(w, w.a),
        other=lambda w: _assignment(w, w.b),
    ),
    Entry(
        "/api/v1/missions/{public_id}/close",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden=HIDDEN,
        data={"note": "Bilan"},
        **WITH_PARTNER,
    ),
    Entry(
        "/api/v1/missions/{public_id}/compensation",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden=HIDDEN,
        data={"mode": "none"},
        **WITH_PARTNER,
    ),
    Entry(
        "/api/v1/missions/compensation/{structure}",
        api=True,
        allowed=STAFF | {"partner"},
        own=lambda w: _structure(w, w.a),
        other=lambda w: _structure(w, w.b),
    ),
    Entry(
        "/api/v1/missions/compensation/{structure}",
        api=True,
        method="post",
        allowed={"coordinator"},
        data={"mode": "none"},
        own=lambda w: _structure(w, w.a),
        other=lambda w: _structure(w, w.b),
    ),
]
