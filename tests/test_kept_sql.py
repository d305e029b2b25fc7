"""binome.core.kept_sql: a kept query reads the rows Django's values_list reads."""

import datetime as dt
import uuid

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


# Arguments and instances: the SQL of an object's page, compiled once for every object.


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_instances_are_the_orms_instances_with_their_links_and_annotations():
    from django.db.models import Count

    from tests.accompaniment.factories import PartnerFactory

    acc = AccompanimentFactory(partner=PartnerFactory(membership=None))
    ContactFactory(accompaniment=acc)

    def build(public_id):
        return (
            Accompaniment.objects.select_related("patient", "partner__membership", "referred_by")
            .filter(public_id=public_id)
            .annotate(n=Count("contacts"))
        )

    expected = build(acc.public_id).get()
    found = kept_sql.one("test.instances", (), build, args=(acc.public_id,))
    assert _fields(found) == _fields(expected) and found.n == expected.n == 1
    assert _fields(found.patient) == _fields(expected.patient)
    assert _fields(found.referred_by) == _fields(expected.referred_by)
    assert found.partner.membership is None  # a null link is cached as None, as Django does
    assert found._state.adding is False and found._state.db == expected._state.db
    with_no_query = found.patient.first_name, found.partner.full_name  # read from the row
    assert with_no_query == (expected.patient.first_name, expected.partner.full_name)


def test_one_compiled_query_serves_every_object(kept_only):
    first, second = AccompanimentFactory(), AccompanimentFactory()

    def build(public_id):
        return Accompaniment.objects.filter(public_id=public_id)

    assert kept_sql.one("test.args", (), build, args=(first.public_id,)).pk == first.pk
    assert kept_sql.one("test.args", (), build, args=(second.public_id,)).pk == second.pk
    assert kept_sql.one("test.args", (), build, args=(uuid.uuid4(),)) is None
    assert len(kept_only) == 2  # compiled once, with its two sets of stand-ins


def test_several_arguments_of_one_kind_keep_their_places():
    first = AccompanimentFactory()
    second = AccompanimentFactory(structure=first.structure)

    def build(structure_id, pk):
        return Accompaniment.objects.filter(structure=structure_id, pk=pk).values_list("pk")

    for acc in (first, second):
        assert kept_sql.rows("test.two", (), build, args=(first.structure_id, acc.pk)) == [
            (acc.pk,)
        ]
    assert kept_sql.rows("test.two", (), build, args=(second.pk, first.structure_id)) == []


def test_an_argument_changed_while_building_fails_in_the_tests():
    """build() must use its arguments as given: a value transformed in Python (here lowered)
    would be put back unchanged, so the check compiles again and fails."""
    AccompanimentFactory(patient__email="rose@example.org")

    def build(email):
        return Accompaniment.objects.filter(patient__email=email.lower()).values_list("pk")

    assert len(kept_sql.rows("test.lower", (), build, args=("rose@example.org",))) == 1
    with pytest.raises(AssertionError, match="outside its key"):
        kept_sql.rows("test.lower", (), build, args=("Rose@Example.org",))


def test_an_argument_that_does_not_reach_the_sql_is_refused():
    def build(value):
        return Accompaniment.objects.filter(patient__email__icontains=value).values_list("pk")

    with pytest.raises(AssertionError, match="does not reach"):
        kept_sql.rows("test.unreached", (), build, args=("rose",))
    with pytest.raises(TypeError):
        kept_sql.rows(
            "test.kind", (), lambda v: Accompaniment.objects.values_list("pk"), args=(1.5,)
        )


def test_instances_read_only_the_fields_only_names():
    acc = AccompanimentFactory()

    def build(pk):
        return Accompaniment.objects.filter(pk=pk).only("public_id", "patient_id")

    found = kept_sql.one("test.only", (), build, args=(acc.pk,))
    assert found.get_deferred_fields() == build(acc.pk).get().get_deferred_fields()
    assert (found.pk, found.public_id, found.patient_id) == (acc.pk, acc.public_id, acc.patient_id)
    with pytest.raises(TypeError):
        kept_sql.one(
            "test.only_related",
            (),
            lambda pk: Accompaniment.objects.filter(pk=pk).only("patient__phone"),
            args=(acc.pk,),
        )
