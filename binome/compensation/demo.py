"""Demo: time, expenses, statements and budget at the MSP des Tilleuls (idempotent).

Martine (partenaire@tilleuls.demo) is a volunteer on the type-2 diabetes peer
accompaniment: time is recorded, kilometres and tickets are reimbursed. Bernard
co-animates the ETP workshop at an hourly rate decided by the steering committee.
"""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from binome.compensation import services
from binome.compensation.models import (
    Expense,
    ExpenseRates,
    FundingSource,
    MissionBudget,
    TimeEntry,
)


def _receipt_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 180), "white")
    draw = ImageDraw.Draw(image)
    draw.text((16, 16), "Tisséo - ticket 1 voyage", fill="black")
    draw.text((16, 60), "23/10 - 1,80 EUR", fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load(demo):
    from binome.missions.models import Mission
    from binome.partners.models import Partner

    structure = demo.tilleuls
    coordinator = demo.user("coordination@tilleuls.demo")
    ExpenseRates.objects.get_or_create(
        structure=structure,
        defaults={"km_rate": Decimal("0.350"), "meal_ceiling": Decimal("20.20")},
    )
    year = timezone.localdate().year
    aci, _ = FundingSource.objects.get_or_create(
        structure=structure,
        kind=FundingSource.Kind.ACI,
        year=year,
        defaults={
            "name": "ACI — implication des usagers",
            "amount": Decimal("2100.00"),
            "committed": Decimal("300.00"),
            "notes": "Niveau 2 : 300 points à 7 €. 300 € engagés pour le comité des usagers.",
        },
    )
    ars, _ = FundingSource.objects.get_or_create(
        structure=structure,
        kind=FundingSource.Kind.ARS,
        year=year,
        defaults={
            "name": "ARS — programme d'ETP « Bouger avec son cœur »",
            "amount": Decimal("600.00"),
        },
    )

    martine = Partner.objects.filter(
        structure=structure, membership__user=demo.user("partenaire@tilleuls.demo")
    ).first()
    bernard = Partner.objects.filter(
        structure=structure, membership__user=demo.user("bernard.partenaire@tilleuls.demo")
    ).first()
    diabetes = (
        Mission.objects.filter(structure=structure, kind="peer_accompaniment")
        .order_by("pk")
        .first()
    )
    etp = Mission.objects.filter(structure=structure, kind="etp_coanimation").order_by("pk").first()
    if diabetes is not None:
        MissionBudget.objects.get_or_create(
            mission=diabetes, defaults={"funding_source": aci, "amount": Decimal("300.00")}
        )
    if etp is not None:
        # A small budget, already exceeded by the approved sessions: the alert shows on the budget page.
        MissionBudget.objects.get_or_create(
            mission=etp,
            defaults={
                "funding_source": ars,
                "amount": Decimal("100.00"),
                "flat_fee_basis": MissionBudget.FlatFeeBasis.SESSION,
            },
        )
    today = timezone.localdate()
    if (
        martine is not None
        and diabetes is not None
        and not TimeEntry.objects.filter(partner=martine).exists()
    ):
        _martine(martine, diabetes, coordinator, today)
    if (
        bernard is not None
        and etp is not None
        and not TimeEntry.objects.filter(partner=bernard).exists()
    ):
        _bernard(bernard, etp, coordinator, today)


def _time(partner, mission, date, minutes, activity, note=""):
    entry = TimeEntry(
        partner=partner,
        mission=mission,
        date=date,
        duration_minutes=minutes,
        activity=activity,
        note=note,
    )
    return services.save_time(entry, actor=partner.membership.user)


def _martine(partner, mission, coordinator, today):
    first_of_month = today.replace(day=1)
    last_month = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    approved = [
        _time(
            partner,
            mission,
            last_month + dt.timedelta(days=2),
            60,
            TimeEntry.Activity.ACCOMPANIMENT,
            "Premier appel à un patient orienté par le Dr Roux",
        ),
        _time(
            partner,
            mission,
            last_month + dt.timedelta(days=9),
            90,
            TimeEntry.Activity.ACCOMPANIMENT,
            "Rencontre à la maison de santé",
        ),
        _time(
            partner,
            mission,
            last_month + dt.timedelta(days=16),
            120,
            TimeEntry.Activity.MEETING,
            "Comité de pilotage",
        ),
    ]
    km = services.save_expense(
        Expense(
            partner=partner,
            mission=mission,
            date=last_month + dt.timedelta(days=9),
            kind=Expense.Kind.MILEAGE,
            kilometres=Decimal("18.0"),
            description="Domicile → maison de santé, aller et retour",
        ),
        actor=partner.membership.user,
    )
    km2 = services.save_expense(
        Expense(
            partner=partner,
            mission=mission,
            date=last_month + dt.timedelta(days=16),
            kind=Expense.Kind.MILEAGE,
            kilometres=Decimal("18.0"),
            description="Comité de pilotage",
        ),
        actor=partner.membership.user,
    )
    for entry in [*approved, km, km2]:
        services.approve(entry, actor=coordinator)
    services.issue_statement(
        partner=partner,
        period_start=last_month,
        period_end=first_of_month - dt.timedelta(days=1),
        actor=coordinator,
    )
    # This month: one approved, one waiting, one returned with a comment, a ticket with its photo.
    this_month = [max(first_of_month, today - dt.timedelta(days=d)) for d in (6, 3, 1)]
    done = _time(
        partner,
        mission,
        this_month[0],
        45,
        TimeEntry.Activity.ACCOMPANIMENT,
        "Appel avant la première consultation diététique",
    )
    services.approve(done, actor=coordinator)
    _time(partner, mission, this_month[2], 60, TimeEntry.Activity.ACCOMPANIMENT, "Appel de suivi")
    returned = _time(
        partner, mission, this_month[1], 240, TimeEntry.Activity.PREPARATION, "Préparation"
    )
    services.return_entry(
        returned,
        "4 heures de préparation pour un appel ? Précisez ce qui a été préparé, ou corrigez la durée.",
        actor=coordinator,
    )
    ticket = Expense(
        partner=partner,
        mission=mission,
        date=this_month[1],
        kind=Expense.Kind.TRANSPORT,
        declared_amount=Decimal("1.80"),
        description="Bus pour la rencontre à la maison de santé",
        receipt_name="ticket-bus.png",
        receipt_type="image/png",
    )
    ticket.receipt.save("ticket-bus.png", ContentFile(_receipt_png()), save=False)
    services.save_expense(ticket, actor=partner.membership.user)


def _bernard(partner, mission, coordinator, today):
    for days, status in [(40, "approved"), (12, "approved"), (5, "submitted")]:
        entry = _time(
            partner,
            mission,
            today - dt.timedelta(days=days),
            150,
            TimeEntry.Activity.WORKSHOP,
            "Atelier du samedi matin (2 h + 30 min de préparation)",
        )
        if status == "approved":
            services.approve(entry, actor=coordinator)
