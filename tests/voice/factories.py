import factory
from django.utils import timezone

from binome.voice.models import (
    Answer,
    Committee,
    Idea,
    IdeaBox,
    Meeting,
    Proposal,
    Question,
    Response,
    Survey,
)
from tests.factories import StructureFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Enquête de satisfaction {n}")
    state = Survey.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    kind = Question.Kind.SCALE
    label = factory.Sequence(lambda n: f"Question {n}")
    position = factory.Sequence(lambda n: n)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    structure = factory.SelfAttribute("survey.structure")
    submission_token = factory.Sequence(lambda n: f"reponse-{n:020d}")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)
    value = 4


class IdeaBoxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaBox
        django_get_or_create = ("structure",)

    structure = factory.SubFactory(StructureFactory)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    structure = factory.SubFactory(StructureFactory)
    text = factory.Sequence(lambda n: f"Installer un banc devant l'entrée ({n})")
    submission_token = factory.Sequence(lambda n: f"idee-{n:020d}")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    structure = factory.SubFactory(StructureFactory)
    name = "Comité des usagers"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    structure = factory.SelfAttribute("committee.structure")
    date = factory.LazyFunction(timezone.localdate)
    agenda = "Accueil téléphonique ; bilan de l'enquête."


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    committee = factory.SubFactory(CommitteeFactory)
    structure = factory.SelfAttribute("committee.structure")
    title = factory.Sequence(lambda n: f"Proposition {n}")
