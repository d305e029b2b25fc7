from tests.matrix import Entry

EVERYONE = {
    "coordinator",
    "doctor",
    "nurse",
    "partner",
    "user_rep",
    "patient",
    "facilitator",
    "outsider",
}


def _member(w):
    return {"public_id": w.memberships["partner"].public_id}


def _member_b(w):
    return {"public_id": w.memberships_b["partner"].public_id}


def _invited(w, structure):
    """A person invited who never created an account (the core person source)."""
    import hashlib

    from django.utils import timezone

    from binome.people.models import Invitation

    invitation = Invitation.objects.create(
        structure=structure,
        email=f"sans-compte-{structure.slug}@exemple.fr",
        role="partner",
        token_hash=hashlib.sha256(structure.slug.encode()).hexdigest(),
        invited_by=w.users["coordinator"] if structure == w.a else w.users_b["coordinator"],
        expires_at=timezone.now(),
    )
    return {"source": "people.invitation", "public_id": invitation.public_id}


ENTRIES = [
    Entry("privacy:mine", allowed=EVERYONE),
    Entry(
        "privacy:export_mine",
        method="post",
        allowed=EVERYONE,
        data={"format": "json"},
        ok_status=422,
    ),
    Entry("privacy:people", allowed={"coordinator"}),
    Entry("privacy:person", allowed={"coordinator"}, own=_member, other=_member_b),
    Entry(
        "privacy:person_export",
        method="post",
        allowed={"coordinator"},
        own=_member,
        other=_member_b,
        data={},
    ),
    Entry(
        "privacy:person_erase",
        method="post",
        allowed={"coordinator"},
        own=_member,
        other=_member_b,
        data={},
    ),
    Entry(
        "privacy:record",
        allowed={"coordinator"},
        own=lambda w: _invited(w, w.a),
        other=lambda w: _invited(w, w.b),
    ),
    Entry(
        "privacy:record_export",
        method="post",
        allowed={"coordinator"},
        own=lambda w: _invited(w, w.a),
        other=lambda w: _invited(w, w.b),
        data={},
    ),
    Entry(
        "privacy:record_erase",
        method="post",
        allowed={"coordinator"},
        own=lambda w: _invited(w, w.a),
        other=lambda w: _invited(w, w.b),
        data={},
    ),
    Entry("privacy:retention", allowed={"coordinator"}),
    Entry("privacy:register", allowed={"coordinator"}),
    Entry("privacy:register_pdf", allowed={"coordinator"}),
    Entry("privacy:dpia", allowed={"coordinator"}),
    Entry("privacy:dpia_pdf", allowed={"coordinator"}),
]
