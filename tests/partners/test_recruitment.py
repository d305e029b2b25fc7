"""Public call for candidates, candidacy form (no account), poster, pipeline and decisions."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from binome.audit.models import AuditEvent
from binome.partners.models import Decision, Evaluation, MeetingNote, Partner
from binome.people import services as people_services
from binome.people.models import Invitation, Role
from tests.partners.factories import CriterionFactory, PartnerFactory, RecruitmentCallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(world):
    return RecruitmentCallFactory(structure=world.a, title="Rejoignez-nous")


def _form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"].initial["submission_token"]


GOOD = {
    "first_name": "Gérard",
    "last_name": "Pons",
    "email": "gerard.pons@exemple.fr",
    "phone": "06 12 34 56 78",
    "motivation": "Je vis avec une BPCO.",
    "consent": "on",
}


def test_public_page_and_candidacy_without_account(world, call, client):
    url = reverse("partners_public:call", args=[world.a.slug])
    response = client.get(url)
    assert "Rejoignez-nous" in response.content.decode()
    assert 'name="website"' in response.content.decode()  # honeypot present, hidden by CSS
    token = response.context["form"].initial["submission_token"]
    response = client.post(url, {**GOOD, "submission_token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("partners_public:thanks", args=[world.a.slug])
    partner = Partner.objects.get(structure=world.a)
    assert partner.status == Partner.Status.CANDIDATE
    assert partner.source == Partner.Source.PUBLIC_FORM
    assert partner.membership is None
    assert partner.phone == "06 12 34 56 78"
    assert (
        AuditEvent.objects.filter(kind="partners.candidacy_received", structure=world.a).count()
        == 1
    )


def test_retried_post_is_stored_once(world, call, client):
    url = reverse("partners_public:call", args=[world.a.slug])
    token = _form(client, url)
    for _ in range(3):
        assert client.post(url, {**GOOD, "submission_token": token}).status_code == 302
    assert Partner.objects.filter(structure=world.a).count() == 1


def test_honeypot_stores_nothing(world, call, client):
    url = reverse("partners_public:call", args=[world.a.slug])
    token = _form(client, url)
    response = client.post(
        url, {**GOOD, "submission_token": token, "website": "http://spam.example"}
    )
    assert response.status_code == 302
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "pas-une-adresse", "Saisissez une adresse e-mail valide"),
        ("phone", "12345", "Numéro de téléphone invalide"),
        ("first_name", "", "Indiquez votre prénom."),
        ("consent", "", "Votre accord est nécessaire"),
    ],
)
def test_bad_input_is_refused_in_french(world, call, client, field, value, message):
    url = reverse("partners_public:call", args=[world.a.slug])
    token = _form(client, url)
    data = {**GOOD, "submission_token": token, field: value}
    if not value:
        data.pop(field)
    response = client.post(url, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Partner.objects.exists()


def test_email_or_phone_needed(world, call, client):
    url = reverse("partners_public:call", args=[world.a.slug])
    data = {**GOOD, "submission_token": _form(client, url), "email": "", "phone": ""}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "au moins une adresse e-mail ou un numéro de téléphone" in response.content.decode()
    assert not Partner.objects.exists()


def test_rate_limit_on_public_form(world, call, client):
    url = reverse("partners_public:call", args=[world.a.slug])
    statuses = [
        client.post(url, {**GOOD, "submission_token": f"jeton-de-soumission-{i}"}).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429, 429]
    assert Partner.objects.count() == 10


def test_no_open_call_is_404(world, client):
    RecruitmentCallFactory(structure=world.a, is_open=False)
    assert client.get(reverse("partners_public:call", args=[world.a.slug])).status_code == 404
    assert client.get(reverse("partners_public:call", args=["inconnue"])).status_code == 404


def test_recruitment_page_poster_and_criteria(world, call):
    client = world.client_for("coordinator")
    response = client.get(reverse("partners:recruitment"))
    assert response.status_code == 200
    assert "data:image/svg+xml" in response.content.decode()  # QR code
    poster = client.get(reverse("partners:poster"))
    assert poster["Content-Type"] == "application/pdf"
    assert poster.content.startswith(b"%PDF")
    response = client.post(
        reverse("partners:add_criterion"), {"kind": "dealbreaker", "label": "Règle des comptes"}
    )
    assert response.status_code == 302
    assert world.a.evaluation_criteria.filter(
        label="Règle des comptes", kind="dealbreaker"
    ).exists()


def test_coordinator_opens_a_call(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("partners:recruitment"),
        {"title": "Appel 2026", "introduction": "Bonjour", "is_open": "on"},
    )
    assert response.status_code == 302
    assert world.a.recruitment_calls.get().is_open


def test_pipeline_lists_candidacies(world):
    PartnerFactory(structure=world.a, status="candidate", first_name="Alice")
    PartnerFactory(structure=world.a, status="met", first_name="Bruno")
    PartnerFactory(structure=world.b, status="candidate", first_name="Chloé")
    response = world.client_for("doctor").get(reverse("partners:pipeline"))
    body = response.content.decode()
    assert "Alice" in body and "Bruno" in body and "Chloé" not in body


def test_decision_records_who_when_why(world):
    partner = PartnerFactory(structure=world.a, status="candidate")
    client = world.client_for("coordinator")
    response = client.post(
        reverse("partners:decide", args=[partner.public_id]),
        {"to_status": "met", "reason": "Rencontre faite."},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.status == "met"
    decision = Decision.objects.get(partner=partner)
    assert (decision.from_status, decision.to_status, decision.reason) == (
        "candidate",
        "met",
        "Rencontre faite.",
    )
    assert decision.decided_by == world.users["coordinator"]


def test_impossible_or_unexplained_decision_changes_nothing(world):
    partner = PartnerFactory(structure=world.a, status="candidate")
    client = world.client_for("coordinator")
    response = client.post(
        reverse("partners:decide", args=[partner.public_id]),
        {"to_status": "active", "reason": "Trop vite"},
    )
    assert response.status_code == 422
    response = client.post(
        reverse("partners:decide", args=[partner.public_id]), {"to_status": "met", "reason": ""}
    )
    assert response.status_code == 422
    assert "Indiquez le motif de la décision." in response.content.decode()
    partner.refresh_from_db()
    assert partner.status == "candidate"
    assert not Decision.objects.exists()


def test_meeting_notes_and_evaluation_grid(world):
    partner = PartnerFactory(structure=world.a, status="met")
    criterion = CriterionFactory(structure=world.a, label="Écoute")
    client = world.client_for("nurse")
    response = client.post(
        reverse("partners:add_meeting", args=[partner.public_id]),
        {"met_on": "2026-01-10", "notes": "Très à l'écoute."},
    )
    assert response.status_code == 302
    assert MeetingNote.objects.get(partner=partner).author == world.users["nurse"]
    data = {f"rating_{criterion.pk}": "yes", f"comment_{criterion.pk}": "Oui"}
    assert (
        client.post(reverse("partners:evaluate", args=[partner.public_id]), data).status_code == 302
    )
    assert (
        client.post(
            reverse("partners:evaluate", args=[partner.public_id]),
            {**data, f"rating_{criterion.pk}": "partly"},
        ).status_code
        == 302
    )
    evaluation = Evaluation.objects.get(partner=partner)
    assert evaluation.rating == "partly"
    body = html.unescape(
        world.client_for("coordinator")
        .get(reverse("partners:detail", args=[partner.public_id]))
        .content.decode()
    )
    assert "Très à l'écoute." in body and "Écoute" in body


def test_invitation_links_the_new_account_to_the_candidacy(world):
    partner = PartnerFactory(structure=world.a, status="onboarded", email="nouvelle@exemple.fr")
    client = world.client_for("coordinator")
    assert client.post(reverse("partners:invite", args=[partner.public_id])).status_code == 302
    invitation = Invitation.objects.get(email="nouvelle@exemple.fr", role=Role.PARTNER)
    assert len(mail.outbox) == 1
    people_services.accept_invitation(
        invitation, first_name="Nina", last_name="Vidal", password="un-mot-de-passe-long"
    )
    partner.refresh_from_db()
    assert partner.membership is not None
    assert partner.membership.user.email == "nouvelle@exemple.fr"
