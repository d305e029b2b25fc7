"""Plant a tandem report about the canary patient, written by the canary partner (runs after
the accompaniment planter, whose accompaniment it names)."""


def plant(user, structure, canary):
    from binome.accompaniment.models import Accompaniment
    from binome.partners.models import Partner
    from binome.people.models import Membership, Role
    from binome.tandems.models import Tandem, TandemReport
    from tests.factories import MembershipFactory

    membership = Membership.objects.get(user=user, structure=structure, role=Role.PARTNER)
    partner = Partner.objects.get(membership=membership)
    acc = Accompaniment.objects.filter(partner=partner).order_by("pk").first()
    doctor = MembershipFactory(structure=structure, role=Role.PROFESSIONAL)
    tandem = Tandem.objects.create(structure=structure, doctor=doctor, partner=partner)
    TandemReport.objects.create(
        tandem=tandem,
        accompaniment=acc,
        patient_expressed=canary("exprime"),
        needs=canary("besoins"),
        agreed_to_share=canary("partage"),
        next_steps=canary("suites"),
        detail=canary("detail"),
        reply=canary("reponse-medecin"),
    )
