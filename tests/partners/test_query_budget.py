"""Query budgets of the partners pages, with data (issue 9: a page's own queries stay few)."""

import pytest
from django.urls import reverse

from binome.partners import services
from binome.partners.models import Evaluation, PartnerTag
from tests.missions.factories import AssignmentFactory, MissionFactory
from tests.partners.factories import (
    CharterFactory,
    CriterionFactory,
    PartnerFactory,
    PartnerTagFactory,
    TrainingFactory,
    partner_for,
)

pytestmark = pytest.mark.django_db

# Per-request base (session, user, second factor, memberships, network memberships) is
# counted in; each page's own queries come on top of it.
BASE = 5


def _full_partner(world, partner):
    for label in ["Écoute", "Animation", "Anglais"]:
        PartnerTagFactory(
            partner=partner,
            label=label,
            kind=PartnerTag.Kind.LANGUAGE if label == "Anglais" else PartnerTag.Kind.SKILL,
        )
    TrainingFactory.create_batch(3, partner=partner)
    charter = CharterFactory(structure=world.a)
    services.sign_charter(
        charter, user=partner.membership.user, method="online", recorded_by=partner.membership.user
    )
    for i, criterion in enumerate(CriterionFactory.create_batch(4, structure=world.a)):
        for evaluator in [world.users["coordinator"], world.users["doctor"]]:
            Evaluation.objects.create(
                partner=partner,
                criterion=criterion,
                evaluator=evaluator,
                rating=["yes", "no"][i % 2],
                comment="ok",
            )
    for _ in range(3):
        services.add_meeting_note(
            partner, actor=world.users["coordinator"], met_on="2026-01-05", notes="Rencontre"
        )
        AssignmentFactory(
            mission=MissionFactory(structure=world.a),
            partner=partner,
            assigned_by=world.users["coordinator"],
        )


def _budget(client, url, own, django_assert_max_num_queries):
    client.get(url)
    with django_assert_max_num_queries(BASE + own):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_partner_detail_budget_and_grid(world, django_assert_max_num_queries):
    partner = partner_for(world)
    _full_partner(world, partner)
    response = _budget(
        world.client_for("coordinator"),
        reverse("partners:detail", args=[partner.public_id]),
        8,
        django_assert_max_num_queries,
    )
    criteria = response.context["evaluation_criteria"]
    assert [(c.n_yes, c.n_no) for c in criteria] == [(2, 0), (0, 2), (2, 0), (0, 2)]
    # The evaluator's own judgement pre-fills the form.
    form = response.context["evaluation_form"]
    assert form.fields[f"rating_{criteria[1].pk}"].initial == "no"
    assert form.fields[f"comment_{criteria[1].pk}"].initial == "ok"
    assert len(response.context["notes"]) == 3 and len(response.context["assignments"]) == 3
    # The charter's status comes with the partner: signed, and nothing newer to sign.
    charter_section = response.content.decode().split("<h3>Charte</h3>")[1].split("</section>")[0]
    assert "Version 1 signée le" in charter_section and "reste à signer" not in charter_section


def test_partner_detail_says_when_a_newer_charter_is_to_be_signed(world):
    partner = partner_for(world)
    first = CharterFactory(structure=world.a, version=1)
    services.sign_charter(
        first, user=partner.membership.user, method="paper", recorded_by=world.users["coordinator"]
    )
    CharterFactory(structure=world.a, version=2)
    response = world.client_for("coordinator").get(
        reverse("partners:detail", args=[partner.public_id])
    )
    charter_section = response.content.decode().split("<h3>Charte</h3>")[1].split("</section>")[0]
    assert "Version 1 signée le" in charter_section and "Signée sur papier" in charter_section
    assert "la version 2 reste à signer" in charter_section


def test_pool_and_pipeline_budgets(world, django_assert_max_num_queries):
    for i in range(30):
        partner = PartnerFactory(structure=world.a, status=["active", "candidate", "met"][i % 3])
        PartnerTagFactory(partner=partner)
    client = world.client_for("coordinator")
    _budget(client, reverse("partners:pool"), 4, django_assert_max_num_queries)
    _budget(client, reverse("partners:pipeline"), 3, django_assert_max_num_queries)


def test_my_profile_budget(world, django_assert_max_num_queries):
    partner = partner_for(world)
    _full_partner(world, partner)
    _budget(
        world.client_for("partner"),
        reverse("partners:my_profile"),
        5,
        django_assert_max_num_queries,
    )
