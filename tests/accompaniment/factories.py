import factory
from django.utils import timezone

from binome.accompaniment.models import (
    Accompaniment,
    Alert,
    Consent,
    ConsentPurpose,
    Contact,
    KeyMoment,
    Patient,
    SupervisionSession,
)
from binome.partners.models import Partner
from binome.people.models import Role
from binome.tandems.models import PracticeGroupSession, Tandem, TandemReport
from tests.factories import MembershipFactory, StructureFactory
from tests.partners.factories import PartnerWithAccountFactory

# Accompaniments are led by partners who sign in.
PartnerFactory = PartnerWithAccountFactory


def partner_for(membership):
    """The Partner row of a partner membership (the world's partner persona)."""
    partner, _ = Partner.objects.get_or_create(
        membership=membership,
        defaults={
            "structure": membership.structure,
            "status": Partner.Status.ACTIVE,
            "first_name": membership.user.first_name or "Partenaire",
        },
    )
    return partner


def world_accompaniment(world, **kw):
    """An accompaniment of structure A, referred by the world's doctor to its partner."""
    kw.setdefault("partner", partner_for(world.memberships["partner"]))
    kw.setdefault("referred_by", world.memberships["doctor"])
    return AccompanimentFactory(structure=world.a, **kw)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    structure = factory.SubFactory(StructureFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = "D"
    phone = "06 12 34 56 78"
    email = factory.Sequence(lambda n: f"patient{n}@exemple.fr")
    pathway = "cancer"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    patient = factory.SubFactory(PatientFactory)
    purpose = ConsentPurpose.CONTACT_BY_PARTNER
    text_version = "2026-01"
    method = Consent.Method.SIGNED_FORM


class AccompanimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accompaniment
        skip_postgeneration_save = True

    structure = factory.SubFactory(StructureFactory)
    patient = factory.SubFactory(PatientFactory, structure=factory.SelfAttribute("..structure"))
    partner = factory.SubFactory(PartnerFactory, structure=factory.SelfAttribute("..structure"))
    referred_by = factory.SubFactory(
        MembershipFactory, structure=factory.SelfAttribute("..structure"), role=Role.PROFESSIONAL
    )
    referred_at = factory.LazyFunction(timezone.now)
    first_contact_due_at = factory.LazyAttribute(
        lambda o: o.referred_at + timezone.timedelta(hours=48)
    )

    @factory.post_generation
    def consents(obj, create, extracted, **kwargs):
        """consents=[purposes] (default: contact and contact details)."""
        if not create:
            return
        purposes = (
            extracted
            if extracted is not None
            else [
                ConsentPurpose.CONTACT_BY_PARTNER,
                ConsentPurpose.SHARE_CONTACT_DETAILS,
            ]
        )
        for purpose in purposes:
            ConsentFactory(patient=obj.patient, purpose=purpose)


class KeyMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyMoment

    accompaniment = factory.SubFactory(AccompanimentFactory)
    kind = KeyMoment.Kind.FIRST_CHEMO
    date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=7))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    accompaniment = factory.SubFactory(AccompanimentFactory)
    private_notes = "Note privée du partenaire"
    summary_to_share = "Résumé partagé"


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    accompaniment = factory.SubFactory(AccompanimentFactory)
    message = "Inquiétude"


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession

    partner = factory.SubFactory(PartnerFactory)
    structure = factory.SelfAttribute("partner.structure")
    date = factory.LazyFunction(timezone.localdate)
    supervisor_name = "Mme Superviseure, psychologue"
    private_notes = "Notes de supervision"


class TandemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tandem

    structure = factory.SubFactory(StructureFactory)
    doctor = factory.SubFactory(
        MembershipFactory, structure=factory.SelfAttribute("..structure"), role=Role.PROFESSIONAL
    )
    partner = factory.SubFactory(PartnerFactory, structure=factory.SelfAttribute("..structure"))


class TandemReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TandemReport

    tandem = factory.SubFactory(TandemFactory)
    patient_expressed = "Fatigue"
    needs = "Écoute"
    agreed_to_share = "Sa fatigue"


class PracticeGroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeGroupSession

    structure = factory.SubFactory(StructureFactory)
    date = factory.LazyFunction(timezone.localdate)
    anonymised_cases = "Situation A"
