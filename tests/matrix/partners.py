from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import Entry

STAFF = {"coordinator", "doctor", "nurse"}
TEAM = STAFF | {"partner", "user_rep"}


def _partner(w, structure):
    from tests.partners.factories import PartnerFactory

    return PartnerFactory(structure=structure)


def _own(w):
    from tests.partners.factories import partner_for

    return partner_for(w)


def _training(w, structure):
    from tests.partners.factories import TrainingFactory

    return TrainingFactory(
        partner=_partner(w, structure),
        proof=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4 preuve", content_type="application/pdf"),
    )


def _criterion(w, structure):
    from tests.partners.factories import CriterionFactory

    return CriterionFactory(structure=structure)


def _charter(w):
    from binome.partners.services import ensure_charter

    ensure_charter(w.a)


def _open_call(w):
    from tests.partners.factories import RecruitmentCallFactory

    RecruitmentCallFactory(structure=w.a)
    return {"slug": w.a.slug}


def _pid(fn):
    return lambda w: {"public_id": fn(w).public_id}


OTHER_PARTNER = {
    "own": _pid(lambda w: _partner(w, w.a)),
    "other": _pid(lambda w: _partner(w, w.b)),
}


def _cpts_link(w, member, accepted=False):
    """A CPTS (of its own) asking ``member`` to join its shared pool."""
    from binome.partners import pool
    from binome.people.models import Role, Structure
    from tests.factories import MembershipFactory, StructureFactory

    cpts = StructureFactory(kind=Structure.Kind.CPTS)
    coordinator = MembershipFactory(structure=cpts, role=Role.COORDINATOR).user
    link = pool.request_membership(cpts, member, actor=coordinator)
    if accepted:
        pool.accept_membership(link, actor=coordinator)
    return link


def _share(w, structure):
    """The partner of ``structure`` sharing her profile with a CPTS of whose pool it is a member."""
    from binome.partners import pool
    from tests.partners.factories import partner_for

    link = _cpts_link(w, structure, accepted=True)
    partner = partner_for(w, "a" if structure == w.a else "b", status="active")
    return pool.share(partner, link.cpts, actor=partner.membership.user)


def _copy_in(w, structure):
    """The record, in ``structure``, of the other structure's partner who shared her profile
    with it (both joined one CPTS's pool)."""
    from binome.partners import pool
    from tests.partners.factories import PartnerWithAccountFactory

    link = _cpts_link(w, w.a, accepted=True)
    coordinator = link.requested_by
    other = pool.request_membership(link.cpts, w.b, actor=coordinator)
    pool.accept_membership(other, actor=coordinator)
    # Not a persona: her own record in another structure is hers to open.
    origin = PartnerWithAccountFactory(structure=w.b if structure == w.a else w.a, status="active")
    return pool.share(origin, structure, actor=origin.membership.user).copy


SHARED_COPY = {
    "own": _pid(lambda w: _copy_in(w, w.a)),
    "other": _pid(lambda w: _copy_in(w, w.b)),
}
POOL_LINK = {
    "own": _pid(lambda w: _cpts_link(w, w.a)),
    "other": _pid(lambda w: _cpts_link(w, w.b)),
}
OPEN_POOL_LINK = {
    "own": _pid(lambda w: _cpts_link(w, w.a, accepted=True)),
    "other": _pid(lambda w: _cpts_link(w, w.b, accepted=True)),
}
SHARE = {"own": _pid(lambda w: _share(w, w.a)), "other": _pid(lambda w: _share(w, w.b))}
NOT_HER = {"coordinator", "doctor", "nurse", "user_rep", "patient", "facilitator", "outsider"}

ENTRIES = [
    Entry("partners:pool", allowed=STAFF),
    Entry("partners:pipeline", allowed=STAFF),
    Entry("partners:create", allowed={"coordinator"}),
    Entry("partners:my_profile", allowed={"partner"}),
    Entry("partners:recruitment", allowed={"coordinator"}),
    Entry("partners:poster", allowed={"coordinator"}),
    Entry(
        "partners:add_criterion",
        method="post",
        allowed={"coordinator"},
        data={"label": "Écoute"},
        ok_status=302,
    ),
    Entry(
        "partners:gates",
        method="post",
        allowed={"coordinator"},
        data={"evaluators_required": 1},
        ok_status=302,
    ),
    Entry(
        "partners:retire_criterion",
        method="post",
        allowed={"coordinator"},
        ok_status=302,
        own=_pid(lambda w: _criterion(w, w.a)),
        other=_pid(lambda w: _criterion(w, w.b)),
    ),
    Entry("partners:charter", allowed=STAFF | {"partner"}),
    Entry(
        "partners:sign_charter",
        method="post",
        allowed=STAFF | {"partner"},
        data={"agree": "on"},
        ok_status=302,
        setup=_charter,
    ),
    Entry(
        "partners:record_signature",
        method="post",
        allowed={"coordinator"},
        data={},
        ok_status=422,
        setup=_charter,
    ),
    Entry(
        "partners:publish_charter", method="post", allowed={"coordinator"}, data={}, ok_status=422
    ),
    # Another partner's record: the team sees it, a partner never (404).
    Entry("partners:detail", allowed=STAFF, hidden={"partner"}, **OTHER_PARTNER),
    # One's own record.
    Entry(
        "partners:detail",
        allowed=STAFF | {"partner"},
        own=_pid(_own),
        other=_pid(lambda w: _partner(w, w.b)),
    ),
    Entry("partners:edit_team", allowed={"coordinator"}, hidden={"partner"}, **OTHER_PARTNER),
    Entry(
        "partners:decide",
        method="post",
        allowed={"coordinator"},
        hidden={"partner"},
        ok_status=302,
        **OTHER_PARTNER,
    ),
    Entry(
        "partners:add_meeting",
        method="post",
        allowed=STAFF,
        hidden={"partner"},
        ok_status=302,
        **OTHER_PARTNER,
    ),
    Entry(
        "partners:evaluate",
        method="post",
        allowed=STAFF,
        hidden={"partner"},
        ok_status=302,
        **OTHER_PARTNER,
    ),
    Entry(
        "partners:invite",
        method="post",
        allowed={"coordinator"},
        hidden={"partner"},
        ok_status=302,
        **OTHER_PARTNER,
    ),
    Entry(
        "partners:add_training",
        method="post",
        allowed={"coordinator"},
        hidden={"partner"},
        ok_status=302,
        **OTHER_PARTNER,
    ),
    Entry(
        "partners:training_proof",
        allowed=STAFF,
        hidden={"partner"},
        own=lambda w: (lambda t: {"public_id": t.partner.public_id, "training_id": t.public_id})(
            _training(w, w.a)
        ),
        other=lambda w: (lambda t: {"public_id": t.partner.public_id, "training_id": t.public_id})(
            _training(w, w.b)
        ),
    ),
    Entry("partners_public:call", public=True, own=_open_call),
    Entry("partners_public:thanks", public=True, own=_open_call),
    # API
    Entry("/api/v1/partners/", api=True, allowed=STAFF | {"partner"}),
    # One's own profile and the public call (the pages' twins, issue 16).
    Entry(
        "/api/v1/partners/profile/mine?structure=structure-a",
        api=True,
        allowed={"partner"},
        hidden={"facilitator", "outsider"},
        setup=_own,
    ),
    Entry(
        "/api/v1/partners/profile/mine?structure=structure-a",
        api=True,
        method="patch",
        allowed={"partner"},
        hidden={"facilitator", "outsider"},
        data={"phone": "06 12 34 56 78", "languages": ["français", "occitan"]},
        setup=_own,
    ),
    Entry(
        "/api/v1/partners/public/{slug}/candidacies",
        api=True,
        public=True,
        method="post",
        ok_status=201,
        own=_open_call,
        data={
            "first_name": "Odile",
            "email": "odile@exemple.fr",
            "motivation": "Aider d'autres patients.",
            "consent": True,
            "submission_token": "candidature-0001-odile",
        },
    ),
    Entry("/api/v1/partners/candidacies/", api=True, allowed=STAFF),
    Entry(
        "/api/v1/partners/{public_id}",
        api=True,
        allowed=STAFF,
        hidden={"partner", "user_rep", "patient"},
        **OTHER_PARTNER,
    ),
    Entry(
        "/api/v1/partners/{public_id}/decisions",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"partner", "user_rep", "patient"},
        data={"to_status": "met", "reason": "Rencontre"},
        **OTHER_PARTNER,
    ),
]


def _with_photo(w, structure, *, shared):
    from tests.partners.factories import PartnerFactory

    return PartnerFactory(
        structure=structure,
        share_photo=shared,
        photo=SimpleUploadedFile(
            "photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, content_type="image/png"
        ),
    )


ENTRIES += [
    Entry(
        "partners:photo",
        allowed=STAFF,
        hidden={"partner"},
        own=_pid(lambda w: _with_photo(w, w.a, shared=True)),
        other=_pid(lambda w: _with_photo(w, w.b, shared=True)),
    ),
    # The charter's API twin (the structure is in the query or the payload; another one is 404).
    Entry(
        "/api/v1/partners/charter/current?structure={slug}",
        api=True,
        allowed=STAFF | {"partner"},
        own=lambda w: _charter(w, w.a),
        other=lambda w: _charter(w, w.b),
    ),
    Entry(
        "/api/v1/partners/charter/sign",
        api=True,
        method="post",
        allowed=STAFF | {"partner"},
        own=lambda w: _charter(w, w.a),
        data={"structure": "structure-a", "version": 1, "agree": True},
    ),
    Entry(
        "/api/v1/partners/charter/signatures",
        api=True,
        method="post",
        allowed={"coordinator"},
        own=lambda w: _charter(w, w.a),
        data={
            "structure": "structure-a",
            "member": "00000000-0000-0000-0000-000000000000",
            "method": "paper",
            "signed_on": "2026-01-01",
        },
    ),
    Entry(
        "/api/v1/partners/charter/versions",
        api=True,
        method="post",
        allowed={"coordinator"},
        own=lambda w: _charter(w, w.a),
        data={"structure": "structure-a", "title": "Charte", "text": "Nouveau texte"},
    ),
    # Recruitment moves.
    Entry(
        "/api/v1/partners/{public_id}/meetings",
        api=True,
        method="post",
        allowed=STAFF,
        hidden={"partner", "user_rep", "patient"},
        data={"met_on": "2026-01-01", "notes": "Rencontre"},
        **OTHER_PARTNER,
    ),
    Entry(
        "/api/v1/partners/{public_id}/evaluations",
        api=True,
        method="post",
        allowed=STAFF,
        hidden={"partner", "user_rep", "patient"},
        data={"ratings": []},
        **OTHER_PARTNER,
    ),
    Entry(
        "/api/v1/partners/{public_id}/trainings",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"partner", "user_rep", "patient"},
        data={"kind": "other", "title": "Formation"},
        **OTHER_PARTNER,
    ),
    Entry(
        "/api/v1/partners/{public_id}/invitation",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"partner", "user_rep", "patient"},
        **OTHER_PARTNER,
    ),
]


def _charter(w, structure):
    from binome.partners.services import ensure_charter

    ensure_charter(structure)
    return {"slug": structure.slug}


# Recruitment settings and the team's part: the pages' twins (the coordination only).
_IN_A = {"own": lambda w: {}}
ENTRIES += [
    Entry(
        "/api/v1/partners/{public_id}/team",
        api=True,
        method="patch",
        allowed={"coordinator"},
        hidden={"partner", "user_rep", "patient"},
        data={"commune": "Balma"},
        **OTHER_PARTNER,
    ),
    Entry(
        "/api/v1/partners/recruitment/gates?structure=structure-a",
        api=True,
        allowed={"coordinator", "doctor", "nurse"},
        **_IN_A,
    ),
    Entry(
        "/api/v1/partners/recruitment/gates?structure=structure-a",
        api=True,
        method="put",
        allowed={"coordinator"},
        data={
            "meeting_required": True,
            "evaluators_required": 1,
            "charter_required": True,
            "training_required": False,
        },
        **_IN_A,
    ),
    Entry(
        "/api/v1/partners/recruitment/criteria",
        api=True,
        method="post",
        allowed={"coordinator"},
        data={"structure": "structure-a", "kind": "quality", "label": "Écoute"},
        **_IN_A,
    ),
    Entry(
        "/api/v1/partners/recruitment/criteria/{public_id}/retire",
        api=True,
        method="post",
        allowed={"coordinator"},
        own=_pid(lambda w: _criterion(w, w.a)),
        other=_pid(lambda w: _criterion(w, w.b)),
    ),
    Entry(
        "/api/v1/partners/recruitment/call",
        api=True,
        method="put",
        allowed={"coordinator"},
        data={"structure": "structure-a", "title": "Devenez patient partenaire"},
        **_IN_A,
    ),
    # A CPTS's shared pool (binome.partners.pool): the coordination's links, her consents.
    Entry("partners:pool_members", allowed={"coordinator"}),
    # A is an MSP: it cannot open a pool (422, nothing written).
    Entry(
        "partners:pool_invite",
        method="post",
        allowed={"coordinator"},
        data={"structure": "structure-b"},
        ok_status=422,
    ),
    Entry(
        "partners:pool_accept", method="post", allowed={"coordinator"}, ok_status=302, **POOL_LINK
    ),
    Entry(
        "partners:pool_end", method="post", allowed={"coordinator"}, ok_status=302, **OPEN_POOL_LINK
    ),
    Entry("partners:my_shares", allowed={"partner"}, setup=_own),
    # Not a structure of her pool: refused with a French message, nothing written.
    Entry(
        "partners:share_profile",
        method="post",
        allowed={"partner"},
        data={"structure": "00000000-0000-0000-0000-000000000000"},
        ok_status=422,
        setup=_own,
    ),
    # Her consent: nobody else finds it (404), in her structure or another.
    Entry(
        "partners:withdraw_share",
        method="post",
        allowed={"partner"},
        hidden=NOT_HER,
        ok_status=302,
        **SHARE,
    ),
    Entry(
        "/api/v1/partners/pool/links?structure=structure-a",
        api=True,
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
    ),
    Entry(
        "/api/v1/partners/pool/links?structure=structure-a",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
        data={"member": "structure-b"},
        ok_status=422,
    ),
    Entry(
        "/api/v1/partners/pool/links/{public_id}/accept",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
        **POOL_LINK,
    ),
    Entry(
        "/api/v1/partners/pool/links/{public_id}/end",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
        **OPEN_POOL_LINK,
    ),
    Entry(
        "/api/v1/partners/profile/mine/pool?structure=structure-a",
        api=True,
        allowed={"partner"},
        hidden={"facilitator", "outsider"},
        setup=_own,
    ),
    Entry(
        "/api/v1/partners/profile/mine/pool?structure=structure-a",
        api=True,
        method="post",
        allowed={"partner"},
        hidden={"facilitator", "outsider"},
        data={"with_structure": "structure-b"},
        ok_status=422,
        setup=_own,
    ),
    Entry(
        "/api/v1/partners/pool-shares/{public_id}/withdraw",
        api=True,
        method="post",
        allowed={"partner"},
        hidden=NOT_HER,
        **SHARE,
    ),
    Entry(
        "partners:pool_decline",
        method="post",
        allowed={"coordinator"},
        hidden={"partner"},
        ok_status=302,
        **SHARED_COPY,
    ),
    Entry(
        "/api/v1/partners/{public_id}/pool-decline",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"partner", "user_rep", "patient"},
        **SHARED_COPY,
    ),
]
