"""Demo compensation policies and missions of several kinds, at every state. Idempotent."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from binome.missions import library, services
from binome.missions.models import CompensationPolicy, Mission, MissionAssignment, MissionComment
from binome.partners.models import Partner
from binome.people.demo_set import demo_find, demo_remember
from binome.people.models import Membership


def _member(demo, email, structure):
    return (
        Membership.objects.filter(user=demo.user(email), structure=structure)
        .exclude(role="partner")
        .first()
    )


def _partner(structure, token):
    return Partner.objects.get(structure=structure, submission_token=f"demo-{token}")


def load(demo):
    t, v = demo.tilleuls, demo.vallee
    coord_t, coord_v = (
        demo.user("coordination@tilleuls.demo"),
        demo.user("coordination@vallee.demo"),
    )
    if not CompensationPolicy.objects.filter(structure=t).exists():
        services.decide_policy(
            structure=t,
            actor=coord_t,
            mode="volunteer_expenses",
            expenses_ceiling=Decimal("40.00"),
            mileage_rate=Decimal("0.350"),
            decided_on=date(2024, 3, 12),
            decision_meeting="Réunion pluriprofessionnelle de mars",
            votes_for=11,
            votes_against=0,
            votes_abstain=1,
            vote_result="Adoptée à la majorité",
            notes="Frais de déplacement et de garde remboursés sur justificatif. À revoir au bout d'un an avec les partenaires.",
        )
    if not CompensationPolicy.objects.filter(structure=v).exists():
        services.decide_policy(
            structure=v,
            actor=coord_v,
            mode="flat_fee",
            flat_fee_amount=Decimal("60.00"),
            decided_on=date(2024, 9, 5),
            decision_meeting="Conseil de gestion du centre de santé",
            votes_for=7,
            votes_against=1,
            votes_abstain=0,
            vote_result="Adoptée",
        )

    _mission(
        demo,
        t,
        "peer_accompaniment",
        "Pair-accompagnement : diabète de type 2",
        coord_t,
        named=["medecin@tilleuls.demo", "ide.asalee@tilleuls.demo"],
        partners=["t1"],
        target="active",
        criteria={"condition": ["Diabète de type 2"], "skill": ["Écoute"], "topic": []},
        comments=[
            (
                "t1",
                "partner",
                "Je préfère ne pas appeler les patients le week-end : je l'ai ajouté dans « ce que je ne fais pas ».",
            )
        ],
    )
    etp = _mission(
        demo,
        t,
        "etp_coanimation",
        "Co-animation de l'atelier « Bouger avec son cœur »",
        coord_t,
        named=["kine@tilleuls.demo"],
        partners=["t2"],
        target="in_validation_v2",
        criteria={
            "condition": ["Maladie coronarienne"],
            "skill": ["Activité physique", "Animation"],
        },
        comments=[
            (
                "t2",
                "partner",
                "Je peux témoigner de ma reprise du vélo, mais pas du traitement anticoagulant : je renvoie au kiné.",
            )
        ],
    )
    if etp is not None and not CompensationPolicy.objects.filter(mission=etp).exists():
        services.decide_policy(
            structure=t,
            mission=etp,
            actor=coord_t,
            mode="hourly",
            hourly_rate=Decimal("25.00"),
            decided_on=date(2025, 1, 14),
            decision_meeting="Comité de pilotage ETP",
            vote_result="Unanimité",
            notes="Financé par le programme d'ETP (ARS).",
        )
    _mission(
        demo,
        t,
        "health_project_review",
        "Relecture du projet de santé 2026",
        coord_t,
        named=["medecin@tilleuls.demo"],
        partners=[],
        target="draft",
    )
    _mission(
        demo,
        t,
        "student_training",
        "Intervention auprès des internes de médecine générale",
        coord_t,
        named=["medecin@tilleuls.demo"],
        partners=["t3"],
        target="draft",
        criteria={"skill": ["Prise de parole"], "language": []},
    )
    _mission(
        demo,
        t,
        "users_committee",
        "Comité des usagers 2024",
        coord_t,
        named=["medecin@tilleuls.demo"],
        partners=["t2"],
        target="closed",
    )

    _mission(
        demo,
        v,
        "peer_accompaniment",
        "Pair-accompagnement en cancérologie",
        coord_v,
        named=["medecin@vallee.demo"],
        partners=["v1"],
        target="active",
        criteria={"condition": ["Cancer du sein"], "language": ["Arabe"], "topic": ["Fin de vie"]},
    )
    _mission(
        demo,
        v,
        "working_group",
        "Groupe de travail « Accueil au centre »",
        coord_v,
        named=["ide@vallee.demo"],
        partners=["v2"],
        target="in_validation",
        criteria={"skill": ["Rédaction"]},
    )
    _mission(
        demo,
        v,
        "communication",
        "Livret d'accueil en français et en arabe",
        coord_v,
        named=["medecin@vallee.demo"],
        partners=[],
        target="draft",
        criteria={"language": ["Arabe"], "skill": ["Communication"]},
    )


def _mission(
    demo,
    structure,
    kind,
    title,
    coordinator,
    *,
    named,
    partners,
    target,
    criteria=None,
    comments=(),
):
    key = f"missions:mission:{structure.slug}:{slugify(title)}"
    if demo_find(key, Mission, structure=structure, title=title) is not None:
        return None
    mission = services.create_from_template(
        library.BY_KIND[kind], structure=structure, actor=coordinator
    )
    demo_remember(key, mission)
    mission.title = title
    mission.starts_on = (
        timezone.localdate() - timedelta(days=60) if target in ("active", "closed") else None
    )
    professionals = [_member(demo, e, structure) for e in named]
    services.save_mission(
        mission, actor=coordinator, criteria=criteria or {}, professionals=professionals
    )
    for token in partners:
        services.assign(mission, _partner(structure, token), actor=coordinator)
    for token, side, body in comments:
        user = _partner(structure, token).membership.user
        MissionComment.objects.create(mission=mission, author=user, side=side, body=body)
    if target == "draft":
        return mission
    services.submit(mission, actor=coordinator, note="Première version discutée en réunion.")
    if target in ("in_validation_v2",):
        mission.refresh_from_db()
        mission.excluded_activities += "\nNe parle pas des traitements anticoagulants : renvoie au kinésithérapeute ou au médecin."
        mission.time_and_place = "Un atelier de 2 heures par mois, le samedi matin, salle de réunion de la maison de santé."
        mission.slot = Mission.Slot.WEEKEND
        services.save_mission(
            mission, actor=coordinator, criteria=criteria or {}, professionals=professionals
        )
        services.submit(
            mission,
            actor=coordinator,
            note="Précisions du patient partenaire sur ce qu'il ne fait pas ; passage au samedi.",
        )
        mission.refresh_from_db()
        services.validate(mission, user=professionals[0].user)
        return mission
    if target == "in_validation":
        return mission
    mission.refresh_from_db()
    for m in professionals:
        services.validate(mission, user=m.user)
    for token in partners:
        mission.refresh_from_db()
        services.validate(mission, user=_partner(structure, token).membership.user)
    mission.refresh_from_db()
    if target == "closed":
        services.close(
            mission,
            actor=coordinator,
            note="Quatre réunions dans l'année, douze propositions, dont la boîte à idées en salle d'attente.",
        )
        MissionAssignment.objects.filter(mission=mission).update(
            ended_at=timezone.now() - timedelta(days=30)
        )
    return mission
