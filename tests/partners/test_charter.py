"""The charter of reciprocal engagement: versions and signatures."""

import html

import pytest
from django.urls import reverse

from binome.partners import services
from binome.partners.charter_text import DEFAULT_TEXT
from binome.partners.models import Charter, CharterSignature
from tests.partners.factories import partner_for

pytestmark = pytest.mark.django_db


def _body(response):
    return html.unescape(response.content.decode())


def test_default_text_states_the_seed_values():
    for value in (
        "Confidentialité",
        "Partenariat",
        "Complémentarité des savoirs",
        "Respect des points de vue",
        "Écoute des besoins des patients",
        "temporalité du patient partenaire",
    ):
        assert value in DEFAULT_TEXT


def test_coordinator_publishes_the_first_version_from_the_default(world):
    client = world.client_for("coordinator")
    page = _body(client.get(reverse("partners:charter")))
    assert "Complémentarité des savoirs" in page  # proposed in the form
    response = client.post(
        reverse("partners:publish_charter"),
        {"title": "Charte", "text": DEFAULT_TEXT, "change_note": ""},
    )
    assert response.status_code == 302
    assert Charter.objects.get(structure=world.a).version == 1


def test_partner_signs_once_and_second_signature_is_refused(world):
    partner = partner_for(world)
    charter = services.ensure_charter(world.a)
    client = world.client_for("partner")
    response = client.post(reverse("partners:sign_charter"), {"agree": "on", "version": "1"})
    assert response.status_code == 302
    signature = CharterSignature.objects.get(charter=charter)
    assert (signature.user, signature.partner, signature.method, signature.signer_role) == (
        world.users["partner"],
        partner,
        "online",
        "partner",
    )
    response = client.post(reverse("partners:sign_charter"), {"agree": "on", "version": "1"})
    assert response.status_code == 422
    assert "a déjà signé la version 1 de la charte" in _body(response)
    assert CharterSignature.objects.count() == 1


def test_signing_needs_the_box_ticked(world):
    services.ensure_charter(world.a)
    response = world.client_for("doctor").post(reverse("partners:sign_charter"), {"version": "1"})
    assert response.status_code == 422
    assert "Cochez" in _body(response)
    assert not CharterSignature.objects.exists()


def test_new_version_asks_for_new_signatures(world):
    charter = services.ensure_charter(world.a)
    services.sign_charter(
        charter, user=world.users["doctor"], method="online", recorded_by=world.users["doctor"]
    )
    doctor = world.client_for("doctor")
    assert "Vous avez signé cette version" in _body(doctor.get(reverse("partners:charter")))
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        reverse("partners:publish_charter"),
        {"title": charter.title, "text": charter.text + "\n8. Nouveau", "change_note": "Ajout"},
    )
    assert response.status_code == 302
    page = _body(doctor.get(reverse("partners:charter")))
    assert "version 2" in page and "Signer la charte en ligne" in page
    home = _body(doctor.get(reverse("web:home")))
    assert "Charte d'engagement à signer" in home
    # Signing the old version from a stale page is refused.
    response = doctor.post(reverse("partners:sign_charter"), {"agree": "on", "version": "1"})
    assert response.status_code == 422
    assert "nouvelle version" in _body(response)
    # The same text again is not a new version.
    v2 = Charter.objects.get(structure=world.a, version=2)
    response = coordinator.post(
        reverse("partners:publish_charter"), {"title": v2.title, "text": v2.text, "change_note": ""}
    )
    assert response.status_code == 422
    assert Charter.objects.filter(structure=world.a).count() == 2


def test_paper_signature_recorded_by_coordinator(world):
    charter = services.ensure_charter(world.a)
    client = world.client_for("coordinator")
    data = {"member": world.memberships["nurse"].pk, "method": "paper", "signed_on": "2026-01-15"}
    assert client.post(reverse("partners:record_signature"), data).status_code == 302
    signature = CharterSignature.objects.get(charter=charter)
    assert (signature.user, signature.method, signature.recorded_by) == (
        world.users["nurse"],
        "paper",
        world.users["coordinator"],
    )
    assert signature.signed_at.date().isoformat() == "2026-01-15"
    response = client.post(reverse("partners:record_signature"), data)
    assert response.status_code == 422
    assert "a déjà signé la version 1" in _body(response)
    assert CharterSignature.objects.count() == 1


def test_member_of_another_structure_cannot_be_recorded(world):
    services.ensure_charter(world.a)
    data = {"member": world.memberships_b["nurse"].pk, "method": "paper", "signed_on": "2026-01-15"}
    response = world.client_for("coordinator").post(reverse("partners:record_signature"), data)
    assert response.status_code == 422
    assert not CharterSignature.objects.exists()
