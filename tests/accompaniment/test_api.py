"""The API keeps the pages' isolation and consent rules."""

import json

import pytest
from django.test import Client
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from binome.accompaniment.models import Accompaniment, Consent, ConsentPurpose, Contact
from binome.accounts.models import ApiToken
from tests.accompaniment.factories import (
    AccompanimentFactory,
    ContactFactory,
    PartnerFactory,
    partner_for,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/accompaniment"


def _client(user):
    raw = f"jeton-{user.pk}"
    from binome.accounts.models import hash_token

    if not ApiToken.objects.filter(key_hash=hash_token(raw)).exists():
        ApiToken.issue(user, "test", raw=raw)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def _acc(world, **kw):
    kw.setdefault("partner", partner_for(world.memberships["partner"]))
    return AccompanimentFactory(structure=world.a, referred_by=world.memberships["doctor"], **kw)


def test_referral_through_the_api(world):
    partner = partner_for(world.memberships["partner"])
    doctor = _client(world.users["doctor"])
    payload = {
        "structure": "structure-a",
        "first_name": "Anne",
        "last_name": "Martin",
        "phone": "0611223344",
        "pathway": "cancer",
        "partner": str(partner.public_id),
        "consents": ["contact_by_partner", "share_contact_details"],
        "submission_token": "api-1",
    }
    response = _post(doctor, f"{API}/referrals", payload)
    assert response.status_code == 201, response.content
    assert response.json()["patient"]["phone"] == "0611223344"
    assert _post(doctor, f"{API}/referrals", payload).status_code == 201
    assert Accompaniment.objects.count() == 1
    bad = _post(
        doctor,
        f"{API}/referrals",
        {**payload, "consents": ["contact_by_partner"], "submission_token": ""},
    )
    assert bad.status_code == 422 and "accord" in bad.json()["detail"]
    other = PartnerFactory(structure=world.b)
    assert (
        _post(
            doctor,
            f"{API}/referrals",
            {**payload, "partner": str(other.public_id), "submission_token": ""},
        ).status_code
        == 422
    )
    assert (
        _post(doctor, f"{API}/referrals", {**payload, "structure": "structure-b"}).status_code
        == 404
    )
    assert Accompaniment.objects.count() == 1


def test_list_is_filtered_per_role(world):
    mine = _acc(world)
    _acc(world, partner=PartnerFactory(structure=world.a))
    AccompanimentFactory(structure=world.b)

    def ids(persona):
        return {row["id"] for row in _client(world.users[persona]).get(f"{API}/").json()["items"]}

    assert ids("partner") == {str(mine.public_id)}
    assert len(ids("doctor")) == 2 and len(ids("coordinator")) == 2
    assert ids("nurse") == set() and ids("user_rep") == set()


def test_list_rows_are_the_accompaniment_answer_field_for_field(world):
    """The list reads its rows as tuples (PageRows); each must say what the answer built from
    the accompaniment itself says (the hand-back, reassign and end endpoints), and the total
    must be right on a full page (counted) and on the short last page (not counted)."""
    from binome.accompaniment.api import AccompanimentOut

    coordinator = world.users["coordinator"]
    lone = PartnerFactory(structure=world.a, first_name="Solène", last_name="")
    made = [
        _acc(world, patient__last_name="", status=Accompaniment.Status.ACTIVE),
        _acc(world, partner=lone, ended_at=timezone.now(), status=Accompaniment.Status.ENDED),
        _acc(world, patient__last_name="Zanetti", first_contact_at=timezone.now()),
    ]
    client = _client(coordinator)
    rows = []
    for page in (1, 2):
        answer = client.get(f"{API}/?page_size=2&page={page}").json()
        assert answer["count"] == 3
        rows += answer["items"]
    assert len(rows) == 3
    request = client.get(f"{API}/").wsgi_request
    for acc in made:
        acc = Accompaniment.objects.select_related(
            "structure", "partner", "referred_by", "patient"
        ).get(pk=acc.pk)
        answer = AccompanimentOut.model_validate(acc, context={"request": request}).model_dump()
        # Written as the API writes every answer.
        expected = json.loads(json.dumps(answer, cls=NinjaJSONEncoder))
        (row,) = [r for r in rows if r["id"] == expected["id"]]
        assert row == expected
    assert {r["partner_name"] for r in rows} >= {"Solène"}
    assert {r["patient"]["name"] for r in rows} >= {made[0].patient.first_name}
    ended = client.get(f"{API}/?status=ended").json()
    assert [r["id"] for r in ended["items"]] == [str(made[1].public_id)]


def test_consent_rules_in_the_api(world):
    acc = _acc(
        world, consents=["contact_by_partner", "share_contact_details", "share_summaries_with_team"]
    )
    ContactFactory(accompaniment=acc, private_notes="PRIVEE", summary_to_share="PARTAGE")
    partner, doctor, coordinator = (
        _client(world.users[p]) for p in ("partner", "doctor", "coordinator")
    )
    assert partner.get(f"{API}/{acc.public_id}").json()["patient"]["phone"] == acc.patient.phone
    assert coordinator.get(f"{API}/{acc.public_id}").json()["patient"]["phone"] is None
    row = doctor.get(f"{API}/{acc.public_id}/contacts").json()["items"][0]
    assert row["summary_to_share"] == "PARTAGE" and row["private_notes"] is None
    assert (
        partner.get(f"{API}/{acc.public_id}/contacts").json()["items"][0]["private_notes"]
        == "PRIVEE"
    )
    coord_row = coordinator.get(f"{API}/{acc.public_id}/contacts").json()["items"][0]
    assert coord_row["summary_to_share"] is None and coord_row["private_notes"] is None
    Consent.objects.filter(
        patient=acc.patient,
        purpose__in=[ConsentPurpose.SHARE_CONTACT_DETAILS, ConsentPurpose.SHARE_SUMMARIES],
    ).update(withdrawn_at="2026-01-01T00:00:00Z")
    assert partner.get(f"{API}/{acc.public_id}").json()["patient"]["phone"] is None
    # Lists show the first name and initial only, as the list page does.
    assert (
        partner.get(f"{API}/").json()["items"][0]["patient"]["last_name"]
        == acc.patient.last_name[:1]
    )
    assert (
        doctor.get(f"{API}/{acc.public_id}/contacts").json()["items"][0]["summary_to_share"] is None
    )
    # no sharing consent: the partner cannot push a summary
    response = _post(
        partner,
        f"{API}/{acc.public_id}/contacts",
        {"summary_to_share": "x", "duration_minutes": 10},
    )
    assert response.status_code == 422 and Contact.objects.count() == 1
    assert (
        _post(
            partner,
            f"{API}/{acc.public_id}/contacts",
            {"private_notes": "ok", "duration_minutes": 10},
        ).status_code
        == 201
    )


def test_alert_and_tandem_report_flow(world):
    acc = _acc(world)
    partner, doctor = _client(world.users["partner"]), _client(world.users["doctor"])
    alert = _post(partner, f"{API}/{acc.public_id}/alerts", {"message": "Urgent"}).json()
    assert _post(partner, f"{API}/alerts/{alert['id']}/acknowledge", {}).status_code == 403
    acked = _post(doctor, f"{API}/alerts/{alert['id']}/acknowledge", {"response": "Vu"}).json()
    assert acked["acknowledged_at"] is not None
    from tests.accompaniment.factories import TandemFactory

    tandem = TandemFactory(
        structure=world.a, doctor=world.memberships["doctor"], partner=acc.partner
    )
    report = _post(
        partner,
        f"{API}/tandems/{tandem.public_id}/reports",
        {"patient_expressed": "a", "needs": "b", "agreed_to_share": "c"},
    )
    assert report.status_code == 201
    assert (
        _post(
            partner,
            f"{API}/tandems/{tandem.public_id}/reports",
            {"patient_expressed": "", "needs": "b", "agreed_to_share": "c"},
        ).status_code
        == 422
    )
    done = _post(
        doctor, f"{API}/tandem-reports/{report.json()['id']}/acknowledge", {"response": "Merci"}
    ).json()
    assert done["reply"] == "Merci" and done["acknowledged_at"]


def test_tandems_supervision_practice_and_dashboard_endpoints(world):
    from tests.accompaniment.factories import (
        PracticeGroupSessionFactory,
        SupervisionSessionFactory,
        TandemFactory,
    )

    partner = partner_for(world.memberships["partner"])
    tandem = TandemFactory(structure=world.a, doctor=world.memberships["doctor"], partner=partner)
    TandemFactory(structure=world.a)  # another doctor's tandem
    from binome.tandems.services import save_scope

    save_scope(tandem, text="Écoute, pas de conseil médical", user=world.users["doctor"])
    rows = _client(world.users["doctor"]).get(f"{API}/tandems/").json()["items"]
    assert [r["id"] for r in rows] == [str(tandem.public_id)] and rows[0]["scope_version"] == 1
    assert len(_client(world.users["coordinator"]).get(f"{API}/tandems/").json()["items"]) == 2

    SupervisionSessionFactory(partner=partner, structure=world.a, private_notes="MES-NOTES")
    SupervisionSessionFactory(structure=world.a)  # another partner's
    client = _client(world.users["partner"])
    items = client.get(f"{API}/supervision/").json()["items"]
    assert [i["private_notes"] for i in items] == ["MES-NOTES"]
    assert _client(world.users["coordinator"]).get(f"{API}/supervision/").json()["items"] == []
    created = _post(
        client,
        f"{API}/supervision/",
        {"structure": "structure-a", "date": "2026-01-10", "duration_minutes": 45},
    )
    assert created.status_code == 201
    assert (
        _post(
            client,
            f"{API}/supervision/",
            {"structure": "structure-a", "date": "2026-01-10", "duration_minutes": 0},
        ).status_code
        == 422
    )

    PracticeGroupSessionFactory(structure=world.a)
    PracticeGroupSessionFactory(structure=world.b)
    assert len(client.get(f"{API}/practice-sessions/").json()["items"]) == 1

    _acc(world, partner=partner)
    figures = _client(world.users["coordinator"]).get(f"{API}/dashboard").json()
    assert figures["structure"] == "structure-a" and figures["totals"]["waiting"] == 1
    assert figures["by_partner"][0]["open"] == 1 and figures["by_pathway"][0]["pathway"] == "cancer"
    assert _client(world.users["doctor"]).get(f"{API}/dashboard").status_code == 403


def test_key_moment_time_is_a_local_time_as_documented(world):
    """Fuzzing (issue 9): an offset in "time" made SQLite fail (500), and answers broke the
    documented RFC 3339 "format: time"; now HH:MM[:SS] without offset, an offset is a 422."""
    import re

    acc = _acc(world)
    client = _client(world.users["partner"])
    url = f"{API}/{acc.public_id}/key-moments"
    ok = _post(
        client,
        url,
        {"kind": "consultation", "label": "Consultation", "date": "2026-12-01", "time": "10:30"},
    )
    assert ok.status_code == 201 and ok.json()["time"] == "10:30:00"
    for value in ["10:30:00+01:00", "10:30:00Z"]:
        refused = _post(client, url, {"kind": "consultation", "date": "2026-12-01", "time": value})
        assert refused.status_code == 422
        assert refused.json()["errors"] == [
            {"field": "time", "message": "Heure locale attendue (HH:MM), sans fuseau horaire."}
        ]
    assert acc.key_moments.count() == 1
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]["KeyMomentOut"]
    pattern = schema["properties"]["time"]["anyOf"][0]["pattern"]
    assert "format" not in schema["properties"]["time"]["anyOf"][0]
    assert re.match(pattern, ok.json()["time"])


@pytest.mark.parametrize(
    "path, payload, field",
    [
        ("key-moments", {"kind": "consultation", "date": "0001-01-01"}, "date"),
        ("key-moments", {"kind": "consultation", "date": "9999-12-31"}, "date"),
        ("contacts", {"occurred_at": "0001-01-01T00:00:00+05:00"}, "occurred_at"),
    ],
)
def test_dates_at_the_edge_of_the_calendar_are_a_422_not_a_500(world, path, payload, field):
    """Fuzzing (issue 9): year 1 overflowed the reminder arithmetic and the UTC conversion."""
    acc = _acc(world)
    response = _post(_client(world.users["partner"]), f"{API}/{acc.public_id}/{path}", payload)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": field, "message": "Date hors de la plage acceptée (1900 à 2100)."}
    ]
    assert not acc.key_moments.exists() and not acc.contacts.exists()
