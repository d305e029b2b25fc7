"""Involvement register, ACI report (JSON) and programmes."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from binome.api.base import ApiError
from binome.api.core import Pagination, PlausibleDate, roles_in, structure_for
from binome.involvement import services
from binome.involvement.access import EDIT, VIEW
from binome.involvement.aci import annual_report
from binome.involvement.models import AciLevel, ActionKind, InvolvementAction, Level, Programme
from binome.people.models import Profession
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=[gettext_lazy("Implication des usagers")])


class EvidenceOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str = Field(alias="original_name")
    content_type: str
    size: int


class ActionOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str = Field(alias="structure.slug")
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    title: str
    level: str
    aci_level: int
    start_date: date
    end_date: date | None
    professions: list[str]
    users_count: int
    description: str
    automatic: bool
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_automatic(obj):
        return obj.is_automatic

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())


class ActionIn(Schema):
    structure: str = Field(description=gettext_lazy("identifiant court (slug) de la structure"))
    kind: ActionKind
    title: str = Field(min_length=1, max_length=200)
    level: Level | None = None
    aci_level: AciLevel | None = None
    start_date: PlausibleDate
    end_date: PlausibleDate | None = None
    professions: list[Profession] = []
    users_count: int = Field(0, ge=0, le=1_000_000)
    description: str = Field("", max_length=5000)


class AciActionOut(Schema):
    id: UUID
    title: str
    kind: str
    level: str
    aci_level: int
    start_date: date
    end_date: date | None
    evidence: list[str]


class AciToCompleteOut(Schema):
    action: UUID
    title: str
    missing: list[str]


class AciReportOut(Schema):
    """As the report page: the structure's agreement decides whether points apply."""

    structure: str
    year: int
    agreement: str | None
    agreement_label: str
    applies: bool
    why_no_points: str | None
    level: int
    level_label: str
    patient_count: int | None
    fixed_points: Decimal
    variable_points: Decimal
    total_points: Decimal
    point_value_eur: Decimal | None
    amount_eur: Decimal | None
    parameters_valid_from: date | None
    rules_source: str | None
    to_complete: list[AciToCompleteOut]
    actions: list[AciActionOut]


class ProgrammeOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str = Field(alias="structure.slug")
    kind: str
    title: str
    description: str
    is_active: bool


def _visible_structure_ids(request, roles=VIEW):
    return [s.pk for s in request.binome.structures if roles_in(request, s) & roles]


@router.get(
    "/actions/", response=list[ActionOut], summary=_("Les actions d'implication des usagers")
)
@paginate(Pagination)
def actions(
    request, structure: str | None = None, year: int | None = Query(None, ge=2000, le=2100)
):  # 500 on year=-3 (fuzzing)
    ids = _visible_structure_ids(request)
    qs = (
        InvolvementAction.objects.filter(structure_id__in=ids)
        .select_related("structure")
        .prefetch_related("evidence")
    )
    if structure:
        qs = qs.filter(structure=structure_for(request, structure))
    if year:
        qs = qs.of_year(year)
    return qs.order_by("-start_date", "-id")


@router.get("/actions/{public_id}", response=ActionOut, summary=_("Une action"))
def action_detail(request, public_id: str):
    ids = _visible_structure_ids(request)
    return get_object_or_404_scoped(
        InvolvementAction.objects.filter(structure_id__in=ids)
        .select_related("structure")
        .prefetch_related("evidence"),
        public_id=public_id,
    )


@router.post("/actions/", response={201: ActionOut}, summary=_("Ajouter une action au registre"))
def create_action(request, payload: ActionIn):
    structure = structure_for(request, payload.structure)
    if not roles_in(request, structure) & EDIT:
        raise PermissionDenied
    data = payload.dict(exclude={"structure"})
    action = InvolvementAction(
        structure=structure,
        created_by=request.user,
        **{
            **data,
            "level": data["level"] or "",
            "aci_level": data["aci_level"] or None,
            "professions": [str(p) for p in data["professions"]],
        },
    )
    services.save_action(action, actor=request.user, created=True, request=request)
    action = (
        InvolvementAction.objects.select_related("structure")
        .prefetch_related("evidence")
        .get(pk=action.pk)
    )
    return Status(201, action)


@router.get(
    "/aci/{slug}/{year}",
    response=AciReportOut,
    summary=_("L'indicateur ACI « implication des usagers » d'une année"),
)
def aci(request, slug: str, year: int):
    structure = structure_for(request, slug)
    if not roles_in(request, structure) & EDIT:
        raise PermissionDenied
    if not 2015 <= year <= 2100:
        from ninja.errors import HttpError

        raise HttpError(422, _("Année invalide."))
    report = annual_report(structure, year)
    return {
        **report.as_dict(),
        "actions": [
            {
                "id": a.public_id,
                "title": a.title,
                "kind": a.kind,
                "level": a.level,
                "aci_level": a.aci_level,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "evidence": [e.original_name for e in a.evidence.all()],
            }
            for a in report.actions
        ],
    }


@router.get(
    "/programmes/", response=list[ProgrammeOut], summary=_("Les programmes (ETP et autres)")
)
@paginate(Pagination)
def programmes(request):
    ids = _visible_structure_ids(request)
    return (
        Programme.objects.filter(structure_id__in=ids)
        .select_related("structure")
        .order_by("title", "id")
    )


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/aci/{slug}/{year}/report.{fmt}",
    summary=_("Le rapport ACI d'une année, en PDF ou en tableur (fmt = pdf ou xlsx)"),
    response={200: None},
    openapi_extra={"responses": {"200": {"content": {PDF: {}, XLSX: {}}}}},
)
def aci_export(request, slug: str, year: int, fmt: str):
    from django.http import Http404, HttpResponse
    from ninja.errors import HttpError

    from binome.audit.services import record
    from binome.involvement.reports import report_pdf, report_xlsx

    structure = structure_for(request, slug)
    if not roles_in(request, structure) & EDIT:
        raise PermissionDenied
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    if not 2015 <= year <= 2100:
        raise HttpError(422, _("Année invalide."))
    report = annual_report(structure, year)
    record(
        "involvement.aci_report_exported",
        request=request,
        structure=structure,
        year=year,
        format=fmt,
        api=True,
    )
    content, kind = (report_pdf(report), PDF) if fmt == "pdf" else (report_xlsx(report), XLSX)
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="aci-implication-usagers-{structure.slug}-{year}.{fmt}"'
    )
    return response


# --- the register's page actions: their twins ---------------------------------------------


class ActionPatch(Schema):
    kind: ActionKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    level: Level | None = None
    aci_level: AciLevel | None = None
    start_date: PlausibleDate | None = None
    end_date: PlausibleDate | None = None
    professions: list[Profession] | None = None
    users_count: int | None = Field(None, ge=0, le=1_000_000)
    description: str | None = Field(None, max_length=5000)


def _action(request, public_id, roles):
    action = get_object_or_404_scoped(
        InvolvementAction.objects.filter(
            structure_id__in=_visible_structure_ids(request)
        ).select_related("structure"),
        public_id=public_id,
    )
    if not roles_in(request, action.structure) & roles:
        raise PermissionDenied
    return action


def _fresh(action):
    return (
        InvolvementAction.objects.select_related("structure")
        .prefetch_related("evidence")
        .get(pk=action.pk)
    )


@router.patch(
    "/actions/{public_id}",
    response={200: ActionOut, 422: ApiError},
    summary=_("Modifier une action du registre"),
)
def update_action(request, public_id: str, payload: ActionPatch):
    from binome.api.core import cleaned
    from binome.involvement.forms import ActionForm

    action = _action(request, public_id, EDIT)
    changes = payload.dict(exclude_unset=True)
    data = {name: getattr(action, name) for name in ActionForm.Meta.fields}
    data.update(
        {
            k: v
            for k, v in changes.items()
            if v is not None or k in ("end_date", "level", "aci_level")
        }
    )
    data = {
        k: ("" if v is None else [str(p) for p in v] if k == "professions" else v)
        for k, v in data.items()
    }
    form = ActionForm(data, instance=action)
    cleaned(form)
    services.save_action(form.instance, actor=request.user, request=request)
    return _fresh(action)


@router.delete(
    "/actions/{public_id}",
    response={204: None},
    summary=_("Retirer une action du registre (coordination)"),
)
def delete_action(request, public_id: str):
    from binome.people.models import Role

    action = _action(request, public_id, {str(Role.COORDINATOR)})
    services.delete_action(action, request=request)
    return Status(204, None)


@router.post(
    "/actions/{public_id}/evidence",
    response={201: ActionOut, 422: ApiError},
    summary=_("Ajouter une pièce justificative (PDF ou photo, 5 Mo au plus) à une action"),
)
def add_evidence(request, public_id: str, kind: Form[str] = "", file: File[UploadedFile] = None):
    # Optional here so that access is checked first; the page's form then says what is missing.
    from binome.api.core import cleaned
    from binome.involvement.forms import EvidenceForm

    action = _action(request, public_id, EDIT)
    data = cleaned(EvidenceForm({"kind": kind}, {"file": file} if file else {}))
    services.add_evidence(action, data["file"], kind=data["kind"], request=request)
    return Status(201, _fresh(action))


@router.delete(
    "/evidence/{public_id}", response={204: None}, summary=_("Supprimer une pièce justificative")
)
def delete_evidence(request, public_id: str):
    from binome.involvement.models import Evidence

    evidence = get_object_or_404_scoped(
        Evidence.objects.filter(
            action__structure_id__in=_visible_structure_ids(request)
        ).select_related("action__structure"),
        public_id=public_id,
    )
    if not roles_in(request, evidence.action.structure) & EDIT:
        raise PermissionDenied
    services.delete_evidence(evidence, request=request)
    return Status(204, None)
