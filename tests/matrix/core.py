from tests.matrix import Entry

STAFF = {"coordinator", "doctor", "nurse"}
TEAM = STAFF | {"partner", "user_rep"}

ENTRIES = [
    Entry("web:home", public=True),  # welcome page when signed out, role home when signed in
    Entry("people:members", allowed=TEAM),
    Entry("people:structure", allowed=TEAM),
    Entry(
        "people:deactivate_member",
        method="post",
        allowed={"coordinator"},
        own=lambda w: {"public_id": w.memberships["user_rep"].public_id},
        other=lambda w: {"public_id": w.memberships_b["user_rep"].public_id},
        ok_status=302,
    ),
    Entry(
        "people:revoke_invitation",
        method="post",
        allowed={"coordinator"},
        own=lambda w: {"public_id": _invitation(w, w.a).public_id},
        other=lambda w: {"public_id": _invitation(w, w.b).public_id},
        ok_status=302,
    ),
    Entry(
        "people:invite", method="post", allowed={"coordinator"}, data={"email": "x"}, ok_status=422
    ),
    Entry("audit:log", allowed={"coordinator"}),
    Entry("accounts:account", allowed=TEAM | {"patient", "facilitator", "outsider"}),
    Entry("/api/v1/me", api=True, allowed=TEAM | {"patient", "facilitator", "outsider"}),
    Entry("/api/v1/structures/", api=True, allowed=TEAM | {"patient", "facilitator", "outsider"}),
    Entry(
        "/api/v1/structures/{slug}",
        api=True,
        allowed=TEAM | {"patient"},
        hidden={"facilitator", "outsider"},
        own=lambda w: {"slug": w.a.slug},
        other=lambda w: {"slug": w.b.slug},
    ),
    Entry(
        "/api/v1/structures/{slug}",
        api=True,
        method="patch",
        data={"commune": "Balma"},
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
        own=lambda w: {"slug": w.a.slug},
        other=lambda w: {"slug": w.b.slug},
    ),
    Entry(
        "/api/v1/structures/{slug}/members/",
        api=True,
        allowed=TEAM,
        hidden={"facilitator", "outsider"},
        own=lambda w: {"slug": w.a.slug},
        other=lambda w: {"slug": w.b.slug},
    ),
    # The team page's twins: the coordination only; another structure's team is 404.
    Entry(
        "/api/v1/structures/{slug}/invitations/",
        api=True,
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
        own=lambda w: {"slug": w.a.slug},
        other=lambda w: {"slug": w.b.slug},
    ),
    Entry(
        "/api/v1/structures/{slug}/invitations/",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
        data={"email": "nouvelle@exemple.fr", "role": "partner"},
        own=lambda w: {"slug": w.a.slug},
        other=lambda w: {"slug": w.b.slug},
    ),
    Entry(
        "/api/v1/structures/{slug}/invitations/{public_id}/revoke",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
        own=lambda w: {"slug": w.a.slug, "public_id": _invitation(w, w.a).public_id},
        other=lambda w: {"slug": w.b.slug, "public_id": _invitation(w, w.b).public_id},
    ),
    Entry(
        "/api/v1/structures/{slug}/members/{public_id}/deactivate",
        api=True,
        method="post",
        allowed={"coordinator"},
        hidden={"facilitator", "outsider"},
        own=lambda w: {"slug": w.a.slug, "public_id": w.memberships["user_rep"].public_id},
        other=lambda w: {"slug": w.b.slug, "public_id": w.memberships_b["user_rep"].public_id},
    ),
]


def _invitation(w, structure):
    from datetime import timedelta

    from django.utils import timezone

    from binome.people.models import Invitation

    coordinator = w.users["coordinator"] if structure == w.a else w.users_b["coordinator"]
    return Invitation.objects.create(
        structure=structure,
        email=f"invite-{structure.slug}@exemple.fr",
        role="partner",
        token_hash=f"{structure.slug}-hash".ljust(64, "0"),
        invited_by=coordinator,
        expires_at=timezone.now() + timedelta(days=3),
    )
