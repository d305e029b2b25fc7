"""Demo partners at every stage, a call for candidates, evaluation grids and charters. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from binome.partners import services
from binome.partners.models import (
    Charter,
    CharterSignature,
    Decision,
    Evaluation,
    EvaluationCriterion,
    MeetingNote,
    Partner,
    RecruitmentCall,
    Training,
)
from binome.people.demo_set import demo_get_or_create
from binome.people.models import Membership, Role

ORDER = ["candidate", "met", "selected", "onboarded", "active"]

# key, structure, account email (or None), first, last, status, profile dict
PEOPLE = [
    (
        "t1",
        "tilleuls",
        "partenaire@tilleuls.demo",
        "Martine",
        "Cazals",
        "active",
        {
            "lived_experience": "Diabétique de type 2 depuis quinze ans. J'ai longtemps eu du mal avec l'insuline, et c'est une autre patiente qui m'a aidée à franchir le pas. J'aimerais rendre ce qu'on m'a donné.",
            "association": "Association française des diabétiques, délégation Haute-Garonne",
            "availability": "Les mardis et jeudis, plutôt le matin.",
            "hours_per_month": 10,
            "available_evening": False,
            "preferred_status": "volunteer_expenses",
            "share_lived_experience": True,
            "share_conditions": True,
            "conditions": ["Diabète de type 2", "Insulinothérapie"],
            "skills": ["Écoute", "Animation"],
            "languages": ["Français", "Occitan"],
            "limits": ["Fin de vie"],
            "limits_note": "Je préfère ne pas accompagner de fin de vie : j'ai perdu mon mari il y a deux ans.",
            "trainings": [
                ("etp_40h", "Formation ETP 40 heures", "IREPS Occitanie", 2022, 40),
                (
                    "peer_support",
                    "Pair-aidance en santé",
                    "Université des patients Toulouse",
                    2023,
                    21,
                ),
            ],
        },
    ),
    (
        "t2",
        "tilleuls",
        "bernard.partenaire@tilleuls.demo",
        "Bernard",
        "Estève",
        "active",
        {
            "lived_experience": "Infarctus à 52 ans, réadaptation cardiaque, puis reprise du sport.",
            "share_lived_experience": True,
            "availability": "En soirée et le samedi.",
            "available_evening": True,
            "available_weekend": True,
            "available_daytime": False,
            "hours_per_month": 6,
            "preferred_status": "flat_fee",
            "share_conditions": True,
            "conditions": ["Maladie coronarienne", "Réadaptation cardiaque"],
            "skills": ["Activité physique", "Prise de parole", "Gestion de projet"],
            "languages": ["Français", "Espagnol"],
            "trainings": [("etp_40h", "Formation ETP 40 heures", "Pôle ETP Occitanie", 2021, 40)],
        },
    ),
    (
        "t3",
        "tilleuls",
        "yasmine.partenaire@tilleuls.demo",
        "Yasmine",
        "Saïdi",
        "onboarded",
        {
            "lived_experience": "Maman d'un enfant asthmatique ; j'accompagne aussi ma mère diabétique qui parle surtout arabe.",
            "availability": "Le mercredi après-midi.",
            "hours_per_month": 4,
            "share_lived_experience": False,
            "share_conditions": True,
            "conditions": ["Asthme de l'enfant", "Diabète de type 2"],
            "skills": ["Traduction", "Communication"],
            "languages": ["Français", "Arabe"],
            "trainings": [
                (
                    "association",
                    "Aidant familial, les bases",
                    "Association Asthme & Allergies",
                    2024,
                    12,
                )
            ],
        },
    ),
    (
        "t4",
        "tilleuls",
        None,
        "Gérard",
        "Pons",
        "candidate",
        {
            "email": "gerard.pons@exemple.fr",
            "phone": "06 12 45 78 90",
            "motivation": "J'ai vu l'affiche en salle d'attente. Je vis avec une BPCO et j'aimerais aider d'autres fumeurs à arrêter.",
            "source": "public_form",
        },
    ),
    (
        "t5",
        "tilleuls",
        None,
        "Lucie",
        "Andrieu",
        "met",
        {
            "email": "lucie.andrieu@exemple.fr",
            "motivation": "Atteinte de sclérose en plaques, je voudrais participer aux groupes de travail de la maison de santé.",
            "source": "invitation",
        },
    ),
    (
        "t6",
        "tilleuls",
        None,
        "Odile",
        "Ferrand",
        "selected",
        {
            "email": "odile.ferrand@exemple.fr",
            "phone": "07 81 22 33 44",
            "motivation": "Ancienne institutrice, polyarthrite rhumatoïde depuis vingt ans. Je peux intervenir auprès des étudiants.",
            "source": "public_form",
        },
    ),
    (
        "t7",
        "tilleuls",
        None,
        "Henri",
        "Castan",
        "paused",
        {
            "email": "henri.castan@exemple.fr",
            "motivation": "Insuffisance cardiaque.",
            "team_notes": "En pause pour raisons de santé depuis septembre ; reprendra quand il le souhaitera.",
        },
    ),
    (
        "t8",
        "tilleuls",
        None,
        "Simone",
        "Barthe",
        "ended",
        {
            "email": "simone.barthe@exemple.fr",
            "motivation": "Cancer du sein en rémission.",
            "team_notes": "A déménagé en Bretagne ; merci pour ses deux années de comité des usagers.",
        },
    ),
    (
        "v1",
        "vallee",
        "partenaire@vallee.demo",
        "Fatima",
        "Haddad",
        "active",
        {
            "lived_experience": "Cancer du sein en 2019, chimiothérapie et radiothérapie au CHU, puis suivi au centre de santé.",
            "share_lived_experience": True,
            "share_conditions": True,
            "availability": "Plutôt en journée, en visio si besoin.",
            "hours_per_month": 8,
            "conditions": ["Cancer du sein", "Chimiothérapie"],
            "skills": ["Écoute", "Communication"],
            "languages": ["Français", "Arabe", "Kabyle"],
            "preferred_status": "flat_fee",
            "trainings": [("du", "DU Patient partenaire", "Université de Montpellier", 2022, 120)],
        },
    ),
    (
        "v2",
        "vallee",
        "paul.partenaire@vallee.demo",
        "Paul",
        "Lacombe",
        "active",
        {
            "lived_experience": "Dépression sévère il y a dix ans, soigné au centre médico-psychologique puis en ville.",
            "share_lived_experience": False,
            "share_conditions": False,
            "available_evening": True,
            "hours_per_month": 5,
            "conditions": ["Dépression"],
            "skills": ["Rédaction", "Gestion de projet"],
            "languages": ["Français", "Anglais"],
            "limits": ["Addictions"],
        },
    ),
    (
        "v3",
        "vallee",
        None,
        "Nathalie",
        "Rey",
        "candidate",
        {
            "email": "nathalie.rey@exemple.fr",
            "motivation": "Diabète de type 1 depuis l'enfance.",
            "source": "public_form",
        },
    ),
    (
        "v4",
        "vallee",
        None,
        "Jean-Marc",
        "Gay",
        "met",
        {
            "phone": "06 55 44 33 22",
            "motivation": "Aidant de mon épouse atteinte d'Alzheimer.",
            "source": "association",
        },
    ),
    (
        "v5",
        "vallee",
        None,
        "Inès",
        "Morel",
        "selected",
        {
            "email": "ines.morel@exemple.fr",
            "motivation": "Endométriose ; je veux que d'autres femmes soient entendues plus tôt.",
            "source": "public_form",
        },
    ),
    (
        "v6",
        "vallee",
        None,
        "Robert",
        "Calvet",
        "paused",
        {"email": "robert.calvet@exemple.fr", "motivation": "BPCO."},
    ),
]

CRITERIA = [
    ("quality", "Recul sur sa propre maladie", "Peut parler de son parcours sans être submergé·e."),
    ("quality", "Écoute et empathie", ""),
    ("quality", "Esprit constructif", "Empathie et construction, pas destruction (seed 001)."),
    ("dealbreaker", "Vient régler des comptes avec l'équipe ou un soignant", ""),
    ("dealbreaker", "Ne respecte pas la confidentialité", ""),
]


def load(demo):
    now = timezone.now()
    coordinators = {
        "tilleuls": demo.user("coordination@tilleuls.demo"),
        "vallee": demo.user("coordination@vallee.demo"),
    }
    doctors = {
        "tilleuls": demo.user("medecin@tilleuls.demo"),
        "vallee": demo.user("medecin@vallee.demo"),
    }
    for slug, structure in (("tilleuls", demo.tilleuls), ("vallee", demo.vallee)):
        demo_get_or_create(
            f"partners:call:{slug}",
            RecruitmentCall,
            structure=structure,
            is_open=True,
            defaults={
                "title": "Devenez patient partenaire de l'équipe",
                "introduction": f"Vous vivez avec une maladie chronique, ou vous accompagnez un proche ? Votre expérience compte. L'équipe de {structure.name} cherche des patients partenaires pour co-animer des ateliers, accueillir de nouveaux patients et améliorer nos façons de faire.",
                "what_we_offer": "Une rencontre sans engagement, une formation, un référent dans l'équipe, des missions construites avec vous et à votre rythme, une indemnisation décidée à l'avance.",
                "contact_note": "Renseignements à l'accueil",
                "created_by": coordinators[slug],
            },
        )
        for i, (kind, label, help_text) in enumerate(CRITERIA):
            demo_get_or_create(
                f"partners:criterion:{slug}:{i}",
                EvaluationCriterion,
                structure=structure,
                label=label,
                defaults={"kind": kind, "help_text": help_text, "position": i},
            )

    for key, slug, email, first, last, status, profile in PEOPLE:
        _partner(
            demo,
            key,
            slug,
            email,
            first,
            last,
            status,
            dict(profile),
            coordinators[slug],
            doctors[slug],
            now,
        )

    _charters(demo, coordinators, doctors, now)
    _shared_pool(demo, now)


def _shared_pool(demo, now):
    """The CPTS du Lauragais shares a pool with both teams; Bernard (Tilleuls) agreed that
    the Vallée sees his profile (binome.partners.pool)."""
    from binome.partners import pool
    from binome.partners.models import PoolMembership, PoolShare
    from binome.people.models import Structure

    cpts, _created = demo_get_or_create(
        "partners:cpts:lauragais",
        Structure,
        slug="lauragais",
        defaults={
            "name": "CPTS du Lauragais",
            "kind": Structure.Kind.CPTS,
            "region": demo.tilleuls.region,
            "department": demo.tilleuls.department,
            "commune": "Villefranche-de-Lauragais",
        },
    )
    for slug, member in (("tilleuls", demo.tilleuls), ("vallee", demo.vallee)):
        demo_get_or_create(
            f"partners:pool:{slug}",
            PoolMembership,
            cpts=cpts,
            member=member,
            defaults={
                "requested_at": now - timedelta(days=60),
                "accepted_at": now - timedelta(days=55),
            },
        )
    bernard = Partner.objects.filter(structure=demo.tilleuls, submission_token="demo-t2").first()
    if (
        bernard is not None
        and bernard.membership_id
        and bernard.status == Partner.Status.ACTIVE
        and not PoolShare.objects.filter(origin=bernard).exists()
    ):
        pool.share(bernard, demo.vallee, actor=bernard.membership.user)


def _partner(demo, key, slug, email, first, last, status, profile, coordinator, doctor, now):
    structure = demo.structures[slug]
    token = f"demo-{key}"
    if Partner.objects.filter(structure=structure, submission_token=token).exists():
        return
    membership = None
    if email:
        membership = Membership.objects.get(
            user=demo.user(email), structure=structure, role=Role.PARTNER
        )
        if Partner.objects.filter(membership=membership).exists():
            return
    tags = {k: profile.pop(k, []) for k in ("conditions", "skills", "languages", "limits")}
    trainings = profile.pop("trainings", [])
    submitted = now - timedelta(days=20 + 25 * ORDER.index(status) if status in ORDER else 200)
    partner = Partner.objects.create(
        structure=structure,
        membership=membership,
        first_name=first,
        last_name=last,
        email=profile.pop("email", email or ""),
        status=status,
        submission_token=token,
        submitted_at=submitted,
        commune=structure.commune,
        supervisor=Membership.objects.filter(user=doctor, structure=structure).first()
        if status in ("onboarded", "active", "paused")
        else None,
        training_plan="Formation ETP 40 h prévue au printemps." if status == "onboarded" else "",
        supervision_arrangement="Supervision mensuelle avec le médecin référent, le premier mardi du mois."
        if status in ("active", "onboarded")
        else "",
        **profile,
    )
    for kind, labels in (
        ("condition", tags["conditions"]),
        ("skill", tags["skills"]),
        ("language", tags["languages"]),
        ("limit", tags["limits"]),
    ):
        services.set_tags(partner, kind, labels)
    for kind, title, org, year, hours in trainings:
        Training.objects.create(
            partner=partner,
            kind=kind,
            title=title,
            organisation=org,
            completed_on=timezone.datetime(year, 6, 15).date(),
            hours=hours,
        )
    # History: meeting, evaluations, decisions up to the current stage.
    path = ORDER[: ORDER.index(status) + 1] if status in ORDER else ORDER + [status]
    if status == "ended":
        path = ["candidate", "met", "selected", "onboarded", "active", "ended"]
    if len(path) > 1:
        MeetingNote.objects.create(
            partner=partner,
            author=coordinator,
            met_on=(submitted + timedelta(days=7)).date(),
            participants="Coordination et médecin référent",
            notes=f"Rencontre d'une heure avec {first}. Motivation claire, parle de son parcours avec recul. Questions sur l'indemnisation et le temps demandé : expliqué la charte et la supervision.",
        )
        ratings = (
            ["yes", "yes", "yes", "no", "no"]
            if status != "met"
            else ["yes", "partly", "unknown", "no", "no"]
        )
        for criterion, rating in zip(
            EvaluationCriterion.objects.filter(structure=structure).order_by("position"),
            ratings,
            strict=False,
        ):
            for evaluator in (coordinator, doctor):
                Evaluation.objects.get_or_create(
                    partner=partner,
                    criterion=criterion,
                    evaluator=evaluator,
                    defaults={"rating": rating},
                )
    reasons = {
        "met": "Première rencontre faite.",
        "selected": "L'équipe est d'accord : qualités recherchées présentes, aucun critère rédhibitoire.",
        "onboarded": "Charte présentée, plan de formation et supervision convenus.",
        "active": "Formation faite, première mission validée ensemble.",
        "paused": "Pause demandée par la personne.",
        "ended": "Fin de l'engagement à la demande de la personne.",
    }
    for i in range(1, len(path)):
        Decision.objects.create(
            partner=partner,
            from_status=path[i - 1],
            to_status=path[i],
            reason=reasons.get(path[i], ""),
            decided_by=coordinator,
            decided_at=submitted + timedelta(days=10 * i),
        )


def _charters(demo, coordinators, doctors, now):
    for slug in ("tilleuls", "vallee"):
        structure = demo.structures[slug]
        if Charter.objects.filter(structure=structure).exists():
            continue
        v1 = services.ensure_charter(structure, actor=coordinators[slug])
        v1.published_at = now - timedelta(days=300)
        v1.save(update_fields=["published_at"])
        signers = [coordinators[slug], doctors[slug]]
        signers += [
            p.membership.user
            for p in Partner.objects.filter(
                structure=structure, status="active", membership__isnull=False
            ).select_related("membership__user")
        ]
        for i, user in enumerate(signers):
            CharterSignature.objects.create(
                charter=v1,
                user=user,
                partner=Partner.objects.filter(structure=structure, membership__user=user).first(),
                signer_role=services.signer_role_for(structure, user),
                method="paper" if i % 2 else "online",
                signed_at=now - timedelta(days=290 - i),
                recorded_by=coordinators[slug],
            )
        if slug == "vallee":
            # A second version: everyone is asked to sign again; the doctor already did.
            v2 = services.publish_charter(
                structure,
                title=v1.title,
                text=v1.text.replace(
                    "un référent joignable",
                    "un référent joignable, et un groupe d'analyse de pratiques chaque trimestre",
                ),
                change_note="Ajout du groupe d'analyse de pratiques trimestriel.",
                actor=coordinators[slug],
            )
            CharterSignature.objects.create(
                charter=v2,
                user=doctors[slug],
                signer_role="professional",
                method="online",
                signed_at=now - timedelta(days=3),
                recorded_by=doctors[slug],
            )
