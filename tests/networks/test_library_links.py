"""Links to HAS documents point to the document quoted (seed 001, notes 10 and 18)."""

import pytest

from binome.networks import library
from binome.networks.models import Resource

pytestmark = pytest.mark.django_db


def test_has_primary_care_advice_names_its_document_and_links_nowhere_else():
    for slug in library.HAS_PRIMARY_CARE_SLUGS:
        resource = Resource.objects.get(slug=slug)
        assert resource.url == "" and library.HAS_PRIMARY_CARE in resource.summary
    # the 2020 recommendation is linked where its own definition is quoted
    linked = Resource.objects.filter(url=library.HAS_URL)
    assert linked.exists() and all(r.slug not in library.HAS_PRIMARY_CARE_SLUGS for r in linked)
