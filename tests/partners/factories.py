import factory

from binome.partners.models import (
    Charter,
    EvaluationCriterion,
    Partner,
    PartnerTag,
    RecruitmentCall,
    Training,
    normalize_tag,
)
from binome.people.models import Role
from tests.factories import MembershipFactory, StructureFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    structure = factory.SubFactory(StructureFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"partenaire{n}@exemple.fr")
    status = Partner.Status.ACTIVE


class PartnerWithAccountFactory(PartnerFactory):
    """A partner who signs in: her record and her partner membership in the structure."""

    membership = factory.SubFactory(
        MembershipFactory, structure=factory.SelfAttribute("..structure"), role=Role.PARTNER
    )


class PartnerTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerTag

    partner = factory.SubFactory(PartnerFactory)
    kind = PartnerTag.Kind.SKILL
    label = "Écoute"
    value = factory.LazyAttribute(lambda o: normalize_tag(o.label))


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    partner = factory.SubFactory(PartnerFactory)
    kind = Training.Kind.ETP_40H
    title = "Formation ETP 40 heures"
    hours = 40


class RecruitmentCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentCall

    structure = factory.SubFactory(StructureFactory)
    title = "Devenez patient partenaire"
    introduction = "Votre expérience compte."
    is_open = True


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationCriterion

    structure = factory.SubFactory(StructureFactory)
    label = factory.Sequence(lambda n: f"Critère {n}")


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter

    structure = factory.SubFactory(StructureFactory)
    version = 1
    title = "Charte d'engagement réciproque"
    text = "Confidentialité. Partenariat."


def partner_for(world, structure="a", **kwargs):
    """The Partner record of the world's partner persona (linked to their membership)."""
    membership = (
        world.memberships["partner"] if structure == "a" else world.memberships_b["partner"]
    )
    existing = Partner.objects.filter(membership=membership).first()
    if existing:
        return existing
    return PartnerFactory(
        structure=membership.structure, membership=membership, email=membership.user.email, **kwargs
    )
