import pytest
from django.core import mail
from django.urls import reverse

from binome.networks import questionnaire as q
from binome.networks.models import ExchangeRequest, ProjectCard, Theme
from binome.people.models import Region
from tests.factories import StructureFactory
from tests.networks.factories import ExchangeRequestFactory, ProjectCardFactory

pytestmark = pytest.mark.django_db


def test_team_writes_then_publishes_a_card(world):
    client = world.client_for("coordinator")
    bad = client.post(reverse("networks:card_new"), {"title": "", "theme": "inconnu"})
    assert bad.status_code == 422 and not ProjectCard.objects.exists()
    response = client.post(
        reverse("networks:card_new"),
        {
            "title": "Notre comité réuni quatre fois",
            "theme": Theme.COMMITTEE,
            "level": q.COLLABORATION,
            "what": "Quatre réunions par an avec six usagers.",
            "with_whom": "Six usagers, la coordinatrice.",
            "results": "Horaires d'ouverture modifiés.",
            "contact": "contact@msp-alpha.example",
        },
    )
    card = ProjectCard.objects.get()
    assert response.status_code == 302 and not card.is_published and card.region == world.a.region
    # Not in the catalogue until published.
    assert (
        "Notre comité réuni"
        not in world.client_for("coordinator", structure="b")
        .get(reverse("networks:catalogue"))
        .content.decode()
    )
    assert (
        world.client_for("coordinator", structure="b")
        .get(reverse("networks:card_detail", kwargs={"public_id": card.public_id}))
        .status_code
        == 404
    )
    client.post(
        reverse("networks:card_publish", kwargs={"public_id": card.public_id}), {"publish": "1"}
    )
    card.refresh_from_db()
    assert card.is_published and card.published_at
    page = (
        world.client_for("coordinator", structure="b")
        .get(reverse("networks:card_detail", kwargs={"public_id": card.public_id}))
        .content.decode()
    )
    assert (
        "Six usagers" in page
        and "contact@msp-alpha.example" in page
        and "Demander un échange" in page
    )
    # Facilitators see the card, not the contact.
    page = (
        world.client_for("facilitator")
        .get(reverse("networks:card_detail", kwargs={"public_id": card.public_id}))
        .content.decode()
    )
    assert "Six usagers" in page and "contact@msp-alpha.example" not in page


def test_catalogue_search_by_theme_level_region_and_department(world):
    toulouse = StructureFactory(region=Region.OCC, department="31")
    rennes = StructureFactory(region=Region.BRE, department="35")
    ProjectCardFactory(
        structure=toulouse,
        title="Gazette des usagers",
        theme=Theme.COMMUNICATION,
        level=q.COLLABORATION,
    )
    ProjectCardFactory(
        structure=rennes, title="Usagers au CA", theme=Theme.GOVERNANCE, level=q.PARTNERSHIP
    )
    ProjectCardFactory(structure=rennes, title="Brouillon caché", is_published=False)
    client = world.client_for("nurse")
    url = reverse("networks:catalogue")

    def titles(**params):
        body = client.get(url, params).content.decode()
        return {t for t in ("Gazette des usagers", "Usagers au CA", "Brouillon caché") if t in body}

    assert titles() == {"Gazette des usagers", "Usagers au CA"}
    assert titles(theme=Theme.GOVERNANCE) == {"Usagers au CA"}
    assert titles(level=q.COLLABORATION) == {"Gazette des usagers"}
    assert titles(region=Region.BRE) == {"Usagers au CA"}
    assert titles(departement="31") == {"Gazette des usagers"}
    assert titles(q="gazette des") == {"Gazette des usagers"}
    body = client.get(url).content.decode()
    # The map: one marker per department, links for the departments with projects, no style attribute.
    assert body.count("<circle") >= 101 and "departement=31" in body and "departement=35" in body
    assert "style=" not in body.split("<main", 1)[1]


def test_starting_team_asks_a_mature_team_for_an_exchange(
    world, django_capture_on_commit_callbacks
):
    card = ProjectCardFactory(structure=world.b, title="Usagers au CA")
    client = world.client_for("doctor")
    url = reverse("networks:exchange_new", kwargs={"public_id": card.public_id})
    assert client.post(url, {"message": ""}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(url, {"message": "Comment avez-vous convaincu l'équipe ?"}).status_code
            == 302
        )
    exchange = ExchangeRequest.objects.get()
    assert exchange.from_structure == world.a and exchange.created_by == world.users["doctor"]
    assert mail.outbox and mail.outbox[0].to == [world.users_b["coordinator"].email]
    # The mature team answers.
    answer_url = reverse("networks:exchange_answer", kwargs={"public_id": exchange.public_id})
    b_coord = world.client_for("coordinator", structure="b")
    received = b_coord.get(reverse("networks:exchanges")).content.decode()
    assert "Comment avez-vous convaincu" in received
    assert b_coord.post(answer_url, {}).status_code == 422
    b_coord.post(answer_url, {"accept": "1", "answer": "Volontiers : appelez-nous mardi."})
    exchange.refresh_from_db()
    assert exchange.status == ExchangeRequest.Status.ACCEPTED
    assert "appelez-nous mardi" in client.get(reverse("networks:exchanges")).content.decode()
    # A team cannot ask itself.
    own = ProjectCardFactory(structure=world.a)
    assert (
        client.get(
            reverse("networks:exchange_new", kwargs={"public_id": own.public_id})
        ).status_code
        == 404
    )


def test_catalogue_api_and_query_count(world, django_assert_max_num_queries):
    from binome.accounts.models import ApiToken

    for _ in range(3):
        ProjectCardFactory()
    client = world.client_for("partner")
    url = reverse("networks:catalogue")
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for _ in range(25):
        ProjectCardFactory(structure=StructureFactory(department="34"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    ApiToken.issue(world.users["coordinator"], "t", raw="tok-c")
    ApiToken.issue(world.users["facilitator"], "t", raw="tok-f")
    team = client.get(
        "/api/v1/networks/catalogue/?department=34", HTTP_AUTHORIZATION="Bearer tok-c"
    ).json()
    assert team["count"] == 25 and team["items"][0]["contact"] == "contact@equipe.example"
    network = client.get("/api/v1/networks/catalogue/", HTTP_AUTHORIZATION="Bearer tok-f").json()
    assert network["count"] == 28 and all(item["contact"] is None for item in network["items"])


def test_exchange_list_query_count(world, django_assert_max_num_queries):
    client = world.client_for("coordinator")
    ExchangeRequestFactory(card__structure=world.a)
    url = reverse("networks:exchanges")
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for _ in range(10):
        ExchangeRequestFactory(card__structure=world.a)
        ExchangeRequestFactory(from_structure=world.a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_catalogue_budget_with_a_full_page_and_the_map(world, django_assert_max_num_queries):
    for _ in range(25):
        ProjectCardFactory(structure=StructureFactory(department="34"))
    client = world.client_for("facilitator")
    url = reverse("networks:catalogue") + "?q=gazette"
    client.get(url)
    with django_assert_max_num_queries(5 + 2):  # request base + map counts and the page's cards
        body = client.get(url).content.decode()
    assert "25 projets" in body and "page=2" in body
    # The map's markers: a link keeping the search for departments with projects, a grey dot otherwise.
    assert (
        '<a href="?q=gazette&amp;departement=34"><circle' in body
        and "<title>Hérault (34) : 25</title>" in body
    )
    assert '<circle cx="' in body and "<title>Ain (01)</title>" in body
    selected = client.get(url + "&departement=34").content.decode()
    assert 'fill="#b3261e"' in selected and "Voir tous les départements" in selected
