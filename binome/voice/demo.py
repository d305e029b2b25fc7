"""Demo content: a satisfaction survey with 40 answers (8 on paper), the idea box with ideas
at every status, the users' committee with meetings and proposals (Tilleuls); a small
survey at the Vallée. Idempotent: each block is created once, keyed on stable titles."""

import datetime as dt
import random

from django.utils import timezone
from django.utils.text import slugify

from binome.people.demo_set import demo_get_or_create
from binome.people.models import Membership, Role
from binome.voice import services
from binome.voice.models import (
    Committee,
    CommitteeMember,
    Idea,
    Meeting,
    Proposal,
    Question,
    Response,
    Status,
    Survey,
)

IMPROVE = [
    "Le délai pour avoir un rendez-vous avec mon médecin est trop long, souvent trois semaines.",
    "Difficile de joindre le secrétariat par téléphone le lundi matin.",
    "Le parking est trop petit, on tourne longtemps avant de trouver une place.",
    "Plus de places de stationnement pour les personnes handicapées.",
    "L'attente en salle d'attente dépasse parfois une heure sans explication.",
    "Prévenir par SMS quand le médecin a du retard.",
    "Des rendez-vous en fin de journée pour ceux qui travaillent.",
    "Ouvrir le samedi matin.",
    "Le téléphone sonne dans le vide à l'heure du déjeuner.",
    "Des ateliers sur l'alimentation, surtout pour les diabétiques.",
    "Une salle d'attente plus calme pour les enfants.",
    "Afficher les noms des professionnels présents chaque jour.",
    "",
    "",
]
THANKS = [
    "Merci à toute l'équipe pour votre gentillesse.",
    "L'accueil est toujours souriant, merci aux secrétaires.",
    "Très satisfaite de l'infirmière Asalée, elle prend le temps d'expliquer.",
    "Continuez comme ça !",
    "Merci pour les ateliers diabète, j'ai appris beaucoup.",
    "",
    "",
    "",
]


def _questions(survey, spec):
    sections = {}
    for position, (section, kind, label, choices, required) in enumerate(spec, start=1):
        if section and section not in sections:
            sections[section] = survey.sections.create(title=section, position=len(sections) + 1)
        Question.objects.create(
            survey=survey,
            section=sections.get(section),
            kind=kind,
            label=label,
            choices=choices,
            required=required,
            position=position,
        )
    return list(survey.questions.order_by("position"))


def _answers(survey, questions, count, paper, rng, entered_by):
    for i in range(count):
        answers = {}
        for q in questions:
            if q.kind == Question.Kind.SCALE:
                answers[q] = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 5, 12, 10])[0]
            elif q.kind == Question.Kind.SINGLE:
                answers[q] = rng.choices(
                    range(len(q.choices)), weights=[6, 3, 2][: len(q.choices)]
                )[0]
            elif q.kind == Question.Kind.MULTIPLE:
                answers[q] = sorted(set(rng.sample(range(len(q.choices)), rng.randint(0, 2))))
            else:
                pool = IMPROVE if "améliorer" in q.label else THANKS
                answers[q] = rng.choice(pool)
        is_paper = i < paper
        services.submit_response(
            survey,
            answers,
            submission_token=f"demo-{survey.public_token}-{i}",
            channel=Response.Channel.PAPER if is_paper else Response.Channel.ONLINE,
            entered_by=entered_by if is_paper else None,
        )


TILLEULS_SURVEY = [
    (
        "L'accueil",
        Question.Kind.SCALE,
        "Êtes-vous satisfait de l'accueil au secrétariat ?",
        [],
        True,
    ),
    (
        "L'accueil",
        Question.Kind.SCALE,
        "Les professionnels vous ont-ils bien expliqué vos soins ?",
        [],
        False,
    ),
    (
        "Les rendez-vous",
        Question.Kind.SINGLE,
        "Comment prenez-vous rendez-vous le plus souvent ?",
        ["Par téléphone", "Sur internet", "Sur place, à l'accueil"],
        False,
    ),
    (
        "Les rendez-vous",
        Question.Kind.MULTIPLE,
        "Quels ateliers vous intéresseraient ?",
        ["Diabète", "Alimentation", "Activité physique", "Sommeil", "Mémoire"],
        False,
    ),
    ("Vos idées", Question.Kind.TEXT, "Que pourrions-nous améliorer ?", [], False),
    ("Vos idées", Question.Kind.TEXT, "Un mot pour l'équipe ?", [], False),
]


def _survey(structure, title, intro, spec, count, paper, seed, author, published_days_ago):
    survey, created = demo_get_or_create(
        f"voice:survey:{structure.slug}:{slugify(title)}",
        Survey,
        structure=structure,
        title=title,
        defaults={"intro": intro, "created_by": author},
    )
    if not created:
        return survey
    questions = _questions(survey, spec)
    services.publish_survey(survey, actor=author)
    Survey.objects.filter(pk=survey.pk).update(
        published_at=timezone.now() - dt.timedelta(days=published_days_ago)
    )
    survey.refresh_from_db()
    _answers(survey, questions, count, paper, random.Random(seed), author)
    return survey


IDEAS = [
    (
        "Un distributeur d'eau dans la salle d'attente, l'été il fait très chaud.",
        Status.DONE,
        "Une fontaine à eau est installée depuis juin, à côté de l'accueil.",
        "",
        -80,
    ),
    (
        "Afficher les horaires des permanences de l'infirmière Asalée.",
        Status.DONE,
        "Les horaires sont affichés à l'entrée et sur le site internet.",
        "",
        -40,
    ),
    (
        "Des chaises plus hautes pour les personnes âgées qui ont du mal à se relever.",
        Status.ACCEPTED,
        "Bonne idée : quatre fauteuils avec accoudoirs sont commandés.",
        "",
        -20,
    ),
    (
        "Proposer des ateliers sur le sommeil.",
        Status.UNDER_STUDY,
        "Nous en parlons avec le comité des usagers à la prochaine réunion.",
        "",
        -10,
    ),
    (
        "Pouvoir venir sans rendez-vous tous les jours.",
        Status.DECLINED,
        "",
        "Les soins non programmés sont assurés chaque matin de 8 h à 10 h ; au-delà, l'équipe ne peut pas garantir la qualité des consultations.",
        -15,
    ),
    ("Un coin jeux pour les enfants dans la salle d'attente.", Status.RECEIVED, "", "", -3),
    ("Rappeler les rendez-vous par SMS la veille.", Status.RECEIVED, "", "", -1),
]


def _ideas(structure, author):
    services.idea_box_for(structure, actor=author)
    now = timezone.now()
    for n, (text, status, answer, reason, days) in enumerate(IDEAS):
        idea, created = services.submit_idea(
            structure, text=text, submission_token=f"demo-idee-{n}"
        )
        if not created:
            continue
        if status != Status.RECEIVED:
            services.set_status(
                idea, status=status, public_answer=answer, decline_reason=reason, actor=author
            )
            when = now + dt.timedelta(days=days)
            Idea.objects.filter(pk=idea.pk).update(
                submitted_at=when - dt.timedelta(days=12),
                status_changed_at=when,
                done_at=when.date() if status == Status.DONE else None,
            )
        else:
            Idea.objects.filter(pk=idea.pk).update(submitted_at=now + dt.timedelta(days=days))
    services.submit_idea(
        structure,
        text="Vous êtes tous nuls !!! www.promo-montres.example",
        submission_token="demo-idee-spam",
    )
    Idea.objects.filter(structure=structure, submission_token="demo-idee-spam").update(
        moderation=Idea.Moderation.HIDDEN
    )


def _committee(structure, demo):
    if Committee.objects.filter(structure=structure).exists():
        return
    committee = services.create_committee(
        structure,
        name="Comité des usagers des Tilleuls",
        purpose="Se réunit chaque trimestre pour améliorer l'accueil et les actions de prévention ; co-rédige la gazette.",
    )
    seats = [
        ("usagers@tilleuls.demo", Role.USER_REP, "Présidente"),
        ("partenaire@tilleuls.demo", Role.PARTNER, ""),
        ("medecin@tilleuls.demo", Role.PROFESSIONAL, "Référent de l'équipe"),
        ("coordination@tilleuls.demo", Role.COORDINATOR, "Secrétariat du comité"),
    ]
    for email, role, function in seats:
        membership = Membership.objects.get(structure=structure, user=demo.user(email), role=role)
        CommitteeMember.objects.create(
            committee=committee, membership=membership, function=function
        )
    services.refresh_committee_action(committee)
    today = timezone.localdate()
    meetings = [
        (
            -120,
            "Bilan de l'enquête de satisfaction ; accueil téléphonique.",
            "Sept participants. Le délai au téléphone revient souvent : l'équipe teste une ligne dédiée aux renouvellements d'ordonnance.",
        ),
        (
            -50,
            "Horaires d'ouverture ; préparation de la gazette d'été.",
            "Proposition d'ouvrir le samedi matin, acceptée à l'essai par l'équipe. Trois sujets retenus pour la gazette.",
        ),
        (
            -5,
            "Ateliers de prévention de l'automne ; boîte à idées.",
            "Le comité propose un atelier sommeil ; les idées reçues ce trimestre sont passées en revue.",
        ),
    ]
    made = []
    for days, agenda, minutes in meetings:
        made.append(
            Meeting.objects.create(
                committee=committee,
                structure=structure,
                date=today + dt.timedelta(days=days),
                place="Salle de réunion de la MSP",
                agenda=agenda,
                minutes=minutes,
                attendees_count=7,
            )
        )
    coordinator = demo.user("coordination@tilleuls.demo")
    proposals = [
        (
            made[0],
            "Une ligne téléphonique pour les renouvellements d'ordonnance",
            Status.DONE,
            "Depuis avril, une ligne dédiée répond de 14 h à 16 h.",
            "",
            -90,
        ),
        (
            made[1],
            "Ouvrir le samedi matin",
            Status.ACCEPTED,
            "Essai de trois mois à partir de septembre, un samedi sur deux.",
            "",
            -45,
        ),
        (
            made[1],
            "Traduire le livret d'accueil en arabe",
            Status.UNDER_STUDY,
            "Une patiente partenaire arabophone a proposé son aide ; nous cherchons un financement.",
            "",
            -40,
        ),
        (
            made[2],
            "Un atelier sommeil animé par une patiente partenaire",
            Status.RECEIVED,
            "",
            "",
            -5,
        ),
        (
            made[0],
            "Supprimer le répondeur téléphonique",
            Status.DECLINED,
            "",
            "Le répondeur permet d'orienter les urgences vers le 15 le soir : l'équipe le garde, avec un message plus court.",
            -100,
        ),
    ]
    now = timezone.now()
    for meeting, title, status, answer, reason, days in proposals:
        proposal = Proposal.objects.create(
            structure=structure,
            committee=committee,
            meeting=meeting,
            title=title,
            created_by=demo.user("usagers@tilleuls.demo"),
        )
        if status != Status.RECEIVED:
            services.set_status(
                proposal,
                status=status,
                public_answer=answer,
                decline_reason=reason,
                actor=coordinator,
            )
            when = now + dt.timedelta(days=days)
            Proposal.objects.filter(pk=proposal.pk).update(
                status_changed_at=when, done_at=when.date() if status == Status.DONE else None
            )


def load(demo):
    t, v = demo.tilleuls, demo.vallee
    claire = demo.user("coordination@tilleuls.demo")
    _survey(
        t,
        "Enquête de satisfaction des usagers",
        "Votre avis nous aide à améliorer la maison de santé. Cinq minutes, anonyme.",
        TILLEULS_SURVEY,
        count=40,
        paper=8,
        seed=2024,
        author=claire,
        published_days_ago=60,
    )
    _ideas(t, claire)
    _committee(t, demo)
    _survey(
        v,
        "Votre avis sur le centre de santé",
        "Quelques questions, anonymes.",
        TILLEULS_SURVEY[:1] + TILLEULS_SURVEY[4:5],
        count=12,
        paper=4,
        seed=7,
        author=demo.user("coordination@vallee.demo"),
        published_days_ago=30,
    )
