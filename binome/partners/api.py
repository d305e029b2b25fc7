"""API of the partner pool and candidacies: /api/v1/partners/."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from binome.api.core import Pagination, roles_in, structure_for
from binome.audit.services import record
from binome.partners import services
from binome.partners.models import Partner, PartnerTag
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=["Patients partenaires"])


class PartnerOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str = Field(alias="structure.slug")
    first_name: str
    last_name: str
    status: str
    status_label: str = Field(alias="get_status_display")
    skills: list[str]
    languages: list[str]
    limits: list[str]
    conditions: list[str] | None = None
    lived_experience: str | None = None
    email: str | None = None
    phone: str | None = None
    motivation: str | None = None

    @staticmethod
    def resolve_skills(obj):
        return [t.label for t in obj.tags.all() if t.kind == PartnerTag.Kind.SKILL]

    @staticmethod
    def resolve_languages(obj):
        return [t.label for t in obj.tags.all() if t.kind == PartnerTag.Kind.LANGUAGE]

    @staticmethod
    def resolve_limits(obj):
        return [t.label for t in obj.tags.all() if t.kind == PartnerTag.Kind.LIMIT]

    @staticmethod
    def resolve_conditions(obj, context):
        if not _parts(obj, context)["conditions"]:
            return None
        return [t.label for t in obj.tags.all() if t.kind == PartnerTag.Kind.CONDITION]

    @staticmethod
    def resolve_lived_experience(obj, context):
        return obj.lived_experience if _parts(obj, context)["lived_experience"] else None

    @staticmethod
    def resolve_email(obj, context):
        return obj.email if _parts(obj, context)["contact"] else None

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone if _parts(obj, context)["contact"] else None

    @staticmethod
    def resolve_motivation(obj, context):
        return obj.motivation if _parts(obj, context)["recruitment"] else None


class CandidacyOut(Schema):
    id: UUID = Field(alias="public_id")
    structure: str = Field(alias="structure.slug")
    first_name: str
    last_name: str
    status: str
    source: str
    submitted_at: str

    @staticmethod
    def resolve_submitted_at(obj):
        return obj.submitted_at.isoformat()


class PartnerIn(Schema):
    structure: str
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    commune: str = Field("", max_length=120)
    motivation: str = Field("", max_length=5000)


def _own_ids(request):
    return {m.pk for m in request.binome.memberships if m.role == Role.PARTNER}


def _is_self(obj, context):
    return obj.membership_id in _own_ids(context["request"])


def _parts(obj, context):
    return services.visible_parts(obj, is_self=_is_self(obj, context), roles=roles_in(context["request"], obj.structure))


def _queryset(request):
    return (
        services.visible_partners(request.user, request.binome.memberships)
        .select_related("structure")
        .prefetch_related(Prefetch("tags", queryset=PartnerTag.objects.all()))
    )


@router.get("/", response=list[PartnerOut], summary="Patients partenaires visibles (vivier, ou sa propre fiche)")
@paginate(Pagination)
def list_partners(request, status: str | None = None):
    if not any(m.role in (*services.STAFF, Role.PARTNER) for m in request.binome.memberships):
        raise PermissionDenied
    qs = _queryset(request)
    if status:
        qs = qs.filter(status=status)
    record("partners.pool_read", request=request, api=True)
    return qs.order_by("structure__name", "last_name", "first_name", "pk")


@router.get("/candidacies/", response=list[CandidacyOut], summary="Candidatures en cours de recrutement")
@paginate(Pagination)
def list_candidacies(request):
    staff = {m.structure_id for m in request.binome.memberships if m.role in services.STAFF}
    if not staff:
        raise PermissionDenied
    return (
        Partner.objects.filter(structure_id__in=staff, status__in=Partner.PIPELINE_STATUSES)
        .select_related("structure")
        .order_by("-submitted_at", "pk")
    )


@router.get("/{public_id}", response=PartnerOut, summary="Une fiche de patient partenaire")
def get_partner(request, public_id: str):
    partner = get_object_or_404_scoped(_queryset(request), public_id=public_id)
    record("partners.profile_read", request=request, target=partner, structure=partner.structure, api=True)
    return partner


@router.post("/", response={201: PartnerOut}, summary="Ajouter une personne au recrutement (coordination)")
def create_partner(request, payload: PartnerIn):
    structure = structure_for(request, payload.structure)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    data = payload.dict(exclude={"structure", "motivation"})
    partner = services.create_team_partner(structure, data, request=request, motivation=payload.motivation)
    return Status(201, _queryset(request).get(pk=partner.pk))


class DecisionIn(Schema):
    to_status: Partner.Status
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/{public_id}/decisions", response=PartnerOut,
             summary="Faire passer une personne à l'étape suivante du recrutement (coordination ; étapes exigées de l'équipe)")
def decide(request, public_id: str, payload: DecisionIn):
    partner = get_object_or_404_scoped(_queryset(request), public_id=public_id)
    if Role.COORDINATOR not in roles_in(request, partner.structure):
        raise PermissionDenied
    services.decide(partner, to_status=payload.to_status, reason=payload.reason, actor=request.user, request=request)
    return _queryset(request).get(pk=partner.pk)
