"""Plant a partner profile with every personal field for the privacy canary test."""

import datetime as dt

from django.core.files.base import ContentFile


def plant(user, structure, canary):
    from binome.partners.models import (
        Charter,
        CharterSignature,
        Decision,
        Evaluation,
        EvaluationCriterion,
        MeetingNote,
        Partner,
        PartnerTag,
        Training,
    )
    from binome.people.models import Membership, Role

    membership = Membership.objects.get(user=user, structure=structure, role=Role.PARTNER)
    profile = {
        "first_name": canary("partenaire-prenom"),
        "last_name": canary("partenaire-nom"),
        "email": user.email,
        "phone": "0699887766",
        "commune": canary("commune"),
        "motivation": canary("motivation"),
        "how_heard": canary("connu"),
        "lived_experience": canary("experience-vecue"),
        "association": canary("association"),
        "availability": canary("disponibilites"),
        "limits_note": canary("limites"),
        "compensation_note": canary("indemnisation"),
        "team_notes": canary("notes-equipe"),
        "training_plan": canary("plan-formation"),
        "supervision_arrangement": canary("supervision"),
    }
    partner = Partner.objects.filter(membership=membership).first()
    if partner is None:
        partner = Partner.objects.create(
            structure=structure, membership=membership, status=Partner.Status.ACTIVE, **profile
        )
    else:
        Partner.objects.filter(pk=partner.pk).update(**profile)
        partner.refresh_from_db()
    partner.photo.save(canary("photo") + ".png", ContentFile(b"\x89PNG photo"), save=True)
    PartnerTag.objects.create(
        partner=partner, kind=PartnerTag.Kind.LANGUAGE, value="arabe", label=canary("langue")
    )
    training = Training.objects.create(
        partner=partner,
        kind=Training.Kind.ETP_40H,
        title=canary("formation"),
        organisation=canary("organisme"),
        completed_on=dt.date(2024, 5, 1),
        hours=40,
        proof_name=canary("attestation.pdf"),
    )
    training.proof.save(canary("attestation") + ".pdf", ContentFile(b"%PDF attestation"), save=True)
    coordinator = Membership.objects.filter(structure=structure, role=Role.COORDINATOR).first().user
    MeetingNote.objects.create(
        partner=partner,
        participants=canary("participants"),
        notes=canary("rencontre"),
        author=coordinator,
    )
    criterion = EvaluationCriterion.objects.create(structure=structure, label="Écoute")
    Evaluation.objects.create(
        partner=partner,
        criterion=criterion,
        evaluator=coordinator,
        rating="yes",
        comment=canary("evaluation"),
    )
    Decision.objects.create(
        partner=partner,
        from_status="met",
        to_status="selected",
        reason=canary("motif"),
        decided_by=coordinator,
    )
    charter = Charter.objects.create(
        structure=structure, version=1, title="Charte", text="Texte", published_by=coordinator
    )
    CharterSignature.objects.create(
        charter=charter,
        user=user,
        partner=partner,
        signer_role="partner",
        method="online",
        recorded_by=coordinator,
    )
    # She shares her profile in a CPTS's pool: the copy there holds her data too.
    from binome.partners import pool
    from binome.people.models import Structure
    from tests.factories import StructureFactory

    cpts = StructureFactory(kind=Structure.Kind.CPTS)
    link = pool.request_membership(cpts, structure, actor=coordinator)
    pool.accept_membership(link, actor=coordinator)
    pool.share(partner, cpts, actor=user)
