"""Demo content: the Tilleuls' involvement register (levels 1 and 2), an ETP programme on
type-2 diabetes with workshops co-animated by the GP and the patient partner; the Vallée
with a few level-1 actions only. Idempotent (stable titles, get_or_create)."""

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from binome.involvement import services
from binome.involvement.models import (
    KIND_DEFAULTS,
    AciParameters,
    ActionKind,
    Evidence,
    InvolvementAction,
    Programme,
    Workshop,
    WorkshopFeedback,
)
from binome.people.demo_set import demo_get_or_create
from binome.people.models import Membership, Role


def tiny_pdf(line: str) -> bytes:
    """A valid one-page PDF with one line of text (demo evidence, no dependency)."""
    text = line.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _action(
    structure,
    kind,
    title,
    start,
    *,
    end=None,
    users=0,
    professions=(),
    description="",
    evidence=None,
    actor=None,
):
    level, aci = KIND_DEFAULTS[kind]
    action, created = demo_get_or_create(
        f"involvement:action:{structure.slug}:{slugify(title)}",
        InvolvementAction,
        structure=structure,
        title=title,
        source="",
        defaults=dict(
            kind=kind,
            level=level,
            aci_level=aci,
            start_date=start,
            end_date=end,
            users_count=users,
            professions=list(professions),
            description=description,
            created_by=actor,
        ),
    )
    for name, line, kind in (
        ([evidence] if isinstance(evidence, tuple) else evidence or []) if created else []
    ):
        ev = Evidence(
            action=action,
            original_name=name,
            content_type="application/pdf",
            uploaded_by=actor,
            kind=kind,
        )
        body = tiny_pdf(line)
        ev.size = len(body)
        ev.file.save(name, ContentFile(body), save=False)
        ev.save()
    return action


def load(demo):
    today = timezone.localdate()
    year = today.year
    t, v = demo.tilleuls, demo.vallee
    # The rules of the demo MSP's agreement as an editable row (the others use the defaults).
    AciParameters.objects.get_or_create(
        agreement="aci_msp",
        valid_from=dt.date(2022, 8, 3),
        defaults={
            "source": "ACI des structures de santé pluriprofessionnelles (arrêté du 24 juillet 2017), avenant 1 du "
            "4 mars 2022 (JO du 3 août 2022) : indicateur optionnel « implication des usagers »",
        },
    )
    # Demo evidence loaded before evidence had a kind: the posters and the gazette are supports.
    Evidence.objects.filter(
        action__structure__in=[t, v],
        kind="other",
        original_name__in=[
            "affiche-salle-attente.pdf",
            "gazette-printemps.pdf",
            "affiche-horaires.pdf",
        ],
    ).update(kind="support")
    claire = demo.user("coordination@tilleuls.demo")
    _action(
        t,
        ActionKind.POSTERS,
        "Affiches et dépliants en salle d'attente",
        dt.date(year - 2, 9, 1),
        professions=["gp", "nurse", "pharmacist"],
        description="Horaires, soins non programmés, ateliers de prévention, présentation des patients partenaires.",
        evidence=(
            "affiche-salle-attente.pdf",
            "MSP des Tilleuls - affiche de la salle d'attente",
            "support",
        ),
        actor=claire,
    )
    _action(
        t,
        ActionKind.WEBSITE,
        "Site internet de la MSP",
        dt.date(year - 2, 11, 15),
        actor=claire,
        description="Page « Nos actions avec les usagers » mise à jour chaque trimestre.",
    )
    _action(
        t,
        ActionKind.GAZETTE,
        "La gazette trimestrielle des usagers",
        dt.date(year - 1, 1, 10),
        users=3,
        professions=["gp", "asalee"],
        actor=claire,
        description="Quatre pages, rédigées avec le comité des usagers, distribuées à l'accueil et à la pharmacie.",
        evidence=("gazette-printemps.pdf", "La gazette des usagers - printemps", "support"),
    )
    _action(
        t,
        ActionKind.PRESS,
        "Article dans La Dépêche : « Des patients partenaires à la MSP »",
        dt.date(year - 1, 6, 3),
        end=dt.date(year - 1, 6, 3),
        users=2,
        actor=claire,
    )
    _action(
        t,
        ActionKind.OPEN_DAY,
        "Journée portes ouvertes « Bougez avec nous »",
        dt.date(year, 4, 12),
        end=dt.date(year, 4, 12),
        users=45,
        professions=["physio", "apa", "dietitian"],
        actor=claire,
    )
    _action(
        t,
        ActionKind.HEALTH_PROJECT,
        "Relecture du projet de santé par trois usagers",
        dt.date(year, 2, 1),
        end=dt.date(year, 3, 15),
        users=3,
        professions=["gp", "nurse"],
        actor=claire,
        description="Trois usagers du comité ont relu le volet prévention du projet de santé ; leurs remarques ont été intégrées.",
        evidence=[
            (
                "compte-rendu-relecture.pdf",
                "Relecture du projet de sante - compte rendu",
                "minutes",
            ),
            (
                "participants-relecture.pdf",
                "Relecture du projet de sante - usagers presents",
                "attendance",
            ),
        ],
    )

    _action(
        v,
        ActionKind.POSTERS,
        "Affichage des horaires et des permanences",
        dt.date(year - 1, 3, 1),
        actor=demo.user("coordination@vallee.demo"),
        evidence=("affiche-horaires.pdf", "Centre de sante de la Vallee - horaires", "support"),
    )
    _action(
        v,
        ActionKind.WEBSITE,
        "Page du centre sur le site de la mairie",
        dt.date(year, 1, 20),
        actor=demo.user("coordination@vallee.demo"),
    )

    _programme(t, demo, today)


FEEDBACK_COMMENTS = [
    "Elle a vécu la même chose que moi, ça m'a rassuré.",
    "Des conseils concrets pour les repas de famille.",
    "J'ai osé parler de mes hypoglycémies, ce que je n'avais jamais fait.",
    "Très bien, on se sent moins seul avec la maladie.",
    "",
    "Un peu court, j'aurais aimé plus d'échanges avec elle.",
    "Ses astuces pour la marche quotidienne m'ont motivé.",
]


def _programme(structure, demo, today):
    programme, created = demo_get_or_create(
        f"involvement:programme:{structure.slug}:diabete",
        Programme,
        structure=structure,
        title="Diabète de type 2",
        defaults={
            "kind": Programme.Kind.ETP,
            "description": "Programme d'éducation thérapeutique autorisé par l'ARS : "
            "six ateliers collectifs, co-animés par un professionnel de santé et une patiente partenaire formée (ETP 40 h).",
        },
    )
    if not created:
        return
    doctor = Membership.objects.get(
        structure=structure, user=demo.user("medecin@tilleuls.demo"), role=Role.PROFESSIONAL
    )
    partner = Membership.objects.get(
        structure=structure, user=demo.user("partenaire@tilleuls.demo"), role=Role.PARTNER
    )
    dietitian = Membership.objects.filter(
        structure=structure, user__email="dieteticienne@tilleuls.demo", role=Role.PROFESSIONAL
    ).first()
    sessions = [
        ("Comprendre son diabète", -70, doctor, 10, 9),
        ("Mieux manger au quotidien", -56, dietitian or doctor, 10, 8),
        ("Bouger avec le diabète", -42, doctor, 9, 7),
        ("Le pied diabétique", -28, doctor, 10, 9),
        ("Vivre avec le traitement", 10, doctor, 8, None),
    ]
    rng = random.Random(5)
    for n, (title, days, pro, planned, attended) in enumerate(sessions):
        starts = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=days), dt.time(14, 0))
        )
        workshop = Workshop(
            structure=structure,
            programme=programme,
            title=title,
            starts_at=starts,
            place="Salle d'éducation, 1er étage",
            professional=pro,
            partner=partner,
            planned_count=planned,
            attendance_count=attended,
        )
        services.save_workshop(workshop, created=True)
        if attended:
            for i in range(attended - 2):
                WorkshopFeedback.objects.create(
                    workshop=workshop,
                    useful=rng.choice([4, 5, 5, 5, 3]),
                    understood=rng.choice([4, 5, 4]),
                    freer=rng.choice([3, 4, 5, 5]),
                    comment=FEEDBACK_COMMENTS[(n + i) % len(FEEDBACK_COMMENTS)],
                    channel="paper" if i % 3 == 0 else "online",
                    submission_token=f"demo-{n}-{i}",
                )
