"""Core endpoints: the caller, their structures and members."""

import datetime as dt
import operator
from typing import Annotated
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import AfterValidator, WithJsonSchema

from binome.api.base import ApiError
from binome.core.pagination import read_page
from binome.people.models import Membership, Role, Structure

router = Router(tags=["Structures et personnes"])


def attribute(path: str):
    """A schema resolver reading ``path`` ("structure.slug") on the object, for
    ``resolve_<field> = attribute("...")``. It replaces ``Field(alias="structure.slug")``, which
    django-ninja resolves through a template ``Variable`` built per row and field (8 µs each;
    1.6 ms for a list of 50 accompaniments). A missing step (None) leaves the field unset."""
    getter = operator.attrgetter(path)

    def resolve(obj):
        return getter(obj)

    return staticmethod(resolve)


def rows_of(page, columns: dict) -> list[dict]:
    """Tuples read with ``values_list(*columns.values())`` as dictionaries keyed by the
    output names of ``columns`` ({"mission_title": "mission__title", ...})."""
    names = tuple(columns)
    return [dict(zip(names, values, strict=True)) for values in page]


def row_from(obj, columns: dict) -> dict:
    """The same dictionary as ``rows_of`` gives, read from a model instance (one object's
    endpoints: the same columns, so the same fields as the list)."""
    return {
        name: operator.attrgetter(path.replace("__", "."))(obj) for name, path in columns.items()
    }


class PageRows:
    """What a paginated endpoint returns to have its page read as tuples of ``columns``
    (an output name to ORM path dictionary, or a tuple of paths for a ``build`` of its own)
    and turned into dictionaries for a plain pydantic schema, one call per page; without
    ``columns``, the page is read as model instances for ``build``. Model instances of
    several joined tables, then django-ninja reading them attribute by attribute, cost more
    than the queries of a list (issue 17, docs/performance.md). The total is counted on
    ``queryset`` itself, without the joins the columns need."""

    def __init__(self, queryset, columns=None, build=None):
        self.queryset = queryset
        if isinstance(columns, dict):
            mapping = columns
            columns = tuple(mapping.values())
            build = build or (lambda page: rows_of(page, mapping))
        self.columns = columns
        self.build = build


class Pagination(PageNumberPagination):
    """?page=N (from 1) and optional ?page_size= up to 100; 50 items by default."""

    class Input(PageNumberPagination.Input):
        # A larger page overflowed the database's 64-bit OFFSET: 500 found by fuzzing (issue 9).
        page: int = Field(1, ge=1, le=1_000_000)

    def __init__(self, page_size: int = 50, max_page_size: int = 100, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        read, build = queryset, None
        if isinstance(queryset, PageRows):
            read, build = queryset.queryset, queryset.build
            if queryset.columns:
                read = read.values_list(*queryset.columns)
            queryset = queryset.queryset
        # The page first: a short page tells the total without a COUNT (core/pagination.py).
        page_size = self._get_page_size(pagination.page_size)
        rows, total = read_page(read, (pagination.page - 1) * page_size, page_size)
        if build is not None:
            rows = build(rows)
        return {
            self.items_attribute: rows,
            "count": total if total is not None else self._items_count(queryset),
        }


def _without_offset(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("Heure locale attendue (HH:MM), sans fuseau horaire.")
    return value


# A wall-clock time as stored (TimeField). Plain dt.time is documented as RFC 3339 "time",
# which requires an offset that answers never carry, and an offset made SQLite fail:
# schema violation and 500 found by fuzzing (issue 9).
LocalTime = Annotated[
    dt.time,
    AfterValidator(_without_offset),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$",
            "description": "Heure locale HH:MM ou HH:MM:SS, sans fuseau horaire.",
        }
    ),
]


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _plausible(value):
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValueError("Date hors de la plage acceptée (1900 à 2100).")
    return value


# Dates and times sent to the API: year 1 or 9999 overflowed date arithmetic and time-zone
# conversion (500s found by fuzzing, issue 9); nothing in Binôme is dated outside 1900-2100.
PlausibleDate = Annotated[dt.date, AfterValidator(_plausible)]
PlausibleDateTime = Annotated[dt.datetime, AfterValidator(_plausible)]


class StructureRef(Schema):
    id: UUID
    slug: str
    name: str


class MembershipOut(Schema):
    id: UUID
    structure: StructureRef
    role: str
    role_label: str
    profession: str


class NetworkRef(Schema):
    id: UUID
    slug: str
    name: str


class MeOut(Schema):
    id: UUID
    email: str
    first_name: str
    last_name: str
    memberships: list[MembershipOut]
    networks: list[NetworkRef]


class StructureOut(Schema):
    id: UUID = Field(alias="public_id")
    slug: str
    name: str
    kind: str
    finess: str
    siret: str
    region: str
    department: str
    commune: str
    aci_signatory: bool
    signed_agreement: str
    agreement: str = Field(
        description=gettext_lazy(
            "l'accord en vigueur : celui enregistré, sinon celui du type de structure si signataire"
        )
    )
    health_project_year: int | None


class MemberOut(Schema):
    id: UUID = Field(alias="public_id")
    first_name: str
    resolve_first_name = attribute("user.first_name")
    last_name: str
    resolve_last_name = attribute("user.last_name")
    email: str | None = None
    role: str
    role_label: str = Field(alias="get_role_display")
    profession: str
    rpps: str = Field(
        "", description=gettext_lazy("Numéro RPPS du professionnel (11 chiffres), vide sinon")
    )
    resolve_rpps = attribute("user.rpps")
    rpps_verified: bool = Field(False, description=gettext_lazy("RPPS lu dans Pro Santé Connect"))

    @staticmethod
    def resolve_rpps_verified(obj):
        return obj.user.rpps_verified_at is not None

    @staticmethod
    def resolve_email(obj, context):
        # Coordinators see addresses; others see names and roles only.
        return obj.user.email if context["request"].show_member_email else None


def _structure_ref(s):
    return {"id": s.public_id, "slug": s.slug, "name": s.name}


@router.get("/me", response=MeOut, summary="L'utilisateur du jeton et ses appartenances")
def me(request):
    ctx = request.binome
    return {
        "id": request.user.public_id,
        "email": request.user.email,
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
        "memberships": [
            {
                "id": m.public_id,
                "structure": _structure_ref(m.structure),
                "role": m.role,
                "role_label": m.get_role_display(),
                "profession": m.profession,
            }
            for m in ctx.memberships
        ],
        "networks": [{"id": n.public_id, "slug": n.slug, "name": n.name} for n in ctx.networks],
    }


class DoneOut(Schema):
    """The answer of an action: the object it wrote and a French sentence saying what happened."""

    id: UUID
    detail: str


def cleaned(form) -> dict:
    """The page's own form decides: its cleaned data, or a 422 with its French errors."""
    from django.core.exceptions import ValidationError

    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return form.cleaned_data


def form_data(payload, **extra) -> dict:
    """A payload as a form's data (None becomes the empty field a browser would send)."""
    data = payload.dict() if hasattr(payload, "dict") else dict(payload)
    return {k: ("" if v is None else v) for k, v in {**data, **extra}.items()}


def localized_form_data(values: dict) -> dict:
    """Values for a page form whose amounts are localized fields: decimals written with the
    French comma the browser sends, None as an empty field."""
    from decimal import Decimal

    return {
        k: ("" if v is None else str(v).replace(".", ",") if isinstance(v, Decimal) else v)
        for k, v in values.items()
    }


def structure_for(request, slug_or_id) -> Structure:
    """The caller's structure by slug or id; 404 for any other."""
    for s in request.binome.structures:
        if s.slug == slug_or_id or str(s.public_id) == str(slug_or_id):
            return s
    raise Http404


def roles_in(request, structure) -> set[str]:
    return {m.role for m in request.binome.memberships if m.structure_id == structure.pk}


@router.get(
    "/structures/", response=list[StructureOut], summary=_("Les structures de l'utilisateur")
)
@paginate(Pagination)
def structures(request):
    ids = [s.pk for s in request.binome.structures]
    return Structure.objects.filter(pk__in=ids).order_by("name")


@router.get("/structures/{slug}", response=StructureOut, summary=_("Une structure"))
def structure_detail(request, slug: str):
    return structure_for(request, slug)


class StructurePatch(Schema):
    """Fields a coordinator may change; the same rules as the structure form apply."""

    name: str | None = None
    kind: str | None = None
    finess: str | None = None
    siret: str | None = None
    region: str | None = None
    department: str | None = None
    commune: str | None = None
    aci_signatory: bool | None = None
    signed_agreement: str | None = None
    health_project_year: int | None = None
    patient_count: int | None = None
    first_contact_deadline_hours: int | None = None


@router.patch(
    "/structures/{slug}",
    response=StructureOut,
    summary=_("Modifier la fiche d'une structure (coordination)"),
)
def structure_update(request, slug: str, payload: StructurePatch):
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from binome.audit.services import record
    from binome.people.forms import StructureForm

    structure = structure_for(request, slug)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    changes = payload.dict(exclude_unset=True)
    data = {}
    for name in StructureForm.Meta.fields:
        value = changes[name] if name in changes else getattr(structure, name)
        data[name] = "" if value is None else value
    form = StructureForm(data, instance=structure)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    with transaction.atomic():
        form.save()
        record(
            "people.structure_updated",
            actor=request.user,
            structure=structure,
            target=structure,
            request=request,
            fields=sorted(form.changed_data),
            via="api",
        )
    return structure


@router.get(
    "/structures/{slug}/members/",
    response=list[MemberOut],
    summary=_("Les membres d'une structure"),
)
@paginate(Pagination)
def members(request, slug: str):
    structure = structure_for(request, slug)
    if roles_in(request, structure) == {Role.PATIENT}:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    request.show_member_email = Role.COORDINATOR in roles_in(request, structure)
    return (
        Membership.objects.active()
        .filter(structure=structure)
        .exclude(role=Role.PATIENT)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


# --- the team page's actions (issue 16): invitations and deactivation, coordination only ---


class InvitationIn(Schema):
    email: str = Field(max_length=254)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    role: str
    profession: str = ""
    rpps: str = Field("", max_length=20)


class InvitationOut(Schema):
    id: UUID = Field(alias="public_id")
    email: str
    first_name: str
    last_name: str
    role: str
    profession: str
    rpps: str
    expires_at: dt.datetime


def _coordinated(request, slug):
    from django.core.exceptions import PermissionDenied

    structure = structure_for(request, slug)
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    return structure


@router.get(
    "/structures/{slug}/invitations/",
    response=list[InvitationOut],
    summary="Invitations en attente (coordination)",
)
@paginate(Pagination)
def invitations(request, slug: str):
    from binome.people.models import Invitation

    structure = _coordinated(request, slug)
    return Invitation.objects.pending().filter(structure=structure).order_by("-created_at", "id")


@router.post(
    "/structures/{slug}/invitations/",
    response={201: InvitationOut, 422: ApiError},
    summary=_("Inviter une personne dans l'équipe (coordination) : le lien part par e-mail"),
)
def invite(request, slug: str, payload: InvitationIn):
    from binome.people import services
    from binome.people.forms import InvitationForm

    structure = _coordinated(request, slug)
    data = cleaned(InvitationForm(form_data(payload)))
    invitation, _url = services.invite(
        structure=structure, invited_by=request.user, request=request, **data
    )
    return Status(201, invitation)


@router.post(
    "/structures/{slug}/invitations/{public_id}/revoke",
    response=DoneOut,
    summary=_("Annuler une invitation (coordination)"),
)
def revoke_invitation(request, slug: str, public_id: str):
    from binome.people import services
    from binome.people.models import Invitation
    from binome.people.scoping import get_object_or_404_scoped

    structure = _coordinated(request, slug)
    invitation = get_object_or_404_scoped(
        Invitation.objects.pending().filter(structure=structure), public_id=public_id
    )
    services.revoke_invitation(invitation, actor=request.user, request=request)
    return {"id": invitation.public_id, "detail": _("Invitation annulée.")}


@router.post(
    "/structures/{slug}/members/{public_id}/deactivate",
    response={200: DoneOut, 422: ApiError},
    summary=_("Retirer une personne de l'équipe avec ce rôle (coordination ; l'historique reste)"),
)
def deactivate_member(request, slug: str, public_id: str):
    from binome.people import services
    from binome.people.scoping import get_object_or_404_scoped

    structure = _coordinated(request, slug)
    membership = get_object_or_404_scoped(
        Membership.objects.active().filter(structure=structure).select_related("user"),
        public_id=public_id,
    )
    services.deactivate_membership(membership, actor=request.user, request=request)
    return {
        "id": membership.public_id,
        "detail": f"{membership.user} ne fait plus partie de l'équipe avec ce rôle.",
    }
