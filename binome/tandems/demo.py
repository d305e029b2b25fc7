"""Demo tandems (one per team: asynchronous at the Tilleuls, synchronous at the Vallée),
with two scope versions and two reports, and two practice-group sessions. Idempotent: a
team that has a tandem is left as it is."""

from datetime import timedelta

from django.utils import timezone

from binome.partners.models import Partner
from binome.people.models import Membership, Role
from binome.tandems.models import PracticeGroupSession, Tandem, TandemReport, TandemScope


def load(demo):
    now = timezone.now()
    for slug in ("tilleuls", "vallee"):
        structure = demo.structures[slug]
        if Tandem.objects.filter(structure=structure).exists():
            continue
        doctor = (
            Membership.objects.filter(user=demo.user(f"medecin@{slug}.demo"), structure=structure)
            .exclude(role=Role.PATIENT)
            .first()
        )
        partner = Partner.objects.filter(
            structure=structure, membership__user=demo.user(f"partenaire@{slug}.demo")
        ).first()
        if partner is None or doctor is None:
            continue
        _team(structure, slug, doctor, partner, now)


def _team(structure, slug, doctor, partner, now):
    mode = Tandem.Mode.ASYNCHRONOUS if slug == "tilleuls" else Tandem.Mode.SYNCHRONOUS
    tandem = Tandem.objects.create(structure=structure, doctor=doctor, partner=partner, mode=mode)
    TandemScope.objects.create(
        tandem=tandem,
        version=1,
        created_by=doctor.user,
        text="Le patient partenaire écoute, partage son expérience, oriente vers l'équipe. Il ne donne aucun conseil médical "
        "et n'a pas accès au dossier. Comptes rendus courts par Binôme après chaque rencontre.",
    )
    TandemScope.objects.create(
        tandem=tandem,
        version=2,
        created_by=partner.membership.user,
        text="Le patient partenaire écoute, partage son expérience, oriente vers l'équipe et les ateliers ETP. "
        "Il ne donne aucun conseil médical et n'a pas accès au dossier. Comptes rendus structurés après chaque "
        "rencontre ; le médecin en accuse réception sous une semaine. Point tous les deux mois.",
    )
    TandemReport.objects.create(
        tandem=tandem,
        created_by=partner.membership.user,
        created_at=now - timedelta(days=12),
        patient_expressed="La peur des piqûres et de « devenir un malade ».",
        needs="Voir comment on vit avec l'insuline.",
        agreed_to_share="Sa peur et son souhait d'un atelier.",
        next_steps="Atelier ETP insuline du mois prochain.",
        acknowledged_at=now - timedelta(days=10),
        acknowledged_by=doctor.user,
        reply="Merci, je l'inscris à l'atelier et j'en reparle avec lui jeudi.",
    )
    TandemReport.objects.create(
        tandem=tandem,
        created_by=partner.membership.user,
        created_at=now - timedelta(days=2),
        patient_expressed="Beaucoup de solitude depuis son veuvage.",
        needs="Du lien social.",
        agreed_to_share="Sa solitude ; il est d'accord pour que vous en parliez.",
        next_steps="Proposer le groupe de marche et l'assistante sociale.",
    )
    session = PracticeGroupSession.objects.create(
        structure=structure,
        kind=PracticeGroupSession.Kind.PRACTICE_ANALYSIS,
        date=timezone.localdate() - timedelta(days=14),
        facilitator="Psychologue extérieure au centre",
        created_by=doctor.user,
        anonymised_cases="Situation 1 : une personne accompagnée demande au patient partenaire son avis sur un traitement.\n"
        "Situation 2 : messages tardifs d'une personne accompagnée très isolée.",
        notes="Rappeler le périmètre d'action ; convenir d'horaires de disponibilité annoncés dès le premier contact.",
    )
    session.participants.set(
        Membership.objects.filter(
            structure=structure, role__in=[Role.PARTNER, Role.PROFESSIONAL]
        ).filter(is_active=True)[:6]
    )
    PracticeGroupSession.objects.create(
        structure=structure,
        kind=PracticeGroupSession.Kind.TALKING_CIRCLE,
        date=timezone.localdate() - timedelta(days=45),
        facilitator="Patients partenaires",
        anonymised_cases="Tour de table sur la fatigue des aidants.",
        notes="Prochain cercle dans deux mois.",
        created_by=doctor.user,
    )
