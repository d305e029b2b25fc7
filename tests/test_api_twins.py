"""Every page action has an API twin (issue 16): the list below is kept like the permission
matrix, and a page action that is in none of its three tables fails the suite. The twins
added with it are exercised here with the pages' own rules and French errors."""

import inspect

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from binome.accompaniment.models import Consent, ConsentPurpose
from binome.accounts.models import ApiToken
from binome.audit.models import AuditEvent
from binome.partners import services as partner_services
from binome.partners.models import CharterSignature, MeetingNote, Partner, Training
from binome.people import identifiers
from tests.accompaniment.factories import AccompanimentFactory, partner_for
from tests.partners.factories import CriterionFactory, PartnerFactory

A = "/api/v1"
# Page action (URL name) -> its API twin ("METHOD path" as in the OpenAPI schema).
TWINS = {
    "accompaniment:refer": f"POST {A}/accompaniment/referrals",
    "accompaniment:end": f"POST {A}/accompaniment/{{public_id}}/end",
    "accompaniment:feedback": f"POST {A}/accompaniment/{{public_id}}/feedback",
    "tandems:create": f"POST {A}/accompaniment/tandems/",
    "tandems:scope": f"POST {A}/accompaniment/tandems/{{public_id}}/scope",
    "tandems:practice_create": f"POST {A}/accompaniment/practice-sessions/",
    "accompaniment:add_contact": f"POST {A}/accompaniment/{{public_id}}/contacts",
    "accompaniment:add_key_moment": f"POST {A}/accompaniment/{{public_id}}/key-moments",
    "accompaniment:raise_alert": f"POST {A}/accompaniment/{{public_id}}/alerts",
    "accompaniment:acknowledge_alert": f"POST {A}/accompaniment/alerts/{{public_id}}/acknowledge",
    "accompaniment:hand_back": f"POST {A}/accompaniment/{{public_id}}/hand-back",
    "accompaniment:reassign": f"POST {A}/accompaniment/{{public_id}}/reassign",
    "accompaniment:withdraw_consent": f"POST {A}/accompaniment/consents/{{public_id}}/withdraw",
    "accompaniment:consent_link": f"POST {A}/accompaniment/{{public_id}}/consent-link",
    "accompaniment:supervision": f"POST {A}/accompaniment/supervision/",
    "tandems:report": f"POST {A}/accompaniment/tandems/{{public_id}}/reports",
    "tandems:acknowledge_report": f"POST {A}/accompaniment/tandem-reports/{{public_id}}/acknowledge",
    "accompaniment_public:consent": f"POST {A}/accompaniment/{{public_id}}/consents",
    "compensation:edit_time": f"POST {A}/compensation/time/",
    "compensation:review_time": f"POST {A}/compensation/time/{{public_id}}/review",
    "compensation:review_expense": f"POST {A}/compensation/expenses/{{public_id}}/review",
    "compensation:edit_expense": f"POST {A}/compensation/expenses/",
    "compensation:statements": f"GET {A}/compensation/statements/{{public_id}}/document.{{fmt}}",
    "involvement:action_create": f"POST {A}/involvement/actions/",
    "involvement:action_edit": f"PATCH {A}/involvement/actions/{{public_id}}",
    "involvement:action_delete": f"DELETE {A}/involvement/actions/{{public_id}}",
    "involvement:evidence_upload": f"POST {A}/involvement/actions/{{public_id}}/evidence",
    "involvement:evidence_delete": f"DELETE {A}/involvement/evidence/{{public_id}}",
    "imports:start": f"POST {A}/imports/",
    "messaging:preferences": f"POST {A}/messaging/preferences",
    "voice:committee_add_external": f"POST {A}/voice/committees/{{public_id}}/members-without-account",
    "voice:meeting_convene": f"POST {A}/voice/meetings/{{public_id}}/convocation",
    "voice:meeting_attendance": f"POST {A}/voice/meetings/{{public_id}}/attendance",
    "voice:meeting_send_minutes": f"POST {A}/voice/meetings/{{public_id}}/minutes/send",
    "imports:decide": f"POST {A}/imports/{{public_id}}/decision",
    "partners:pool_invite": f"POST {A}/partners/pool/links",
    "partners:pool_accept": f"POST {A}/partners/pool/links/{{public_id}}/accept",
    "partners:pool_end": f"POST {A}/partners/pool/links/{{public_id}}/end",
    "partners:share_profile": f"POST {A}/partners/profile/mine/pool",
    "partners:withdraw_share": f"POST {A}/partners/pool-shares/{{public_id}}/withdraw",
    "partners:pool_decline": f"POST {A}/partners/{{public_id}}/pool-decline",
    "voice:gazette_text": f"POST {A}/voice/gazette",
    "voice:gazette_submit": f"POST {A}/voice/gazette/{{public_id}}/submit",
    "voice:gazette_approve": f"POST {A}/voice/gazette/{{public_id}}/approve",
    "voice:gazette_publish": f"POST {A}/voice/gazette/{{public_id}}/publish",
    "missions:create": f"POST {A}/missions/",
    "missions:edit": f"PATCH {A}/missions/{{public_id}}",
    "missions:submit": f"POST {A}/missions/{{public_id}}/submit",
    "missions:validate": f"POST {A}/missions/{{public_id}}/validate",
    "missions:comment": f"POST {A}/missions/{{public_id}}/comments",
    "missions:assign": f"POST {A}/missions/{{public_id}}/assignments",
    "missions:unassign": f"POST {A}/missions/{{public_id}}/assignments/{{assignment_id}}/end",
    "missions:close": f"POST {A}/missions/{{public_id}}/close",
    "missions:set_policy": f"POST {A}/missions/{{public_id}}/compensation",
    "missions:compensation": f"POST {A}/missions/compensation/{{structure}}",
    "networks:assessment_new": f"POST {A}/networks/assessments/",
    "partners:create": f"POST {A}/partners/",
    "partners:decide": f"POST {A}/partners/{{public_id}}/decisions",
    "partners:add_meeting": f"POST {A}/partners/{{public_id}}/meetings",
    "partners:evaluate": f"POST {A}/partners/{{public_id}}/evaluations",
    "partners:add_training": f"POST {A}/partners/{{public_id}}/trainings",
    "partners:invite": f"POST {A}/partners/{{public_id}}/invitation",
    "partners:edit_team": f"PATCH {A}/partners/{{public_id}}/team",
    "partners:gates": f"PUT {A}/partners/recruitment/gates",
    "partners:add_criterion": f"POST {A}/partners/recruitment/criteria",
    "partners:retire_criterion": f"POST {A}/partners/recruitment/criteria/{{public_id}}/retire",
    "partners:recruitment": f"PUT {A}/partners/recruitment/call",
    "partners:sign_charter": f"POST {A}/partners/charter/sign",
    "partners:record_signature": f"POST {A}/partners/charter/signatures",
    "partners:publish_charter": f"POST {A}/partners/charter/versions",
    "people:structure": f"PATCH {A}/structures/{{slug}}",
    "people:invite": f"POST {A}/structures/{{slug}}/invitations/",
    "people:revoke_invitation": f"POST {A}/structures/{{slug}}/invitations/{{public_id}}/revoke",
    "people:deactivate_member": f"POST {A}/structures/{{slug}}/members/{{public_id}}/deactivate",
    "steering:edit": f"POST {A}/steering/projects/{{public_id}}/logbook/",
    "voice:idea_moderate": f"POST {A}/voice/ideas/{{public_id}}/moderation",
    "voice:idea_detail": f"POST {A}/voice/ideas/{{public_id}}/status",
    "voice:survey_paper": f"POST {A}/voice/surveys/{{public_id}}/paper-responses",
    "voice:proposal_detail": f"POST {A}/voice/proposals/{{public_id}}/status",
    "voice:survey_coding": f"POST {A}/voice/surveys/{{public_id}}/coding/answers/{{answer_id}}/codes",
    "voice:committee_add_member": f"POST {A}/voice/committees/{{public_id}}/members",
    "voice:committee_list": f"POST {A}/voice/committees/",
    "voice:committee_remove_member": f"DELETE {A}/voice/committees/{{public_id}}/members/{{seat_id}}",
    "voice:meeting_add": f"POST {A}/voice/committees/{{public_id}}/meetings",
    "voice:meeting_detail": f"PATCH {A}/voice/meetings/{{public_id}}",
    "voice:proposal_add": f"POST {A}/voice/committees/{{public_id}}/proposals",
    "voice:question_add": f"POST {A}/voice/surveys/{{public_id}}/questions",
    "voice:question_delete": f"DELETE {A}/voice/questions/{{public_id}}",
    "voice:section_add": f"POST {A}/voice/surveys/{{public_id}}/sections",
    "voice:survey_close": f"POST {A}/voice/surveys/{{public_id}}/close",
    "voice:survey_create": f"POST {A}/voice/surveys/",
    "voice:survey_edit": f"PATCH {A}/voice/surveys/{{public_id}}",
    "voice:survey_publish": f"POST {A}/voice/surveys/{{public_id}}/publish",
    "compensation:funding_create": f"POST {A}/compensation/funding/",
    "compensation:funding_edit": f"PATCH {A}/compensation/funding/{{public_id}}",
    "compensation:mission_budget": f"PUT {A}/compensation/missions/{{public_id}}/budget",
    "compensation:rates": f"PUT {A}/compensation/rates/{{structure}}",
    "steering:create": f"POST {A}/steering/projects/",
    "steering:action_status": f"POST {A}/steering/actions/{{public_id}}/status",
    "steering:add_indicator": f"POST {A}/steering/projects/{{public_id}}/indicators",
    "steering:add_link": f"POST {A}/steering/projects/{{public_id}}/links",
    "steering:remove_member": f"DELETE {A}/steering/committee/{{public_id}}",
    "involvement:programme_create": f"POST {A}/involvement/programmes/",
    "involvement:programme_edit": f"PATCH {A}/involvement/programmes/{{public_id}}",
    "involvement:programme_detail": f"POST {A}/involvement/programmes/{{public_id}}/workshops",
    "involvement:workshop_edit": f"PATCH {A}/involvement/workshops/{{public_id}}",
    "involvement:workshop_paper_feedback": f"POST {A}/involvement/workshops/{{public_id}}/paper-feedback",
    "involvement_public:feedback": f"POST {A}/involvement/public/workshops/{{token}}/feedback",
    "partners:my_profile": f"PATCH {A}/partners/profile/mine",
    "partners_public:call": f"POST {A}/partners/public/{{slug}}/candidacies",
    "networks:campaign_new": f"POST {A}/networks/campaigns/",
    "networks:campaign_invite": f"POST {A}/networks/campaigns/{{public_id}}/invitations/affiliated",
    "networks:campaign_add_structure": f"POST {A}/networks/campaigns/{{public_id}}/invitations/unlisted",
    "networks:campaign_send": f"POST {A}/networks/campaigns/{{public_id}}/send",
    "networks:card_publish": f"POST {A}/networks/cards/{{public_id}}/publication",
    "networks:exchange_new": f"POST {A}/networks/cards/{{public_id}}/exchanges",
    "networks:exchange_answer": f"POST {A}/networks/exchanges/{{public_id}}/answer",
    "networks:matrix_new": f"POST {A}/networks/matrices/",
    "networks:matrix_action_new": f"POST {A}/networks/matrices/{{public_id}}/actions",
    "networks:matrix_action_review": f"POST {A}/networks/matrix-actions/{{public_id}}/review",
    "networks:matrix_answer": f"POST {A}/networks/matrices/{{public_id}}/my-answers",
    "networks:matrix_consensus": f"POST {A}/networks/matrices/{{public_id}}/consensus",
    "networks_public:answer": f"POST {A}/networks/public/campaigns/{{token}}/answers",
    "voice_public:survey": f"POST {A}/voice/public/surveys/{{token}}/responses",
    "voice_public:idea": f"POST {A}/voice/public/{{slug}}/ideas",
}
# Page actions that have no API twin by nature, with the reason.
NO_TWIN = {
    "messaging_public:reply": "the SMS provider's webhook for STOP answers, not a page",
    "accounts:accept_invitation": "sign-in flow: an invitation is accepted in a browser",
    "accounts:account": "one's own password and second factor, browser only",
    "accounts:create_token": "API tokens are created in a signed-in browser session",
    "accounts:revoke_token": "idem",
    "accounts:logout": "session only",
    "accounts:magic_link_request": "sign-in flow",
    "accounts:password_reset_complete": "sign-in flow",
    "accounts:password_reset_done": "sign-in flow",
    "accounts:reset_second_factor": "second factor, browser only",
    "accounts:second_factor": "sign-in flow",
    "web:switch_context": "session's current structure; the API takes the structure in each call",
    "accompaniment:calendar": "the calendar address is for a phone's calendar; its token is shown once in the browser",
    "privacy:export_mine": "rights of access: downloaded after a fresh sign-in in the browser",
    "privacy:person_export": "idem, by the data protection officer",
    "privacy:person_erase": "erasure is confirmed in the browser, never by a script",
    "privacy:record_export": "idem",
    "privacy:record_erase": "idem",
    "privacy:dpia": "the DPIA document is edited in the browser",
    "privacy:register": "the processing register is edited in the browser",
    "networks:dimension_edit": "reference data kept by network facilitators in the browser",
}
# Page actions whose twin is still to be written. Empty: every page action has its twin or
# a reason in NO_TWIN; the test below fails on any page action in none of the tables.
MISSING: set[str] = set()


def _page_actions():
    """URL names whose view reads a posted form or checks the method: the pages that write."""

    def walk(resolver, ns=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace in ("admin", "api"):
                    continue
                yield from walk(p, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}{p.name}", p.callback

    actions = set()
    for name, callback in walk(get_resolver()):
        try:
            source = inspect.getsource(inspect.unwrap(callback))
        except (OSError, TypeError):
            continue
        if any(
            marker in source
            for marker in ("request.POST", "request.method", "require_POST", "request.FILES")
        ):
            actions.add(name)
    return actions


def test_every_page_action_has_an_api_twin_or_a_reason():
    actions = _page_actions()
    assert len(actions) > 100  # the detector finds the pages that write
    unlisted = sorted(actions - set(TWINS) - set(NO_TWIN) - MISSING)
    assert not unlisted, (
        f"Give these page actions an API twin (TWINS) or a reason (NO_TWIN): {unlisted}"
    )
    stale = sorted((set(TWINS) | set(NO_TWIN) | MISSING) - actions)
    assert not stale, f"No longer page actions, remove them from the tables: {stale}"
    assert not set(TWINS) & MISSING, "an action with a twin is no longer missing"


def test_every_twin_exists_and_documents_its_errors():
    from binome.api.base import api

    paths = api.get_openapi_schema()["paths"]
    for page, twin in TWINS.items():
        method, path = twin.split(" ", 1)
        assert path in paths and method.lower() in paths[path], f"{page}: {twin} is not in the API"
    for path in (
        f"{A}/accompaniment/{{public_id}}/consents",
        f"{A}/partners/charter/sign",
        f"{A}/partners/{{public_id}}/meetings",
    ):
        responses = paths[path]["post"]["responses"]
        assert {"422"} <= set(responses), (path, sorted(responses))


# --- the twins added for issue 16 ---------------------------------------------------------


def _api(world, persona, structure="a"):
    raw = f"twin-{persona}-{structure}"
    if not ApiToken.objects.filter(name=raw).exists():
        ApiToken.issue((world.users if structure == "a" else world.users_b)[persona], raw, raw=raw)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client, path, data=None):
    return client.post(f"{A}{path}", data or {}, content_type="application/json")


@pytest.mark.django_db
def test_charter_twin_reads_signs_records_and_publishes(world):
    charter = partner_services.ensure_charter(world.a)
    partner = _api(world, "partner")
    current = partner.get(f"{A}/partners/charter/current", {"structure": world.a.slug}).json()
    assert current["version"] == 1 and current["signed_by_me"] is False
    refused = _post(
        partner, "/partners/charter/sign", {"structure": world.a.slug, "version": 1, "agree": False}
    )
    assert (
        refused.status_code == 422
        and "Cochez" in refused.json()["detail"]
        and not CharterSignature.objects.exists()
    )
    signed = _post(
        partner, "/partners/charter/sign", {"structure": world.a.slug, "version": 1, "agree": True}
    )
    assert signed.status_code == 201 and signed.json()["signed_by_me"] is True
    again = _post(
        partner, "/partners/charter/sign", {"structure": world.a.slug, "version": 1, "agree": True}
    )
    assert again.status_code == 422 and "déjà signé" in again.json()["errors"][0]["message"]
    coordinator = _api(world, "coordinator")
    recorded = _post(
        coordinator,
        "/partners/charter/signatures",
        {
            "structure": world.a.slug,
            "member": str(world.memberships["doctor"].public_id),
            "method": "paper",
            "signed_on": "2026-11-30",
        },
    )
    assert recorded.status_code == 201 and len(recorded.json()["signatures"]) == 2
    # A partner sees their own signature only; the coordination sees all.
    assert (
        len(
            partner.get(f"{A}/partners/charter/current", {"structure": world.a.slug}).json()[
                "signatures"
            ]
        )
        == 1
    )
    same = _post(
        coordinator,
        "/partners/charter/versions",
        {"structure": world.a.slug, "title": charter.title, "text": charter.text},
    )
    assert same.status_code == 422 and "pas changé" in same.json()["errors"][0]["message"]
    new = _post(
        coordinator,
        "/partners/charter/versions",
        {"structure": world.a.slug, "title": charter.title, "text": "Texte 2"},
    )
    assert new.status_code == 201 and new.json()["version"] == 2 and new.json()["signatures"] == []
    # Stale version: the partner must read the new one first.
    stale = _post(
        partner, "/partners/charter/sign", {"structure": world.a.slug, "version": 1, "agree": True}
    )
    assert stale.status_code == 422 and "nouvelle version" in stale.json()["detail"]
    assert (
        partner.get(f"{A}/partners/charter/current", {"structure": world.b.slug}).status_code == 404
    )


@pytest.mark.django_db
def test_consent_twin_lists_gives_and_withdraws_like_the_page(world):
    acc = AccompanimentFactory(
        structure=world.a,
        partner=partner_for(world.memberships["partner"]),
        referred_by=world.memberships["doctor"],
        patient__user=world.users["patient"],
    )
    doctor = _api(world, "doctor")
    listed = doctor.get(f"{A}/accompaniment/{acc.public_id}/consents").json()
    assert {c["purpose"] for c in listed} == {"contact_by_partner", "share_contact_details"}
    bad = _post(
        doctor,
        f"/accompaniment/{acc.public_id}/consents",
        {"purpose": "share_summaries_with_team", "method": "online"},
    )
    assert bad.status_code == 422 and "lien envoyé" in bad.json()["detail"]
    given = _post(
        doctor,
        f"/accompaniment/{acc.public_id}/consents",
        {"purpose": "share_summaries_with_team", "method": "oral"},
    )
    assert (
        given.status_code == 201
        and Consent.objects.filter(patient=acc.patient, purpose=ConsentPurpose.SHARE_SUMMARIES)
        .active()
        .exists()
    )
    assert AuditEvent.objects.filter(kind="accompaniment.consent_given").count() == 1
    # The partner reads them but does not manage them.
    partner = _api(world, "partner")
    assert partner.get(f"{A}/accompaniment/{acc.public_id}/consents").status_code == 200
    assert (
        _post(
            partner,
            f"/accompaniment/{acc.public_id}/consents",
            {"purpose": "joint_consultation", "method": "oral"},
        ).status_code
        == 403
    )
    # The patient withdraws one; it takes effect at once, and ends the accompaniment for "contact".
    contact = Consent.objects.get(patient=acc.patient, purpose=ConsentPurpose.CONTACT_BY_PARTNER)
    withdrawn = _post(
        _api(world, "patient"), f"/accompaniment/consents/{contact.public_id}/withdraw"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    acc.refresh_from_db()
    assert acc.status == "ended"
    link = _post(doctor, f"/accompaniment/{acc.public_id}/consent-link")
    assert (
        link.status_code == 201
        and link.json()["url"].startswith("http")
        and link.json()["expires_in_days"] == 14
    )


@pytest.mark.django_db
def test_recruitment_twins_write_with_the_pages_rules(world):
    candidate = PartnerFactory(structure=world.a, email="candidate@example.fr")
    criterion = CriterionFactory(structure=world.a)
    doctor = _api(world, "doctor")
    empty = _post(
        doctor, f"/partners/{candidate.public_id}/meetings", {"met_on": "2026-11-02", "notes": ""}
    )
    assert empty.status_code == 422 and not MeetingNote.objects.exists()
    assert (
        _post(
            doctor,
            f"/partners/{candidate.public_id}/meetings",
            {"met_on": "2026-11-02", "notes": "Rencontre"},
        ).status_code
        == 201
    )
    assert (
        _post(doctor, f"/partners/{candidate.public_id}/evaluations", {"ratings": []}).status_code
        == 422
    )
    rated = _post(
        doctor,
        f"/partners/{candidate.public_id}/evaluations",
        {
            "ratings": [
                {"criterion": str(criterion.public_id), "rating": "yes", "comment": "Écoute"}
            ]
        },
    )
    assert rated.status_code == 201
    assert (
        _post(
            doctor, f"/partners/{candidate.public_id}/trainings", {"kind": "other", "title": "X"}
        ).status_code
        == 403
    )
    coordinator = _api(world, "coordinator")
    bad_hours = _post(
        coordinator,
        f"/partners/{candidate.public_id}/trainings",
        {"kind": "etp_40h", "title": "ETP", "hours": 0},
    )
    assert (
        bad_hours.status_code == 422
        and "durée" in bad_hours.json()["errors"][0]["message"]
        and not Training.objects.exists()
    )
    assert (
        _post(
            coordinator,
            f"/partners/{candidate.public_id}/trainings",
            {"kind": "etp_40h", "title": "ETP 40 h", "hours": 40},
        ).status_code
        == 201
    )
    invited = _post(coordinator, f"/partners/{candidate.public_id}/invitation")
    assert invited.status_code == 201 and "candidate@example.fr" in invited.json()["detail"]


@pytest.mark.django_db
def test_export_twins_answer_the_pages_files(world):
    from tests.compensation.factories import StatementFactory, partner_of

    coordinator = _api(world, "coordinator")
    pdf = coordinator.get(f"{A}/involvement/aci/{world.a.slug}/2026/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        coordinator.get(f"{A}/involvement/aci/{world.a.slug}/2026/report.docx").status_code == 404
    )
    statement = StatementFactory(partner=partner_of(world, "a"))
    xlsx = coordinator.get(f"{A}/compensation/statements/{statement.public_id}/document.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert AuditEvent.objects.filter(kind="compensation.statement_exported").exists()
    assert AuditEvent.objects.filter(kind="involvement.aci_report_exported").exists()


@pytest.mark.django_db
def test_mission_twins_take_a_sheet_from_draft_to_closed(world):
    from binome.missions.models import CompensationPolicy, Mission, MissionAssignment

    coordinator, doctor, partner = (
        _api(world, "coordinator"),
        _api(world, "doctor"),
        _api(world, "partner"),
    )
    created = _post(
        coordinator,
        "/missions/",
        {"structure": world.a.slug, "title": "Comité des usagers", "kind": "users_committee"},
    )
    assert created.status_code == 201, created.content
    mid = created.json()["id"]
    # Submitting without a named professional nor a partner is refused, in French, with no version.
    early = _post(coordinator, f"/missions/{mid}/submit")
    assert early.status_code == 422 and "professionnel" in early.json()["errors"][0]["message"]
    patched = coordinator.patch(
        f"{A}/missions/{mid}",
        {
            "professionals": [str(world.memberships["doctor"].public_id)],
            "topics": ["fin de vie"],
            "places": 1,
        },
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["professionals"] == [
        str(world.memberships["doctor"].public_id)
    ]
    bad = coordinator.patch(f"{A}/missions/{mid}", {"places": 0}, content_type="application/json")
    assert bad.status_code == 422 and "Entre 1 et 50" in bad.json()["errors"][0]["message"]
    assert Mission.objects.get(public_id=mid).places == 1
    # Only the coordination assigns; an unknown partner is a French 422.
    me = partner_for(world.memberships["partner"])
    assert (
        _post(doctor, f"/missions/{mid}/assignments", {"partner": str(me.public_id)}).status_code
        == 403
    )
    unknown = _post(
        coordinator,
        f"/missions/{mid}/assignments",
        {"partner": str(world.memberships["doctor"].public_id)},
    )
    assert unknown.status_code == 422 and "Choisissez" in unknown.json()["errors"][0]["message"]
    assert (
        _post(
            coordinator, f"/missions/{mid}/assignments", {"partner": str(me.public_id)}
        ).status_code
        == 201
    )
    assert (
        _post(coordinator, f"/missions/{mid}/submit", {"note": "Première version"}).status_code
        == 201
    )
    # The partner, now on the mission, comments and validates; then the doctor: active.
    said = _post(partner, f"/missions/{mid}/comments", {"body": "D'accord pour le jeudi."})
    assert said.status_code == 201 and said.json()["detail"] == "Commentaire ajouté."
    assert _post(partner, f"/missions/{mid}/comments", {"body": "  "}).status_code == 422
    assert (
        _post(partner, f"/missions/{mid}/validate").json()["detail"]
        == "Votre validation est enregistrée."
    )
    assert _post(partner, f"/missions/{mid}/validate").status_code == 422  # already validated
    assert (
        _post(coordinator, f"/missions/{mid}/validate").status_code == 403
    )  # not named on the sheet
    assert "active" in _post(doctor, f"/missions/{mid}/validate").json()["detail"]
    assert Mission.objects.get(public_id=mid).status == Mission.Status.ACTIVE
    # Compensation: the page's rules (a decision date, an amount for a flat fee).
    undated = _post(
        coordinator, f"/missions/{mid}/compensation", {"mode": "flat_fee", "flat_fee_amount": "30"}
    )
    assert undated.status_code == 422 and not CompensationPolicy.objects.exists()
    decided = _post(
        coordinator,
        f"/missions/{mid}/compensation",
        {"mode": "flat_fee", "flat_fee_amount": "30,50", "decided_on": "2026-11-20"},
    )
    assert decided.status_code == 201 and "30.50" in decided.json()["summary"]
    assert (
        _post(
            coordinator,
            f"/missions/compensation/{world.a.slug}",
            {"mode": "volunteer_expenses", "decided_on": "2026-11-20"},
        ).status_code
        == 201
    )
    assert (
        partner.get(f"{A}/missions/compensation/{world.a.slug}").json()["current"]["mode"]
        == "volunteer_expenses"
    )
    assert partner.get(f"{A}/missions/compensation/{world.b.slug}").status_code == 404
    # Ending the assignment, then closing the mission.
    assignment = MissionAssignment.objects.get(mission__public_id=mid)
    assert (
        _post(coordinator, f"/missions/{mid}/assignments/{assignment.public_id}/end").status_code
        == 200
    )
    assert (
        _post(coordinator, f"/missions/{mid}/close", {"note": "Bilan : 3 réunions"}).status_code
        == 200
    )
    assert _post(coordinator, f"/missions/{mid}/close").status_code == 422
    assert (
        AuditEvent.objects.filter(
            kind__in=["missions.submitted", "missions.validated", "missions.closed"]
        ).count()
        == 4
    )
    # Another structure's coordinator: 404, and nothing changes.
    other = _api(world, "coordinator", "b")
    for path in ("/close", "/submit", "/comments", "/compensation"):
        assert (
            _post(
                other,
                f"/missions/{mid}{path}",
                {"body": "x", "mode": "volunteer", "decided_on": "2026-11-20"},
            ).status_code
            == 404
        )
    assert (
        other.patch(
            f"{A}/missions/{mid}", {"title": "Pris"}, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_team_twins_invite_revoke_and_deactivate_with_the_pages_rules(world, mailoutbox):
    from binome.people.models import Invitation

    coordinator = _api(world, "coordinator")
    base = f"/structures/{world.a.slug}"
    no_profession = _post(
        coordinator, f"{base}/invitations/", {"email": "kine@example.fr", "role": "professional"}
    )
    assert (
        no_profession.status_code == 422
        and "profession" in no_profession.json()["errors"][0]["message"]
    )
    bad_rpps = _post(
        coordinator,
        f"{base}/invitations/",
        {
            "email": "kine@example.fr",
            "role": "professional",
            "profession": "physio",
            "rpps": "12345678901",
        },
    )
    assert bad_rpps.status_code == 422 and "RPPS" in bad_rpps.json()["errors"][0]["message"]
    assert not Invitation.objects.exists() and not mailoutbox
    made = _post(
        coordinator,
        f"{base}/invitations/",
        {
            "email": "kine@example.fr",
            "role": "professional",
            "profession": "physio",
            "rpps": identifiers.with_key("1000345111"),
        },
    )
    assert made.status_code == 201 and made.json()["rpps"] and len(mailoutbox) == 1
    twice = _post(
        coordinator,
        f"{base}/invitations/",
        {"email": "kine@example.fr", "role": "professional", "profession": "physio"},
    )
    assert twice.status_code == 422 and "déjà en attente" in twice.json()["errors"][0]["message"]
    assert [i["email"] for i in coordinator.get(f"{A}{base}/invitations/").json()["items"]] == [
        "kine@example.fr"
    ]
    # Other roles and other structures: refused, nothing sent.
    assert (
        _post(
            _api(world, "doctor"),
            f"{base}/invitations/",
            {"email": "x@example.fr", "role": "partner"},
        ).status_code
        == 403
    )
    assert (
        _post(
            _api(world, "coordinator", "b"),
            f"{base}/invitations/",
            {"email": "x@example.fr", "role": "partner"},
        ).status_code
        == 404
    )
    assert _post(coordinator, f"{base}/invitations/{made.json()['id']}/revoke").status_code == 200
    assert Invitation.objects.pending().count() == 0
    assert _post(coordinator, f"{base}/invitations/{made.json()['id']}/revoke").status_code == 404
    # Deactivation keeps at least one coordinator; another structure's member is 404.
    last = _post(
        coordinator, f"{base}/members/{world.memberships['coordinator'].public_id}/deactivate"
    )
    assert (
        last.status_code == 422
        and "au moins une coordinatrice" in last.json()["errors"][0]["message"]
    )
    assert (
        _post(
            coordinator, f"{base}/members/{world.memberships_b['doctor'].public_id}/deactivate"
        ).status_code
        == 404
    )
    done = _post(coordinator, f"{base}/members/{world.memberships['doctor'].public_id}/deactivate")
    assert done.status_code == 200
    world.memberships["doctor"].refresh_from_db()
    assert world.memberships["doctor"].is_active is False
    assert AuditEvent.objects.filter(kind="people.membership_deactivated").count() == 1


@pytest.mark.django_db
def test_accompaniment_twins_end_feedback_tandem_and_group_session(world):
    from binome.accompaniment.models import PatientFeedback
    from binome.tandems.models import PracticeGroupSession, Tandem

    me = partner_for(world.memberships["partner"])
    acc = AccompanimentFactory(
        structure=world.a,
        partner=me,
        referred_by=world.memberships["doctor"],
        patient__user=world.users["patient"],
        status="active",
    )
    patient = _api(world, "patient")
    # The patient's choices are the page's: "partner unavailable" is not one of them.
    wrong = _post(patient, f"/accompaniment/{acc.public_id}/end", {"reason": "partner_unavailable"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "reason"
    assert _post(
        _api(world, "nurse"), f"/accompaniment/{acc.public_id}/end", {"reason": "other"}
    ).status_code in (403, 404)
    ended = _post(
        patient,
        f"/accompaniment/{acc.public_id}/end",
        {"reason": "patient_wish", "comment": "Merci"},
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert (
        _post(
            _api(world, "partner"), f"/accompaniment/{acc.public_id}/feedback", {"usefulness": 4}
        ).status_code
        == 403
    )
    assert (
        _post(patient, f"/accompaniment/{acc.public_id}/feedback", {"usefulness": 9}).status_code
        == 422
    )
    assert (
        _post(
            patient,
            f"/accompaniment/{acc.public_id}/feedback",
            {"usefulness": 4, "would_recommend": False},
        ).status_code
        == 201
    )
    assert PatientFeedback.objects.get().would_recommend is False
    again = _post(patient, f"/accompaniment/{acc.public_id}/feedback", {"usefulness": 1})
    assert again.status_code == 422 and "déjà donné" in again.json()["errors"][0]["message"]
    assert (
        _post(
            _api(world, "patient", "b"), f"/accompaniment/{acc.public_id}/end", {"reason": "other"}
        ).status_code
        == 404
    )

    # Tandems: the coordination (or a doctor) creates one; one per pair; the partner revises the scope.
    coordinator = _api(world, "coordinator")
    body = {
        "structure": world.a.slug,
        "doctor": str(world.memberships["doctor"].public_id),
        "partner": str(me.public_id),
        "mode": "asynchronous",
        "scope": "Relecture des documents d'ETP.",
    }
    nurse_made = _post(_api(world, "nurse"), "/accompaniment/tandems/", body)
    assert nurse_made.status_code == 403
    not_doctor = _post(
        coordinator,
        "/accompaniment/tandems/",
        {**body, "doctor": str(world.memberships["nurse"].public_id)},
    )
    assert not_doctor.status_code == 422 and not Tandem.objects.exists()
    made = _post(coordinator, "/accompaniment/tandems/", body)
    assert made.status_code == 201 and made.json()["scope_version"] == 1
    twice = _post(coordinator, "/accompaniment/tandems/", body)
    assert twice.status_code == 422 and "existe déjà" in twice.json()["errors"][0]["message"]
    revised = _post(
        _api(world, "partner"),
        f"/accompaniment/tandems/{made.json()['id']}/scope",
        {"text": "Relecture et ateliers."},
    )
    assert (
        revised.status_code == 200
        and revised.json()["scope_version"] == 2
        and revised.json()["scope"] == "Relecture et ateliers."
    )
    assert (
        _post(
            _api(world, "nurse"), f"/accompaniment/tandems/{made.json()['id']}/scope", {"text": "x"}
        ).status_code
        == 404
    )

    # A group session, with members of the structure only.
    session = {
        "structure": world.a.slug,
        "kind": "talking_circle",
        "date": "2026-11-25",
        "facilitator": "Psychologue",
        "anonymised_cases": "Une annonce difficile.",
        "participants": [str(world.memberships_b["doctor"].public_id)],
    }
    partner = _api(world, "partner")
    stranger = _post(partner, "/accompaniment/practice-sessions/", session)
    assert stranger.status_code == 422 and not PracticeGroupSession.objects.exists()
    noted = _post(
        partner,
        "/accompaniment/practice-sessions/",
        {**session, "participants": [str(world.memberships["doctor"].public_id)]},
    )
    assert noted.status_code == 201 and noted.json()["participants"] == 1
    assert _post(patient, "/accompaniment/practice-sessions/", session).status_code == 403


@pytest.mark.django_db
def test_review_twins_approve_and_return_with_the_pages_rules(world):
    from binome.compensation.models import Status, TimeEntry
    from tests.compensation.factories import ExpenseFactory, TimeEntryFactory, partner_of

    entry = TimeEntryFactory(partner=partner_of(world, "a"))
    expense = ExpenseFactory(partner=partner_of(world, "a"))
    coordinator = _api(world, "coordinator")
    response = _post(
        coordinator, f"/compensation/expenses/{expense.public_id}/review", {"decision": "return"}
    )
    assert response.status_code == 422 and "Dites au partenaire ce qu'il faut corriger" in str(
        response.json()
    )
    response = _post(
        coordinator,
        f"/compensation/expenses/{expense.public_id}/review",
        {"decision": "return", "comment": "Ticket illisible"},
    )
    assert response.status_code == 200 and response.json()["status"] == Status.RETURNED
    response = _post(
        coordinator, f"/compensation/time/{entry.public_id}/review", {"decision": "approve"}
    )
    assert response.status_code == 200 and response.json()["status"] == Status.APPROVED
    assert TimeEntry.objects.get(pk=entry.pk).status == Status.APPROVED
    # The partner may read their own entry but not review it; a second approval is refused.
    assert (
        _post(
            _api(world, "partner"),
            f"/compensation/time/{entry.public_id}/review",
            {"decision": "approve"},
        ).status_code
        == 403
    )
    assert (
        _post(
            coordinator, f"/compensation/time/{entry.public_id}/review", {"decision": "approve"}
        ).status_code
        == 422
    )


@pytest.mark.django_db
def test_register_twins_edit_delete_and_evidence(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from binome.involvement.models import Evidence, InvolvementAction
    from tests.involvement.factories import InvolvementActionFactory

    action = InvolvementActionFactory(structure=world.a, kind="committee", title="Comité")
    coordinator = _api(world, "coordinator")
    response = coordinator.patch(
        f"{A}/involvement/actions/{action.public_id}",
        {"title": "Comité des usagers", "end_date": "2001-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "La date de fin doit suivre la date de début." in str(
        response.json()
    )
    response = coordinator.patch(
        f"{A}/involvement/actions/{action.public_id}",
        {"title": "Comité des usagers", "users_count": 9},
        content_type="application/json",
    )
    assert response.status_code == 200 and (
        response.json()["title"],
        response.json()["users_count"],
    ) == ("Comité des usagers", 9)
    url = f"{A}/involvement/actions/{action.public_id}/evidence"
    assert (
        coordinator.post(url, {"kind": "minutes"}).status_code == 422
    )  # no file: the page's form says so
    fake = SimpleUploadedFile("cr.pdf", b"MZ not a pdf", content_type="application/pdf")
    assert coordinator.post(url, {"kind": "minutes", "file": fake}).status_code == 422
    pdf = SimpleUploadedFile("cr.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = coordinator.post(url, {"kind": "minutes", "file": pdf})
    assert response.status_code == 201 and len(response.json()["evidence"]) == 1
    evidence = Evidence.objects.get()
    assert (
        _api(world, "partner").delete(f"{A}/involvement/evidence/{evidence.public_id}").status_code
        == 403
    )
    assert coordinator.delete(f"{A}/involvement/evidence/{evidence.public_id}").status_code == 204
    assert not Evidence.objects.exists()
    assert (
        _api(world, "doctor").delete(f"{A}/involvement/actions/{action.public_id}").status_code
        == 403
    )
    assert coordinator.delete(f"{A}/involvement/actions/{action.public_id}").status_code == 204
    assert not InvolvementAction.objects.filter(pk=action.pk).exists()


@pytest.mark.django_db
def test_recruitment_settings_twins(world):
    from binome.partners.models import EvaluationCriterion, RecruitmentCall, RecruitmentGates

    coordinator = _api(world, "coordinator")
    url = f"{A}/partners/recruitment/gates?structure=structure-a"
    response = coordinator.put(
        url,
        {
            "meeting_required": False,
            "evaluators_required": 11,
            "charter_required": True,
            "training_required": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    response = coordinator.put(
        url,
        {
            "meeting_required": False,
            "evaluators_required": 1,
            "charter_required": True,
            "training_required": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    gates = RecruitmentGates.of(world.a)
    assert (gates.meeting_required, gates.evaluators_required, gates.training_required) == (
        False,
        1,
        True,
    )
    response = _post(
        coordinator,
        "/partners/recruitment/criteria",
        {"structure": "structure-a", "kind": "quality", "label": ""},
    )
    assert response.status_code == 422 and "Écrivez le critère." in str(response.json())
    response = _post(
        coordinator,
        "/partners/recruitment/criteria",
        {"structure": "structure-a", "kind": "quality", "label": "Écoute"},
    )
    criterion = EvaluationCriterion.objects.get(label="Écoute")
    assert (
        response.status_code == 201
        and _post(
            coordinator, f"/partners/recruitment/criteria/{criterion.public_id}/retire"
        ).status_code
        == 200
    )
    assert not EvaluationCriterion.objects.get(pk=criterion.pk).is_active
    response = coordinator.put(
        f"{A}/partners/recruitment/call",
        {
            "structure": "structure-a",
            "title": "Rejoignez-nous",
            "introduction": "Votre expérience compte.",
        },
        content_type="application/json",
    )
    assert (
        response.status_code == 200
        and RecruitmentCall.objects.get(structure=world.a).title == "Rejoignez-nous"
    )
    partner = PartnerFactory(structure=world.a, status="candidate")
    response = coordinator.patch(
        f"{A}/partners/{partner.public_id}/team", {"phone": "0123"}, content_type="application/json"
    )
    assert response.status_code == 422
    response = coordinator.patch(
        f"{A}/partners/{partner.public_id}/team",
        {"commune": "Balma"},
        content_type="application/json",
    )
    assert response.status_code == 200
    partner.refresh_from_db()
    assert partner.commune == "Balma"


def _send(client, method, path, payload=None):
    import json

    return client.generic(
        method, f"{A}{path}", json.dumps(payload or {}), content_type="application/json"
    )


def test_survey_twins_build_publish_and_close_a_survey_with_the_pages_rules(world):
    from binome.voice.models import Question, Survey

    doctor = _api(world, "doctor")
    created = _send(
        doctor,
        "POST",
        "/voice/surveys/",
        {"structure": world.a.slug, "title": "Votre avis sur l'accueil"},
    )
    assert created.status_code == 201 and created.json()["state"] == "draft"
    sid = created.json()["id"]
    assert (
        _send(doctor, "POST", f"/voice/surveys/{sid}/publish").status_code == 422
    )  # no question yet
    section = _send(doctor, "POST", f"/voice/surveys/{sid}/sections", {"title": "Accueil"})
    assert section.status_code == 201
    bad = _send(
        doctor,
        "POST",
        f"/voice/surveys/{sid}/questions",
        {"kind": "single", "label": "Un choix ?", "choices": ["Oui"]},
    )
    assert (
        bad.status_code == 422 and "deux choix" in str(bad.json()) and not Question.objects.exists()
    )
    question = _send(
        doctor,
        "POST",
        f"/voice/surveys/{sid}/questions",
        {
            "kind": "single",
            "label": "L'accueil vous a-t-il convenu ?",
            "choices": ["Oui", "Non"],
            "section": section.json()["id"],
        },
    )
    assert question.status_code == 201 and question.json()["section"] == "Accueil"
    assert (
        _send(doctor, "PATCH", f"/voice/surveys/{sid}", {"title": "L'accueil à la MSP"}).json()[
            "title"
        ]
        == "L'accueil à la MSP"
    )
    assert _send(doctor, "POST", f"/voice/surveys/{sid}/publish").json()["state"] == "published"
    # Published: its questions no longer change (the page's rule), in French.
    late = _send(doctor, "DELETE", f"/voice/questions/{question.json()['id']}")
    assert (
        late.status_code == 422 and "publiée" in str(late.json()) and Question.objects.count() == 1
    )
    assert _send(doctor, "POST", f"/voice/surveys/{sid}/close").json()["state"] == "closed"
    assert (
        AuditEvent.objects.filter(kind="voice.survey_changed").count() == 3
    )  # section, question, title
    # A partner reads surveys but does not write them; structure B's coordinator never sees them.
    assert _send(_api(world, "partner"), "POST", f"/voice/surveys/{sid}/close").status_code == 403
    assert (
        _send(
            _api(world, "coordinator", "b"), "PATCH", f"/voice/surveys/{sid}", {"title": "x"}
        ).status_code
        == 404
    )
    assert Survey.objects.get().title == "L'accueil à la MSP"


def test_committee_twins_seat_meet_propose_with_the_pages_rules(world):
    from binome.voice.models import CommitteeMember, Meeting, Proposal

    coordinator = _api(world, "coordinator")
    committee = _send(
        coordinator,
        "POST",
        "/voice/committees/",
        {"structure": world.a.slug, "name": "Comité des usagers"},
    )
    assert committee.status_code == 201
    cid = committee.json()["id"]
    user_rep = world.memberships["user_rep"]
    seat = _send(
        coordinator,
        "POST",
        f"/voice/committees/{cid}/members",
        {"membership": str(user_rep.public_id)},
    )
    assert seat.status_code == 201 and seat.json()["has_account"] is True
    # Structure B's member cannot be seated here: the page's form refuses, in French.
    other = _send(
        coordinator,
        "POST",
        f"/voice/committees/{cid}/members",
        {"membership": str(world.memberships_b["user_rep"].public_id)},
    )
    assert other.status_code == 422 and CommitteeMember.objects.count() == 1
    # The seated user representative may now note meetings and proposals, as on the page.
    rep = _api(world, "user_rep")
    meeting = _send(
        rep,
        "POST",
        f"/voice/committees/{cid}/meetings",
        {"date": "2026-11-02", "agenda": "Accueil du samedi"},
    )
    assert meeting.status_code == 201
    assert _send(rep, "POST", f"/voice/committees/{cid}/meetings", {}).status_code == 422
    patched = _send(
        rep,
        "PATCH",
        f"/voice/meetings/{meeting.json()['id']}",
        {"minutes": "Ouvrir le samedi matin."},
    )
    assert patched.status_code == 200 and Meeting.objects.get().minutes == "Ouvrir le samedi matin."
    proposal = _send(
        rep,
        "POST",
        f"/voice/committees/{cid}/proposals",
        {"title": "Ouvrir le samedi", "meeting": meeting.json()["id"]},
    )
    assert proposal.status_code == 201 and Proposal.objects.get().meeting_id is not None
    # A doctor does not edit the committee; B's coordinator does not see it.
    assert (
        _send(
            _api(world, "doctor"), "POST", f"/voice/committees/{cid}/proposals", {"title": "x"}
        ).status_code
        == 403
    )
    assert (
        _send(
            _api(world, "coordinator", "b"),
            "POST",
            f"/voice/committees/{cid}/meetings",
            {"date": "2026-11-02"},
        ).status_code
        == 404
    )
    removed = _send(coordinator, "DELETE", f"/voice/committees/{cid}/members/{seat.json()['id']}")
    assert removed.status_code == 204 and not CommitteeMember.objects.exists()
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {
        "voice.committee_created",
        "voice.committee_member_added",
        "voice.meeting_added",
        "voice.meeting_changed",
        "voice.proposal_added",
        "voice.committee_member_removed",
    } <= kinds


def test_budget_twins_fund_budget_and_rate_with_the_pages_rules(world):
    from decimal import Decimal

    from binome.compensation.models import ExpenseRates, FundingSource, MissionBudget
    from tests.compensation.factories import MissionFactory

    coordinator = _api(world, "coordinator")
    negative = _send(
        coordinator,
        "POST",
        "/compensation/funding/",
        {"structure": world.a.slug, "kind": "aci", "name": "ACI", "year": 2026, "amount": "-5"},
    )
    assert (
        negative.status_code == 422
        and "négatifs" in str(negative.json())
        and not FundingSource.objects.exists()
    )
    created = _send(
        coordinator,
        "POST",
        "/compensation/funding/",
        {
            "structure": world.a.slug,
            "kind": "aci",
            "name": "ACI 2026",
            "year": 2026,
            "amount": "1200.50",
        },
    )
    assert created.status_code == 201 and FundingSource.objects.get().amount == Decimal("1200.50")
    fid = created.json()["id"]
    assert (
        _send(
            coordinator, "PATCH", f"/compensation/funding/{fid}", {"name": "ACI MSP 2026"}
        ).json()["name"]
        == "ACI MSP 2026"
    )
    mission = MissionFactory(structure=world.a)
    budget = _send(
        coordinator,
        "PUT",
        f"/compensation/missions/{mission.public_id}/budget",
        {"funding_source": fid, "amount": "300"},
    )
    assert budget.status_code == 200 and budget.json()["funding_source"] == fid
    assert MissionBudget.objects.get().amount == Decimal("300")
    rates = _send(coordinator, "PUT", f"/compensation/rates/{world.a.slug}", {"km_rate": "0.352"})
    assert rates.status_code == 200 and ExpenseRates.objects.get(
        structure=world.a
    ).km_rate == Decimal("0.352")
    assert (
        _send(
            coordinator, "PUT", f"/compensation/rates/{world.a.slug}", {"km_rate": "9"}
        ).status_code
        == 422
    )
    # Another structure's funding cannot finance this mission; a partner does not budget.
    foreign = FundingSource.objects.create(
        structure=world.b, kind="aci", name="B", year=2026, amount=0
    )
    assert (
        _send(
            coordinator,
            "PUT",
            f"/compensation/missions/{mission.public_id}/budget",
            {"funding_source": str(foreign.public_id)},
        ).status_code
        == 404
    )
    assert (
        _send(
            _api(world, "partner"), "PUT", f"/compensation/rates/{world.a.slug}", {"km_rate": "1"}
        ).status_code
        == 403
    )
    assert (
        AuditEvent.objects.filter(
            kind__in=[
                "compensation.funding_saved",
                "compensation.budget_saved",
                "compensation.rates_saved",
            ]
        ).count()
        == 4
    )


def test_steering_twins_create_follow_and_link_a_project_with_the_pages_rules(world):
    from binome.steering.models import ActionItem, CommitteeMember, Indicator, Project, ProjectLink
    from tests.compensation.factories import MissionFactory
    from tests.steering.factories import ActionItemFactory

    coordinator = _api(world, "coordinator")
    late = _send(
        coordinator,
        "POST",
        "/steering/projects/",
        {"structure": world.a.slug, "title": "Accueil", "checkin_every_days": 400},
    )
    assert (
        late.status_code == 422 and "90 jours" in str(late.json()) and not Project.objects.exists()
    )
    created = _send(
        coordinator,
        "POST",
        "/steering/projects/",
        {"structure": world.a.slug, "title": "Mieux accueillir"},
    )
    assert created.status_code == 201
    project = Project.objects.get()
    assert CommitteeMember.objects.filter(
        project=project
    ).exists()  # the creator leads it, as on the page
    pid = created.json()["id"]
    indicator = _send(
        coordinator,
        "POST",
        f"/steering/projects/{pid}/indicators",
        {"name": "Présents", "target": "12.5"},
    )
    assert indicator.status_code == 201 and str(Indicator.objects.get().target) == "12.50"
    action = ActionItemFactory(cycle__project=project)
    assert (
        _send(
            coordinator, "POST", f"/steering/actions/{action.public_id}/status", {"status": "nope"}
        ).status_code
        == 422
    )
    assert (
        _send(
            coordinator, "POST", f"/steering/actions/{action.public_id}/status", {"status": "done"}
        ).json()["status"]
        == "done"
    )
    assert ActionItem.objects.get().done_on is not None
    mission = MissionFactory(structure=world.a)
    link = _send(
        coordinator,
        "POST",
        f"/steering/projects/{pid}/links",
        {"target": f"mission:{mission.public_id}"},
    )
    assert (
        link.status_code == 201 and ProjectLink.objects.get().target_public_id == mission.public_id
    )
    foreign = MissionFactory(structure=world.b)
    assert (
        _send(
            coordinator,
            "POST",
            f"/steering/projects/{pid}/links",
            {"target": f"mission:{foreign.public_id}"},
        ).status_code
        == 422
    )
    # A doctor without a seat reads but does not edit; B's coordinator does not see it.
    assert (
        _send(
            _api(world, "doctor"), "POST", f"/steering/projects/{pid}/indicators", {"name": "x"}
        ).status_code
        == 403
    )
    assert (
        _send(
            _api(world, "coordinator", "b"),
            "POST",
            f"/steering/projects/{pid}/indicators",
            {"name": "x"},
        ).status_code
        == 404
    )
    seat = CommitteeMember.objects.get(project=project)
    assert _send(coordinator, "DELETE", f"/steering/committee/{seat.public_id}").status_code == 204
    assert not CommitteeMember.objects.exists()


def test_programme_twins_plan_workshops_and_collect_feedback_with_the_pages_rules(world):
    from binome.involvement.models import Programme, Workshop, WorkshopFeedback

    nurse = _api(world, "nurse")
    created = _send(
        nurse,
        "POST",
        "/involvement/programmes/",
        {"structure": world.a.slug, "kind": "etp", "title": "ETP diabète"},
    )
    assert created.status_code == 201
    pid = created.json()["id"]
    assert (
        _send(nurse, "PATCH", f"/involvement/programmes/{pid}", {"is_active": False}).json()[
            "is_active"
        ]
        is False
    )
    assert Programme.objects.get().is_active is False
    crowded = _send(
        nurse,
        "POST",
        f"/involvement/programmes/{pid}/workshops",
        {
            "title": "Séance 1",
            "starts_at": "2026-12-10T14:00",
            "planned_count": 2,
            "attendance_count": 40,
        },
    )
    assert (
        crowded.status_code == 422
        and "trop élevé" in str(crowded.json())
        and not Workshop.objects.exists()
    )
    partner = world.memberships["partner"]
    workshop = _send(
        nurse,
        "POST",
        f"/involvement/programmes/{pid}/workshops",
        {
            "title": "Séance 1",
            "starts_at": "2026-12-10T14:00",
            "planned_count": 8,
            "partner": str(partner.public_id),
        },
    )
    # A partner co-animating ETP needs the 40-hour training (the page's rule): refused in French.
    assert workshop.status_code == 422 and "40" in str(workshop.json())
    workshop = _send(
        nurse,
        "POST",
        f"/involvement/programmes/{pid}/workshops",
        {"title": "Séance 1", "starts_at": "2026-12-10T14:00", "planned_count": 8},
    )
    assert workshop.status_code == 201
    wid = workshop.json()["id"]
    assert (
        _send(nurse, "PATCH", f"/involvement/workshops/{wid}", {"place": "Salle 2"}).json()["place"]
        == "Salle 2"
    )
    answer = {"useful": 4, "understood": 4, "freer": 3, "submission_token": "papier-0001-atelier"}
    assert (
        _send(nurse, "POST", f"/involvement/workshops/{wid}/paper-feedback", answer).status_code
        == 201
    )
    assert _send(nurse, "POST", f"/involvement/workshops/{wid}/paper-feedback", answer).json() == {
        "created": False
    }
    assert AuditEvent.objects.filter(kind="involvement.paper_feedback_entered").count() == 1
    token = Workshop.objects.get().feedback_token
    public = Client()
    online = {"useful": 5, "understood": 5, "freer": 5, "submission_token": "en-ligne-0001-atelier"}
    assert (
        _send(public, "POST", f"/involvement/public/workshops/{token}/feedback", online).status_code
        == 201
    )
    assert (
        _send(
            public,
            "POST",
            f"/involvement/public/workshops/{token}/feedback",
            {**online, "useful": 9},
        ).status_code
        == 422
    )
    assert (
        _send(
            public, "POST", "/involvement/public/workshops/pas-un-jeton/feedback", online
        ).status_code
        == 404
    )
    assert WorkshopFeedback.objects.filter(channel="online").count() == 1
    # A partner does not plan workshops; B's coordinator does not see A's.
    assert (
        _send(
            _api(world, "partner"), "PATCH", f"/involvement/workshops/{wid}", {"place": "x"}
        ).status_code
        == 403
    )
    assert (
        _send(
            _api(world, "coordinator", "b"),
            "PATCH",
            f"/involvement/programmes/{pid}",
            {"title": "x"},
        ).status_code
        == 404
    )


def test_profile_and_candidacy_twins_with_the_pages_rules(world):
    from tests.partners.factories import RecruitmentCallFactory, partner_for

    partner_for(world)
    partner = _api(world, "partner")
    mine = partner.get(f"{A}/partners/profile/mine", {"structure": world.a.slug})
    assert mine.status_code == 200 and mine.json()["languages"] == []
    changed = _send(
        partner,
        "PATCH",
        f"/partners/profile/mine?structure={world.a.slug}",
        {"languages": ["français", "occitan"], "hours_per_month": 6},
    )
    assert changed.status_code == 200 and changed.json()["languages"] == ["français", "occitan"]
    assert changed.json()["profile"]["hours_per_month"] == 6
    too_much = _send(
        partner,
        "PATCH",
        f"/partners/profile/mine?structure={world.a.slug}",
        {"hours_per_month": 500},
    )
    assert too_much.status_code == 422 and "200 heures" in str(too_much.json())
    assert AuditEvent.objects.filter(kind="partners.profile_updated").count() == 1
    # A coordinator has no partner profile of her own here.
    assert (
        _api(world, "coordinator")
        .get(f"{A}/partners/profile/mine", {"structure": world.a.slug})
        .status_code
        == 403
    )
    public = Client()
    candidacy = {
        "first_name": "Odile",
        "email": "odile@exemple.fr",
        "motivation": "Aider.",
        "consent": True,
        "submission_token": "candidature-0001-odile",
    }
    assert (
        _send(public, "POST", f"/partners/public/{world.a.slug}/candidacies", candidacy).status_code
        == 404
    )  # no open call
    RecruitmentCallFactory(structure=world.a)
    assert (
        _send(
            public,
            "POST",
            f"/partners/public/{world.a.slug}/candidacies",
            {**candidacy, "consent": False},
        ).status_code
        == 422
    )
    assert (
        _send(public, "POST", f"/partners/public/{world.a.slug}/candidacies", candidacy).status_code
        == 201
    )
    assert _send(
        public, "POST", f"/partners/public/{world.a.slug}/candidacies", candidacy
    ).json() == {"created": False}
    assert (
        Partner.objects.filter(
            structure=world.a, status=Partner.Status.CANDIDATE, first_name="Odile"
        ).count()
        == 1
    )


def test_network_twins_campaign_exchange_and_team_matrix_with_the_pages_rules(world):
    from binome.networks.models import Campaign, ExchangeRequest, ImprovementAction, MatrixSession
    from tests.networks.factories import ProjectCardFactory

    facilitator = _api(world, "facilitator")
    backwards = {
        "network": world.network.slug,
        "title": "État des lieux",
        "introduction": "Merci de répondre au nom de votre équipe.",
        "opens_on": "2027-02-01",
        "closes_on": "2027-01-01",
    }
    refused = _send(facilitator, "POST", "/networks/campaigns/", backwards)
    assert (
        refused.status_code == 422
        and "clôture" in str(refused.json())
        and not Campaign.objects.exists()
    )
    created = _send(
        facilitator,
        "POST",
        "/networks/campaigns/",
        {**backwards, "opens_on": "2027-01-04", "closes_on": "2027-02-26"},
    )
    assert created.status_code == 201
    cid = created.json()["id"]
    invited = Campaign.objects.get().invitations.count()
    assert invited >= 1  # the network's affiliated structures, invited at creation as on the page
    assert _send(
        facilitator, "POST", f"/networks/campaigns/{cid}/invitations/affiliated"
    ).json() == {"count": 0}
    assert (
        _send(
            facilitator,
            "POST",
            f"/networks/campaigns/{cid}/invitations/unlisted",
            {"name": "MSP du Causse", "department": "9A"},
        ).status_code
        == 422
    )
    assert (
        _send(
            facilitator,
            "POST",
            f"/networks/campaigns/{cid}/invitations/unlisted",
            {"name": "MSP du Causse"},
        ).status_code
        == 201
    )
    assert _send(facilitator, "POST", f"/networks/campaigns/{cid}/send").json()["count"] >= 1
    # A team's coordinator runs no campaign: the network's campaigns do not exist for her.
    assert (
        _send(_api(world, "coordinator"), "POST", f"/networks/campaigns/{cid}/send").status_code
        == 404
    )

    card = ProjectCardFactory(structure=world.b, is_published=True)
    asked = _send(
        _api(world, "doctor"),
        "POST",
        f"/networks/cards/{card.public_id}/exchanges",
        {"structure": world.a.slug, "message": "Bonjour, nous débutons."},
    )
    assert asked.status_code == 201
    mine = ProjectCardFactory(structure=world.a, is_published=True)
    own = _send(
        _api(world, "doctor"),
        "POST",
        f"/networks/cards/{mine.public_id}/exchanges",
        {"structure": world.a.slug, "message": "x"},
    )
    assert own.status_code == 422 and "propre équipe" in str(own.json())
    answer = _send(
        _api(world, "coordinator", "b"),
        "POST",
        f"/networks/exchanges/{asked.json()['id']}/answer",
        {"accept": True, "answer": "Avec plaisir."},
    )
    assert answer.status_code == 200 and ExchangeRequest.objects.get().status == "accepted"
    assert _send(
        _api(world, "coordinator"),
        "POST",
        f"/networks/cards/{mine.public_id}/publication",
        {"publish": False},
    ).json()["id"] == str(mine.public_id)

    coordinator = _api(world, "coordinator")
    matrix = _send(
        coordinator,
        "POST",
        "/networks/matrices/",
        {"structure": world.a.slug, "title": "Matrice 2026"},
    )
    assert (
        matrix.status_code == 201
        and MatrixSession.objects.get().created_by == world.users["coordinator"]
    )
    assert (
        _send(
            coordinator,
            "POST",
            f"/networks/matrices/{matrix.json()['id']}/actions",
            {"title": "Sans dimension"},
        ).status_code
        == 422
    )
    assert not ImprovementAction.objects.exists()
    assert (
        _send(
            _api(world, "doctor"),
            "POST",
            "/networks/matrices/",
            {"structure": world.a.slug, "title": "x"},
        ).status_code
        == 403
    )


def test_paper_and_moderation_twins_with_the_pages_rules(world):
    from binome.voice.models import Idea, Response
    from tests.voice.factories import IdeaFactory, QuestionFactory

    question = QuestionFactory(
        survey__structure=world.a, survey__state="draft", kind="text", label="Votre avis ?"
    )
    survey = question.survey
    nurse = _api(world, "nurse")
    paper = {
        "submission_token": "papier-0001-enquete",
        "answers": [{"question": str(question.public_id), "text": "Très bon accueil."}],
    }
    draft = _send(nurse, "POST", f"/voice/surveys/{survey.public_id}/paper-responses", paper)
    assert draft.status_code == 422 and "Publiez" in str(draft.json())
    survey.state = "published"
    survey.save(update_fields=["state"])
    assert (
        _send(
            nurse, "POST", f"/voice/surveys/{survey.public_id}/paper-responses", paper
        ).status_code
        == 201
    )
    assert (
        _send(nurse, "POST", f"/voice/surveys/{survey.public_id}/paper-responses", paper).json()[
            "created"
        ]
        is False
    )
    assert Response.objects.filter(channel="paper").count() == 1
    assert AuditEvent.objects.filter(kind="voice.paper_response_entered").count() == 1
    idea = IdeaFactory(structure=world.a)
    coordinator = _api(world, "coordinator")
    assert (
        _send(
            coordinator, "POST", f"/voice/ideas/{idea.public_id}/moderation", {"decision": "maybe"}
        ).status_code
        == 422
    )
    assert (
        _send(
            coordinator,
            "POST",
            f"/voice/ideas/{idea.public_id}/moderation",
            {"decision": "published"},
        ).json()["moderation"]
        == "published"
    )
    assert Idea.objects.get().moderation == "published"
    assert (
        _send(
            _api(world, "user_rep"),
            "POST",
            f"/voice/ideas/{idea.public_id}/moderation",
            {"decision": "hidden"},
        ).status_code
        == 403
    )


def test_team_matrix_twins_answer_alone_then_agree(world):
    from binome.networks import services as network_services
    from binome.networks.models import MatrixAnswer, MatrixSession

    session = network_services.open_matrix(
        structure=world.a, actor=world.users["coordinator"], title="Matrice 2026"
    )
    codes = [d.code for d in network_services.session_dimensions(session)]
    partner = _api(world, "partner")
    partial = _send(
        partner,
        "POST",
        f"/networks/matrices/{session.public_id}/my-answers",
        {"levels": {codes[0]: 2}},
    )
    assert (
        partial.status_code == 422
        and "Choisissez un niveau" in str(partial.json())
        and not MatrixAnswer.objects.exists()
    )
    every = {code: 2 for code in codes}
    saved = _send(
        partner,
        "POST",
        f"/networks/matrices/{session.public_id}/my-answers",
        {"levels": every, "comments": {codes[0]: "À voir ensemble."}},
    )
    assert saved.status_code == 200 and MatrixAnswer.objects.filter(session=session).count() == len(
        codes
    )
    assert (
        _send(
            partner, "POST", f"/networks/matrices/{session.public_id}/consensus", {"levels": every}
        ).status_code
        == 403
    )
    agreed = _send(
        _api(world, "coordinator"),
        "POST",
        f"/networks/matrices/{session.public_id}/consensus",
        {"levels": every, "targets": {codes[0]: 3}},
    )
    assert agreed.status_code == 200 and MatrixSession.objects.get().consensus.count() == len(codes)
    assert (
        _send(
            _api(world, "coordinator", "b"),
            "POST",
            f"/networks/matrices/{session.public_id}/consensus",
            {"levels": every},
        ).status_code
        == 404
    )


def test_public_campaign_answer_twin_once_per_structure(world):
    from binome.networks import services as network_services
    from binome.networks.models import CampaignResponse
    from tests.networks.factories import CampaignFactory, invitation

    inv = invitation(CampaignFactory(network=world.network), world.a)
    token = network_services.campaign_token(inv)
    public = Client()
    bad = _send(
        public, "POST", f"/networks/public/campaigns/{token}/answers", {"answers": {"nope": "x"}}
    )
    assert bad.status_code == 422 and not CampaignResponse.objects.exists()
    answers = _valid_campaign_answers()
    done = _send(
        public, "POST", f"/networks/public/campaigns/{token}/answers", {"answers": answers}
    )
    assert done.status_code == 201 and CampaignResponse.objects.count() == 1
    again = _send(
        public, "POST", f"/networks/public/campaigns/{token}/answers", {"answers": answers}
    )
    assert again.status_code == 422 and "déjà répondu" in str(again.json())
    assert (
        _send(
            public, "POST", "/networks/public/campaigns/faux/answers", {"answers": answers}
        ).status_code
        == 404
    )


def _valid_campaign_answers():
    from binome.networks import questionnaire as q

    answers = {}
    for question in q.QUESTIONS:
        if question.kind == "multi":
            answers[question.code] = [next(iter(question.choice_labels))]
        elif getattr(question, "choice_labels", None):
            answers[question.code] = next(iter(question.choice_labels))
        else:
            answers[question.code] = "Une réponse."
    return answers
