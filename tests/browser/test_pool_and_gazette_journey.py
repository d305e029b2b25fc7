"""A CPTS's shared pool and the gazette written with the committee, as people use them, on a
phone (360 px) and a desktop: the CPTS invites, the MSP joins, the partner shares her profile
with one tap and the MSP sees her; then the gazette goes from the coordination to the
committee's representative, who approves it."""

import pytest
from playwright.sync_api import expect

from binome.partners.models import Partner, PoolShare
from binome.people.models import Role, Structure
from binome.voice.models import CommitteeMember, GazetteIssue
from tests.conftest import build_world
from tests.factories import MembershipFactory, StructureFactory
from tests.partners.factories import partner_for
from tests.voice.factories import CommitteeFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_the_cpts_pool_from_invitation_to_a_shared_profile(page, world, login_as, check_page):
    cpts = StructureFactory(slug="cpts-canal", name="CPTS du Canal", kind=Structure.Kind.CPTS)
    cpts_coordinator = MembershipFactory(structure=cpts, role=Role.COORDINATOR).user
    partner_for(world, status=Partner.Status.ACTIVE)

    # 1. The CPTS's coordination invites the MSP by its short identifier.
    login_as(page, cpts_coordinator)
    page.goto("/partenaires/vivier-cpts/")
    check_page(page)
    page.get_by_label("Identifiant court ou numéro FINESS de la structure").fill("structure-a")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Demande envoyée à « MSP Alpha »")).to_be_visible()
    check_page(page)

    # 2. The MSP's coordination joins.
    page.context.clear_cookies()
    login_as(page, world.users["coordinator"])
    page.goto("/partenaires/vivier-cpts/")
    page.get_by_role("button", name="Rejoindre le vivier").click()
    expect(page.get_by_text("Votre structure a rejoint le vivier partagé")).to_be_visible()
    check_page(page)

    # 3. The partner reads what is shared, and shares with the CPTS in one tap.
    page.context.clear_cookies()
    login_as(page, world.users["partner"])
    page.goto("/partenaires/mon-profil/")
    page.get_by_role("link", name="Partager mon profil dans le vivier de la CPTS").click()
    check_page(page)
    expect(page.get_by_text("Vos compétences, langues, disponibilités")).to_be_visible()
    page.get_by_role("button", name="Partager mon profil avec CPTS du Canal").click()
    expect(page.get_by_text("Votre profil est partagé avec « CPTS du Canal »")).to_be_visible()
    check_page(page)
    assert PoolShare.objects.filter(structure=cpts, withdrawn_at__isnull=True).count() == 1

    # 4. The CPTS's coordination sees her, marked as coming from the MSP.
    page.context.clear_cookies()
    login_as(page, cpts_coordinator)
    page.goto("/partenaires/")
    expect(page.get_by_text("vivier CPTS")).to_be_visible()
    page.goto("/partenaires/vivier-cpts/")
    expect(page.get_by_text("fiche tenue par MSP Alpha")).to_be_visible()
    check_page(page)


def test_the_gazette_goes_from_the_coordination_to_the_committee(page, world, login_as, check_page):
    committee = CommitteeFactory(structure=world.a)
    CommitteeMember.objects.create(committee=committee, membership=world.memberships["user_rep"])

    login_as(page, world.users["coordinator"])
    page.goto("/voix/gazette/")
    check_page(page)
    page.get_by_label("À la une").fill("Le samedi matin, c'est ouvert")
    page.get_by_label("Le mot du comité").fill("Merci pour vos idées.")
    page.get_by_role("button", name="Enregistrer le texte").click()
    expect(page.get_by_text("Le texte de la gazette est enregistré.")).to_be_visible()
    page.get_by_role("button", name="Envoyer en relecture au comité").click()
    expect(page.get_by_text("La gazette est envoyée en relecture")).to_be_visible()
    check_page(page)

    page.context.clear_cookies()
    login_as(page, world.users["user_rep"])
    page.goto("/voix/gazette/")
    check_page(page)
    page.get_by_role("button", name="Le comité valide cette gazette").click()
    expect(page.get_by_text("La gazette est validée par le comité.")).to_be_visible()
    assert GazetteIssue.objects.get().state == GazetteIssue.State.APPROVED
