"""The referral form in a large structure: the best suggestions, a search by name (htmx or,
without JavaScript, the "Chercher" button), and the same availability rules on submit."""

import re

import pytest
from django.urls import reverse

from binome.accompaniment.models import Accompaniment
from binome.accompaniment.services import suggest_partners
from binome.accompaniment.views import SUGGESTIONS_SHOWN
from tests.accompaniment.factories import AccompanimentFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(world):
    """More partners than the form shows; Zoé Ézard ranks last (busiest of the available)."""
    partners = [
        PartnerFactory(structure=world.a, first_name=f"Anne{i:02d}", last_name="Martin")
        for i in range(SUGGESTIONS_SHOWN + 5)
    ]
    late = PartnerFactory(
        structure=world.a, first_name="Zoé", last_name="Ézard", max_active_accompaniments=5
    )
    AccompanimentFactory(structure=world.a, partner=late, status="active")
    full = PartnerFactory(
        structure=world.a, first_name="Zacharie", last_name="Plein", max_active_accompaniments=1
    )
    # Not "Anne", the name the tests refer: a generated first name may be it.
    AccompanimentFactory(
        structure=world.a, partner=full, status="active", patient__first_name="Gisèle"
    )
    return partners, late, full


def _data(partner=None, **extra):
    data = {
        "first_name": "Anne",
        "last_name": "M",
        "phone": "06 00 00 00 00",
        "pathway": "cancer",
        "consent_method": "signed_form",
        "consent_contact_by_partner": "on",
        "consent_share_contact_details": "on",
        "partner": str(partner.public_id) if partner else "",
        "submission_token": "jeton-recherche",
    }
    data.update(extra)
    return data


def test_suggestions_rank_every_partner_but_load_only_those_returned(
    world, crowd, django_assert_max_num_queries
):
    partners, late, full = crowd
    everyone = suggest_partners(world.a, "cancer")
    assert everyone.total == len(everyone) == len(partners) + 2
    assert everyone[-1].partner == full and not everyone[-1].is_available
    with django_assert_max_num_queries(4):  # light rows, loads, tags, the instances returned
        top = suggest_partners(world.a, "cancer", limit=SUGGESTIONS_SHOWN)
    assert [s.partner for s in top] == [s.partner for s in everyone[:SUGGESTIONS_SHOWN]]
    assert top.total == everyone.total
    found = suggest_partners(world.a, "cancer", limit=SUGGESTIONS_SHOWN, search="  zoe EZA ")
    assert [s.partner for s in found] == [late]
    kept = suggest_partners(world.a, "cancer", limit=SUGGESTIONS_SHOWN, include=[late.public_id])
    assert late in [s.partner for s in kept] and len(kept) == SUGGESTIONS_SHOWN + 1


def test_page_shows_the_best_ones_and_finds_the_others_by_name(world, crowd):
    partners, late, full = crowd
    client = world.client_for("doctor")
    page = client.get(reverse("accompaniment:refer")).content.decode()
    assert page.count('name="partner"') == SUGGESTIONS_SHOWN
    assert "Zoé Ézard" not in page and "cherchez par nom pour les autres" in page
    # htmx: only the list of suggestions comes back.
    part = client.get(
        reverse("accompaniment:refer"),
        {"pathway": "cancer", "partner_search": "ezard"},
        HTTP_HX_REQUEST="true",
    )
    body = part.content.decode()
    assert (
        body.lstrip().startswith('<div id="suggestions"')
        and "Zoé Ézard" in body
        and "Anne00" not in body
    )


def test_search_without_javascript_keeps_what_was_typed_and_sends_nothing(world, crowd):
    partners, late, full = crowd
    client = world.client_for("doctor")
    response = client.post(
        reverse("accompaniment:refer"),
        _data(partner_search="Zoé", refresh="1", designated=[world.memberships["nurse"].pk]),
    )
    assert (
        response.status_code == 200
        and not Accompaniment.objects.filter(patient__first_name="Anne").exists()
    )
    page = response.content.decode()
    assert (
        'value="Anne"' in page
        and 'value="06 00 00 00 00"' in page
        and 'value="jeton-recherche"' in page
    )
    assert f'id="partner-{late.public_id}"' in page and "Anne00" not in page
    assert re.search(
        rf'<input type="checkbox" name="designated" value="{world.memberships["nurse"].pk}"[^>]*checked',
        page,
    )
    assert 'class="error"' not in page


def test_a_partner_found_by_search_can_be_chosen_and_a_full_one_cannot(world, crowd):
    partners, late, full = crowd
    client = world.client_for("doctor")
    response = client.post(reverse("accompaniment:refer"), _data(full))
    assert (
        response.status_code == 422
        and not Accompaniment.objects.filter(partner=full, patient__first_name="Anne").exists()
    )
    response = client.post(reverse("accompaniment:refer"), _data(late))
    assert response.status_code == 302
    assert Accompaniment.objects.get(submission_token="jeton-recherche").partner == late


def test_professionals_to_warn_are_one_group_with_its_legend_and_names_escaped(world, crowd):
    nurse = world.memberships["nurse"]
    nurse.user.first_name = "<b>Iris</b>"
    nurse.user.save(update_fields=["first_name"])
    client = world.client_for("doctor")
    page = client.get(reverse("accompaniment:refer")).content.decode()
    group = re.search(
        r'<fieldset class="field"><legend>([^<]*)</legend>(.*?)</fieldset>', page, re.S
    )
    assert group and "Autres professionnels à prévenir" in group.group(1)
    box = re.search(
        rf'<label for="id_designated_{nurse.pk}"><input type="checkbox" name="designated"'
        rf' value="{nurse.pk}" id="id_designated_{nurse.pk}"> ([^<]*)</label>',
        group.group(2),
    )
    assert box and box.group(1).startswith("&lt;b&gt;Iris&lt;/b&gt;")
    # The referrer herself is always warned: she is not offered.
    assert f'value="{world.memberships["doctor"].pk}"' not in group.group(2)
    # The moments: a group of boxes with its legend; no label points at nothing.
    assert re.search(r"<fieldset[^>]*>\s*<legend>Moments du parcours", page)
    assert 'for=""' not in page
    # The consent method: a group of radios with its legend.
    assert re.search(r"<fieldset[^>]*>\s*<legend>Comment le patient a-t-il donné son accord", page)


def test_a_chosen_partner_that_is_not_a_public_id_is_ignored(world, crowd):
    partners, late, full = crowd
    kept = suggest_partners(world.a, "cancer", limit=3, include=["pas-un-identifiant", None])
    assert len(kept) == 3
    client = world.client_for("doctor")
    response = client.get(reverse("accompaniment:refer"), {"partner": "<script>"})
    assert (
        response.status_code == 200
        and "<script>" not in response.content.decode().split("<main", 1)[1]
    )
