import datetime as dt

import factory
from django.utils import timezone

from binome.networks import questionnaire as q
from binome.networks import services
from binome.networks.models import (
    Campaign,
    ExchangeRequest,
    ImprovementAction,
    MatrixDimension,
    MatrixSession,
    MaturityAssessment,
    ProjectCard,
    Theme,
)
from binome.networks.synthetic import answers_for
from binome.people.models import Role
from tests.factories import MembershipFactory, NetworkFactory, StructureFactory


class MaturityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaturityAssessment

    structure = factory.SubFactory(StructureFactory)
    level = q.CONSULTATION
    level_from_answers = factory.SelfAttribute("level")
    answers = factory.LazyAttribute(
        lambda o: answers_for(o.level, barriers=["time"], levers=["training"])
    )


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Campagne {n}")
    introduction = "Merci de répondre au nom de votre équipe."
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))


def invitation(campaign, structure=None, **fields):
    if structure is not None:
        fields.setdefault("name", structure.name)
        fields.setdefault("kind", structure.kind)
        fields.setdefault("department", structure.department)
        return services._new_invitation(campaign, structure=structure, **fields)
    fields.setdefault("name", "MSP sans compte")
    fields.setdefault("email", "contact@msp-sans-compte.example")
    return services._new_invitation(campaign, **fields)


class MatrixSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatrixSession

    structure = factory.SubFactory(StructureFactory)
    title = "Matrice de maturité"


class ImprovementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementAction

    session = factory.SubFactory(MatrixSessionFactory)
    dimension = factory.LazyFunction(
        lambda: MatrixDimension.objects.get(code="implication-participation")
    )
    title = "Inviter des usagers au comité de pilotage"
    means = "Une réunion par trimestre"
    owner = factory.LazyAttribute(
        lambda o: MembershipFactory(structure=o.session.structure, role=Role.COORDINATOR)
    )
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class ProjectCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCard

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Projet partagé {n}")
    theme = Theme.COMMUNICATION
    level = q.COLLABORATION
    what = "Une gazette écrite avec trois usagers."
    with_whom = "Trois usagers, la coordinatrice."
    contact = "contact@equipe.example"
    region = factory.SelfAttribute("structure.region")
    department = factory.SelfAttribute("structure.department")
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


class ExchangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRequest

    card = factory.SubFactory(ProjectCardFactory)
    from_structure = factory.SubFactory(StructureFactory)
    message = "Pouvons-nous échanger sur votre gazette ?"
