"""binome.core.kept_sql: a kept query reads the rows Django's values_list reads."""

import datetime as dt

import pytest
from django.db.models import Count, F
from django.utils import timezone

from binome.accompaniment.models import Accompaniment
from binome.core import kept_sql
from tests.accompaniment.factories import AccompanimentFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(kept_sql, "_kept", {})


def test_rows_are_djangos_values_list_rows_converted_and_in_order():
    acc = AccompanimentFactory(first_contact_at=timezone.now() - dt.timedelta(hours=1))
    ContactFactory(accompaniment=acc)
    ContactFactory(accompaniment=acc)

    def build():
        # Annotations before model columns in values_list: the SQL has them after.
        return (
            Accompaniment.objects.annotate(n=Count("contacts"), due=F("first_contact_due_at"))
            .order_by("pk")
            .values_list(
                "n", "public_id", "due", "referred_at", "first_contact_at", "patient__phone"
            )
        )

    expected = list(build())
    assert kept_sql.rows("test.rows", (), build) == expected
    n, public_id, due, referred_at, _first, phone = expected[0]
    assert n == 2 and public_id == acc.public_id and phone == acc.patient.phone
    assert isinstance(due, dt.datetime) and isinstance(referred_at, dt.datetime)


def test_annotations_convert_as_in_django_and_are_kept_light():
    """A truncated date keeps its own converter (time zone); a subquery is not kept whole."""
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import TruncDay

    from binome.accompaniment.models import Contact

    acc = AccompanimentFactory(first_contact_at=timezone.now())
    ContactFactory(accompaniment=acc)

    def build():
        return Accompaniment.objects.annotate(
            day=TruncDay("first_contact_at"),
            has_contact=Exists(Contact.objects.filter(accompaniment=OuterRef("pk"))),
        ).values_list("day", "has_contact")

    assert kept_sql.rows("test.annotations", (), build) == list(build())
    compiled = kept_sql.kept("test.annotations", (), build)
    assert isinstance(compiled.expressions[0], TruncDay)
    assert not isinstance(compiled.expressions[1], Exists)  # its subquery is not kept


def test_a_query_that_can_match_nothing_gives_no_rows():
    AccompanimentFactory()
    assert (
        kept_sql.rows(
            "test.none", (), lambda: Accompaniment.objects.filter(pk__in=[]).values_list("pk")
        )
        == []
    )


def test_the_kept_sql_is_reused_outside_the_tests(settings):
    settings.BINOME_CHECK_KEPT_SQL = False
    acc = AccompanimentFactory()
    calls = []

    def build():
        calls.append(1)
        return Accompaniment.objects.filter(pk=acc.pk).values_list("public_id")

    assert kept_sql.rows("test.reuse", (acc.pk,), build) == [(acc.public_id,)]
    assert kept_sql.rows("test.reuse", (acc.pk,), build) == [(acc.public_id,)]
    assert len(calls) == 1
    Accompaniment.objects.filter(pk=acc.pk).delete()
    assert kept_sql.rows("test.reuse", (acc.pk,), build) == []  # the data, read again


def test_the_structure_scope_is_part_of_every_key(settings):
    """Scoped managers add the scope's structures to the SQL: two scopes, two queries."""
    from django_scopes import scopes_disabled

    from binome.people.scoping import structure_scope

    settings.BINOME_CHECK_KEPT_SQL = False
    with scopes_disabled():
        first, second = AccompanimentFactory(), AccompanimentFactory()

    def build():
        return Accompaniment.objects.order_by("pk").values_list("pk")

    with structure_scope([first.structure]):
        assert kept_sql.rows("test.scope", (), build) == [(first.pk,)]
    with structure_scope([second.structure]):
        assert kept_sql.rows("test.scope", (), build) == [(second.pk,)]
