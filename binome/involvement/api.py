"""Involvement register, ACI report (JSON) and programmes."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from binome.api.base import ApiError
from binome.api.core import Pagination, PlausibleDate, attribute, roles_in, structure_for
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
    structure: str
    resolve_structure = attribute("structure.slug")
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
    structure: str
    resolve_structure = attribute("structure.slug")
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


# --- programmes, workshops and their feedback: the pages' twins (issue 16) ------------------
# The page's form and service decide; required fields are the form's, checked after access.


class ProgrammeIn(Schema):
    structure: str = ""
    kind: str | None = Field(None, description=gettext_lazy("etp, prevention, group, other…"))
    title: str | None = Field(None, max_length=200)
    description: str = Field("", max_length=5000)
    is_active: bool = True


class ProgrammePatch(Schema):
    kind: str | None = None
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    is_active: bool | None = None


class WorkshopIn(Schema):
    title: str | None = Field(None, max_length=200)
    starts_at: str | None = Field(
        None, description=gettext_lazy("AAAA-MM-JJTHH:MM, heure de Paris")
    )
    place: str = Field("", max_length=200)
    professional: UUID | None = Field(
        None, description=gettext_lazy("Membre (professionnel) qui anime")
    )
    partner: UUID | None = Field(
        None, description=gettext_lazy("Membre (patient partenaire) qui co-anime")
    )
    etp_training_override: str = Field("", max_length=2000)
    planned_count: int | None = Field(None, ge=0, le=1000)
    attendance_count: int | None = Field(None, ge=0, le=1000)
    notes: str = Field("", max_length=5000)


class WorkshopOut(Schema):
    id: UUID = Field(alias="public_id")
    programme: UUID
    resolve_programme = attribute("programme.public_id")
    title: str
    starts_at: datetime
    place: str
    planned_count: int | None
    attendance_count: int | None


class WorkshopFeedbackIn(Schema):
    useful: int | None = None
    understood: int | None = None
    freer: int | None = None
    comment: str = Field("", max_length=2000)
    submission_token: str = Field(
        "",
        max_length=64,
        description=gettext_lazy("Un envoi répété avec le même jeton n'est compté qu'une fois"),
    )


class FeedbackOut(Schema):
    created: bool


def _programme(request, public_id, roles=EDIT) -> Programme:
    programme = get_object_or_404_scoped(
        Programme.objects.filter(structure_id__in=_visible_structure_ids(request)).select_related(
            "structure"
        ),
        public_id=public_id,
    )
    if not roles_in(request, programme.structure) & roles:
        raise PermissionDenied
    return programme


def _workshop(request, public_id):
    from binome.involvement.models import Workshop

    workshop = get_object_or_404_scoped(
        Workshop.objects.filter(structure_id__in=_visible_structure_ids(request)).select_related(
            "structure", "programme"
        ),
        public_id=public_id,
    )
    if not roles_in(request, workshop.structure) & EDIT:
        raise PermissionDenied
    return workshop


def _workshop_form(request, structure, payload, instance=None):
    from binome.api.core import cleaned
    from binome.involvement.forms import WorkshopForm
    from binome.people.models import Membership, Role

    data = payload.dict(exclude_unset=instance is not None)
    if instance is not None:
        current = {
            f: getattr(instance, f)
            for f in (
                "title",
                "place",
                "planned_count",
                "attendance_count",
                "notes",
                "etp_training_override",
            )
        }
        current["starts_at"] = timezone.localtime(instance.starts_at).strftime("%Y-%m-%dT%H:%M")
        current["professional"] = (
            instance.professional.public_id if instance.professional_id else None
        )
        current["partner"] = instance.partner.public_id if instance.partner_id else None
        data = {**current, **data}
    for field in ("professional", "partner"):
        member = (
            Membership.objects.filter(structure=structure, public_id=data.get(field)).first()
            if data.get(field)
            else None
        )
        data[field] = member.pk if member else ""
    coordinator = Role.COORDINATOR in roles_in(request, structure)
    form = WorkshopForm(
        {k: ("" if v is None else v) for k, v in data.items()},
        instance=instance,
        structure=structure,
        can_override=coordinator,
    )
    cleaned(form)
    return form, coordinator


@router.post(
    "/programmes/",
    response={201: ProgrammeOut, 422: ApiError},
    summary=_("Créer un programme (ETP, prévention…)"),
)
def create_programme(request, payload: ProgrammeIn):
    from binome.api.core import cleaned, form_data
    from binome.audit.services import save_recorded
    from binome.involvement.forms import ProgrammeForm

    structure = structure_for(request, payload.structure)
    if not roles_in(request, structure) & EDIT:
        raise PermissionDenied
    form = ProgrammeForm(form_data(payload.dict(exclude={"structure"})))
    cleaned(form)
    form.instance.structure = structure
    return Status(
        201, save_recorded(form.instance, "involvement.programme_created", request=request)
    )


@router.patch(
    "/programmes/{public_id}",
    response={200: ProgrammeOut, 422: ApiError},
    summary=_("Modifier un programme"),
)
def edit_programme(request, public_id: str, payload: ProgrammePatch):
    from binome.api.core import cleaned
    from binome.audit.services import save_recorded
    from binome.involvement.forms import ProgrammeForm

    programme = _programme(request, public_id)
    current = {f: getattr(programme, f) for f in ("kind", "title", "description", "is_active")}
    data = {
        **current,
        **{k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None},
    }
    form = ProgrammeForm(data, instance=programme)
    cleaned(form)
    return save_recorded(form=form, kind="involvement.programme_changed", request=request)


@router.post(
    "/programmes/{public_id}/workshops",
    response={201: WorkshopOut, 422: ApiError},
    summary=_("Ajouter un atelier (une séance) au programme"),
)
def add_workshop(request, public_id: str, payload: WorkshopIn):
    programme = _programme(request, public_id)
    form, coordinator = _workshop_form(request, programme.structure, payload)
    workshop = form.save(commit=False)
    workshop.programme, workshop.structure = programme, programme.structure
    services.save_workshop(workshop, request=request, created=True, may_override=coordinator)
    return Status(201, workshop)


@router.patch(
    "/workshops/{public_id}",
    response={200: WorkshopOut, 422: ApiError},
    summary=_("Modifier un atelier"),
)
def edit_workshop(request, public_id: str, payload: WorkshopIn):
    workshop = _workshop(request, public_id)
    form, coordinator = _workshop_form(request, workshop.structure, payload, instance=workshop)
    return services.save_workshop(
        form.save(commit=False), request=request, may_override=coordinator
    )


def _feedback_form(payload):
    from binome.api.core import cleaned, form_data
    from binome.involvement.forms import FeedbackForm

    return cleaned(FeedbackForm(form_data(payload)))


@router.post(
    "/workshops/{public_id}/paper-feedback",
    response={201: FeedbackOut, 200: FeedbackOut, 422: ApiError},
    summary=_("Saisir un questionnaire papier d'un atelier (l'équipe)"),
)
def paper_feedback(request, public_id: str, payload: WorkshopFeedbackIn):
    workshop = _workshop(request, public_id)
    data = _feedback_form(payload)
    _feedback, created = services.submit_feedback(
        workshop,
        submission_token=data["submission_token"],
        channel="paper",
        request=request,
        **{k: data[k] for k in ("useful", "understood", "freer", "comment")},
    )
    return Status(201 if created else 200, {"created": created})


@router.post(
    "/public/workshops/{token}/feedback",
    auth=None,
    response={201: FeedbackOut, 200: FeedbackOut, 422: ApiError},
    summary=_("Donner son avis sur un atelier (sans authentification, anonyme, idempotent)"),
)
def public_feedback(request, token: str, payload: WorkshopFeedbackIn):
    from django.http import Http404
    from ninja.errors import HttpError

    from binome.core.public_forms import refusal
    from binome.involvement.models import Workshop
    from binome.people.scoping import scopes_disabled, structure_scope

    refused = refusal(request, group="involvement.public_feedback")
    if refused is not None:
        raise HttpError(*refused)
    with scopes_disabled():
        workshop = Workshop.objects.select_related("structure").filter(feedback_token=token).first()
    if workshop is None:
        raise Http404
    data = _feedback_form(payload)
    with structure_scope(workshop.structure):
        _feedback, created = services.submit_feedback(
            workshop,
            submission_token=data["submission_token"],
            **{k: data[k] for k in ("useful", "understood", "freer", "comment")},
        )
    return Status(201 if created else 200, {"created": created})
