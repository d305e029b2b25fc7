"""Right of access (export) and erasure through the pages."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.accounts.models import ApiToken
from binome.audit.models import AuditEvent
from binome.audit.services import record
from binome.people.models import Invitation, Membership, Role, User
from tests.conftest import force_verified_login
from tests.factories import PASSWORD, MembershipFactory, StructureFactory, UserFactory


def _export(client, url, fmt="json", password=PASSWORD, prefix=""):
    return client.post(url, {f"{prefix}format": fmt, f"{prefix}password": password})


def test_a_person_exports_their_own_data_after_typing_their_password(world):
    user = world.users["partner"]
    record("people.members_read", actor=world.users["doctor"], structure=world.a, subject=user)
    client = world.client_for("partner")
    url = reverse("privacy:export_mine")

    refused = _export(client, url, password="mauvais")
    assert refused.status_code == 422
    assert "Mot de passe incorrect" in refused.content.decode()
    assert not AuditEvent.objects.filter(kind="privacy.export").exists()

    response = _export(client, url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "mes-donnees-binome" in response["Content-Disposition"]
    data = json.loads(response.content)
    users = next(s for s in data["sections"] if s["model"] == "people.user")
    values = {v["field"]: v["value"] for v in users["rows"][0]["values"]}
    assert values["email"] == "partner@a.test"
    memberships = next(s for s in data["sections"] if s["model"] == "people.membership")
    assert len(memberships["rows"]) == 1
    # Who read their data, by name: the doctor's read is listed; their own actions are not.
    assert [r["actor"] for r in data["reads"]] == [str(world.users["doctor"])]
    event = AuditEvent.objects.get(kind="privacy.export")
    assert (
        event.subject == user
        and event.actor == user
        and event.data == {"format": "json", "by_self": True}
    )


def test_the_pdf_export_is_a_readable_french_document(world):
    client = world.client_for("patient")
    response = _export(client, reverse("privacy:export_mine"), fmt="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_mine_page_links_from_the_account_page(world):
    client = world.client_for("user_rep")
    assert reverse("privacy:mine") in client.get(reverse("accounts:account")).content.decode()
    page = client.get(reverse("privacy:mine")).content.decode()
    assert "Télécharger mes données" in page and "inscrit au journal" in page


def test_magic_link_accounts_need_a_recent_sign_in(world):
    patient = world.users["patient"]
    patient.set_unusable_password()
    patient.last_login = timezone.now() - timedelta(hours=1)
    patient.save()
    client = world.client_for("patient")
    User.objects.filter(pk=patient.pk).update(last_login=timezone.now() - timedelta(hours=1))
    response = client.post(reverse("privacy:export_mine"), {"format": "json"})
    assert response.status_code == 422
    assert "nouveau lien" in response.content.decode()
    User.objects.filter(pk=patient.pk).update(last_login=timezone.now())
    assert client.post(reverse("privacy:export_mine"), {"format": "json"}).status_code == 200


def test_a_coordinator_exports_a_member_with_only_their_structure_data(world):
    partner = world.users["partner"]
    MembershipFactory(user=partner, structure=world.b, role=Role.PARTNER)
    record(
        "people.members_read",
        actor=world.users_b["coordinator"],
        structure=world.b,
        subject=partner,
    )
    ApiToken.issue(partner, "jeton personnel")
    client = world.client_for("coordinator")
    url = reverse(
        "privacy:person_export", kwargs={"public_id": world.memberships["partner"].public_id}
    )

    response = _export(client, url, prefix="export-")

    assert response.status_code == 200
    data = json.loads(response.content)
    memberships = next(s for s in data["sections"] if s["model"] == "people.membership")
    assert len(memberships["rows"]) == 1  # not the membership in structure B
    assert not any(s["model"] == "accounts.apitoken" for s in data["sections"])  # owner only
    assert data["reads"] == []  # B's reads stay in B
    assert data["structure"] == world.a.name
    event = AuditEvent.objects.get(kind="privacy.export")
    assert (
        event.actor == world.users["coordinator"]
        and event.subject == partner
        and event.structure == world.a
    )


def test_erasure_anonymises_the_account_and_deletes_the_rest(world):
    person = world.users["user_rep"]
    coordinator = world.users["coordinator"]
    Invitation.objects.create(
        structure=world.a,
        email=person.email,
        first_name="Odile",
        role=Role.USER_REP,
        token_hash="x" * 64,
        invited_by=coordinator,
        expires_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    ApiToken.issue(person, "outil")
    record("auth.login", actor=person, structure=world.a)
    membership = world.memberships["user_rep"]
    client = world.client_for("coordinator")
    url = reverse("privacy:person_erase", kwargs={"public_id": membership.public_id})

    refused = client.post(url, {"erase-confirmation": "oui", "erase-password": PASSWORD})
    assert refused.status_code == 422
    assert "EFFACER" in refused.content.decode()
    assert User.objects.get(pk=person.pk).email == "user_rep@a.test"

    response = client.post(url, {"erase-confirmation": "effacer", "erase-password": PASSWORD})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == f"efface-{person.public_id}@efface.invalid"
    assert (person.first_name, person.last_name, person.phone, person.is_active) == (
        "",
        "",
        "",
        False,
    )
    assert not person.has_usable_password()
    assert not Invitation.objects.filter(first_name="Odile").exists()
    assert not ApiToken.objects.filter(user=person).exists()
    membership.refresh_from_db()
    assert not membership.is_active  # kept for the counts, deactivated
    assert AuditEvent.objects.filter(
        kind="auth.login", actor=person
    ).exists()  # kept, no identity left
    erased = AuditEvent.objects.get(kind="privacy.person_erased")
    assert erased.subject == person and erased.actor == coordinator
    assert erased.data["rows"]["people.invitation"] == 1
    # The person can no longer sign in.
    from django.test import Client

    login = Client().post(
        reverse("accounts:login"), {"username": "user_rep@a.test", "password": PASSWORD}
    )
    assert login.status_code == 200 and "_auth_user_id" not in login.wsgi_request.session


def test_erasure_is_refused_for_someone_also_in_another_structure(world):
    person = world.users["doctor"]
    MembershipFactory(user=person, structure=world.b, role=Role.PROFESSIONAL)
    client = world.client_for("coordinator")
    url = reverse(
        "privacy:person_erase", kwargs={"public_id": world.memberships["doctor"].public_id}
    )
    response = client.post(url, {"erase-confirmation": "EFFACER", "erase-password": PASSWORD})
    assert response.status_code == 422
    assert "autre structure" in response.content.decode()
    assert User.objects.get(pk=person.pk).is_active
    assert not AuditEvent.objects.filter(kind="privacy.person_erased").exists()


def test_a_coordinator_cannot_erase_themself(world):
    client = world.client_for("coordinator")
    url = reverse(
        "privacy:person_erase", kwargs={"public_id": world.memberships["coordinator"].public_id}
    )
    response = client.post(url, {"erase-confirmation": "EFFACER", "erase-password": PASSWORD})
    assert response.status_code == 422
    assert User.objects.get(pk=world.users["coordinator"].pk).is_active


def test_person_page_shows_counts_and_is_audited(world):
    client = world.client_for("coordinator")
    membership = world.memberships["partner"]
    response = client.get(reverse("privacy:person", kwargs={"public_id": membership.public_id}))
    assert response.status_code == 200
    assert "Effacer définitivement" in response.content.decode()
    assert AuditEvent.objects.filter(kind="privacy.people_read", subject=membership.user).exists()


def _grow(structure, n):
    for _ in range(n):
        MembershipFactory(structure=structure, role=Role.PARTNER)


@pytest.mark.parametrize("url_name", ["privacy:people"])
def test_people_page_query_count_does_not_grow(world, django_assert_max_num_queries, url_name):
    client = world.client_for("coordinator")
    client.get(reverse(url_name))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _grow(world.a, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


def test_person_page_query_count_does_not_grow(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for("coordinator")
    membership = world.memberships["partner"]
    url = reverse("privacy:person", kwargs={"public_id": membership.public_id})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(10):
        Invitation.objects.create(
            structure=world.a,
            email=membership.user.email,
            role=Role.PARTNER,
            token_hash=f"{i}".ljust(64, "0"),
            invited_by=world.users["coordinator"],
            expires_at=timezone.now(),
        )
        ApiToken.issue(membership.user, f"jeton {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_outsider_structure_person_is_404_even_when_signed_in_elsewhere(world):
    other = StructureFactory()
    m = MembershipFactory(structure=other, user=UserFactory(), role=Role.PARTNER)
    client = world.client_for("coordinator")
    assert (
        client.get(reverse("privacy:person", kwargs={"public_id": m.public_id})).status_code == 404
    )
    assert Membership.objects.filter(pk=m.pk, is_active=True).exists()
    force_verified_login(client, world.users["coordinator"])


def test_the_platform_admin_erases_someone_in_several_structures(world, capsys):
    from django.core.management import call_command

    person = world.users["doctor"]
    MembershipFactory(user=person, structure=world.b, role=Role.PROFESSIONAL)
    call_command("erase_person", "Doctor@A.test", interactive=False)
    person.refresh_from_db()
    assert person.email.startswith("efface-") and not person.is_active
    assert not Membership.objects.filter(user=person, is_active=True).exists()
    out = capsys.readouterr().out
    assert "- people.membership : 2" in out and "Effacement terminé" in out
    assert AuditEvent.objects.filter(
        kind="privacy.person_erased", subject=person, actor=None
    ).exists()


def test_a_candidate_without_account_is_erased_by_email(world):
    from django.core.management import call_command

    Invitation.objects.create(
        structure=world.a,
        email="candidate@exemple.fr",
        first_name="Nadia",
        role=Role.PARTNER,
        token_hash="d" * 64,
        invited_by=world.users["coordinator"],
        expires_at=timezone.now(),
    )
    call_command("erase_person", "candidate@exemple.fr", interactive=False)
    assert not Invitation.objects.filter(email="candidate@exemple.fr").exists()


def test_export_query_count_does_not_grow_with_the_data(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from binome.privacy.registry import Person
    from binome.privacy.services import collect

    person = Person(user=world.users["partner"])

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            data = collect(person)
        return len(ctx.captured_queries), data

    small, _ = measure()
    for i in range(10):
        ApiToken.issue(person.user, f"jeton {i}")
        MembershipFactory(user=person.user, role=Role.PARTNER)
        record(
            "people.members_read",
            actor=world.users["doctor"],
            structure=world.a,
            subject=person.user,
        )
    large, data = measure()
    assert large <= small
    assert len(data["reads"]) == 10


def _pending(world, structure, email="nadia@exemple.fr", tag="n"):
    import hashlib

    return Invitation.objects.create(
        structure=structure,
        email=email,
        first_name="Nadia",
        last_name="Benali",
        role=Role.PARTNER,
        token_hash=hashlib.sha256(f"{tag}{structure.pk}".encode()).hexdigest(),
        invited_by=world.users["coordinator"],
        expires_at=timezone.now() + timedelta(days=3),
    )


def test_people_without_account_are_found_through_person_sources(world):
    invitation = _pending(world, world.a)
    client = world.client_for("coordinator")
    page = client.get(reverse("privacy:people"), {"source": "people.invitation", "q": "nadia"})
    assert page.status_code == 200
    url = reverse("privacy:record", args=["people.invitation", invitation.public_id])
    assert url in page.content.decode()
    detail = client.get(url)
    assert detail.status_code == 200 and "Nadia" in detail.content.decode()
    assert (
        client.get(
            reverse("privacy:record", args=["nothing.here", invitation.public_id])
        ).status_code
        == 404
    )


def test_a_coordinator_exports_and_erases_a_person_without_account_in_their_structure_only(world):
    invitation = _pending(world, world.a)
    in_b = _pending(world, world.b, tag="b")
    client = world.client_for("coordinator")
    export_url = reverse("privacy:record_export", args=["people.invitation", invitation.public_id])
    data = json.loads(_export(client, export_url, prefix="export-").content)
    invitations = next(s for s in data["sections"] if s["model"] == "people.invitation")
    assert len(invitations["rows"]) == 1  # not B's invitation of the same address
    assert AuditEvent.objects.get(kind="privacy.export").target_id == str(invitation.public_id)

    erase_url = reverse("privacy:record_erase", args=["people.invitation", invitation.public_id])
    response = client.post(erase_url, {"erase-confirmation": "EFFACER", "erase-password": PASSWORD})

    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert Invitation.objects.filter(pk=in_b.pk).exists()  # another team's data stays
