"""Time, expenses, approval, statements and budget: validate, write atomically, audit."""

import datetime as dt
from collections import OrderedDict
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.compensation import amounts
from binome.compensation.models import (
    Expense,
    ExpenseRates,
    LockedEntryError,
    MissionBudget,
    Statement,
    Status,
    TimeEntry,
)
from binome.core import kept_sql

MAX_AGE_DAYS = 366


# --- Who, which missions, which policy ---------------------------------------------------


def partner_for(user, structure):
    from binome.partners.models import Partner

    if structure is None or not user.is_authenticated:
        return None
    return kept_sql.one(
        "compensation.partner_for",
        (),
        lambda structure_id, user_id: Partner.objects.filter(
            structure=structure_id, membership__user=user_id, membership__is_active=True
        )[:1],  # first(), in the model's order
        args=(structure.pk, user.pk),
    )


def missions_for(partner):
    """Missions the partner is or was assigned to."""
    from binome.missions.models import Mission, MissionAssignment

    assigned = MissionAssignment.objects.filter(partner=partner.pk).values("mission_id")
    return Mission.objects.filter(structure_id=partner.structure_id, pk__in=assigned).order_by(
        "title"
    )


def missions_with_mode(partner):
    """The partner's missions (``missions_for``), each with ``policy_mode``: the mode of the mission's
    current policy, else of the structure's, else volunteering. One query, for the pages:
    the queryset comes with its rows, read through kept SQL (validating a choice queries
    again, as a form does)."""
    return kept_sql.with_rows(
        _missions_with_mode(partner),
        kept_sql.instances(
            "compensation.missions_with_mode",
            (),
            lambda partner_id, structure_id: _missions_with_mode(
                SimpleNamespace(pk=partner_id, structure_id=structure_id)
            ),
            args=(partner.pk, partner.structure_id),
        ),
    )


def missions_policy_modes(partner):
    """The ``policy_mode`` of each of the partner's missions, as a values_list query."""
    return _missions_with_mode(partner).values_list("policy_mode")


def _missions_with_mode(partner):
    from binome.missions.models import CompensationPolicy

    current = CompensationPolicy.objects.filter(is_current=True).order_by("-pk")
    own = current.filter(mission_id=OuterRef("pk")).values("mode")[:1]
    default = current.filter(structure_id=OuterRef("structure_id"), mission__isnull=True).values(
        "mode"
    )[:1]
    return (
        missions_for(partner)
        .only("public_id", "structure_id", "title")
        .annotate(
            policy_mode=Coalesce(
                Subquery(own), Subquery(default), Value(amounts.VOLUNTEER), output_field=CharField()
            )
        )
    )


def policy_for(mission):
    """The mission's current policy, else the structure's; None when nothing was decided."""
    from binome.missions.models import CompensationPolicy

    policies = CompensationPolicy.objects.filter(
        structure_id=mission.structure_id, is_current=True
    ).filter(Q(mission=mission) | Q(mission__isnull=True))
    chosen = None
    for policy in policies:
        if policy.mission_id is not None:
            return policy
        chosen = policy
    return chosen


def modes_for(missions) -> set[str]:
    """The compensation modes that apply to these missions, in one query."""
    from binome.missions.models import CompensationPolicy

    missions = list(missions)
    if not missions:
        return set()
    structure_ids = {m.structure_id for m in missions}
    policies = list(
        CompensationPolicy.objects.filter(structure_id__in=structure_ids, is_current=True).filter(
            Q(mission__in=missions) | Q(mission__isnull=True)
        )
    )
    by_mission = {p.mission_id: p.mode for p in policies if p.mission_id}
    by_structure = {p.structure_id: p.mode for p in policies if p.mission_id is None}
    return {
        by_mission.get(m.pk) or by_structure.get(m.structure_id) or amounts.VOLUNTEER
        for m in missions
    }


def mode_of(policy) -> str:
    return policy.mode if policy is not None else amounts.VOLUNTEER


def rates_for(structure) -> ExpenseRates:
    return ExpenseRates.objects.filter(structure=structure).first() or ExpenseRates(
        structure=structure
    )


def km_rate_for(mission, policy=None) -> Decimal:
    if policy is not None and policy.mileage_rate is not None:
        return policy.mileage_rate
    return rates_for(mission.structure).km_rate


def budget_of(mission):
    return MissionBudget.objects.filter(mission=mission).select_related("funding_source").first()


# --- Checks -------------------------------------------------------------------------------


def _check_date(date):
    today = timezone.localdate()
    if date > today:
        raise ValidationError({"date": _("La date ne peut pas être dans le futur.")})
    if date < today - dt.timedelta(days=MAX_AGE_DAYS):
        raise ValidationError(
            {"date": _("Cette date a plus d'un an : voyez avec la coordination.")}
        )


def _check_mission(partner, mission):
    if (
        mission.structure_id != partner.structure_id
        or not missions_for(partner).filter(pk=mission.pk).exists()
    ):
        raise ValidationError({"mission": _("Vous n'êtes pas sur cette mission.")})


def _check_minutes(minutes):
    if not isinstance(minutes, int) or not 5 <= minutes <= 12 * 60:
        raise ValidationError(
            {"duration_minutes": _("La durée doit être comprise entre 5 minutes et 12 heures.")}
        )


def _check_unlocked(entry):
    stored = type(entry)._base_manager.filter(pk=entry.pk).values_list("status", flat=True).first()
    if stored == Status.APPROVED:
        raise LockedEntryError(_("Cette saisie a été validée : elle ne peut plus être modifiée."))


# --- Amounts ------------------------------------------------------------------------------


def compute_time_amount(entry, policy=None, *, exclude_self=True):
    policy = policy if policy is not None else policy_for(entry.mission)
    mode = mode_of(policy)
    per_session = False
    already_paid = False
    if mode == amounts.FLAT_FEE:
        budget = budget_of(entry.mission)
        per_session = (
            budget is not None and budget.flat_fee_basis == MissionBudget.FlatFeeBasis.SESSION
        )
        paid = TimeEntry.objects.filter(
            partner_id=entry.partner_id,
            mission_id=entry.mission_id,
            status=Status.APPROVED,
            amount__gt=0,
        )
        if exclude_self and entry.pk:
            paid = paid.exclude(pk=entry.pk)
        already_paid = paid.exists()
    value = amounts.time_amount(
        mode,
        entry.duration_minutes,
        fee=getattr(policy, "flat_fee_amount", None),
        rate=getattr(policy, "hourly_rate", None),
        per_session=per_session,
        already_paid_for_mission=already_paid,
    )
    return mode, value


def compute_expense_amount(expense, policy=None):
    policy = policy if policy is not None else policy_for(expense.mission)
    mode = mode_of(policy)
    if expense.kind == Expense.Kind.MILEAGE:
        expense.km_rate = km_rate_for(expense.mission, policy)
    value = amounts.expense_amount(
        expense.kind,
        kilometres=expense.kilometres,
        km_rate=expense.km_rate,
        declared=expense.declared_amount,
        meal_ceiling=rates_for(expense.mission.structure).meal_ceiling,
    )
    return mode, value


# --- Logging and editing (partner) --------------------------------------------------------


def contact_token(contact) -> str:
    """The time entry made from an exchange carries this token: one exchange counts once."""
    return f"contact-{contact.public_id}"


def time_from_contact(partner, contact_id) -> dict | None:
    """What the time form starts from when the partner counts an exchange they logged
    (no double entry, issue 15): its day and duration; nothing of the patient or the notes.
    None when the exchange is not one of this partner's own."""
    from binome.accompaniment.models import Contact
    from binome.compensation.forms import DURATIONS

    contact = (
        Contact.objects.filter(
            public_id=contact_id, accompaniment__partner=partner, created_by=partner.membership.user
        )
        .only("public_id", "occurred_at", "duration_minutes")
        .first()
        if partner.membership_id
        else None
    )
    if contact is None:
        return None
    minutes = min(
        (d for d, _label in DURATIONS), key=lambda d: (abs(d - contact.duration_minutes), d)
    )
    return {
        "date": timezone.localdate(contact.occurred_at),
        "duration_minutes": minutes,
        "activity": TimeEntry.Activity.ACCOMPANIMENT,
        "note": _("Échange de pair-accompagnement"),
        "submission_token": contact_token(contact),
    }


def save_time(entry, *, actor, request=None, submission_token=""):
    """Create or update a time entry (partner side). Returned entries go back for validation.

    A new entry posted again with the same submission token (double tap, retry on a bad
    network) is stored once: the entry already stored is returned.
    """
    created = entry.pk is None
    if created and submission_token:
        existing = TimeEntry.objects.filter(
            partner=entry.partner, submission_token=submission_token
        ).first()
        if existing is not None:
            return existing
    _check_minutes(entry.duration_minutes)
    _check_date(entry.date)
    _check_mission(entry.partner, entry.mission)
    if not created:
        _check_unlocked(entry)
    entry.structure_id = entry.partner.structure_id
    entry.policy_mode, entry.amount = compute_time_amount(entry)
    entry.status = Status.SUBMITTED
    return _store_once(entry, "compensation.time_logged", created, submission_token, actor, request)


def save_expense(expense, *, actor, request=None, submission_token=""):
    """Create or update an expense (partner side); a retried post with the same token stores it once."""
    created = expense.pk is None
    if created and submission_token:
        existing = Expense.objects.filter(
            partner=expense.partner, submission_token=submission_token
        ).first()
        if existing is not None:
            return existing
    _check_date(expense.date)
    _check_mission(expense.partner, expense.mission)
    policy = policy_for(expense.mission)
    if not amounts.expenses_allowed(mode_of(policy)):
        raise ValidationError(
            _(
                "Sur cette mission, vous êtes salarié·e ou stagiaire : vos frais passent par votre employeur ou votre "
                "établissement de formation. Seul le temps est enregistré ici."
            )
        )
    if not created:
        _check_unlocked(expense)
    expense.structure_id = expense.partner.structure_id
    expense.policy_mode, expense.amount = compute_expense_amount(expense, policy)
    expense.status = Status.SUBMITTED
    return _store_once(
        expense, "compensation.expense_logged", created, submission_token, actor, request
    )


def _store_once(item, kind, created, submission_token, actor, request):
    """Save a time entry or an expense with its audit row; two posts with the same token at
    the same moment store it once (the unique constraint refuses the second)."""
    if created:
        item.submission_token = submission_token
    try:
        with transaction.atomic():
            item.save()
            record(
                kind if created else "compensation.entry_updated",
                actor=actor,
                structure=item.partner.structure,
                target=item,
                request=request,
            )
    except IntegrityError:
        if not (created and submission_token):
            raise
        return type(item).objects.get(partner=item.partner, submission_token=submission_token)
    return item


def withdraw(entry, *, actor, request=None):
    _check_unlocked(entry)
    with transaction.atomic():
        record(
            "compensation.entry_withdrawn",
            actor=actor,
            structure=entry.structure,
            target=entry,
            request=request,
        )
        entry.delete()


# --- Review (coordinator) -----------------------------------------------------------------


def approve(entry, *, actor, request=None):
    """Freeze the amount and lock the entry."""
    _check_unlocked(entry)
    if entry.status != Status.SUBMITTED:
        raise ValidationError(_("Seule une saisie en attente peut être validée."))
    with transaction.atomic():
        if isinstance(entry, TimeEntry):
            entry.policy_mode, entry.amount = compute_time_amount(entry)
        else:
            entry.policy_mode, entry.amount = compute_expense_amount(entry)
        entry.status = Status.APPROVED
        entry.reviewed_by = actor
        entry.reviewed_at = timezone.now()
        entry.review_comment = ""
        entry.save()
        record(
            "compensation.entry_approved",
            actor=actor,
            structure=entry.structure,
            target=entry,
            request=request,
        )
    return entry


def return_entry(entry, comment, *, actor, request=None):
    _check_unlocked(entry)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Dites au partenaire ce qu'il faut corriger.")})
    if entry.status != Status.SUBMITTED:
        raise ValidationError(_("Seule une saisie en attente peut être renvoyée."))
    with transaction.atomic():
        entry.status = Status.RETURNED
        entry.review_comment = comment[:2000]
        entry.reviewed_by = actor
        entry.reviewed_at = timezone.now()
        entry.save()
        record(
            "compensation.entry_returned",
            actor=actor,
            structure=entry.structure,
            target=entry,
            request=request,
        )
    return entry


# --- Statements ---------------------------------------------------------------------------


def issue_statement(*, partner, period_start, period_end, actor, request=None) -> Statement:
    if period_end < period_start:
        raise ValidationError({"period_end": _("La fin de la période doit suivre son début.")})
    if (period_end - period_start).days > 366:
        raise ValidationError({"period_end": _("Une période ne peut pas dépasser un an.")})
    structure = partner.structure
    window = dict(
        partner=partner,
        status=Status.APPROVED,
        statement__isnull=True,
        date__gte=period_start,
        date__lte=period_end,
    )
    with transaction.atomic():
        times = TimeEntry.objects.select_for_update().filter(**window)
        expenses = Expense.objects.select_for_update().filter(**window)
        time_totals = times.aggregate(minutes=Sum("duration_minutes"), amount=Sum("amount"))
        expense_total = expenses.aggregate(amount=Sum("amount"))["amount"]
        if not time_totals["minutes"] and not expenses.exists():
            raise ValidationError(
                _(
                    "Aucune saisie validée et pas encore relevée pour ce partenaire entre le %(start)s et le %(end)s : "
                    "il n'y a pas de relevé à établir."
                )
                % {
                    "start": period_start.strftime("%d/%m/%Y"),
                    "end": period_end.strftime("%d/%m/%Y"),
                }
            )
        time_amount = amounts.cents(time_totals["amount"] or 0)
        expenses_amount = amounts.cents(expense_total or 0)
        seq = (
            Statement.objects.filter(structure=structure, period_end__year=period_end.year).count()
            + 1
        )
        number = f"R-{period_end.year}-{seq:04d}"
        while Statement.objects.filter(structure=structure, number=number).exists():
            seq += 1
            number = f"R-{period_end.year}-{seq:04d}"
        statement = Statement.objects.create(
            structure=structure,
            partner=partner,
            number=number,
            period_start=period_start,
            period_end=period_end,
            total_minutes=time_totals["minutes"] or 0,
            time_amount=time_amount,
            expenses_amount=expenses_amount,
            total=time_amount + expenses_amount,
            issued_by=actor,
        )
        # Approved entries are locked for edits; joining them to a statement is a bulk update.
        times.update(statement=statement)
        expenses.update(statement=statement)
        record(
            "compensation.statement_issued",
            actor=actor,
            structure=structure,
            target=statement,
            request=request,
        )
    return statement


def entries_of(statement):
    times = list(
        TimeEntry.objects.filter(statement=statement)
        .select_related("mission__budget__funding_source")
        .order_by("date", "id")
    )
    expenses = list(
        Expense.objects.filter(statement=statement)
        .select_related("mission__budget__funding_source")
        .order_by("date", "id")
    )
    return times, expenses


def _funding_label(mission):
    budget = getattr(mission, "budget", None) if _has_budget(mission) else None
    if budget is not None and budget.funding_source is not None:
        return str(budget.funding_source)
    return _("Sans financement affecté")


def _has_budget(mission):
    try:
        mission.budget  # noqa: B018 - the reverse one-to-one raises when missing
    except MissionBudget.DoesNotExist:
        return False
    return True


def totals(times, expenses):
    """Totals by mission and by funding source, from entries already loaded with their mission."""
    by_mission = OrderedDict()
    by_funding = OrderedDict()

    def add(mission, minutes, time_amount, expense_amount):
        row = by_mission.setdefault(
            mission.pk,
            {
                "mission": mission,
                "funding": _funding_label(mission),
                "minutes": 0,
                "time": Decimal("0"),
                "expenses": Decimal("0"),
            },
        )
        row["minutes"] += minutes
        row["time"] += time_amount
        row["expenses"] += expense_amount
        frow = by_funding.setdefault(
            row["funding"],
            {"funding": row["funding"], "time": Decimal("0"), "expenses": Decimal("0")},
        )
        frow["time"] += time_amount
        frow["expenses"] += expense_amount

    for t in times:
        add(t.mission, t.duration_minutes, t.amount or Decimal("0"), Decimal("0"))
    for e in expenses:
        add(e.mission, 0, Decimal("0"), e.amount or Decimal("0"))
    for row in list(by_mission.values()) + list(by_funding.values()):
        row["total"] = amounts.cents(row["time"] + row["expenses"])
    minutes = sum(t.duration_minutes for t in times)
    time_total = amounts.cents(sum((t.amount or Decimal("0") for t in times), Decimal("0")))
    expense_total = amounts.cents(sum((e.amount or Decimal("0") for e in expenses), Decimal("0")))
    return {
        "by_mission": list(by_mission.values()),
        "by_funding": list(by_funding.values()),
        "minutes": minutes,
        "time": time_total,
        "expenses": expense_total,
        "total": time_total + expense_total,
    }


def year_entries(partner, year):
    window = dict(partner=partner, status=Status.APPROVED, date__year=year)
    times = list(
        TimeEntry.objects.filter(**window)
        .select_related("mission__budget__funding_source")
        .order_by("date", "id")
    )
    expenses = list(
        Expense.objects.filter(**window)
        .select_related("mission__budget__funding_source")
        .order_by("date", "id")
    )
    return times, expenses


def trainings_of(partner):
    """The partner's trainings when the partners app records them (guarded)."""
    from django.apps import apps

    try:
        model = apps.get_model("partners", "Training")
    except LookupError:
        return []
    return list(model.objects.filter(partner=partner).order_by("completed_on", "title"))


def certificate_data(partner):
    """Missions with dates and approved hours, and trainings: for a VAE file."""
    from binome.missions.models import MissionAssignment

    assignments = list(
        MissionAssignment.objects.filter(partner=partner)
        .select_related("mission")
        .order_by("assigned_at")
    )
    minutes = {
        row["mission_id"]: row["m"]
        for row in TimeEntry.objects.filter(partner=partner, status=Status.APPROVED)
        .values("mission_id")
        .annotate(m=Sum("duration_minutes"))
    }
    seen = set()
    missions = []
    for a in assignments:
        if a.mission_id in seen:
            continue
        seen.add(a.mission_id)
        missions.append(
            {
                "mission": a.mission,
                "since": a.assigned_at.date(),
                "until": a.ended_at.date() if a.ended_at else None,
                "minutes": minutes.get(a.mission_id, 0),
            }
        )
    return {
        "missions": missions,
        "minutes": sum(minutes.values()),
        "trainings": trainings_of(partner),
    }


# --- Budget -------------------------------------------------------------------------------


def spending_by_mission(structure):
    """Approved amounts (time + expenses) per mission id."""
    spent = {}
    for model in (TimeEntry, Expense):
        for row in (
            model.objects.filter(structure=structure, status=Status.APPROVED)
            .values("mission_id")
            .annotate(s=Sum("amount"))
        ):
            spent[row["mission_id"]] = spent.get(row["mission_id"], Decimal("0")) + (
                row["s"] or Decimal("0")
            )
    return spent


def _approved_sum(model):
    """Correlated subquery: the approved amounts of one model for the outer budget's mission."""
    rows = (
        model.objects.filter(mission_id=OuterRef("mission_id"), status=Status.APPROVED)
        .order_by()
        .values("mission_id")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return Coalesce(
        Subquery(rows, output_field=DecimalField()),
        Value(Decimal("0")),
        output_field=DecimalField(),
    )


def _budgets_with_spending(structure):
    """The structure's mission budgets, each with ``spent`` (approved time + expenses), one query."""
    return (
        MissionBudget.objects.filter(mission__structure=structure)
        .annotate(spent=_approved_sum(TimeEntry) + _approved_sum(Expense))
        .order_by("mission__title", "pk")
    )


def _budget_row(b):
    return {
        "budget": b,
        "spent": b.spent,
        "exceeded": b.amount is not None and b.spent > b.amount,
        "remaining": (b.amount - b.spent) if b.amount is not None else None,
    }


def budget_alerts(structure):
    """Rows of the budgets exceeded by approved amounts, in one query (queue and home pages)."""
    # Compared here rather than in SQL: a filter on ``spent`` would build and compile its
    # two subqueries a second time in the WHERE clause, for the same rows read.
    # Read as rows through kept SQL (binome.core.kept_sql): the queue shows them on every visit.
    rows = kept_sql.rows(
        "compensation.budget_alerts",
        (structure.pk,),
        lambda: (
            _budgets_with_spending(structure)
            .filter(amount__isnull=False)
            .values_list("amount", "spent", "mission__title", "mission__public_id")
        ),
    )
    return [
        _budget_row(
            SimpleNamespace(
                amount=amount,
                spent=spent,
                mission=SimpleNamespace(title=title, public_id=public_id),
            )
        )
        for amount, spent, title, public_id in rows
        if spent > amount
    ]


def budget_overview(structure):
    from binome.compensation.models import FundingSource

    budgets = (
        _budgets_with_spending(structure)
        .select_related("mission", "funding_source")
        .only(
            "amount",
            "funding_source",
            "mission__title",
            "mission__public_id",
            *(f"funding_source__{f}" for f in ("name", "year")),
        )
    )
    rows = [_budget_row(b) for b in budgets]
    sources = list(FundingSource.objects.filter(structure=structure))
    by_source = {s.pk: Decimal("0") for s in sources}
    for row in rows:
        b = row["budget"]
        if b.funding_source_id in by_source:
            by_source[b.funding_source_id] += row["spent"]
    for source in sources:
        source.spent = by_source[source.pk]
        source.remaining = source.amount - source.committed - source.spent
        source.over = source.remaining < 0
    return {"sources": sources, "missions": rows, "alerts": [r for r in rows if r["exceeded"]]}


def mission_budget_alert(mission):
    """(budget, spent) when the mission's budget is exceeded, else None."""
    budget = budget_of(mission)
    if budget is None or budget.amount is None:
        return None
    spent = spending_by_mission(mission.structure).get(mission.pk, Decimal("0"))
    return (budget, spent) if spent > budget.amount else None
