"""Demo accompaniments at every stage (Tilleuls and Vallée) and supervision. Idempotent:
each structure's set is created once, keyed on the referral's submission token."""

from datetime import time, timedelta

from django.utils import timezone

from binome.accompaniment import services
from binome.accompaniment.models import (
    Accompaniment,
    Alert,
    Consent,
    Contact,
    Deadline,
    KeyMoment,
    Patient,
    PatientFeedback,
    SupervisionSession,
)
from binome.partners.models import Partner
from binome.people.models import Membership, Role

ALL = ["contact_by_partner", "share_contact_details", "share_summaries_with_team"]
BASIC = ["contact_by_partner", "share_contact_details"]

# key, structure, partner account, referrer account, patient (first, last, phone, email, pathway),
# consents, stage, days since referral, patient account
CASES = [
    (
        "t-jacques",
        "tilleuls",
        "partenaire@tilleuls.demo",
        "medecin@tilleuls.demo",
        ("Jacques", "Delmas", "06 45 12 78 90", "patient@tilleuls.demo", "diabetes"),
        ALL,
        "active",
        21,
        "patient@tilleuls.demo",
    ),
    (
        "t-huguette",
        "tilleuls",
        "partenaire@tilleuls.demo",
        "medecin@tilleuls.demo",
        ("Huguette", "B.", "05 61 00 11 22", "", "diabetes"),
        BASIC,
        "referred",
        0.5,
        None,
    ),
    (
        "t-marcel",
        "tilleuls",
        "partenaire@tilleuls.demo",
        "ide.asalee@tilleuls.demo",
        ("Marcel", "R.", "06 78 90 12 34", "", "diabetes"),
        ALL,
        "late",
        3,
        None,
    ),
    (
        "t-sylvie",
        "tilleuls",
        "bernard.partenaire@tilleuls.demo",
        "medecin@tilleuls.demo",
        ("Sylvie", "Lacaze", "06 22 33 44 55", "sylvie.lacaze@exemple.fr", "cardio"),
        ALL,
        "active",
        40,
        None,
    ),
    (
        "t-andre",
        "tilleuls",
        "bernard.partenaire@tilleuls.demo",
        "medecin@tilleuls.demo",
        ("André", "F.", "06 98 76 54 32", "", "cardio"),
        BASIC,
        "ended",
        120,
        None,
    ),
    (
        "v-nadia",
        "vallee",
        "partenaire@vallee.demo",
        "medecin@vallee.demo",
        ("Nadia", "Bensaïd", "06 11 22 33 44", "nadia.b@exemple.fr", "cancer"),
        ALL,
        "active",
        30,
        None,
    ),
    (
        "v-claire",
        "vallee",
        "partenaire@vallee.demo",
        "medecin@vallee.demo",
        ("Claire", "M.", "07 66 55 44 33", "", "cancer"),
        BASIC,
        "referred",
        1,
        None,
    ),
    (
        "v-yves",
        "vallee",
        "paul.partenaire@vallee.demo",
        "ide@vallee.demo",
        ("Yves", "T.", "06 01 02 03 04", "", "mental_health"),
        BASIC,
        "ended",
        90,
        None,
    ),
]

CONTACTS = {
    "t-jacques": [
        (
            20,
            "phone",
            "remote",
            25,
            "Premier appel. Jacques est inquiet du passage à l'insuline, il a peur des piqûres. Il vit seul depuis le décès de sa femme.",
            "Premier contact établi. Jacques appréhende le passage à l'insuline ; il souhaite en parler avant sa consultation.",
        ),
        (
            13,
            "visit",
            "structure",
            45,
            "Rencontre à la maison de santé. Je lui ai montré mon stylo. Il a ri pour la première fois.",
            "Rencontre à la MSP : échange sur l'expérience de l'insuline au quotidien. Il se sent plus prêt.",
        ),
        (4, "sms", "remote", 5, "Message pour la consultation de jeudi. Il dort mal.", ""),
    ],
    "t-sylvie": [
        (
            38,
            "phone",
            "remote",
            30,
            "Sylvie a besoin de parler de sa peur de refaire un infarctus en marchant.",
            "Sylvie aimerait reprendre la marche mais a peur ; intéressée par l'atelier activité physique.",
        ),
        (
            20,
            "visit",
            "outside",
            60,
            "Marche au parc avec Sylvie, 3 km, sans essoufflement.",
            "Marche de reprise faite ensemble, elle est rassurée.",
        ),
    ],
    "t-andre": [(118, "phone", "remote", 20, "André préfère arrêter, il va bien.", "")],
    "v-nadia": [
        (
            29,
            "phone",
            "remote",
            35,
            "Nadia vient d'apprendre son cancer. Elle pleure beaucoup, ses enfants ne savent pas encore.",
            "Premier contact. Nadia souhaite être accompagnée pour sa première chimiothérapie.",
        ),
        (
            10,
            "video",
            "remote",
            40,
            "Visio après la première cure. Fatigue, nausées, moral meilleur.",
            "Première cure passée ; elle remercie l'équipe pour l'annonce.",
        ),
    ],
    "v-yves": [(85, "phone", "remote", 30, "Échange sur les groupes d'entraide.", "")],
}

MOMENTS = {
    "t-jacques": [
        ("consultation", "Consultation d'initiation à l'insuline", 3, time(10, 30)),
        ("other", "Atelier ETP diabète", 17, None),
        ("announcement", "Annonce du passage à l'insuline", -18, None),
    ],
    "t-sylvie": [("consultation", "Bilan chez le cardiologue", 9, time(14, 0))],
    "v-nadia": [
        ("announcement", "", -28, None),
        ("first_chemo", "", -11, time(9, 0)),
        ("surgery", "", 12, time(8, 0)),
        ("first_radio", "", 40, None),
    ],
}


def _member(demo, email, slug):
    structure = demo.structures[slug]
    return (
        Membership.objects.filter(user=demo.user(email), structure=structure)
        .exclude(role=Role.PATIENT)
        .first()
    )


def load(demo):
    now = timezone.now()
    for slug in ("tilleuls", "vallee"):
        if Accompaniment.objects.filter(
            structure=demo.structures[slug], submission_token__startswith="demo-"
        ).exists():
            continue
        for case in CASES:
            if case[1] == slug:
                _case(demo, now, *case)
        _team(demo, slug, now)


def _case(
    demo,
    now,
    key,
    slug,
    partner_email,
    referrer_email,
    patient,
    consents,
    stage,
    days,
    patient_account,
):
    structure = demo.structures[slug]
    partner = Partner.objects.filter(
        structure=structure, membership__user=demo.user(partner_email)
    ).first()
    referrer = _member(demo, referrer_email, slug)
    if partner is None or referrer is None:
        return
    first, last, phone, email, pathway = patient
    referred_at = now - timedelta(days=days)
    p = Patient.objects.create(
        structure=structure,
        first_name=first,
        last_name=last,
        phone=phone,
        email=email,
        pathway=pathway,
        user=demo.user(patient_account) if patient_account else None,
        created_by=referrer.user,
    )
    for purpose in consents:
        Consent.objects.create(
            patient=p,
            purpose=purpose,
            text_version="2026-01",
            method="signed_form",
            recorded_by=referrer.user,
            given_at=referred_at,
        )
    due = referred_at + timedelta(hours=structure.first_contact_deadline_hours)
    acc = Accompaniment.objects.create(
        structure=structure,
        patient=p,
        partner=partner,
        referred_by=referrer,
        referred_at=referred_at,
        first_contact_due_at=due,
        submission_token=f"demo-{key}",
        notes_for_partner="Préfère être appelé·e en fin de matinée." if stage != "ended" else "",
    )
    if stage in ("referred", "late"):
        Deadline.objects.bulk_create(
            [
                Deadline(
                    key=f"first_contact_reminder:{acc.pk}",
                    kind="first_contact_reminder",
                    accompaniment=acc,
                    due_at=referred_at + (due - referred_at) / 2,
                    done_at=now if stage == "late" else None,
                ),
                Deadline(
                    key=f"first_contact_overdue:{acc.pk}",
                    kind="first_contact_overdue",
                    accompaniment=acc,
                    due_at=due,
                    done_at=now if stage == "late" else None,
                ),
            ]
        )
        return
    for ago, channel, place, minutes, notes, summary in CONTACTS.get(key, []):
        Contact.objects.create(
            accompaniment=acc,
            occurred_at=now - timedelta(days=ago, hours=2),
            channel=channel,
            place=place,
            duration_minutes=minutes,
            private_notes=notes,
            summary_to_share=summary if "share_summaries_with_team" in consents else "",
            created_by=partner.membership.user,
        )
    first_contact = acc.contacts.order_by("occurred_at").first()
    acc.first_contact_at = (
        first_contact.occurred_at if first_contact else referred_at + timedelta(hours=20)
    )
    acc.status = "active"
    acc.save(update_fields=["first_contact_at", "status"])
    for kind, label, in_days, at in MOMENTS.get(key, []):
        moment = KeyMoment.objects.create(
            accompaniment=acc,
            kind=kind,
            label=label,
            date=timezone.localdate() + timedelta(days=in_days),
            time=at,
            created_by=partner.membership.user,
        )
        due_reminder = services.key_moment_reminder_due(moment)
        if due_reminder > now:
            Deadline.objects.create(
                key=f"key_moment_reminder:{moment.pk}",
                kind="key_moment_reminder",
                accompaniment=acc,
                key_moment=moment,
                due_at=due_reminder,
            )
    if key == "t-jacques":
        acc.designated_professionals.add(
            *Membership.objects.filter(
                structure=structure, user=demo.user("ide.asalee@tilleuls.demo")
            )
        )
        alert = Alert.objects.create(
            accompaniment=acc,
            raised_by=partner.membership.user,
            raised_at=now - timedelta(hours=2),
            message="Jacques m'a dit au téléphone qu'il ne voit plus l'intérêt de se soigner depuis le décès de sa femme. "
            "Il n'a pas d'idée de se faire du mal mais il est très seul. Pouvez-vous le voir rapidement ?",
        )
        Deadline.objects.create(
            key=f"alert_escalation:{alert.pk}",
            kind="alert_escalation",
            accompaniment=acc,
            alert=alert,
            due_at=alert.raised_at + services.alert_escalation_delay(),
        )
    if key == "v-nadia":
        Alert.objects.create(
            accompaniment=acc,
            raised_by=partner.membership.user,
            raised_at=now - timedelta(days=9),
            message="Nadia a de la fièvre depuis hier soir après sa cure.",
            acknowledged_at=now - timedelta(days=9, hours=-1),
            acknowledged_by=referrer.user,
            response="Merci, je l'ai appelée : elle passe au centre ce matin.",
        )
    if stage == "ended":
        acc.status = "ended"
        acc.ended_at = referred_at + timedelta(days=days - 2 if days > 2 else 1)
        acc.ended_by_role = "patient"
        acc.end_reason = "goal_reached"
        acc.save(update_fields=["status", "ended_at", "ended_by_role", "end_reason"])
        PatientFeedback.objects.create(
            accompaniment=acc,
            usefulness=4,
            felt_listened_to=True,
            would_recommend=True,
            comment="Merci, ça m'a fait du bien de parler à quelqu'un qui est passé par là.",
        )


def _team(demo, slug, now):
    structure = demo.structures[slug]
    doctor = _member(demo, f"medecin@{slug}.demo", slug)
    partner_email = f"partenaire@{slug}.demo"
    partner = Partner.objects.filter(
        structure=structure, membership__user=demo.user(partner_email)
    ).first()
    if partner is None or doctor is None:
        return
    for i, (days, name, notes) in enumerate(
        [
            (
                35,
                "Mme Laurens, psychologue (cabinet libéral)",
                "J'ai pu déposer ce que Jacques me renvoie de mon propre deuil.",
            ),
            (
                7,
                "Mme Laurens, psychologue (cabinet libéral)",
                "Travail sur mes limites : ne pas répondre aux SMS le soir.",
            ),
        ]
    ):
        SupervisionSession.objects.create(
            structure=structure,
            partner=partner,
            date=timezone.localdate() - timedelta(days=days + i),
            supervisor_name=name,
            duration_minutes=60,
            private_notes=notes,
        )
