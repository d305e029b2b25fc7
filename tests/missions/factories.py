import factory

from binome.missions.models import (
    CompensationPolicy,
    Mission,
    MissionAssignment,
    MissionProfessional,
)
from tests.factories import StructureFactory


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Mission {n}")
    kind = Mission.Kind.PEER_ACCOMPANIMENT
    objective = "Soutenir des patients."


class MissionProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionProfessional

    mission = factory.SubFactory(MissionFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionAssignment

    mission = factory.SubFactory(MissionFactory)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationPolicy

    structure = factory.SubFactory(StructureFactory)
    mode = "volunteer_expenses"
