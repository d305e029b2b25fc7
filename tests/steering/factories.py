import datetime

import factory

from binome.steering.models import (
    ActionItem,
    CheckIn,
    CommitteeMember,
    Cycle,
    Indicator,
    IndicatorValue,
    LimitingFactor,
    LogbookEntry,
    Project,
)
from tests.factories import StructureFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Intégrer une patiente partenaire {n}")
    objective = "Intégrer une patiente partenaire dans l'équipe."
    status = Project.Status.ACTIVE
    start_date = datetime.date(2026, 1, 5)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    project = factory.SubFactory(ProjectFactory)
    membership = None
    seat = CommitteeMember.Seat.MEMBER


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Phase 1"
    start_date = datetime.date(2026, 1, 5)
    end_date = datetime.date(2026, 2, 16)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    cycle = factory.SubFactory(CycleFactory)
    title = "Rédiger la brochure pour les patientes"
    due_date = datetime.date(2026, 2, 1)


class LogbookEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LogbookEntry

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2026, 1, 12)
    themes = "Fiche-mission de la patiente partenaire"
    questions = "Quel statut pendant l'expérimentation ?"
    decisions = "Statut de stagiaire pour la phase 1."


class LimitingFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LimitingFactor

    project = factory.SubFactory(ProjectFactory)
    title = "Outillage de la patiente partenaire"
    observation = "Téléphone à clapet, suivi sur tableur."
    remediation = "Smartphone et plateforme de coordination."


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name = "Délai médian de premier contact"
    unit = "heures"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=7 * n))
    value = 48


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    project = factory.SubFactory(ProjectFactory)
    partner = None
    date = datetime.date(2026, 1, 15)
    went_well = "Premiers contacts chaleureux."
    difficulties = "Délai de transmission des coordonnées."
