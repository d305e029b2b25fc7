"""The partner may say no (seed 002): a declined referral or an accompaniment handed back is
confided by the coordinator to another partner; the patient is told, the history keeps both
partners, the consents stay with the patient, and the reason stays with the coordination."""

import pytest
from django.core import mail
from django.urls import reverse

from binome.accompaniment.models import Accompaniment, Consent, Deadline, Handover, Notification
from binome.audit.models import AuditEvent
from binome.partners.models import PartnerTag
from tests.accompaniment.factories import (
    AccompanimentFactory,
    ContactFactory,
    PartnerFactory,
    partner_for,
)
from tests.accompaniment.test_api import _client, _post

pytestmark = pytest.mark.django_db
API = "/api/v1/accompaniment"
REASON = "Parcours trop proche du mien en ce moment"


def _referral(world, **kw):
    from binome.accompaniment.services import create_referral

    partner = partner_for(world.memberships["partner"])
    return create_referral(
        structure=world.a,
        referrer=world.memberships["doctor"],
        patient_data={
            "first_name": "Josiane",
            "last_name": "Marty",
            "phone": "0611223344",
            "email": "josiane@exemple.fr",
            "pathway": "cancer",
        },
        purposes=["contact_by_partner", "share_contact_details"],
        method="signed_form",
        partner=partner,
        **kw,
    )


def _other_partner(world, **kw):
    return PartnerFactory(structure=world.a, first_name="Odile", **kw)


def test_a_declined_referral_is_confided_to_another_partner(
    world, django_capture_on_commit_callbacks
):
    acc = _referral(world)
    consents = set(Consent.objects.filter(patient=acc.patient).values_list("pk", flat=True))
    partner = world.client_for("partner")
    detail = reverse("accompaniment:detail", args=[acc.public_id])
    assert "Je ne peux pas accompagner cette personne" in partner.get(detail).content.decode()
    response = partner.post(
        reverse("accompaniment:hand_back", args=[acc.public_id]), {"reason": REASON}
    )
    assert response.status_code == 302
    acc.refresh_from_db()
    assert acc.status == Accompaniment.Status.TO_REASSIGN
    assert partner.get(detail).status_code == 404  # no longer theirs
    assert not Deadline.objects.filter(
        accompaniment=acc, done_at__isnull=True
    ).exists()  # their reminders stop
    coordinator_page = world.client_for("coordinator").get(detail).content.decode()
    assert (
        REASON in coordinator_page and "Confier à un autre patient partenaire" in coordinator_page
    )
    assert (
        REASON not in world.client_for("doctor").get(detail).content.decode()
    )  # the reason stays with the coordination
    assert Notification.objects.filter(
        recipient=world.users["coordinator"], accompaniment=acc
    ).exists()

    odile = _other_partner(world)
    with django_capture_on_commit_callbacks(execute=True):
        done = world.client_for("coordinator").post(
            reverse("accompaniment:reassign", args=[acc.public_id]),
            {"partner": str(odile.public_id)},
        )
    assert done.status_code == 302
    acc.refresh_from_db()
    assert (
        acc.partner == odile
        and acc.status == Accompaniment.Status.REFERRED
        and acc.first_contact_at is None
    )
    handover = Handover.objects.get()
    assert (
        handover.partner == partner_for(world.memberships["partner"])
        and handover.reassigned_to == odile
    )
    assert set(Consent.objects.filter(patient=acc.patient).values_list("pk", flat=True)) == consents
    assert Notification.objects.filter(recipient=odile.membership.user, accompaniment=acc).exists()
    assert any(
        m.to == ["josiane@exemple.fr"] and "autre patient partenaire" in m.body for m in mail.outbox
    )
    assert not [m for m in mail.outbox if "Marty" in m.body or "cancer" in m.body.lower()]
    history = world.client_for("doctor").get(detail).content.decode()
    assert "Patients partenaires successifs" in history and "Odile" in history
    assert {e.kind for e in AuditEvent.objects.all()} >= {
        "accompaniment.handed_back",
        "accompaniment.reassigned",
    }


def test_the_new_partner_does_not_read_the_previous_partner_notes(world):
    acc = _referral(world)
    ContactFactory(
        accompaniment=acc,
        private_notes="NOTES-DE-LA-PREMIERE",
        summary_to_share="",
        created_by=world.users["partner"],
    )
    from binome.accompaniment import services

    services.hand_back(acc, user=world.users["partner"], reason=REASON)
    odile = _other_partner(world)
    services.reassign(acc, to_partner=odile, user=world.users["coordinator"])
    rows = _client(odile.membership.user).get(f"{API}/{acc.public_id}/contacts").json()["items"]
    assert len(rows) == 1 and rows[0]["private_notes"] is None


def test_reassignment_refuses_an_overloaded_or_excluded_partner_and_writes_nothing(world):
    acc = _referral(world)
    from binome.accompaniment import services

    services.hand_back(acc, user=world.users["partner"], reason=REASON)
    full = _other_partner(world, max_active_accompaniments=1)
    AccompanimentFactory(structure=world.a, partner=full)
    limited = _other_partner(world)
    PartnerTag.objects.create(
        partner=limited, kind=PartnerTag.Kind.LIMIT, value="cancer", label="Cancer"
    )
    coordinator = world.client_for("coordinator")
    for partner, words in ((full, "plafond"), (limited, "ne pas souhaiter")):
        page = coordinator.post(
            reverse("accompaniment:reassign", args=[acc.public_id]),
            {"partner": str(partner.public_id)},
        )
        assert page.status_code == 422 and words in page.content.decode()
        api = _post(
            _client(world.users["coordinator"]),
            f"{API}/{acc.public_id}/reassign",
            {"partner": str(partner.public_id)},
        )
        assert api.status_code == 422 and words in str(api.json())
    acc.refresh_from_db()
    assert (
        acc.status == Accompaniment.Status.TO_REASSIGN
        and not Handover.objects.filter(reassigned_at__isnull=False).exists()
    )
    # the partner who handed it back cannot take it again, nor a doctor reassign it
    back = _post(
        _client(world.users["coordinator"]),
        f"{API}/{acc.public_id}/reassign",
        {"partner": str(partner_for(world.memberships["partner"]).public_id)},
    )
    assert back.status_code == 422
    assert (
        _post(
            _client(world.users["doctor"]),
            f"{API}/{acc.public_id}/reassign",
            {"partner": str(_other_partner(world).public_id)},
        ).status_code
        == 403
    )


def test_hand_back_and_reassign_through_the_api(world):
    acc = _referral(world)
    assert (
        _post(
            _client(world.users["doctor"]), f"{API}/{acc.public_id}/hand-back", {"reason": "x"}
        ).status_code
        == 403
    )
    assert (
        _post(
            _client(world.users["partner"]), f"{API}/{acc.public_id}/hand-back", {"reason": ""}
        ).status_code
        == 422
    )
    answer = _post(
        _client(world.users["partner"]), f"{API}/{acc.public_id}/hand-back", {"reason": REASON}
    )
    assert answer.status_code == 200 and answer.json()["status"] == "to_reassign"
    assert _client(world.users["partner"]).get(f"{API}/{acc.public_id}").status_code == 404
    odile = _other_partner(world)
    moved = _post(
        _client(world.users["coordinator"]),
        f"{API}/{acc.public_id}/reassign",
        {"partner": str(odile.public_id)},
    )
    assert moved.status_code == 200 and moved.json()["partner"] == str(odile.public_id)
    detail = _client(world.users["coordinator"]).get(f"{API}/{acc.public_id}").json()
    assert (
        detail["handovers"][0]["reason"] == REASON
        and detail["handovers"][0]["reassigned_to"] == odile.full_name
    )
    doctor = _client(world.users["doctor"]).get(f"{API}/{acc.public_id}").json()
    assert doctor["handovers"][0]["reason"] is None


def test_one_load_figure_a_handed_back_accompaniment_leaves_the_partner_load(world):
    from binome.accompaniment import services

    acc = _referral(world)
    partner = partner_for(world.memberships["partner"])

    def load():
        return {s.partner.pk: s.load for s in services.suggest_partners(world.a, "cancer")}[
            partner.pk
        ]

    assert load() == 1
    services.hand_back(acc, user=world.users["partner"], reason=REASON)
    assert load() == 0
    page = world.client_for("coordinator").get(reverse("accompaniment:load")).content.decode()
    assert "0 / " in page
