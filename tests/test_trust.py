"""Trust by construction, across apps: audit in the transaction of its change, no caching of
personal answers, and the same rule for a page and its API twin."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from binome.accompaniment import services as accompaniment
from binome.accompaniment.models import Consent, ConsentPurpose, Contact
from binome.audit.models import AuditEvent
from binome.audit.services import AuditOutsideTransaction, record
from binome.networks.models import MatrixSession
from binome.partners.models import Partner
from binome.steering.models import LogbookEntry
from tests.accompaniment.factories import AccompanimentFactory, PatientFactory, partner_for
from tests.accompaniment.test_api import _client, _post

pytestmark = pytest.mark.django_db


# Audit in the same transaction as the change --------------------------------------------------


def test_a_change_audited_outside_its_transaction_is_refused(world):
    with pytest.raises(AuditOutsideTransaction):
        record("people.structure_updated", actor=world.users["coordinator"], structure=world.a)
    with transaction.atomic():
        record("people.structure_updated", actor=world.users["coordinator"], structure=world.a)
    record(
        "people.members_read", actor=world.users["coordinator"], structure=world.a
    )  # reads need none


@contextmanager
def crash_between_change_and_audit():
    """The process dies after the change's writes, before its audit row."""
    with mock.patch.object(AuditEvent.objects, "create", side_effect=RuntimeError("arrêt brutal")):
        with pytest.raises(RuntimeError, match="arrêt brutal"):
            yield


def test_a_crash_before_the_audit_row_leaves_no_change(world):
    patient = PatientFactory(structure=world.a)
    with crash_between_change_and_audit():
        accompaniment.give_consent(
            patient, ConsentPurpose.SHARE_SUMMARIES, method="oral", user=world.users["doctor"]
        )
    assert not Consent.objects.filter(patient=patient).exists()

    acc = AccompanimentFactory(
        structure=world.a,
        partner=partner_for(world.memberships["partner"]),
        referred_by=world.memberships["doctor"],
    )
    consent = Consent.objects.get(patient=acc.patient, purpose=ConsentPurpose.CONTACT_BY_PARTNER)
    with crash_between_change_and_audit():
        accompaniment.withdraw_consent(consent, user=world.users["patient"])
    consent.refresh_from_db()
    acc.refresh_from_db()
    assert consent.withdrawn_at is None and not acc.is_ended

    with crash_between_change_and_audit():
        accompaniment.log_contact(
            acc, user=world.users["partner"], data={"duration_minutes": 10, "private_notes": "x"}
        )
    assert not Contact.objects.exists()

    coordinator = world.client_for("coordinator")
    with crash_between_change_and_audit():
        coordinator.post(
            reverse("networks:matrix_new"), {"title": "Matrice 2027", "meeting_date": "2027-01-10"}
        )
    assert not MatrixSession.objects.exists()

    from binome.privacy.retention import apply_retention

    with crash_between_change_and_audit():
        apply_retention()


# No caching of personal data ---------------------------------------------------------------------


def test_every_authenticated_answer_is_no_store_and_public_pages_keep_their_caching(world):
    page = world.client_for("coordinator").get(reverse("people:members"))
    api = _client(world.users["coordinator"]).get("/api/v1/me")
    for response in (page, api):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert {"Cookie", "Authorization"} <= {v.strip() for v in response["Vary"].split(",")}
    bad_token = Client(HTTP_AUTHORIZATION="Bearer faux").get("/api/v1/me")
    assert bad_token.status_code == 401 and "no-store" in bad_token["Cache-Control"]
    public = Client().get(reverse("voice_public:done", args=[world.a.slug]))
    assert public.status_code == 200 and "no-store" not in public.get("Cache-Control", "")
    # the same public page read by a signed-in member is theirs alone
    assert (
        "no-store"
        in world.client_for("partner").get(reverse("voice_public:done", args=[world.a.slug]))[
            "Cache-Control"
        ]
    )


# One rule for a page and its API twin ---------------------------------------------------------


def test_logbook_entries_follow_one_rule_on_page_and_api(world):
    from tests.steering.factories import CommitteeMemberFactory, ProjectFactory

    project = ProjectFactory(structure=world.a)
    CommitteeMemberFactory(project=project, membership=world.memberships["partner"])
    data = {"date": "2026-11-20", "kind": "copil", "themes": "Bilan du cycle"}
    page_url = reverse("steering:add_logbook", args=[project.public_id])
    api_url = f"/api/v1/steering/projects/{project.public_id}/logbook/"
    # a professional outside the committee: refused on both paths
    assert world.client_for("doctor").post(page_url, data).status_code == 403
    assert _post(_client(world.users["doctor"]), api_url, data).status_code == 403
    # a committee member who is not a coordinator: allowed on both
    assert world.client_for("partner").post(page_url, data).status_code == 302
    assert _post(_client(world.users["partner"]), api_url, data).status_code == 201
    assert LogbookEntry.objects.count() == 2
    # the page's own form validates the API too (a cycle of another project is unknown)
    bad = _post(
        _client(world.users["partner"]),
        api_url,
        {**data, "cycle": "00000000-0000-0000-0000-000000000000"},
    )
    assert bad.status_code == 422 and LogbookEntry.objects.count() == 2


def test_partner_creation_is_the_same_service_on_page_and_api(world):
    account = world.memberships["partner"]
    api = _post(
        _client(world.users["coordinator"]),
        "/api/v1/partners/",
        {
            "structure": "structure-a",
            "first_name": "Rose",
            "email": account.user.email,
            "phone": "06 11 22 33 44",
        },
    )
    assert api.status_code == 201, api.content
    created = Partner.objects.get(first_name="Rose")
    assert (
        created.membership == account and created.phone == "06 11 22 33 44"
    )  # linked as on the page
    bad = _post(
        _client(world.users["coordinator"]),
        "/api/v1/partners/",
        {"structure": "structure-a", "first_name": "Lise", "phone": "12"},
    )
    page = world.client_for("coordinator").post(
        reverse("partners:create"),
        {"first_name": "Lise", "phone": "12", "max_active_accompaniments": 3},
    )
    assert bad.status_code == 422 and page.status_code == 422
    api_messages = [e["message"] for e in bad.json()["errors"] if e["field"] == "phone"]
    html = page.content.decode()
    assert api_messages and all(escape(m) in html for m in api_messages)  # the same French message
    assert not Partner.objects.filter(first_name="Lise").exists()


def test_money_is_written_the_french_way():
    from binome.core.money import format_euros

    assert format_euros("12.6") == "12,60\u00a0€"
    assert format_euros(1400) == "1\u202f400,00\u00a0€"
    assert format_euros(None) == "—"
