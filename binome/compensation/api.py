"""Time, expenses and statements. A partner sees only their own; a coordinator their structure's."""

import datetime as dt
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel, BeforeValidator

from binome.api.base import ApiError
from binome.api.core import (
    PageRows,
    Pagination,
    PlausibleDate,
    attribute,
    localized_form_data,
    roles_in,
    row_from,
)
from binome.compensation import services
from binome.compensation.models import Expense, PartnerOwnedQuerySet, Statement, TimeEntry
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=[gettext_lazy("Temps, frais et relevés")])


def _visible(request, model):
    """One rule: coordinators see their structure's rows, partners their own, others nothing."""
    q = Q(pk__in=[])
    for structure in request.binome.structures:
        q |= PartnerOwnedQuerySet.visibility(request.user, roles_in(request, structure), structure)
    return model.objects.filter(q)


def _one(request, model, public_id):
    return get_object_or_404_scoped(
        _visible(request, model).select_related("mission", "partner"), public_id=public_id
    )


# Plain pydantic models validated from dictionaries of the columns below, for the lists
# and the one-entry endpoints alike (api.core.PageRows: a list of 50 rows read as model
# instances and through django-ninja's attribute getter cost more than its queries).
class EntryOut(BaseModel):
    id: UUID
    partner: UUID
    mission: UUID
    mission_title: str
    date: dt.date
    status: str
    amount: Decimal | None
    policy_mode: str
    review_comment: str


class TimeOut(EntryOut):
    duration_minutes: int
    activity: str
    note: str


class ExpenseOut(EntryOut):
    kind: str
    kilometres: Decimal | None
    km_rate: Decimal | None
    declared_amount: Decimal | None
    description: str
    # The receipt's file name from a list, its FieldFile from an entry: whether there is one.
    has_receipt: Annotated[bool, BeforeValidator(bool)]


ENTRY_COLUMNS = {
    "id": "public_id",
    "partner": "partner__public_id",
    "mission": "mission__public_id",
    "mission_title": "mission__title",
    "date": "date",
    "status": "status",
    "amount": "amount",
    "policy_mode": "policy_mode",
    "review_comment": "review_comment",
}
TIME_COLUMNS = {
    **ENTRY_COLUMNS,
    "duration_minutes": "duration_minutes",
    "activity": "activity",
    "note": "note",
}
EXPENSE_COLUMNS = {
    **ENTRY_COLUMNS,
    "kind": "kind",
    "kilometres": "kilometres",
    "km_rate": "km_rate",
    "declared_amount": "declared_amount",
    "description": "description",
    "has_receipt": "receipt",
}


class StatementOut(Schema):
    id: UUID = Field(alias="public_id")
    number: str
    partner: UUID
    resolve_partner = attribute("partner.public_id")
    period_start: dt.date
    period_end: dt.date
    total_minutes: int
    time_amount: Decimal
    expenses_amount: Decimal
    total: Decimal


class TimeIn(Schema):
    mission: UUID
    date: PlausibleDate
    duration_minutes: int = Field(ge=5, le=720)
    activity: TimeEntry.Activity
    note: str = Field("", max_length=300)


class MileageIn(Schema):
    mission: UUID
    date: PlausibleDate
    kilometres: Decimal = Field(gt=0, le=2000, decimal_places=1)
    description: str = Field("", max_length=300)


def _partner_and_mission(request, mission_id):
    from binome.missions.models import Mission

    mission = get_object_or_404_scoped(Mission, public_id=mission_id)
    if Role.PARTNER not in roles_in(request, mission.structure):
        raise PermissionDenied
    partner = services.partner_for(request.user, mission.structure)
    if partner is None:
        raise PermissionDenied
    return partner, mission


_COLUMNS = {TimeEntry: TIME_COLUMNS, Expense: EXPENSE_COLUMNS}


@router.get(
    "/time/", response=list[TimeOut], summary=_("Temps saisis (les siens pour un partenaire)")
)
@paginate(Pagination)
def time_list(request, status: str | None = None):
    qs = _visible(request, TimeEntry).order_by("-date", "-id")
    return PageRows(qs.filter(status=status) if status else qs, TIME_COLUMNS)


@router.post("/time/", response={201: TimeOut}, summary="Noter du temps (patient partenaire)")
def time_create(request, payload: TimeIn):
    partner, mission = _partner_and_mission(request, payload.mission)
    entry = TimeEntry(
        partner=partner,
        mission=mission,
        date=payload.date,
        duration_minutes=payload.duration_minutes,
        activity=payload.activity,
        note=payload.note,
    )
    services.save_time(entry, actor=request.user, request=request)
    return Status(201, row_from(entry, TIME_COLUMNS))


@router.get("/time/{public_id}", response=TimeOut, summary="Un temps saisi")
def time_detail(request, public_id: str):
    return row_from(_one(request, TimeEntry, public_id), TIME_COLUMNS)


@router.get(
    "/expenses/",
    response=list[ExpenseOut],
    summary=_("Frais saisis (les siens pour un partenaire)"),
)
@paginate(Pagination)
def expense_list(request, status: str | None = None):
    qs = _visible(request, Expense).order_by("-date", "-id")
    return PageRows(qs.filter(status=status) if status else qs, EXPENSE_COLUMNS)


@router.post(
    "/expenses/",
    response={201: ExpenseOut},
    summary=_(
        "Noter des kilomètres (les autres frais, avec justificatif, se saisissent sur la page Frais)"
    ),
)
def expense_create(request, payload: MileageIn):
    partner, mission = _partner_and_mission(request, payload.mission)
    expense = Expense(
        partner=partner,
        mission=mission,
        date=payload.date,
        kind=Expense.Kind.MILEAGE,
        kilometres=payload.kilometres,
        description=payload.description,
    )
    services.save_expense(expense, actor=request.user, request=request)
    return Status(201, row_from(expense, EXPENSE_COLUMNS))


@router.get("/expenses/{public_id}", response=ExpenseOut, summary=_("Des frais saisis"))
def expense_detail(request, public_id: str):
    return row_from(_one(request, Expense, public_id), EXPENSE_COLUMNS)


@router.get(
    "/statements/", response=list[StatementOut], summary=_("Relevés (les siens pour un partenaire)")
)
@paginate(Pagination)
def statement_list(request):
    return _visible(request, Statement).select_related("partner").order_by("-period_end", "-id")


@router.get("/statements/{public_id}", response=StatementOut, summary=_("Un relevé"))
def statement_detail(request, public_id: str):
    statement = (
        _visible(request, Statement).select_related("partner").filter(public_id=public_id).first()
        if _is_uuid(public_id)
        else None
    )
    if statement is None:
        raise Http404
    return statement


def _is_uuid(value):
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


@router.get(
    "/statements/{public_id}/document.{fmt}",
    summary=_("Un relevé en PDF ou en tableur (fmt = pdf ou xlsx)"),
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "content": {
                    "application/pdf": {},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                }
            }
        }
    },
)
def statement_document(request, public_id: str, fmt: str):
    from django.http import HttpResponse

    from binome.audit.services import record
    from binome.compensation import documents

    statement = (
        _visible(request, Statement)
        .select_related("partner", "structure")
        .filter(public_id=public_id)
        .first()
        if _is_uuid(public_id)
        else None
    )
    if statement is None or fmt not in ("pdf", "xlsx"):
        raise Http404
    times, expenses = services.entries_of(statement)
    totals = services.totals(times, expenses)
    if fmt == "pdf":
        content = documents.pdf(
            "compensation/pdf/statement.html",
            {
                "statement": statement,
                "times": times,
                "expenses": expenses,
                "totals": totals,
                "partner": statement.partner,
                "structure": statement.structure,
            },
        )
        kind = "application/pdf"
    else:
        content = documents.statement_xlsx(statement, times, expenses, totals)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record(
        "compensation.statement_exported",
        request=request,
        structure=statement.structure,
        target=statement,
        format=fmt,
        api=True,
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="releve-{statement.number}.{fmt}"'
    return response


# --- the review queue's twins (coordination) --------------------------------------------------


class EntryReviewIn(Schema):
    decision: str = Field(
        description=gettext_lazy(
            "approve (valider) ou return (renvoyer au partenaire avec un commentaire)"
        )
    )
    comment: str = Field("", max_length=2000)


def _review(request, model, public_id, payload):
    from binome.api.core import cleaned, form_data
    from binome.compensation.forms import ReviewForm

    entry = _one(request, model, public_id)
    if Role.COORDINATOR not in roles_in(request, entry.structure):
        raise PermissionDenied
    data = cleaned(ReviewForm(form_data(payload)))
    if data["decision"] == "approve":
        services.approve(entry, actor=request.user, request=request)
    else:
        services.return_entry(entry, data["comment"], actor=request.user, request=request)
    return row_from(_one(request, model, public_id), _COLUMNS[model])


@router.post(
    "/time/{public_id}/review",
    response={200: TimeOut, 422: ApiError},
    summary=_("Valider un temps, ou le renvoyer au partenaire avec un commentaire (coordination)"),
)
def time_review(request, public_id: str, payload: EntryReviewIn):
    return _review(request, TimeEntry, public_id, payload)


@router.post(
    "/expenses/{public_id}/review",
    response={200: ExpenseOut, 422: ApiError},
    summary=_(
        "Valider des frais, ou les renvoyer au partenaire avec un commentaire (coordination)"
    ),
)
def expense_review(request, public_id: str, payload: EntryReviewIn):
    return _review(request, Expense, public_id, payload)


# --- budget, funding and expense rates: the pages' twins (issue 16) ------------------------
# The page's form decides (French errors, 422); only the coordination writes. Required
# fields are the form's, so that access is checked before the body.


class FundingIn(Schema):
    structure: str = ""
    kind: str | None = Field(None, description=gettext_lazy("aci, ars, fir, cpam, other…"))
    name: str | None = Field(None, max_length=200)
    year: int | None = None
    amount: Decimal | None = None
    committed: Decimal = Field(Decimal("0"), description=gettext_lazy("Montant déjà engagé"))
    notes: str = Field("", max_length=2000)


class FundingPatch(Schema):
    kind: str | None = None
    name: str | None = Field(None, max_length=200)
    year: int | None = None
    amount: Decimal | None = None
    committed: Decimal | None = None
    notes: str | None = Field(None, max_length=2000)


class FundingOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    kind: str
    name: str
    year: int
    amount: Decimal | None
    committed: Decimal | None
    notes: str


class BudgetIn(Schema):
    funding_source: UUID | None = None
    amount: Decimal | None = None
    flat_fee_basis: str = Field("mission", description=gettext_lazy("mission ou session"))


class BudgetOut(Schema):
    mission: UUID
    resolve_mission = attribute("mission.public_id")
    funding_source: UUID | None = None
    amount: Decimal | None
    flat_fee_basis: str

    @staticmethod
    def resolve_funding_source(obj):
        return obj.funding_source.public_id if obj.funding_source_id else None


class RatesIn(Schema):
    km_rate: Decimal | None = None
    meal_ceiling: Decimal | None = None


class RatesOut(Schema):
    structure: str
    resolve_structure = attribute("structure.slug")
    km_rate: Decimal
    meal_ceiling: Decimal


def _coordination_of(request, slug):
    from binome.api.core import structure_for

    structure = structure_for(request, slug)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    return structure


@router.post(
    "/funding/",
    response={201: FundingOut, 422: ApiError},
    summary=_("Ajouter une source de financement"),
)
def create_funding(request, payload: FundingIn):
    from binome.api.core import cleaned
    from binome.audit.services import save_recorded
    from binome.compensation.forms import FundingSourceForm

    structure = _coordination_of(request, payload.structure)
    form = FundingSourceForm(localized_form_data(payload.dict(exclude={"structure"})))
    cleaned(form)
    form.instance.structure = structure
    return Status(201, save_recorded(form.instance, "compensation.funding_saved", request=request))


@router.patch(
    "/funding/{public_id}",
    response={200: FundingOut, 422: ApiError},
    summary=_("Modifier une source de financement"),
)
def edit_funding(request, public_id: str, payload: FundingPatch):
    from binome.api.core import cleaned
    from binome.audit.services import save_recorded
    from binome.compensation.forms import FundingSourceForm
    from binome.compensation.models import FundingSource

    ids = [s.pk for s in request.binome.structures]
    source = get_object_or_404_scoped(
        FundingSource.objects.filter(structure_id__in=ids).select_related("structure"),
        public_id=public_id,
    )
    if Role.COORDINATOR not in roles_in(request, source.structure):
        raise PermissionDenied
    fields = ("kind", "name", "year", "amount", "committed", "notes")
    current = {f: getattr(source, f) for f in fields}
    form = FundingSourceForm(
        localized_form_data({**current, **payload.dict(exclude_unset=True)}), instance=source
    )
    cleaned(form)
    return save_recorded(form.instance, "compensation.funding_saved", request=request)


@router.put(
    "/missions/{public_id}/budget",
    response={200: BudgetOut, 422: ApiError},
    summary=_("Le budget d'une mission et son financement"),
)
def mission_budget(request, public_id: str, payload: BudgetIn):
    from binome.api.core import cleaned
    from binome.audit.services import save_recorded
    from binome.compensation.forms import MissionBudgetForm
    from binome.compensation.models import FundingSource, MissionBudget
    from binome.missions.models import Mission

    ids = [s.pk for s in request.binome.structures]
    mission = get_object_or_404_scoped(
        Mission.objects.filter(structure_id__in=ids).select_related("structure"),
        public_id=public_id,
    )
    if Role.COORDINATOR not in roles_in(request, mission.structure):
        raise PermissionDenied
    source = (
        FundingSource.objects.filter(
            structure=mission.structure, public_id=payload.funding_source
        ).first()
        if payload.funding_source
        else None
    )
    if payload.funding_source and source is None:
        raise Http404
    instance = MissionBudget.objects.filter(mission=mission).first() or MissionBudget(
        mission=mission
    )
    data = localized_form_data({"amount": payload.amount, "flat_fee_basis": payload.flat_fee_basis})
    form = MissionBudgetForm(
        {**data, "funding_source": source.pk if source else ""},
        instance=instance,
        structure=mission.structure,
    )
    cleaned(form)
    return save_recorded(form.instance, "compensation.budget_saved", request=request)


@router.put(
    "/rates/{structure}",
    response={200: RatesOut, 422: ApiError},
    summary=_("Le barème des frais de la structure"),
)
def rates(request, structure: str, payload: RatesIn):
    from binome.api.core import cleaned
    from binome.audit.services import save_recorded
    from binome.compensation.forms import ExpenseRatesForm

    place = _coordination_of(request, structure)
    instance = services.rates_for(place)
    current = {"km_rate": instance.km_rate, "meal_ceiling": instance.meal_ceiling}
    form = ExpenseRatesForm(
        localized_form_data({**current, **payload.dict(exclude_unset=True)}), instance=instance
    )
    cleaned(form)
    return save_recorded(form.instance, "compensation.rates_saved", request=request)
