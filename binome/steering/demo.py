"""Demo: the Tilleuls team steers the integration of a peer supporter by action-research.

The limiting factors are the real rows of seed 002, Tableau I (phase 1 → remediation for
phase 2), told in the words of a primary-care team.
"""

import datetime as dt
from decimal import Decimal

from binome.people.demo_set import demo_get_or_create
from binome.people.models import Membership, Role
from binome.steering import links
from binome.steering.models import (
    ActionItem,
    CheckIn,
    CommitteeMember,
    Cycle,
    Indicator,
    IndicatorValue,
    LimitingFactor,
    LogbookEntry,
    Project,
    ProjectLink,
)

TITLE = "Intégrer une patiente partenaire en pair-accompagnement"

FACTORS = [
    (
        "Communication auprès de toute l'équipe",
        "La communication auprès de tous les professionnels (secrétariat compris) a été insuffisante pour que "
        "l'intervention fasse sens à tous : reconnaître la patiente partenaire et être ambassadeur du projet.",
        "Approche plus large auprès de tout le personnel : « speed dating » avec les professionnels, "
        "objet d'identification visuelle pour les patients.",
        LimitingFactor.Status.IN_PROGRESS,
    ),
    (
        "Proposition de l'accompagnement par le médecin",
        "Le médecin encourage le projet mais se trouve en difficulté pour répondre à certaines questions précises "
        "des patients sur l'accompagnement.",
        "Partager des retours d'expérience d'autres équipes ; construire avec le comité une brochure simple "
        "remise au patient.",
        LimitingFactor.Status.PLANNED,
    ),
    (
        "Transmission des coordonnées à la patiente partenaire",
        "Le médecin passait par le secrétariat : cet intermédiaire a ralenti la transmission, jusqu'à une semaine "
        "entière, alors que l'objectif de premier contact est de 24 à 48 h.",
        "Orientation directe du médecin vers la patiente partenaire, sans intermédiaire, par la plateforme "
        "de coordination (Binôme).",
        LimitingFactor.Status.RESOLVED,
    ),
    (
        "Outillage de la patiente partenaire",
        "Le téléphone prépayé à clapet ne permet ni SMS confortables ni messagerie ; faute de plateforme de "
        "coordination, la patiente partenaire suivait les personnes accompagnées sur un tableur.",
        "Équiper la patiente partenaire d'un smartphone ; lui donner accès à la plateforme de coordination pour "
        "suivre les moments clés du parcours.",
        LimitingFactor.Status.RESOLVED,
    ),
    (
        "Temporalité de la mission et statut",
        "L'investissement de la patiente partenaire la projette dans une posture professionnelle qui met une "
        "pression sur les professionnels (« J'ai peur de la décevoir »).",
        "Travailler la concrétisation d'un statut en amont (objectif commun et indissociable du projet).",
        LimitingFactor.Status.PERSISTS,
    ),
    (
        "Autonomie de la patiente partenaire",
        "Les outils imaginés par la patiente partenaire doivent être validés en comité : impression "
        "d'expérimentation à deux vitesses.",
        "Continuer à valider en comité les outils dont elle ressent le besoin, en travaillant la "
        "complémentarité avec les professionnels.",
        LimitingFactor.Status.IN_PROGRESS,
    ),
]

LOGBOOK = [
    (
        dt.date(2026, 9, 1),
        LogbookEntry.Kind.PARTNERS_ONLY,
        "Patientes partenaires, chargée de projet",
        "Besoins, attentes et limites de l'engagement des patientes partenaires, en entre-soi.",
        "Quel statut pendant l'expérimentation ? Qui est responsable de la patiente partenaire ?",
        "Une seule patiente partenaire expérimente le plan d'action ; l'autre reste au comité en soutien.",
        "",
    ),
    (
        dt.date(2026, 9, 3),
        LogbookEntry.Kind.PROFESSIONALS_ONLY,
        "Médecins, infirmière Asalée, kinésithérapeute, coordinatrice",
        "Présentation du projet aux professionnels volontaires ; points de vigilance.",
        "Quels patients orienter ? Comment recueillir le consentement ? La patiente partenaire rend-elle compte ?",
        "Constituer un comité de pilotage mixte.",
        "Inviter la patiente partenaire au premier comité.",
    ),
    (
        dt.date(2026, 9, 10),
        LogbookEntry.Kind.COPIL,
        "Comité de pilotage au complet",
        "Fiche-mission de la patiente partenaire ; charte d'engagement réciproque ; logistique.",
        "Dans quel espace accueillir les patients ? Quels jours ? À qui remonter une information urgente ?",
        "Fiche-mission validée ; statut de stagiaire pour la phase 1 ; phase 1 de six semaines.",
        "Rédiger le consentement des patients ; organiser la supervision externe.",
    ),
    (
        dt.date(2026, 10, 22),
        LogbookEntry.Kind.COPIL,
        "Comité de pilotage au complet",
        "Bilan de la phase 1 et facteurs limitants.",
        "Comment raccourcir le délai entre la proposition et le premier contact ?",
        "Orientation directe médecin → patiente partenaire ; smartphone et accès à la plateforme.",
        "Lancer le cycle 2 ; préparer la brochure et les « speed datings ».",
    ),
]


def load(demo):
    structure = demo.tilleuls
    coordinator = demo.user("coordination@tilleuls.demo")
    project, created = demo_get_or_create(
        "steering:project:tilleuls",
        Project,
        structure=structure,
        title=TITLE,
        defaults=dict(
            objective="Expérimenter à petite échelle (une patiente partenaire, une dizaine de patients) le "
            "pair-accompagnement de patients atteints de cancer, puis généraliser ce qui marche.",
            method="Recherche-action en cycles : planifier, agir, observer, réfléchir et ajuster le plan d'action.",
            status=Project.Status.ACTIVE,
            start_date=dt.date(2026, 9, 1),
            end_date=dt.date(2027, 3, 31),
            created_by=coordinator,
        ),
    )
    _links(project)
    if not created:
        return

    def membership(email, role):
        return Membership.objects.get(structure=structure, user=demo.user(email), role=role)

    coord = membership("coordination@tilleuls.demo", Role.COORDINATOR)
    doctor = membership("medecin@tilleuls.demo", Role.PROFESSIONAL)
    partner = membership("partenaire@tilleuls.demo", Role.PARTNER)
    nurse = membership("ide.asalee@tilleuls.demo", Role.PROFESSIONAL)
    second_partner = membership("bernard.partenaire@tilleuls.demo", Role.PARTNER)
    for m, seat in [
        (coord, CommitteeMember.Seat.LEAD),
        (doctor, CommitteeMember.Seat.MEMBER),
        (partner, CommitteeMember.Seat.MEMBER),
        (nurse, CommitteeMember.Seat.MEMBER),
        (second_partner, CommitteeMember.Seat.SUPPORT),
    ]:
        CommitteeMember.objects.create(
            project=project, membership=m, seat=seat, joined_on=dt.date(2026, 9, 10)
        )

    c1 = Cycle.objects.create(
        project=project,
        number=1,
        title="Phase 1 : expérimentation à petite échelle",
        phase=Cycle.Phase.DONE,
        start_date=dt.date(2026, 9, 14),
        end_date=dt.date(2026, 10, 26),
        objective="Six semaines avec une patiente partenaire et quelques patients orientés par deux médecins.",
    )
    c2 = Cycle.objects.create(
        project=project,
        number=2,
        title="Phase 2 : « gouttes d'huile »",
        phase=Cycle.Phase.ACT,
        start_date=dt.date(2026, 10, 27),
        end_date=dt.date(2026, 12, 21),
        objective="Lever les facteurs limitants de la phase 1 et élargir à toute l'équipe.",
    )
    for cycle, title, owner, due, status in [
        (
            c1,
            "Faire valider la fiche-mission par la patiente partenaire et les médecins",
            coord,
            dt.date(2026, 9, 14),
            ActionItem.Status.DONE,
        ),
        (
            c1,
            "Rédiger le recueil du consentement des patients",
            doctor,
            dt.date(2026, 9, 14),
            ActionItem.Status.DONE,
        ),
        (
            c1,
            "Organiser la supervision externe choisie par la patiente partenaire",
            coord,
            dt.date(2026, 9, 21),
            ActionItem.Status.DONE,
        ),
        (
            c2,
            "Orienter directement vers la patiente partenaire, sans passer par le secrétariat",
            doctor,
            dt.date(2026, 11, 2),
            ActionItem.Status.DONE,
        ),
        (
            c2,
            "Remettre un smartphone à la patiente partenaire",
            coord,
            dt.date(2026, 11, 2),
            ActionItem.Status.DONE,
        ),
        (
            c2,
            "Construire la brochure remise aux patients",
            partner,
            dt.date(2026, 12, 1),
            ActionItem.Status.DOING,
        ),
        (
            c2,
            "« Speed dating » avec les professionnels et le secrétariat",
            partner,
            dt.date(2026, 12, 8),
            ActionItem.Status.TODO,
        ),
        (
            c2,
            "Choisir un objet d'identification visuelle (pas de blouse)",
            nurse,
            dt.date(2026, 12, 15),
            ActionItem.Status.TODO,
        ),
    ]:
        ActionItem.objects.create(
            cycle=cycle,
            title=title,
            owner=owner,
            due_date=due,
            status=status,
            done_on=due if status == ActionItem.Status.DONE else None,
        )
    for date, kind, attendees, themes, questions, decisions, actions in LOGBOOK:
        LogbookEntry.objects.create(
            project=project,
            cycle=c1 if date >= dt.date(2026, 9, 14) else None,
            date=date,
            kind=kind,
            attendees=attendees,
            themes=themes,
            questions=questions,
            decisions=decisions,
            actions=actions,
            author=coordinator,
        )
    for title, observation, remediation, status in FACTORS:
        LimitingFactor.objects.create(
            project=project,
            cycle=c1,
            title=title,
            observation=observation,
            remediation=remediation,
            status=status,
            owner=coord,
        )
    delay = Indicator.objects.create(
        project=project,
        name="Délai entre l'orientation et le premier contact",
        unit="heures",
        target=Decimal("48"),
        lower_is_better=True,
        description="Médiane des délais entre l'orientation par le médecin et le premier contact de la patiente partenaire.",
    )
    for date, value, comment in [
        (dt.date(2026, 9, 28), "168", "Transmission par le secrétariat"),
        (dt.date(2026, 10, 19), "120", ""),
        (dt.date(2026, 11, 9), "36", "Orientation directe"),
        (dt.date(2026, 11, 16), "30", ""),
    ]:
        IndicatorValue.objects.create(
            indicator=delay, date=date, value=Decimal(value), comment=comment
        )
    accompanied = Indicator.objects.create(
        project=project,
        name="Patients accompagnés",
        unit="patients",
        target=Decimal("10"),
    )
    for date, value in [
        (dt.date(2026, 9, 28), 2),
        (dt.date(2026, 10, 19), 4),
        (dt.date(2026, 11, 16), 7),
    ]:
        IndicatorValue.objects.create(indicator=accompanied, date=date, value=Decimal(value))
    for week, (good, hard, adjust) in enumerate(
        [
            (
                "Premier contact chaleureux avec une patiente.",
                "Coordonnées reçues six jours après la proposition.",
                "En parler au comité.",
            ),
            (
                "Supervision rassurante.",
                "Le téléphone à clapet ne permet pas d'envoyer des SMS facilement.",
                "Demander un smartphone.",
            ),
            (
                "Deux accompagnements suivis aux moments clés.",
                "Suivi tenu sur un tableur, fastidieux.",
                "Utiliser la plateforme de coordination.",
            ),
            (
                "Orientation directe : premier contact en 24 h.",
                "Impression d'attendre la validation de chaque outil.",
                "Proposer la brochure au prochain comité.",
            ),
        ]
    ):
        date = dt.date(2026, 10, 1) + dt.timedelta(days=7 * week * 2)
        CheckIn.objects.create(
            project=project,
            partner=partner,
            date=date,
            went_well=good,
            difficulties=hard,
            adjustments=adjust,
            next_date=date + dt.timedelta(days=7),
            held_by=coordinator,
        )


def _links(project):
    """Link the peer-accompaniment mission, a programme and an involvement action when the
    other apps have them (guarded, idempotent)."""
    wanted = [
        (ProjectLink.Kind.MISSION, {"kind": "peer_accompaniment"}),
        (ProjectLink.Kind.PROGRAMME, {}),
        (ProjectLink.Kind.ACTION, {}),
    ]
    for kind, filters in wanted:
        model = links.target_model(kind)
        if model is None:
            continue
        try:
            target = (
                model.objects.filter(structure=project.structure, **filters).order_by("pk").first()
            )
        except Exception:  # noqa: BLE001 - a field may not exist in another app's model
            continue
        if target is not None:
            ProjectLink.objects.get_or_create(
                project=project,
                kind=kind,
                target_public_id=target.public_id,
                defaults={"label": links.label_of(target)},
            )
