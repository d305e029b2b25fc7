"""Home page per role, empty states, navigation and the shell."""

import pytest
from django.test import Client
from django.urls import reverse

from binome.people.models import Role
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


def _home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_new_team_coordinator_gets_first_steps(db):
    membership = MembershipFactory(
        role=Role.COORDINATOR, structure=StructureFactory(name="MSP Neuve")
    )
    page = _home(force_verified_login(Client(), membership.user))
    assert "Premiers pas" in page
    assert reverse("people:members") in page and reverse("people:structure") in page


def test_first_steps_are_ticked_from_the_data_and_go_once_all_are_done(world):
    from binome.imports.models import ImportBatch
    from binome.missions.models import CompensationPolicy
    from binome.people.models import Structure
    from tests.missions.factories import MissionFactory
    from tests.partners.factories import CharterFactory

    client = world.client_for("coordinator")
    page = _home(client)
    assert "Premiers pas" in page and "Encore 5 étapes" in page  # the team has members already
    assert page.count(">Fait<") == 1 and reverse("imports:start") in page
    Structure.objects.filter(pk=world.a.pk).update(finess="310000001")
    CharterFactory(structure=world.a, published_by=world.users["coordinator"])
    MissionFactory(structure=world.a)
    assert "Encore 2 étapes" in _home(client)
    CompensationPolicy.objects.create(structure=world.a, mode="volunteer_expenses")
    ImportBatch.objects.create(
        structure=world.a,
        kind="partenaires",
        file_name="x.csv",
        file_sha256="0" * 64,
        status="imported",
    )
    assert "Premiers pas" not in _home(client)


def test_account_without_structure_is_told_what_to_do(db):
    client = force_verified_login(Client(), UserFactory())
    assert "n'est rattaché à aucune structure" in _home(client)


def test_patient_home_explains_consents(world):
    assert "retirer vos consentements" in _home(world.client_for("patient"))


def test_facilitator_home_says_aggregated_only(world):
    page = _home(world.client_for("facilitator"))
    assert "anonymisés et agrégés" in page
    assert "Réseau test" in page


def test_welcome_page_for_visitors(db):
    page = _home(Client())
    assert "Se connecter" in page and "lien de connexion" in page


def test_menu_shows_only_what_the_role_may_open(world):
    coordinator = _home(world.client_for("coordinator"))
    assert "Journal d&#x27;audit" in coordinator or "Journal d'audit" in coordinator
    partner = _home(world.client_for("partner"))
    assert "Journal d&#x27;audit" not in partner and "Journal d'audit" not in partner
    patient = _home(world.client_for("patient"))
    assert reverse("people:members") not in patient


def test_menu_marks_only_the_most_specific_page_as_current(world):
    page = world.client_for("coordinator").get(reverse("people:members")).content.decode()
    assert f'href="{reverse("people:members")}" aria-current="page"' in page
    assert f'href="{reverse("people:structure")}" aria-current="page"' not in page


def test_menu_is_grouped(world):
    response = world.client_for("coordinator").get("/")
    labels = [str(g["label"]) for g in response.context["navigation_groups"]]
    assert "Structure et données" in labels
    assert len(labels) == len(set(labels))


# The loop base.html had before the menu's groups were kept as HTML (core/navigation.py).
_MENU_GROUPS_IN_DJANGO = """{% for group in navigation_groups %}
<p class="menu__group" id="menu-groupe-{{ forloop.counter }}">{{ group.label }}</p>
<ul class="menu__list" aria-labelledby="menu-groupe-{{ forloop.counter }}">
{% for item in group.items %}
<li><a href="{{ item.url }}" {% if item.active %}aria-current="page"{% endif %}>{{ item.label }}</a></li>
{% endfor %}</ul>{% endfor %}"""


@pytest.mark.parametrize("role", ["coordinator", "doctor", "partner", "patient"])
def test_kept_menu_prints_what_the_template_loop_printed(world, role):
    """The menu's groups are kept per menu and current entry: the same bytes (white space
    aside) as Django's loop over the same groups, on a page where an entry is current."""
    from django.template import Context, Template

    url = reverse("accompaniment:list") if role != "patient" else "/"
    response = world.client_for(role).get(url)
    page = response.content.decode()
    expected = Template(_MENU_GROUPS_IN_DJANGO).render(
        Context({"navigation_groups": response.context["navigation_groups"]})
    )

    def squeeze(html):
        return "".join(html.split())

    assert "menu__group" in expected
    assert squeeze(expected) in squeeze(page)


def test_kept_menu_follows_the_current_page(world):
    client = world.client_for("coordinator")
    for name in ("people:members", "audit:log"):
        page = client.get(reverse(name)).content.decode()
        assert page.count('aria-current="page"') == 1
        assert f'href="{reverse(name)}" aria-current="page"' in page


def test_menu_follows_the_roles_of_the_moment(world):
    """The menu is kept per set of roles (core/navigation.py): a new role shows its items
    on the next page, the other roles keep theirs."""
    url = reverse("audit:log")
    doctor = world.client_for("doctor")
    assert f'href="{url}"' not in _home(doctor)
    MembershipFactory(user=world.users["doctor"], structure=world.a, role=Role.COORDINATOR)
    assert f'href="{url}"' in _home(doctor)
    assert f'href="{url}"' not in _home(world.client_for("nurse"))
    assert f'href="{url}"' in _home(world.client_for("coordinator"))


def test_structure_switch_only_with_a_choice(world):
    assert 'id="context-select"' not in _home(world.client_for("doctor"))
    MembershipFactory(user=world.users["doctor"], structure=world.b, role=Role.PROFESSIONAL)
    assert 'id="context-select"' in _home(world.client_for("doctor"))


def test_demo_banner_only_in_demo_mode(world, settings):
    settings.DEMO_MODE = False
    assert "Démonstration" not in _home(world.client_for("doctor"))
    settings.DEMO_MODE = True
    assert "Démonstration" in _home(world.client_for("doctor"))


def test_pages_have_security_headers(world):
    response = world.client_for("coordinator").get("/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
