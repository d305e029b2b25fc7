"""A CPTS's shared pool of patient partners (issue 15): structures join the CPTS's pool, a
partner shares her profile with one structure at a time by her own consent, her load and
limits count everywhere, and patients never cross from one structure to another."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_scopes import scopes_disabled

from binome.accompaniment.models import Accompaniment
from binome.accompaniment.services import suggest_partners
from binome.audit.models import AuditEvent
from binome.partners import pool
from binome.partners.load import load_expression
from binome.partners.models import Partner, PartnerTag, PoolMembership, PoolShare, Training
from binome.people.models import Membership, Role, Structure
from tests.accompaniment.factories import AccompanimentFactory, PatientFactory
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory, StructureFactory
from tests.partners.factories import PartnerTagFactory, TrainingFactory, partner_for


@pytest.fixture
def cpts_pool(world):
    """CPTS C with a coordinator; A and B members of its pool; A's partner active."""
    cpts = StructureFactory(slug="cpts-c", name="CPTS du Canal", kind=Structure.Kind.CPTS)
    coordinator = MembershipFactory(structure=cpts, role=Role.COORDINATOR).user
    for member, user in (
        (world.a, world.users["coordinator"]),
        (world.b, world.users_b["coordinator"]),
    ):
        with scopes_disabled():
            link = pool.request_membership(cpts, member, actor=coordinator)
            pool.accept_membership(link, actor=user)
    with scopes_disabled():
        partner = partner_for(world, status=Partner.Status.ACTIVE, lived_experience="Mon histoire")
        PartnerTagFactory(partner=partner, kind=PartnerTag.Kind.LIMIT, label="Fin de vie")
        PartnerTagFactory(partner=partner, kind=PartnerTag.Kind.CONDITION, label="Cancer du sein")
        PartnerTagFactory(partner=partner, kind=PartnerTag.Kind.LANGUAGE, label="Arabe")
        TrainingFactory(partner=partner, title="ETP 40 h", proof="partners/trainings/x.pdf")
    return {"cpts": cpts, "coordinator": coordinator, "partner": partner}


def _api(user):
    from binome.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}"})


def _share_with_b(world, partner):
    with scopes_disabled():
        return pool.share(partner, world.b, actor=world.users["partner"])


@pytest.mark.django_db
def test_pool_structures_are_the_cpts_and_its_accepted_members(world, cpts_pool):
    cpts = cpts_pool["cpts"]
    outsider = StructureFactory(slug="ailleurs")
    with scopes_disabled():
        pending = pool.request_membership(cpts, outsider, actor=cpts_pool["coordinator"])
    assert pool.pool_structure_ids(world.a) == {cpts.pk, world.b.pk}
    assert pool.pool_structure_ids(cpts) == {world.a.pk, world.b.pk}  # pending not in it
    assert pool.pool_structure_ids(outsider) == set()
    assert not pending.is_open


@pytest.mark.django_db
def test_only_a_cpts_opens_a_pool_and_once_per_member(world, cpts_pool):
    with pytest.raises(ValidationError, match="Seule une CPTS"):
        pool.request_membership(world.a, world.b, actor=world.users["coordinator"])
    with pytest.raises(ValidationError, match="déjà membre"):
        pool.request_membership(cpts_pool["cpts"], world.a, actor=cpts_pool["coordinator"])
    with pytest.raises(ValidationError, match="Aucune structure"):
        pool.request_membership(cpts_pool["cpts"], None, actor=cpts_pool["coordinator"])


@pytest.mark.django_db
def test_sharing_copies_only_the_shared_parts_and_gives_a_membership(world, cpts_pool):
    partner = cpts_pool["partner"]
    partner.share_lived_experience = False
    partner.share_conditions = False
    partner.save()
    row = _share_with_b(world, partner)
    with scopes_disabled():
        copy = row.copy
        assert copy.structure == world.b and copy.pool_origin == partner
        assert copy.status == Partner.Status.ACTIVE
        assert copy.lived_experience == ""  # not shared with her own team: not shared here
        kinds = set(copy.tags.values_list("kind", flat=True))
        assert PartnerTag.Kind.LIMIT in kinds and PartnerTag.Kind.LANGUAGE in kinds
        assert PartnerTag.Kind.CONDITION not in kinds
        training = Training.objects.get(partner=copy)
        assert training.title == "ETP 40 h" and not training.proof  # never her documents
        assert Membership.objects.get(
            user=world.users["partner"], structure=world.b, role=Role.PARTNER
        ).is_active
    assert AuditEvent.objects.filter(kind="partners.pool_shared", structure=world.a).exists()
    assert AuditEvent.objects.filter(kind="partners.pool_shared", structure=world.b).exists()


@pytest.mark.django_db
def test_only_she_consents_and_only_inside_her_pool(world, cpts_pool):
    partner = cpts_pool["partner"]
    with scopes_disabled():
        with pytest.raises(PermissionDenied):
            pool.share(partner, world.b, actor=world.users["coordinator"])
        with pytest.raises(ValidationError, match="pas dans le vivier"):
            pool.share(partner, StructureFactory(), actor=world.users["partner"])
        pool.share(partner, world.b, actor=world.users["partner"])
        with pytest.raises(ValidationError, match="déjà partagé"):
            pool.share(partner, world.b, actor=world.users["partner"])
    with scopes_disabled():
        assert PoolShare.objects.filter(origin=partner).count() == 1


@pytest.mark.django_db
def test_profile_changes_follow_in_the_copy(world, cpts_pool):
    from binome.partners import services
    from binome.partners.forms import ProfileForm

    partner = cpts_pool["partner"]
    row = _share_with_b(world, partner)
    with scopes_disabled():
        data = {
            "phone": "06 00 00 00 01",
            "preferred_status": partner.preferred_status,
            "limits": "Fin de vie, Pédiatrie",
            "hours_per_month": 4,
        }
        form = ProfileForm(data, instance=partner)
        assert form.is_valid(), form.errors
        services.save_profile(partner, form, tags=form.tag_values(), actor=world.users["partner"])
        copy = Partner.objects.get(pk=row.copy_id)
        assert copy.phone == "06 00 00 00 01" and copy.hours_per_month == 4
        assert set(
            copy.tags.filter(kind=PartnerTag.Kind.LIMIT).values_list("label", flat=True)
        ) == {
            "Fin de vie",
            "Pédiatrie",
        }


@pytest.mark.django_db
def test_the_copy_is_changed_only_in_her_own_structure(world, cpts_pool):
    from binome.partners import services

    copy = _share_with_b(world, cpts_pool["partner"]).copy
    with (
        scopes_disabled(),
        pytest.raises(ValidationError, match="se changent dans cette structure"),
    ):
        services.decide(copy, to_status="paused", reason="x", actor=world.users_b["coordinator"])
    response = _api(world.users_b["coordinator"]).post(
        f"/api/v1/partners/{copy.public_id}/decisions",
        {"to_status": "paused", "reason": "essai"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "vivier" in response.json()["errors"][0]["message"]
    page = world.client_for("coordinator", structure="b")
    session = page.session
    session["current_structure"] = world.b.slug
    session.save()
    response = page.post(
        f"/partenaires/{copy.public_id}/decision/", {"to_status": "paused", "reason": "essai"}
    )
    assert (
        response.status_code == 422
        and "se changent dans cette structure" in response.content.decode()
    )
    with scopes_disabled():
        assert Partner.objects.get(pk=copy.pk).status == Partner.Status.ACTIVE


@pytest.mark.django_db
def test_load_counts_across_two_structures(world, cpts_pool):
    partner = cpts_pool["partner"]
    partner.max_active_accompaniments = 2
    partner.save()
    copy = _share_with_b(world, partner).copy
    with scopes_disabled():
        AccompanimentFactory(structure=world.a, partner=partner, status="active")
        AccompanimentFactory(structure=world.b, partner=copy, status="active")
        loads = dict(
            Partner.objects.filter(pk__in=[partner.pk, copy.pk])
            .annotate(load=load_expression())
            .values_list("pk", "load")
        )
    assert loads == {partner.pk: 2, copy.pk: 2}
    # Full everywhere: neither A nor B is offered her for a new referral.
    with scopes_disabled():
        for structure, record in ((world.a, partner), (world.b, copy)):
            suggestion = next(
                s
                for s in suggest_partners(structure, "cancer", include=[record.public_id])
                if s.partner.pk == record.pk
            )
            assert not suggestion.is_available
            assert "plafond" in suggestion.excluded_reason


@pytest.mark.django_db
def test_her_limits_apply_in_the_member_structure(world, cpts_pool):
    copy = _share_with_b(world, cpts_pool["partner"]).copy
    with scopes_disabled():
        suggestion = next(
            s
            for s in suggest_partners(world.b, "palliative", include=[copy.public_id])
            if s.partner.pk == copy.pk
        )
    assert not suggestion.is_available and "Fin de vie" in suggestion.excluded_reason


@pytest.mark.django_db
def test_a_member_never_sees_the_other_members_patients(world, cpts_pool):
    """The partner accompanies someone in A and someone in B: B's coordination and B's
    doctor never reach A's patient, by page or API, and the reverse."""
    partner = cpts_pool["partner"]
    copy = _share_with_b(world, partner).copy
    with scopes_disabled():
        in_a = AccompanimentFactory(
            structure=world.a,
            partner=partner,
            patient=PatientFactory(structure=world.a, first_name="Zéphyrine"),
        )
        in_b = AccompanimentFactory(
            structure=world.b,
            partner=copy,
            patient=PatientFactory(structure=world.b, first_name="Ursule"),
        )
    for persona in ("coordinator", "doctor"):
        page_b, api_b = world.client_for(persona, structure="b"), _api(world.users_b[persona])
        assert page_b.get(f"/accompagnements/{in_a.public_id}/").status_code == 404
        assert api_b.get(f"/api/v1/accompaniment/{in_a.public_id}").status_code == 404
        listed = api_b.get("/api/v1/accompaniment/").content.decode()
        assert "Zéphyrine" not in listed
        if persona == "coordinator":  # the list is not empty: B's own accompaniment is there
            assert str(in_b.public_id) in listed
        page_a, api_a = world.client_for(persona), _api(world.users[persona])
        assert page_a.get(f"/accompagnements/{in_b.public_id}/").status_code == 404
        assert api_a.get(f"/api/v1/accompaniment/{in_b.public_id}").status_code == 404
        assert "Ursule" not in api_a.get("/api/v1/accompaniment/").content.decode()
    # The CPTS's coordination sees neither.
    api_cpts = _api(cpts_pool["coordinator"])
    assert api_cpts.get(f"/api/v1/accompaniment/{in_a.public_id}").status_code == 404
    assert api_cpts.get(f"/api/v1/accompaniment/{in_b.public_id}").status_code == 404
    # She sees each in its own structure, and only there.
    partner_client = world.client_for("partner")
    for here, there in ((world.a, in_a), (world.b, in_b)):
        session = partner_client.session
        session["current_structure"] = here.slug
        session.save()
        elsewhere = in_b if there is in_a else in_a
        assert partner_client.get(f"/accompagnements/{there.public_id}/").status_code == 200
        assert partner_client.get(f"/accompagnements/{elsewhere.public_id}/").status_code == 404


@pytest.mark.django_db
def test_withdrawal_takes_effect_at_once(world, cpts_pool):
    partner = cpts_pool["partner"]
    row = _share_with_b(world, partner)
    with scopes_disabled():
        in_b = AccompanimentFactory(structure=world.b, partner=row.copy, status="active")
        pool.withdraw(row, actor=world.users["partner"])
        row.refresh_from_db()
        copy = Partner.objects.get(pk=row.copy_id)
        assert row.withdrawn_at is not None
        assert copy.status == Partner.Status.PAUSED
        assert not Membership.objects.get(pk=copy.membership_id).is_active
        # What she had in hand there goes back to B's coordination, to be confided again.
        assert Accompaniment.objects.get(pk=in_b.pk).status == Accompaniment.Status.TO_REASSIGN
        assert not any(
            s.partner.pk == copy.pk and s.is_available for s in suggest_partners(world.b, "cancer")
        )
    # She can agree again later: the same copy comes back.
    with scopes_disabled():
        again = pool.share(partner, world.b, actor=world.users["partner"])
    assert again.copy_id == copy.pk and again.pk != row.pk


@pytest.mark.django_db
def test_leaving_the_pool_withdraws_the_shares_it_allowed(world, cpts_pool):
    row = _share_with_b(world, cpts_pool["partner"])
    link = PoolMembership.objects.get(cpts=cpts_pool["cpts"], member=world.b)
    with scopes_disabled():
        pool.end_membership(link, actor=world.users_b["coordinator"])
        row.refresh_from_db()
    assert row.withdrawn_at is not None


@pytest.mark.django_db
def test_partner_pages_share_and_withdraw(world, cpts_pool):
    client = world.client_for("partner")
    page = client.get("/partenaires/mon-profil/partage/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Centre Bêta" in body and "CPTS du Canal" in body
    response = client.post(
        "/partenaires/mon-profil/partage/partager/", {"structure": str(world.b.public_id)}
    )
    assert response.status_code == 302
    with scopes_disabled():
        row = PoolShare.objects.get(origin=cpts_pool["partner"], withdrawn_at__isnull=True)
    # B's coordinator sees her in the pool, marked as shared, with only what she shares.
    b = world.client_for("coordinator", structure="b")
    assert "vivier CPTS" in b.get("/partenaires/").content.decode()
    sheet = b.get(f"/partenaires/{row.copy.public_id}/").content.decode()
    assert "Fiche partagée par MSP Alpha" in sheet
    # A structure outside the pool is refused, with a French message and nothing written.
    other = StructureFactory(name="Hors vivier")
    refused = client.post(
        "/partenaires/mon-profil/partage/partager/", {"structure": str(other.public_id)}
    )
    assert refused.status_code == 422 and "pas dans le vivier" in refused.content.decode()
    response = client.post(f"/partenaires/mon-profil/partage/{row.public_id}/retirer/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.withdrawn_at is not None


@pytest.mark.django_db
def test_coordination_pages_invite_and_accept(world):
    cpts = StructureFactory(slug="cpts-d", name="CPTS Delta", kind=Structure.Kind.CPTS)
    coordinator = MembershipFactory(structure=cpts, role=Role.COORDINATOR).user
    client = Client()
    force_verified_login(client, coordinator)
    assert client.get("/partenaires/vivier-cpts/").status_code == 200
    bad = client.post("/partenaires/vivier-cpts/inviter/", {"structure": "nulle-part"})
    assert bad.status_code == 422 and "Aucune structure" in bad.content.decode()
    assert (
        client.post("/partenaires/vivier-cpts/inviter/", {"structure": world.a.slug}).status_code
        == 302
    )
    link = PoolMembership.objects.get(cpts=cpts, member=world.a)
    # The CPTS cannot accept for its member; the member's coordination does.
    assert client.post(f"/partenaires/vivier-cpts/{link.public_id}/accepter/").status_code == 403
    a = world.client_for("coordinator")
    assert "CPTS Delta" in a.get("/partenaires/vivier-cpts/").content.decode()
    assert a.post(f"/partenaires/vivier-cpts/{link.public_id}/accepter/").status_code == 302
    link.refresh_from_db()
    assert link.is_open
    # Another structure's coordination: the link does not exist for it.
    b = world.client_for("coordinator", structure="b")
    assert b.post(f"/partenaires/vivier-cpts/{link.public_id}/terminer/").status_code == 404


@pytest.mark.django_db
def test_api_twins_of_the_pool(world):
    cpts = StructureFactory(slug="cpts-e", name="CPTS Epsilon", kind=Structure.Kind.CPTS)
    coordinator = MembershipFactory(structure=cpts, role=Role.COORDINATOR).user

    api = _api
    c = api(coordinator)
    created = c.post(
        "/api/v1/partners/pool/links?structure=cpts-e",
        {"member": world.a.slug},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    link_id = created.json()["id"]
    assert created.json()["state"] == "requested"
    assert c.post(f"/api/v1/partners/pool/links/{link_id}/accept").status_code == 403
    assert (
        api(world.users_b["coordinator"])
        .post(f"/api/v1/partners/pool/links/{link_id}/accept")
        .status_code
        == 404
    )
    accepted = api(world.users["coordinator"]).post(f"/api/v1/partners/pool/links/{link_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "open"
    with scopes_disabled():
        partner = partner_for(world, status=Partner.Status.ACTIVE)
    p = api(world.users["partner"])
    choices = p.get(f"/api/v1/partners/profile/mine/pool?structure={world.a.slug}").json()
    assert [c["structure"] for c in choices] == ["cpts-e"]
    shared = p.post(
        f"/api/v1/partners/profile/mine/pool?structure={world.a.slug}",
        {"with_structure": "cpts-e"},
        content_type="application/json",
    )
    assert shared.status_code == 201, shared.content
    refused = p.post(
        f"/api/v1/partners/profile/mine/pool?structure={world.a.slug}",
        {"with_structure": world.b.slug},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "vivier" in refused.json()["errors"][0]["message"]
    share_id = shared.json()["id"]
    # Nobody but her takes the consent back.
    assert (
        api(world.users["coordinator"])
        .post(f"/api/v1/partners/pool-shares/{share_id}/withdraw")
        .status_code
        == 404
    )
    assert p.post(f"/api/v1/partners/pool-shares/{share_id}/withdraw").status_code == 200
    with scopes_disabled():
        assert not PoolShare.objects.filter(origin=partner, withdrawn_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_mission_of_the_member_structure_finds_her_with_her_load_from_elsewhere(world, cpts_pool):
    from binome.missions.matching import ranked
    from tests.missions.factories import MissionFactory

    partner = cpts_pool["partner"]
    partner.max_active_accompaniments = 1
    partner.save()
    copy = _share_with_b(world, partner).copy
    mission = MissionFactory(structure=world.b)
    with scopes_disabled():
        found = {p.pk: p for p in ranked(mission)}
        assert copy.pk in found and not found[copy.pk].excluded
        # One accompaniment in A fills her ceiling: B's mission matching sees it.
        AccompanimentFactory(structure=world.a, partner=partner, status="active")
        found = {p.pk: p for p in ranked(mission)}
        assert found[copy.pk].load == 1 and found[copy.pk].overloaded
        assert found[copy.pk].excluded


@pytest.mark.django_db
def test_the_receiving_coordination_may_stop_receiving_a_profile(world, cpts_pool):
    row = _share_with_b(world, cpts_pool["partner"])
    with scopes_disabled():
        in_b = AccompanimentFactory(structure=world.b, partner=row.copy, status="active")
    # A professional of B may not; the partner's own structure's coordination neither.
    assert (
        world.client_for("doctor", structure="b")
        .post(f"/partenaires/{row.copy.public_id}/ne-plus-recevoir/")
        .status_code
        == 403
    )
    with scopes_disabled(), pytest.raises(PermissionDenied):
        pool.decline(row.copy, actor=world.users["coordinator"])
    response = world.client_for("coordinator", structure="b").post(
        f"/partenaires/{row.copy.public_id}/ne-plus-recevoir/"
    )
    assert response.status_code == 302
    with scopes_disabled():
        row.refresh_from_db()
        assert row.withdrawn_at is not None and row.withdrawn_by == world.users_b["coordinator"]
        assert Accompaniment.objects.get(pk=in_b.pk).status == Accompaniment.Status.TO_REASSIGN
