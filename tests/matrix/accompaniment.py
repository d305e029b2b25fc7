"""Peer accompaniment: pages, public links and API. A partner sees only the accompaniments
referred to them (``hidden``: 404), a professional only those they referred or were named on."""

from tests.matrix import Entry

TEAM = {"coordinator", "doctor", "nurse", "partner"}
# Personas of A who have no link with the world's accompaniment: it does not exist for them.
UNRELATED = {"nurse", "user_rep"}


def _acc(w, s, *, other_partner=False):
    from tests.accompaniment.factories import AccompanimentFactory, PartnerFactory, partner_for

    members = w.memberships if s == w.a else w.memberships_b
    users = w.users if s == w.a else w.users_b
    partner = PartnerFactory(structure=s) if other_partner else partner_for(members["partner"])
    patient_user = None if other_partner else users["patient"]
    return AccompanimentFactory(
        structure=s, partner=partner, referred_by=members["doctor"], patient__user=patient_user
    )


def _acc_kw(w, s, **kw):
    return {"public_id": _acc(w, s, **kw).public_id}


def _handed_back_kw(w, s):
    """An accompaniment its partner handed back, waiting for the coordination."""
    from binome.accompaniment.models import Accompaniment, Handover

    acc = _acc(w, s)
    Handover.objects.create(
        accompaniment=acc, partner=acc.partner, kind="declined", reason="indisponible"
    )
    Accompaniment.objects.filter(pk=acc.pk).update(status="to_reassign")
    return {"public_id": acc.public_id}


def _alert(w, s):
    from tests.accompaniment.factories import AlertFactory

    return {"public_id": AlertFactory(accompaniment=_acc(w, s)).public_id}


def _consent(w, s):
    return {"public_id": _acc(w, s).patient.consents.first().public_id}


def _tandem(w, s):
    from tests.accompaniment.factories import TandemFactory, partner_for

    members = w.memberships if s == w.a else w.memberships_b
    return TandemFactory(
        structure=s, doctor=members["doctor"], partner=partner_for(members["partner"])
    )


def _tandem_kw(w, s):
    return {"public_id": _tandem(w, s).public_id}


def _report(w, s):
    from tests.accompaniment.factories import TandemReportFactory

    return {"public_id": TandemReportFactory(tandem=_tandem(w, s)).public_id}


def _consent_token(w):
    from datetime import timedelta

    from django.utils import timezone

    from binome.accompaniment.models import ConsentLink
    from binome.accompaniment.services import hash_token

    ConsentLink.objects.create(
        accompaniment=_acc(w, w.a),
        token_hash=hash_token("jeton-matrice"),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return {"token": "jeton-matrice"}


def _calendar_token(w):
    from binome.accompaniment.services import open_calendar
    from tests.accompaniment.factories import partner_for

    return {
        "token": open_calendar(partner_for(w.memberships["partner"]), user=w.users["partner"])[1]
    }


def _e(name, obj, allowed, hidden=UNRELATED, **kw):
    return Entry(
        name,
        allowed=allowed,
        hidden=hidden,
        own=lambda w: obj(w, w.a),
        other=lambda w: obj(w, w.b),
        **kw,
    )


def _with_partner(w):
    from tests.accompaniment.factories import partner_for

    partner_for(w.memberships["partner"])


ENTRIES = [
    Entry("accompaniment:list", allowed=TEAM),
    Entry("accompaniment:today", allowed={"partner"}),
    Entry("accompaniment:notifications", allowed=TEAM | {"patient"}),
    Entry("accompaniment:refer", allowed={"doctor", "nurse"}),
    Entry("accompaniment:consent_pdf_blank", allowed={"coordinator", "doctor", "nurse"}),
    Entry("accompaniment:mine", allowed={"patient"}),
    Entry("accompaniment:dashboard", allowed={"coordinator"}),
    Entry("accompaniment:load", allowed={"coordinator"}),
    Entry("accompaniment:supervision", allowed={"partner"}),
    Entry("accompaniment:calendar", allowed={"partner"}),
    Entry("tandems:list", allowed=TEAM),
    Entry("tandems:create", allowed={"coordinator", "doctor"}),
    Entry("tandems:practice", allowed=TEAM),
    Entry("tandems:practice_create", allowed=TEAM),
    _e("accompaniment:detail", _acc_kw, {"coordinator", "doctor", "partner", "patient"}),
    # Another partner's accompaniment: invisible to the world's partner and patient.
    Entry(
        "accompaniment:detail",
        allowed={"coordinator", "doctor"},
        hidden=UNRELATED | {"partner", "patient"},
        own=lambda w: _acc_kw(w, w.a, other_partner=True),
    ),
    _e("accompaniment:add_contact", _acc_kw, {"partner"}),
    Entry(
        "accompaniment:add_contact",
        allowed=set(),
        hidden=UNRELATED | {"partner", "patient"},
        ok_status=200,
        own=lambda w: _acc_kw(w, w.a, other_partner=True),
    ),
    _e("accompaniment:add_key_moment", _acc_kw, {"partner"}),
    _e("accompaniment:raise_alert", _acc_kw, {"partner"}),
    _e("accompaniment:end", _acc_kw, {"coordinator", "doctor", "partner", "patient"}),
    _e("accompaniment:feedback", _acc_kw, {"patient"}),
    _e("accompaniment:hand_back", _acc_kw, {"partner"}),
    # Handed back: no longer the partner's (404); the coordination confides it to another one.
    _e("accompaniment:reassign", _handed_back_kw, {"coordinator"}, hidden=UNRELATED | {"partner"}),
    _e("accompaniment:consent_pdf", _acc_kw, {"coordinator", "doctor"}),
    _e("accompaniment:consent_ledger", _acc_kw, {"coordinator", "doctor", "patient"}),
    _e(
        "accompaniment:consent_link",
        _acc_kw,
        {"coordinator", "doctor"},
        method="post",
        ok_status=302,
    ),
    _e(
        "accompaniment:acknowledge_alert", _alert, {"doctor"}, method="post", ok_status=302
    ),  # clinicians only: the coordination is warned, cannot close it
    _e(
        "accompaniment:withdraw_consent",
        _consent,
        {"coordinator", "doctor", "patient"},
        method="post",
        ok_status=302,
    ),
    _e(
        "tandems:detail",
        _tandem_kw,
        {"coordinator", "doctor", "partner"},
        hidden={"nurse"},
    ),
    _e(
        "tandems:scope",
        _tandem_kw,
        {"coordinator", "doctor", "partner"},
        hidden={"nurse"},
    ),
    _e("tandems:report", _tandem_kw, {"partner"}, hidden={"nurse"}),
    _e(
        "tandems:acknowledge_report",
        _report,
        {"doctor"},
        hidden={"nurse"},
        method="post",
        ok_status=302,
    ),
    Entry("accompaniment_public:consent", public=True, own=_consent_token),
    Entry("accompaniment_public:calendar", public=True, own=_calendar_token),
]


API = "/api/v1/accompaniment"


def _partner_profile(w):
    """The partner persona's own profile (a supervision is noted by a partner who has one)."""
    from tests.partners.factories import PartnerFactory

    PartnerFactory(structure=w.a, membership=w.memberships["partner"])


def _api(path, allowed, obj=None, hidden=UNRELATED, **kw):
    if obj is None:
        return Entry(f"{API}{path}", api=True, allowed=allowed, **kw)
    return Entry(
        f"{API}{path}",
        api=True,
        allowed=allowed,
        hidden=hidden,
        own=lambda w: obj(w, w.a),
        other=lambda w: obj(w, w.b),
        **kw,
    )


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

ENTRIES += [
    _api("/", EVERYONE),
    _api("/partners/suggestions", {"coordinator", "doctor", "nurse"}),
    _api("/tandems/", EVERYONE),
    _api("/supervision/", EVERYONE),
    _api(
        "/supervision/",
        {"partner"},
        method="post",
        ok_status=201,
        data={"structure": "structure-a", "date": "2026-01-10"},
        setup=_partner_profile,
    ),
    _api("/practice-sessions/", EVERYONE),
    _api("/dashboard", {"coordinator"}),
    _api(
        "/referrals",
        {"doctor", "nurse"},
        method="post",
        ok_status=201,
        data={
            "structure": "structure-a",
            "first_name": "Anne",
            "phone": "0600000000",
            "partner": "00000000-0000-0000-0000-000000000000",
            "consents": ["contact_by_partner", "share_contact_details"],
        },
    ),
    _api("/{public_id}", {"coordinator", "doctor", "partner", "patient"}, _acc_kw),
    _api(
        "/{public_id}",
        {"coordinator", "doctor"},
        lambda w, s: _acc_kw(w, s, other_partner=True),
        hidden=UNRELATED | {"partner", "patient"},
    ),
    _api("/{public_id}/contacts", {"coordinator", "doctor", "partner"}, _acc_kw),
    _api(
        "/{public_id}/key-moments",
        {"partner"},
        _acc_kw,
        method="post",
        ok_status=201,
        data={"kind": "surgery", "date": "2030-01-01"},
    ),
    _api(
        "/{public_id}/alerts",
        {"partner"},
        _acc_kw,
        method="post",
        ok_status=201,
        data={"message": "Inquiétude"},
    ),
    _api("/alerts/{public_id}/acknowledge", {"doctor"}, _alert, method="post"),
    _api(
        "/{public_id}/hand-back",
        {"partner"},
        _acc_kw,
        method="post",
        data={"reason": "indisponible"},
    ),
    _api(
        "/{public_id}/reassign",
        {"coordinator"},
        _handed_back_kw,
        hidden=UNRELATED | {"partner"},
        method="post",
        data={"partner": "00000000-0000-0000-0000-000000000000"},
    ),
    # Consents, as on the page: everyone who opens the accompaniment reads them; its referrer,
    # the coordination and the patient manage them.
    _api("/{public_id}/consents", {"coordinator", "doctor", "partner", "patient"}, _acc_kw),
    _api(
        "/{public_id}/consents",
        {"coordinator", "doctor", "patient"},
        _acc_kw,
        method="post",
        ok_status=201,
        data={"purpose": "joint_consultation", "method": "oral"},
    ),
    _api(
        "/consents/{public_id}/withdraw",
        {"coordinator", "doctor", "patient"},
        _consent,
        method="post",
    ),
    _api(
        "/{public_id}/consent-link",
        {"coordinator", "doctor"},
        _acc_kw,
        method="post",
        ok_status=201,
    ),
    _api(
        "/tandems/{public_id}/reports",
        {"doctor", "partner"},
        _tandem_kw,
        hidden={"nurse", "user_rep", "patient"},
    ),
    _api(
        "/tandem-reports/{public_id}/acknowledge",
        {"doctor"},
        _report,
        hidden={"nurse", "user_rep", "patient"},
        method="post",
    ),
    # The page actions' twins.
    _api(
        "/{public_id}/end",
        {"coordinator", "doctor", "partner", "patient"},
        _acc_kw,
        method="post",
        data={"reason": "completed"},
    ),
    _api(
        "/{public_id}/feedback",
        {"patient"},
        _acc_kw,
        method="post",
        ok_status=201,
        data={"usefulness": 4},
    ),
    Entry(
        f"{API}/tandems/",
        api=True,
        method="post",
        allowed={"coordinator", "doctor"},
        own=lambda w: {},
        ok_status=201,
        data={
            "structure": "structure-a",
            "doctor": "00000000-0000-0000-0000-000000000000",
            "partner": "00000000-0000-0000-0000-000000000000",
            "scope": "Périmètre",
        },
    ),
    _api(
        "/tandems/{public_id}/scope",
        {"coordinator", "doctor", "partner"},
        _tandem_kw,
        hidden={"nurse", "user_rep", "patient"},
        method="post",
        data={"text": "Nouveau périmètre"},
    ),
    Entry(
        f"{API}/practice-sessions/",
        api=True,
        method="post",
        allowed={"coordinator", "doctor", "nurse", "partner"},
        own=lambda w: {},
        ok_status=201,
        data={"structure": "structure-a", "kind": "practice_analysis", "date": "2026-01-10"},
    ),
]
