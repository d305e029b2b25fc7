"""Demo: the Occitanie network, its campaign, the Tilleuls' self-assessments and matrix, the catalogue.

Idempotent: every object has a stable key (slug, title, date) and is created only when missing.
"""

import datetime as dt

from django.utils import timezone

from binome.networks import library, services
from binome.networks import questionnaire as q
from binome.networks.models import (
    Campaign,
    ExchangeRequest,
    ImprovementAction,
    MatrixAnswer,
    MatrixConsensus,
    MatrixDimension,
    MatrixSession,
    MaturityAssessment,
    ProjectCard,
    Resource,
    Theme,
)
from binome.networks.synthetic import answers_for
from binome.people.demo_set import demo_get_or_create
from binome.people.models import Membership, NetworkAffiliation, Region, Role, Structure

YES, NO = q.YES, q.NO

# Synthetic teams of the Occitanie network (no accounts): slug, name, kind, department, commune, level.
TEAMS = [
    ("occ-msp-foix", "MSP du Pays de Foix", "msp", "09", "Foix", q.CONSULTATION),
    ("occ-msp-limoux", "MSP de Limoux", "msp", "11", "Limoux", q.INFORMATION),
    ("occ-msp-millau", "MSP des Grands Causses", "msp", "12", "Millau", q.CONSULTATION),
    ("occ-msp-ales", "MSP Alès Cévennes", "msp", "30", "Alès", q.COLLABORATION),
    ("occ-cpts-comminges", "CPTS du Comminges", "cpts", "31", "Saint-Gaudens", q.CONSULTATION),
    ("occ-msp-auch", "MSP d'Auch", "msp", "32", "Auch", q.INFORMATION),
    (
        "occ-cds-montpellier",
        "Centre de santé Montpellier Nord",
        "centre",
        "34",
        "Montpellier",
        q.PARTNERSHIP,
    ),
    ("occ-msp-figeac", "MSP de Figeac", "msp", "46", "Figeac", q.CONSULTATION),
    ("occ-msp-mende", "MSP de Mende", "msp", "48", "Mende", q.INFORMATION),
    ("occ-esp-tarbes", "ESP de Tarbes", "esp", "65", "Tarbes", q.CONSULTATION),
    ("occ-msp-prades", "MSP de Prades", "msp", "66", "Prades", q.CONSULTATION),
    ("occ-msp-montauban", "MSP de Montauban Est", "msp", "82", "Montauban", q.COLLABORATION),
]
UNLISTED = [
    ("MSP de Castelnaudary", "msp", "11", "contact@msp-castelnaudary.example"),
    ("ESP du Haut-Languedoc", "esp", "34", "coordination@esp-hautlanguedoc.example"),
    ("MSP de Lourdes", "msp", "65", "accueil@msp-lourdes.example"),
]
WHY = [
    "Nous devons d'abord consolider l'équipe et le projet de santé.",
    "Manque de temps : l'accès aux soins passe avant.",
    "Les usagers sont les premiers concernés, c'est une évidence.",
    "Manque de temps et de moyens, mais l'envie est là.",
]


def load(demo):
    library.sync(Resource, MatrixDimension)
    network = demo.networks["occitanie"]
    teams = _teams(network)
    _assessments(demo, teams)
    _matrix(demo)
    _campaign(demo, network, teams)
    _cards(demo, teams)


def _teams(network):
    teams = []
    for slug, name, kind, department, commune, level in TEAMS:
        structure, _ = Structure.objects.get_or_create(
            slug=slug,
            defaults=dict(
                name=name,
                kind=kind,
                region=Region.OCC,
                department=department,
                commune=commune,
                aci_signatory=kind == "msp",
            ),
        )
        NetworkAffiliation.objects.get_or_create(structure=structure, network=network)
        teams.append((structure, level))
    return teams


def _at(year, month, day):
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def _assessments(demo, teams):
    coordinator = demo.user("coordination@tilleuls.demo")
    tilleuls = demo.tilleuls
    history = [
        (
            _at(2025, 11, 18),
            answers_for(
                q.CONSULTATION,
                priority=NO,
                knows_guide=NO,
                barriers=["time", "how_to", "pros_posture"],
                levers=["training"],
                text={"priority_why": "Nous nous concentrons sur le projet de santé."},
            ),
        ),
        (
            _at(2026, 11, 17),
            answers_for(
                q.COLLABORATION,
                priority=YES,
                knows_guide=YES,
                barriers=["time", "communication"],
                levers=["training", "sharing", "tools"],
                text={
                    "priority_why": "Le comité de pilotage du pair-accompagnement associe deux patientes partenaires."
                },
            ),
        ),
    ]
    for when, answers in history:
        if not MaturityAssessment.objects.filter(structure=tilleuls, created_at=when).exists():
            level = q.place_from_answers(answers)
            MaturityAssessment.objects.create(
                structure=tilleuls,
                answers=answers,
                level_from_answers=level,
                level=level,
                created_by=coordinator,
                created_at=when,
            )
    for i, (structure, level) in enumerate(teams):
        when = _at(2026, 6, 1 + i)
        if not MaturityAssessment.objects.filter(structure=structure, created_at=when).exists():
            MaturityAssessment.objects.create(
                structure=structure,
                answers=answers_for(level),
                level_from_answers=level,
                level=level,
                created_at=when,
            )


def _matrix(demo):
    tilleuls = demo.tilleuls
    session, created = demo_get_or_create(
        "networks:matrix:tilleuls:2026",
        MatrixSession,
        structure=tilleuls,
        title="Matrice de maturité 2026",
        defaults=dict(
            meeting_date=dt.date(2026, 11, 12),
            status=MatrixSession.Status.CONSENSUS,
            created_by=demo.user("coordination@tilleuls.demo"),
        ),
    )
    if not created:
        return
    dims = {d.code: d for d in MatrixDimension.objects.all()}

    def member(email, role):
        return Membership.objects.get(structure=tilleuls, user=demo.user(email), role=role)

    coord = member("coordination@tilleuls.demo", Role.COORDINATOR)
    doctor = member("medecin@tilleuls.demo", Role.PROFESSIONAL)
    partner = member("partenaire@tilleuls.demo", Role.PARTNER)
    nurse = member("ide.asalee@tilleuls.demo", Role.PROFESSIONAL)
    # Each member's level per axis, a step lower on the axis' last dimension for some.
    by_axis = {
        coord: {
            "implication-patients": 3,
            "travail-equipe": 4,
            "projet-sante": 3,
            "systeme-information": 2,
        },
        doctor: {
            "implication-patients": 4,
            "travail-equipe": 3,
            "projet-sante": 3,
            "systeme-information": 3,
        },
        partner: {
            "implication-patients": 2,
            "travail-equipe": 3,
            "projet-sante": 2,
            "systeme-information": 2,
        },
        nurse: {
            "implication-patients": 3,
            "travail-equipe": 4,
            "projet-sante": 3,
            "systeme-information": 2,
        },
    }
    active = [d for d in dims.values() if d.is_active]
    for m, levels in by_axis.items():
        for i, dim in enumerate(active):
            level = max(1, levels[dim.axis] - (1 if i % 4 == 3 and m in (partner, nurse) else 0))
            MatrixAnswer.objects.create(session=session, membership=m, dimension=dim, level=level)
    agreed = {
        "implication-patients": 3,
        "travail-equipe": 4,
        "projet-sante": 3,
        "systeme-information": 2,
    }
    notes = {
        "implication-participation": (
            4,
            "Les patientes partenaires travaillent avec nous sur le pair-accompagnement ; "
            "elles ne participent pas encore aux décisions.",
        ),
        "equipe-concertation": (
            None,
            "Réunions pluriprofessionnelles mensuelles et protocoles partagés.",
        ),
        "si-patients": (
            3,
            "La patiente partenaire n'avait pas d'outil : le partage d'information passait par le secrétariat.",
        ),
    }
    for dim in active:
        target, note = notes.get(dim.code, (None, ""))
        MatrixConsensus.objects.create(
            session=session, dimension=dim, level=agreed[dim.axis], target_level=target, note=note
        )
    ImprovementAction.objects.create(
        session=session,
        dimension=dims["implication-participation"],
        title="Inviter deux usagers au comité de pilotage du projet de santé",
        means="Une réunion par trimestre, indemnisation selon la politique de l'équipe.",
        owner=coord,
        due_date=dt.date(2027, 3, 31),
    )
    ImprovementAction.objects.create(
        session=session,
        dimension=dims["si-patients"],
        title="Donner à la patiente partenaire un accès à la plateforme",
        means="Smartphone fourni par la MSP, compte Binôme, formation d'une heure.",
        owner=coord,
        due_date=dt.date(2026, 11, 30),
        status=ImprovementAction.Status.DONE,
        review_date=dt.date(2026, 11, 20),
        review_note="Fait : premier contact en 24 h depuis.",
    )


def _campaign(demo, network, teams):
    campaign, created = demo_get_or_create(
        "networks:campaign:occitanie:2026",
        Campaign,
        network=network,
        title="Implication des usagers en Occitanie — 2026",
        defaults=dict(
            introduction="Le Réseau régional Occitanie fait le point, deux ans après l'enquête Fécop, sur l'implication des usagers "
            "dans les équipes de soins primaires. Une vingtaine de minutes, au nom de votre équipe.",
            opens_on=dt.date(2026, 11, 2),
            closes_on=dt.date(2026, 12, 15),
            created_by=demo.user("reseau@occitanie.demo"),
        ),
    )
    if not created:
        return
    services.invite_affiliated(campaign)
    for name, kind, department, email in UNLISTED:
        services.invite_unlisted(campaign, name=name, email=email, kind=kind, department=department)
    sent = _at(2026, 11, 2)
    campaign.invitations.update(sent_at=sent)
    by_structure = {inv.structure_id: inv for inv in campaign.invitations.exclude(structure=None)}
    tilleuls_answers = (
        MaturityAssessment.objects.filter(structure=demo.tilleuls)
        .order_by("-created_at")
        .first()
        .answers
    )
    services.store_response(by_structure[demo.tilleuls.pk], tilleuls_answers, when=_at(2026, 11, 5))
    services.store_response(
        by_structure[demo.vallee.pk],
        answers_for(
            q.CONSULTATION,
            priority=NO,
            knows_guide=NO,
            barriers=["time", "young_team", "few_users"],
            levers=["support", "association"],
            text={"priority_why": "Centre de santé jeune : nous consolidons d'abord l'équipe."},
        ),
        when=_at(2026, 11, 6),
    )
    barrier_sets = [
        ["time", "money"],
        ["time", "how_to"],
        ["team_first", "time"],
        ["knowledge", "convince"],
        ["time", "users_posture"],
    ]
    lever_sets = [
        ["training", "sharing"],
        ["support", "funding"],
        ["tools", "training"],
        ["sharing"],
        ["funding", "mediator"],
    ]
    for i, (structure, level) in enumerate(teams[:10]):
        services.store_response(
            by_structure[structure.pk],
            answers_for(
                level,
                priority=YES if i % 3 == 0 else NO,
                wants_more=NO if i % 5 == 4 else YES,
                knows_guide=YES if i % 2 else NO,
                wants_support=YES if i % 4 else NO,
                barriers=barrier_sets[i % 5],
                levers=lever_sets[i % 5],
                text={"priority_why": WHY[i % len(WHY)]},
            ),
            when=_at(2026, 11, 7 + i),
        )
    campaign.invitations.filter(responded_at__isnull=True).update(
        reminders_sent=1, last_reminded_at=_at(2026, 11, 16)
    )


def _cards(demo, teams):
    by_slug = {s.slug: s for s, _level in teams}
    cards = [
        (
            demo.tilleuls,
            "Pair-accompagnement de patients atteints de cancer",
            Theme.PEER,
            q.COLLABORATION,
            "Une patiente partenaire formée accompagne des patients orientés directement par leur médecin, aux moments clés du parcours.",
            "Deux patientes partenaires, les médecins généralistes, l'IDE Asalée, la coordinatrice.",
            "Premier contact en 24 à 48 h depuis l'orientation directe ; comité de pilotage mixte en recherche-action.",
            "contact@msp-tilleuls.example",
            True,
        ),
        (
            demo.vallee,
            "Une gazette écrite avec les usagers",
            Theme.COMMUNICATION,
            q.COLLABORATION,
            "Une gazette trimestrielle préparée avec trois usagers : actualités du centre, prévention, témoignages.",
            "Trois usagers volontaires, la coordinatrice, une infirmière.",
            "Très appréciée des patients ; un usager a proposé une rubrique en langage facile à lire.",
            "accueil@cds-vallee.example",
            True,
        ),
        (
            by_slug["occ-cds-montpellier"],
            "Des usagers au conseil d'administration",
            Theme.GOVERNANCE,
            q.PARTNERSHIP,
            "Deux représentants des usagers siègent au conseil d'administration de l'association du centre de santé.",
            "Représentants des usagers, médiatrice en santé, direction.",
            "Le projet de santé 2026 a été relu et amendé par les usagers.",
            "contact@cds-montpellier-nord.example",
            True,
        ),
        (
            by_slug["occ-msp-ales"],
            "Groupe de travail premiers secours en santé mentale",
            Theme.MENTAL_HEALTH,
            q.COLLABORATION,
            "Un groupe de travail entre pairs sur les premiers secours en santé mentale, avec l'infirmière de pratique avancée.",
            "Usagers, IPA, psychologue.",
            "",
            "",
            True,
        ),
        (
            by_slug["occ-msp-montauban"],
            "Atelier ETP diabète co-animé",
            Theme.ETP,
            q.COLLABORATION,
            "Un patient partenaire co-anime les séances collectives du programme d'éducation thérapeutique diabète de type 2.",
            "Un patient partenaire formé (40 h ETP), diététicienne, infirmière.",
            "Participation en hausse ; retours très positifs des participants.",
            "",
            True,
        ),
        (
            demo.tilleuls,
            "Comité des usagers (en préparation)",
            Theme.COMMITTEE,
            q.COLLABORATION,
            "Préparer la création d'un comité des usagers : charte, appel à volontaires en salle d'attente.",
            "La coordinatrice et deux usagers.",
            "",
            "",
            False,
        ),
    ]
    for structure, title, theme, level, what, with_whom, results, contact, published in cards:
        if ProjectCard.objects.filter(structure=structure, title=title).exists():
            continue
        card = ProjectCard.objects.create(
            structure=structure,
            title=title,
            theme=theme,
            level=level,
            what=what,
            with_whom=with_whom,
            results=results,
            contact=contact,
            region=structure.region,
            department=structure.department,
            is_published=published,
            published_at=_at(2026, 10, 1) if published else None,
        )
        if title.startswith("Une gazette"):
            ExchangeRequest.objects.create(
                card=card,
                from_structure=demo.tilleuls,
                created_by=demo.user("coordination@tilleuls.demo"),
                message="Nous aimerions lancer une gazette avec nos usagers : pourriez-vous nous raconter comment vous avez démarré ?",
            )
