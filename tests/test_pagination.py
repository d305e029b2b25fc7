"""Pagination that skips the COUNT when a short page tells the total (core/pagination.py):
the same pages as Django's and django-ninja's, one query fewer where it can."""

import pytest
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.pagination import PageNumberPagination

from binome.api.core import Pagination
from binome.core.pagination import Paginator
from binome.people.models import Structure
from tests.factories import MembershipFactory, StructureFactory
from tests.test_api_core import _get

pytestmark = pytest.mark.django_db

PER_PAGE = 4


def _page_facts(page):
    return (
        page.number,
        [s.pk for s in page.object_list],
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
        page.has_previous(),
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.parametrize("total", [0, 1, PER_PAGE - 1, PER_PAGE, PER_PAGE + 1, 2 * PER_PAGE + 3])
@pytest.mark.parametrize("number", [None, "", "1", 1, "2", "3", "999", "0", "-1", "abc"])
def test_pages_are_djangos(total, number):
    StructureFactory.create_batch(total)
    structures = Structure.objects.order_by("pk")
    ours = Paginator(structures, PER_PAGE).get_page(number)
    django = DjangoPaginator(structures, PER_PAGE).get_page(number)
    assert _page_facts(ours) == _page_facts(django)


@pytest.mark.parametrize(
    "total, queries",
    [
        (0, 1),  # an empty list: the page's query says it is empty
        (PER_PAGE - 1, 1),  # a short first page: no COUNT
        (PER_PAGE, 2),  # a full first page may have a next one: COUNT
        (PER_PAGE + 1, 2),
    ],
)
def test_first_page_counts_only_when_full(total, queries):
    StructureFactory.create_batch(total)
    with CaptureQueriesContext(connection) as captured:
        page = Paginator(Structure.objects.order_by("pk"), PER_PAGE).get_page(None)
        facts = _page_facts(page)
    assert facts[2] == total
    assert len(captured) == queries
    assert sum("COUNT(" in q["sql"].upper() for q in captured) == queries - 1


def test_other_pages_and_orphans_go_through_django():
    StructureFactory.create_batch(2 * PER_PAGE + 1)
    with CaptureQueriesContext(connection) as captured:
        page = Paginator(Structure.objects.order_by("pk"), PER_PAGE).get_page("3")
        assert len(page.object_list) == 1
    assert any("COUNT(" in q["sql"].upper() for q in captured)
    orphans = Paginator(Structure.objects.order_by("pk"), PER_PAGE, orphans=1).get_page(None)
    assert _page_facts(orphans) == _page_facts(
        DjangoPaginator(Structure.objects.order_by("pk"), PER_PAGE, orphans=1).get_page(None)
    )


@pytest.mark.parametrize("total", [0, 3, PER_PAGE, PER_PAGE + 2, 3 * PER_PAGE])
@pytest.mark.parametrize("page", [1, 2, 3, 4, 9])
def test_api_pages_are_ninjas(total, page):
    StructureFactory.create_batch(total)
    structures = Structure.objects.order_by("pk")
    given = Pagination.Input(page=page, page_size=PER_PAGE)
    ours = Pagination().paginate_queryset(structures, given, request=None)
    ninja = PageNumberPagination().paginate_queryset(structures, given, request=None)
    assert ours["count"] == ninja["count"] == total
    assert [s.pk for s in ours["items"]] == [s.pk for s in ninja["items"]]


def test_a_short_api_list_answers_without_count(world):
    url = f"/api/v1/structures/{world.a.slug}/members/"
    with CaptureQueriesContext(connection) as short:
        answer = _get(url, world.users["coordinator"]).json()
    assert answer["count"] == len(answer["items"]) == 5
    assert not any("COUNT(" in q["sql"].upper() for q in short)
    for i in range(50):
        MembershipFactory(structure=world.a, user__email=f"m{i}@a.test")
    with CaptureQueriesContext(connection) as full:
        answer = _get(url, world.users["coordinator"]).json()
    assert (answer["count"], len(answer["items"])) == (55, 50)
    assert any("COUNT(" in q["sql"].upper() for q in full)
