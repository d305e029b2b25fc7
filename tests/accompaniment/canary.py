"""Plant an accompanied patient's data (and the same person's partner data) for the privacy canary test."""

import datetime as dt


def plant(user, structure, canary):
    from binome.accompaniment.models import (
        Accompaniment,
        Alert,
        Consent,
        Contact,
        Handover,
        KeyMoment,
        Patient,
        PatientFeedback,
        SupervisionSession,
    )
    from binome.partners.models import Partner
    from binome.people.models import Membership, Role
    from tests.factories import MembershipFactory

    membership = Membership.objects.get(user=user, structure=structure, role=Role.PARTNER)
    partner = Partner.objects.filter(membership=membership).first() or Partner.objects.create(
        structure=structure,
        membership=membership,
        first_name="Camille",
        status=Partner.Status.ACTIVE,
    )
    doctor = MembershipFactory(structure=structure, role=Role.PROFESSIONAL)
    patient = Patient.objects.create(
        structure=structure,
        user=user,
        first_name=canary("prenom-patient"),
        last_name=canary("nom-patient"),
        phone=canary("tel"),
        email=f"{canary('patient')}@exemple.fr",
        pathway="cancer",
    )
    Consent.objects.create(
        patient=patient, purpose="contact_by_partner", text_version="2026-01", method="oral"
    )
    now = dt.datetime.now(dt.UTC)
    acc = Accompaniment.objects.create(
        structure=structure,
        patient=patient,
        partner=partner,
        referred_by=doctor,
        first_contact_due_at=now,
        notes_for_partner=canary("message-orientation"),
        end_comment=canary("fin"),
    )
    KeyMoment.objects.create(
        accompaniment=acc, kind="surgery", label=canary("moment"), date=dt.date.today()
    )
    Contact.objects.create(
        accompaniment=acc, private_notes=canary("notes"), summary_to_share=canary("resume")
    )
    Handover.objects.create(
        accompaniment=acc, partner=partner, kind="declined", reason=canary("raison-rendu")
    )
    Alert.objects.create(accompaniment=acc, message=canary("alerte"), response=canary("reponse"))
    PatientFeedback.objects.create(accompaniment=acc, usefulness=4, comment=canary("avis"))
    SupervisionSession.objects.create(
        structure=structure,
        partner=partner,
        date=dt.date.today(),
        supervisor_name=canary("superviseur"),
        private_notes=canary("supervision"),
    )
