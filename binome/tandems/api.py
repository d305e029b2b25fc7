"""Tandems and practice-analysis groups over the API, under the pages' rules
(binome.tandems.access). Mounted under /api/v1/accompaniment/, the paths they had before the
split (integrators' scripts keep working)."""

import datetime as dt
from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from binome.accompaniment.access import roles_of
from binome.accompaniment.models import Accompaniment
from binome.accompaniment.services import save
from binome.api.base import ApiError
from binome.api.core import Pagination, PlausibleDate, attribute, cleaned, structure_for
from binome.audit.services import record
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped
from binome.tandems import services
from binome.tandems.access import report_fields, tandem_reports, tandem_roles, visible_tandems
from binome.tandems.models import PracticeGroupSession, Tandem, TandemReport, TandemScope

ROUTER_PREFIX = "accompaniment"
router = Router(tags=["Tandems"])


class ReportAcknowledgeIn(Schema):
    response: str = Field("", max_length=2000)


def _structures_with(request, *roles):
    wanted = {str(r) for r in roles}
    return [s for s in request.binome.structures if roles_of(request, s) & wanted]


class TandemReportIn(Schema):
    accompaniment: UUID | None = None
    joint_consultation: bool = False
    patient_expressed: str = Field(min_length=1, max_length=1000)
    needs: str = Field(min_length=1, max_length=1000)
    agreed_to_share: str = Field(min_length=1, max_length=1000)
    next_steps: str = Field("", max_length=1000)
    detail: str = Field("", max_length=5000)


class TandemReportOut(Schema):
    """As on the tandem's page (access.report_fields): the text is null once withheld."""

    id: UUID = Field(alias="public_id")
    tandem: UUID
    created_at: datetime
    joint_consultation: bool
    withheld: bool
    patient: str | None
    patient_expressed: str | None
    needs: str | None
    agreed_to_share: str | None
    next_steps: str | None
    detail: str | None
    acknowledged_at: datetime | None
    reply: str | None


class TandemOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    doctor: str
    partner: str
    resolve_partner = attribute("partner.full_name")
    mode: str
    is_active: bool
    scope: str
    scope_version: int | None
    reports: int = Field(alias="n_reports")
    unread_reports: int = Field(alias="n_unread")

    @staticmethod
    def resolve_doctor(obj):
        return obj.doctor.user.get_full_name() or obj.doctor.user.email

    @staticmethod
    def resolve_scope(obj):
        scopes = list(obj.scopes.all())
        return scopes[0].text if scopes else ""

    @staticmethod
    def resolve_scope_version(obj):
        scopes = list(obj.scopes.all())
        return scopes[0].version if scopes else None


class PracticeSessionOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str
    resolve_structure = attribute("structure.slug")
    kind: str
    date: dt.date
    facilitator: str
    participants: int = Field(alias="n_participants")
    anonymised_cases: str
    notes: str


@router.get(
    "/tandems/",
    response=list[TandemOut],
    summary=_("Les tandems médecin–patient partenaire visibles"),
)
@paginate(Pagination)
def tandems(request):
    from django.db.models import Q

    condition = Q(pk__in=[])
    for structure in request.binome.structures:
        condition |= visible_tandems(request.user, roles_of(request, structure), structure)
    return _with_counts(Tandem.objects.filter(condition))


def _with_counts(tandems):
    from django.db.models import Count, Q

    return (
        tandems.select_related("structure", "doctor__user", "partner")
        .prefetch_related(Prefetch("scopes", queryset=TandemScope.objects.order_by("-version")))
        .annotate(
            n_reports=Count("reports", distinct=True),
            n_unread=Count(
                "reports", filter=Q(reports__acknowledged_at__isnull=True), distinct=True
            ),
        )
        .order_by("-created_at", "-id")
    )


@router.get(
    "/practice-sessions/",
    response=list[PracticeSessionOut],
    summary=_("Groupes d'analyse de pratiques et cercles de parole"),
)
@paginate(Pagination)
def practice_sessions(request):
    from django.db.models import Count

    structures = _structures_with(request, Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER)
    return (
        PracticeGroupSession.objects.filter(structure__in=structures)
        .select_related("structure")
        .annotate(n_participants=Count("participants"))
        .order_by("-date", "-id")
    )


def _tandem(request, public_id):
    tandem = get_object_or_404_scoped(
        Tandem.objects.select_related("doctor", "partner__membership", "structure"),
        public_id=public_id,
    )
    roles = roles_of(request, tandem.structure)
    is_doctor, is_partner = tandem_roles(request.user, roles, tandem)
    if not (is_doctor or is_partner):
        if Role.COORDINATOR in roles:
            raise PermissionDenied
        raise Http404
    return tandem, is_doctor, is_partner


@router.get(
    "/tandems/{public_id}/reports",
    response=list[TandemReportOut],
    summary=_("Les comptes rendus d'un tandem (médecin et partenaire)"),
)
@paginate(Pagination)
def tandem_reports_list(request, public_id: str):
    tandem, is_doctor, is_partner = _tandem(request, public_id)
    record(
        "accompaniment.tandem_viewed",
        request=request,
        structure=tandem.structure,
        target=tandem,
        api=True,
    )
    return [
        report_fields(r, is_doctor=is_doctor, is_partner=is_partner)
        for r in tandem_reports(tandem)
        .select_related("tandem")
        .order_by("-created_at", "-id")[:500]
    ]


@router.post(
    "/tandems/{public_id}/reports",
    response={201: TandemReportOut},
    summary=_("Envoyer un compte rendu au médecin"),
)
def add_tandem_report(request, public_id: str, payload: TandemReportIn):
    tandem, _d, is_partner = _tandem(request, public_id)
    if not is_partner:
        raise PermissionDenied
    data = payload.dict()
    acc_id = data.pop("accompaniment")
    acc = None
    if acc_id is not None:
        acc = Accompaniment.objects.filter(
            structure=tandem.structure, partner=tandem.partner, public_id=acc_id
        ).first()
        if acc is None:
            raise HttpError(422, _("Personne accompagnée inconnue dans ce tandem."))
    if data["joint_consultation"]:
        error = services.joint_consultation_allowed(tandem, acc)
        if error:
            raise HttpError(422, error)
    report = services.add_report(
        tandem, user=request.user, data={**data, "accompaniment": acc}, request=request
    )
    return Status(
        201,
        report_fields(tandem_reports(tandem).get(pk=report.pk), is_doctor=False, is_partner=True),
    )


@router.post(
    "/tandem-reports/{public_id}/acknowledge",
    response=TandemReportOut,
    summary=_("Accuser réception d'un compte rendu, répondre"),
)
def acknowledge_report(request, public_id: str, payload: ReportAcknowledgeIn):
    found = get_object_or_404_scoped(
        TandemReport.objects.select_related("tandem"), public_id=public_id
    )
    tandem, is_doctor, _p = _tandem(request, found.tandem.public_id)
    if not is_doctor:
        raise PermissionDenied
    report = tandem_reports(tandem).get(pk=found.pk)
    services.acknowledge_report(report, user=request.user, reply=payload.response, request=request)
    return report_fields(tandem_reports(tandem).get(pk=found.pk), is_doctor=True, is_partner=False)


class TandemIn(Schema):
    structure: str
    doctor: UUID = Field(
        description=gettext_lazy(
            "La personne médecin (identifiant de son appartenance à la structure)"
        )
    )
    partner: UUID
    mode: str = Tandem.Mode.ASYNCHRONOUS
    scope: str = Field(max_length=5000)


class ScopeIn(Schema):
    text: str = Field(max_length=5000)


class PracticeSessionIn(Schema):
    structure: str
    kind: str
    date: PlausibleDate
    facilitator: str = Field("", max_length=200)
    participants: list[UUID] = Field(
        [], description=gettext_lazy("Identifiants d'appartenance des participants")
    )
    anonymised_cases: str = ""
    notes: str = ""


@router.post(
    "/tandems/",
    response={201: TandemOut, 422: ApiError},
    summary=_(
        "Créer un tandem médecin–patient partenaire, avec son périmètre (coordination ou le médecin)"
    ),
)
def create_tandem(request, payload: TandemIn):
    from binome.tandems.forms import TandemForm

    structure = structure_for(request, payload.structure)
    roles = roles_of(request, structure)
    professional = next(
        (
            m
            for m in request.binome.memberships
            if m.structure_id == structure.pk and m.role == Role.PROFESSIONAL
        ),
        None,
    )
    if Role.COORDINATOR not in roles and not (professional and professional.is_doctor):
        raise PermissionDenied
    form = TandemForm(None, structure=structure)
    doctor = form.fields["doctor"].queryset.filter(public_id=payload.doctor).first()
    partner = form.fields["partner"].queryset.filter(public_id=payload.partner).first()
    data = {
        "doctor": doctor.pk if doctor else "",
        "partner": partner.pk if partner else "",
        "mode": payload.mode,
        "scope": payload.scope,
    }
    tandem = services.create_tandem(
        structure=structure,
        user=request.user,
        request=request,
        **cleaned(TandemForm(data, structure=structure)),
    )
    return Status(201, _tandem_out(request, tandem))


def _tandem_out(request, tandem):
    return _with_counts(Tandem.objects.filter(pk=tandem.pk)).get()


@router.post(
    "/tandems/{public_id}/scope",
    response={200: TandemOut, 422: ApiError},
    summary=_("Réviser le périmètre d'action d'un tandem (les versions précédentes restent)"),
)
def revise_scope(request, public_id: str, payload: ScopeIn):
    from binome.tandems.forms import ScopeForm

    tandem = get_object_or_404_scoped(
        Tandem.objects.select_related("doctor", "partner__membership", "structure"),
        public_id=public_id,
    )
    roles = roles_of(request, tandem.structure)
    is_doctor, is_partner = tandem_roles(request.user, roles, tandem)
    if not (is_doctor or is_partner or Role.COORDINATOR in roles):
        raise Http404
    services.save_scope(
        tandem, text=cleaned(ScopeForm(payload.dict()))["text"], user=request.user, request=request
    )
    return _tandem_out(request, tandem)


@router.post(
    "/practice-sessions/",
    response={201: PracticeSessionOut, 422: ApiError},
    summary=_(
        "Noter une séance de groupe d'analyse de pratiques ou de cercle de parole (situations anonymisées)"
    ),
)
def create_practice_session(request, payload: PracticeSessionIn):
    from django.db.models import Count

    from binome.api.core import form_data
    from binome.tandems.forms import PracticeSessionForm

    structure = structure_for(request, payload.structure)
    if not {Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER} & roles_of(request, structure):
        raise PermissionDenied
    form = PracticeSessionForm(None, structure=structure)
    by_id = {str(m.public_id): m.pk for m in form.fields["participants"].queryset}
    if any(str(p) not in by_id for p in payload.participants):
        from django.core.exceptions import ValidationError

        raise ValidationError({"participants": [_("Participant inconnu dans cette structure.")]})
    data = form_data(payload, participants=[by_id[str(p)] for p in payload.participants])
    form = PracticeSessionForm(data, structure=structure)
    cleaned(form)
    obj = form.save(commit=False)
    obj.structure, obj.created_by = structure, request.user
    with transaction.atomic():
        save(
            obj,
            "accompaniment.practice_session_added",
            request=request,
            user=request.user,
            structure=structure,
        )
        form.save_m2m()
    return Status(
        201,
        PracticeGroupSession.objects.select_related("structure")
        .annotate(n_participants=Count("participants"))
        .get(pk=obj.pk),
    )
