"""Factories for the core models; each app keeps its own in tests/<app>/factories.py."""

import factory
from django.utils import timezone

from binome.people.models import (
    Membership,
    Network,
    NetworkAffiliation,
    NetworkMembership,
    Profession,
    Region,
    Role,
    Structure,
    User,
)

PASSWORD = "mot-de-passe-de-test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    slug = factory.Sequence(lambda n: f"structure-{n}")
    name = factory.Sequence(lambda n: f"MSP numéro {n}")
    kind = Structure.Kind.MSP
    region = Region.OCC
    department = "31"
    commune = "Toulouse"
    aci_signatory = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.COORDINATOR
    profession = factory.LazyAttribute(
        lambda m: Profession.GP if m.role == Role.PROFESSIONAL else ""
    )


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"reseau-{n}")
    name = factory.Sequence(lambda n: f"Réseau {n}")
    region = Region.OCC


class NetworkAffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkAffiliation

    structure = factory.SubFactory(StructureFactory)
    network = factory.SubFactory(NetworkFactory)
    opted_in_at = factory.LazyFunction(timezone.now)


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
