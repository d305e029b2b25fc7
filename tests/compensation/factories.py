"""Factories for compensation; partners and missions come from their own apps' factories."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from binome.compensation.models import Expense, FundingSource, MissionBudget, Statement, TimeEntry
from binome.missions.models import Mission
from binome.partners.models import Partner
from tests.factories import StructureFactory, UserFactory
from tests.missions import factories as missions_factories
from tests.partners.factories import PartnerFactory  # noqa: F401  (re-exported)


class MissionFactory(missions_factories.MissionFactory):
    """An active co-animation mission: what partners log time on."""

    title = factory.Sequence(lambda n: f"Co-animation atelier diabète {n}")
    kind = Mission.Kind.ETP_COANIMATION
    status = Mission.Status.ACTIVE


class AssignmentFactory(missions_factories.AssignmentFactory):
    mission = factory.SubFactory(MissionFactory)
    partner = factory.SubFactory(
        PartnerFactory, structure=factory.SelfAttribute("..mission.structure")
    )
    assigned_by = factory.SubFactory(UserFactory)


class PolicyFactory(missions_factories.PolicyFactory):
    structure = factory.LazyAttribute(
        lambda o: o.mission.structure if o.mission else StructureFactory()
    )
    mission = None


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    structure = factory.SubFactory(StructureFactory)
    kind = FundingSource.Kind.ACI
    name = "ACI implication des usagers"
    year = 2026
    amount = Decimal("2000.00")


class MissionBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionBudget

    mission = factory.SubFactory(MissionFactory)
    funding_source = None
    amount = None


def _yesterday():
    return timezone.localdate() - dt.timedelta(days=1)


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeEntry

    partner = factory.SubFactory(PartnerFactory)
    structure = factory.SelfAttribute("partner.structure")
    mission = factory.SubFactory(
        MissionFactory, structure=factory.SelfAttribute("..partner.structure")
    )
    date = factory.LazyFunction(_yesterday)
    duration_minutes = 90
    activity = TimeEntry.Activity.WORKSHOP
    amount = Decimal("0.00")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    partner = factory.SubFactory(PartnerFactory)
    structure = factory.SelfAttribute("partner.structure")
    mission = factory.SubFactory(
        MissionFactory, structure=factory.SelfAttribute("..partner.structure")
    )
    date = factory.LazyFunction(_yesterday)
    kind = Expense.Kind.MILEAGE
    kilometres = Decimal("24.0")
    km_rate = Decimal("0.350")
    amount = Decimal("8.40")


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    partner = factory.SubFactory(PartnerFactory)
    structure = factory.SelfAttribute("partner.structure")
    number = factory.Sequence(lambda n: f"R-2026-{n:04d}")
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 1, 31)
    total = Decimal("8.40")
    expenses_amount = Decimal("8.40")


def partner_of(world, structure="a"):
    """The Partner record of the world's partner persona (created once)."""
    membership = (world.memberships if structure == "a" else world.memberships_b)["partner"]
    partner = Partner.objects.filter(membership=membership).first()
    if partner is None:
        partner = PartnerFactory(
            structure=membership.structure,
            membership=membership,
            first_name=membership.user.first_name,
            last_name=membership.user.last_name,
        )
    return partner


def assigned(world, structure="a", **mission_kwargs):
    """A mission of the structure with the world's partner assigned to it."""
    partner = partner_of(world, structure)
    mission = MissionFactory(structure=partner.structure, **mission_kwargs)
    AssignmentFactory(mission=mission, partner=partner)
    return partner, mission
