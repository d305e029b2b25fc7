from datetime import date, timedelta

import factory
from django.utils import timezone

from binome.involvement.models import (
    ActionKind,
    Evidence,
    InvolvementAction,
    Level,
    Programme,
    Workshop,
    WorkshopFeedback,
)
from tests.factories import StructureFactory


class InvolvementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvolvementAction

    structure = factory.SubFactory(StructureFactory)
    kind = ActionKind.POSTERS
    title = factory.Sequence(lambda n: f"Affiches salle d'attente n°{n}")
    level = Level.INFORMATION
    aci_level = 1
    start_date = factory.LazyFunction(lambda: date(timezone.localdate().year, 1, 15))


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    action = factory.SubFactory(InvolvementActionFactory)
    file = factory.django.FileField(filename="preuve.pdf", data=b"%PDF-1.4 test")
    original_name = "preuve.pdf"
    content_type = "application/pdf"
    size = 13


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Diabète de type 2 — cycle {n}")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    programme = factory.SubFactory(ProgrammeFactory)
    structure = factory.SelfAttribute("programme.structure")
    title = "Mieux manger au quotidien"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    planned_count = 10


class WorkshopFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopFeedback

    workshop = factory.SubFactory(WorkshopFactory)
    useful = 5
    understood = 4
    freer = 5
    submission_token = factory.Sequence(lambda n: f"jeton-{n:020d}")
