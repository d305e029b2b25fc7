"""Plant a partner's time, expense (with a receipt) and statement for the privacy canary test."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile


def plant(user, structure, canary):
    from binome.compensation.models import Expense, Statement, TimeEntry
    from binome.missions.models import Mission, MissionAssignment
    from binome.partners.models import Partner
    from binome.people.models import Membership, Role

    membership = Membership.objects.get(user=user, structure=structure, role=Role.PARTNER)
    partner = Partner.objects.filter(membership=membership).first() or Partner.objects.create(
        structure=structure,
        membership=membership,
        first_name="Camille",
        status=Partner.Status.ACTIVE,
    )
    mission = Mission.objects.create(
        structure=structure, title="Atelier du jeudi", kind=Mission.Kind.ETP_COANIMATION
    )
    MissionAssignment.objects.create(mission=mission, partner=partner, assigned_by=user)
    day = dt.date.today() - dt.timedelta(days=2)
    TimeEntry.objects.create(
        structure=structure,
        partner=partner,
        mission=mission,
        date=day,
        duration_minutes=60,
        activity="workshop",
        note=canary("note"),
        review_comment=canary("commentaire-temps"),
        amount=Decimal("0"),
    )
    expense = Expense(
        structure=structure,
        partner=partner,
        mission=mission,
        date=day,
        kind="transport",
        declared_amount=Decimal("2.10"),
        amount=Decimal("2.10"),
        description=canary("frais"),
        receipt_name=canary("ticket.png"),
        receipt_type="image/png",
        review_comment=canary("commentaire-frais"),
    )
    expense.receipt.save(
        f"{canary('ticket')}.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 16), save=False
    )
    expense.save()
    Statement.objects.create(
        structure=structure,
        partner=partner,
        number="R-2026-0999",
        period_start=day,
        period_end=day,
        total=Decimal("2.10"),
        expenses_amount=Decimal("2.10"),
    )
