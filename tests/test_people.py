"""People and structures: the team page, invitations, the structure form, scoping."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from binome.audit.models import AuditEvent
from binome.people.models import Invitation, Membership, Role, Structure
from binome.people.scoping import structure_scope
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_members_page_lists_the_team_without_patients(world):
    response = world.client_for("coordinator").get(reverse("people:members"))
    assert response.status_code == 200
    emails = {row["email"] for row in response.context["rows"]}
    assert world.users["doctor"].email in emails and world.users["partner"].email in emails
    assert world.users["patient"].email not in emails
    assert world.users_b["doctor"].email not in emails
    assert AuditEvent.objects.filter(kind="people.members_read", structure=world.a).count() == 1


def test_members_page_shows_emails_and_actions_to_coordinators_only(world):
    as_coordinator = world.client_for("coordinator").get(reverse("people:members")).content.decode()
    assert "doctor@a.test" in as_coordinator and "Inviter une personne" in as_coordinator
    as_partner = world.client_for("partner").get(reverse("people:members")).content.decode()
    assert "doctor@a.test" not in as_partner and "Inviter une personne" not in as_partner


def test_members_page_filters_by_role_and_keeps_the_filter_across_pages(world):
    for i in range(55):
        MembershipFactory(structure=world.a, role=Role.PARTNER, user__email=f"p{i}@a.test")
    client = world.client_for("coordinator")
    response = client.get(reverse("people:members"), {"role": "partner"})
    page = response.context["page"]
    assert page.paginator.count == 56
    assert {row["role"] for row in response.context["rows"]} == {"Patient partenaire"}
    assert "role=partner&amp;page=2" in response.content.decode()
    second = client.get(reverse("people:members"), {"role": "partner", "page": 2})
    assert len(second.context["page"].object_list) == 6


def test_members_page_htmx_returns_only_the_rows(world):
    response = world.client_for("coordinator").get(
        reverse("people:members"),
        {"role": "professional"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="member-rows",
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="member-rows">')
    assert "<html" not in body


def test_invite_with_malformed_email_is_422_in_french_and_nothing_written(world):
    response = world.client_for("coordinator").post(
        reverse("people:invite"), {"email": "pas-une-adresse", "role": Role.PARTNER}
    )
    assert response.status_code == 422
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    # The page shown again still lists the team (it showed an empty table before).
    assert world.users["doctor"].email in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(kind="people.invitation_sent").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "a@exemple.fr", "role": "professional"}, "Indiquez la profession"),
        ({"email": "a@exemple.fr", "role": "roi"}, "Sélectionnez un choix valide"),
        ({"email": "", "role": "partner"}, "Ce champ est obligatoire"),
        ({"email": "doctor@a.test", "role": "professional", "profession": "gp"}, "déjà ce rôle"),
    ],
)
def test_invite_bad_input_is_422_and_nothing_written(world, data, message):
    response = world.client_for("coordinator").post(reverse("people:invite"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_of_a_professional_keeps_the_profession_and_others_drop_it(world):
    client = world.client_for("coordinator")
    client.post(
        reverse("people:invite"),
        {"email": "kine@exemple.fr", "role": "professional", "profession": "physio"},
    )
    client.post(
        reverse("people:invite"),
        {"email": "rose@exemple.fr", "role": "partner", "profession": "physio"},
    )
    assert Invitation.objects.get(email="kine@exemple.fr").profession == "physio"
    assert Invitation.objects.get(email="rose@exemple.fr").profession == ""
    assert len(mail.outbox) == 2
    assert "MSP Alpha" in mail.outbox[0].subject


def test_structure_form_with_invalid_siret_is_422_in_french_and_nothing_written(world):
    client = world.client_for("coordinator")
    data = {
        "name": "Nouveau nom",
        "kind": "msp",
        "siret": "12345678901234",
        "region": "OCC",
        "first_contact_deadline_hours": 48,
    }
    response = client.post(reverse("people:structure"), data)
    assert response.status_code == 422
    assert "Numéro SIRET invalide" in response.content.decode()
    assert Structure.objects.get(pk=world.a.pk).name == "MSP Alpha"
    assert not AuditEvent.objects.filter(kind="people.structure_updated").exists()


def test_structure_form_saves_and_audits(world):
    client = world.client_for("coordinator")
    data = {
        "name": "MSP Alpha-Centre",
        "kind": "msp",
        "siret": "732 829 320 00074",
        "finess": "310012349",
        "region": "OCC",
        "department": "31",
        "commune": "Balma",
        "aci_signatory": "on",
        "health_project_year": 2021,
        "first_contact_deadline_hours": 24,
    }
    response = client.post(reverse("people:structure"), data)
    assert response.status_code == 302
    structure = Structure.objects.get(pk=world.a.pk)
    assert structure.siret == "73282932000074" and structure.first_contact_deadline_hours == 24
    event = AuditEvent.objects.get(kind="people.structure_updated")
    assert "siret" in event.data["fields"]


def test_structure_page_is_read_only_for_the_team(world):
    client = world.client_for("doctor")
    page = client.get(reverse("people:structure"))
    assert page.status_code == 200 and page.context["form"] is None
    response = client.post(
        reverse("people:structure"), {"name": "Piraté", "kind": "msp", "region": "OCC"}
    )
    assert response.status_code == 403
    assert Structure.objects.get(pk=world.a.pk).name == "MSP Alpha"


def test_the_last_coordinator_cannot_be_removed(world):
    client = world.client_for("coordinator")
    client.post(
        reverse("people:deactivate_member", args=[world.memberships["coordinator"].public_id])
    )
    assert Membership.objects.get(pk=world.memberships["coordinator"].pk).is_active


def test_removing_a_member_deactivates_without_deleting(world):
    client = world.client_for("coordinator")
    membership = world.memberships["partner"]
    assert (
        client.post(reverse("people:deactivate_member", args=[membership.public_id])).status_code
        == 302
    )
    membership.refresh_from_db()
    assert not membership.is_active and membership.deactivated_at is not None
    # The person loses access to the structure's pages at once.
    assert world.client_for("partner").get(reverse("people:members")).status_code == 403


def test_switch_context_only_to_own_structures(world):
    user = world.users["doctor"]
    MembershipFactory(user=user, structure=world.b, role=Role.PARTNER)
    client = world.client_for("doctor")
    client.post(reverse("web:switch_context"), {"context": f"structure:{world.b.slug}"})
    assert client.get("/").context["current_structure"] == world.b
    outsider = world.client_for("coordinator")
    outsider.post(
        reverse("web:switch_context"),
        {"context": f"structure:{world.b.slug}", "next": "https://evil.example/"},
    )
    assert outsider.get("/").context["current_structure"] == world.a


def test_switch_context_refuses_external_next(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("web:switch_context"),
        {"context": f"structure:{world.a.slug}", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def _scoped_models():
    from django.apps import apps

    return [m for m in apps.get_models() if hasattr(m._default_manager, "with_scope")]


def test_scoped_querysets_refuse_to_run_unscoped(db):
    """A structure-owned model cannot be queried without a scope (django-scopes)."""
    from django_scopes import scope
    from django_scopes.exceptions import ScopeError

    scoped = _scoped_models()
    assert scoped, "structure-owned models use StructureScopedManager"
    for model in scoped:
        with scope(), pytest.raises(ScopeError):
            list(model.objects.all()[:1])


def test_an_empty_or_none_scope_shows_nothing(world):
    for model in _scoped_models():
        with structure_scope(None):
            assert model.objects.count() == 0, model
        with structure_scope([]):
            assert model.objects.count() == 0, model


def test_login_is_required_by_default(db):
    response = Client().get(reverse("people:members"))
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    assert Client().get("/healthz").json() == {"status": "ok"}


def test_members_page_query_budget(world, django_assert_max_num_queries):
    for i in range(30):
        MembershipFactory(
            structure=world.a,
            role=Role.PROFESSIONAL if i % 2 else Role.PARTNER,
            profession="nurse" if i % 2 else "",
        )
    client = world.client_for("coordinator")
    client.get(reverse("people:members"))
    # Base (5) + count, members, pending invitations, the audit row of this reading.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("people:members"))
    assert response.status_code == 200
    assert "Infirmier·e" in response.content.decode()
