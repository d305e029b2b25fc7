"""The import's API twin: the same file, preview and decision as the page (coordination only)."""

import datetime as dt
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from binome.api.base import ApiError
from binome.api.core import Pagination, roles_in, structure_for
from binome.imports import services
from binome.imports.forms import UploadForm
from binome.imports.models import ImportBatch
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

router = Router(tags=["Import de tableurs"])


class LineOut(Schema):
    line: int
    result: str
    label: str
    messages: list[str]
    target: str = ""


class BatchOut(Schema):
    id: UUID
    structure: str
    kind: str
    status: str
    file_name: str
    n_rows: int
    n_valid: int
    n_already: int
    n_errors: int
    n_created: int
    ignored_columns: list[str]
    created_at: dt.datetime
    lines: list[LineOut]

    @staticmethod
    def resolve_id(obj):
        return obj.public_id

    @staticmethod
    def resolve_structure(obj):
        return obj.structure.slug

    @staticmethod
    def resolve_lines(obj):
        return obj.outcome


class ImportDecisionIn(Schema):
    decision: Literal["import", "nothing"]


def _coordinated(request, structure):
    if Role.COORDINATOR not in roles_in(request, structure):
        raise PermissionDenied
    return structure


def _batch(request, public_id):
    batch = get_object_or_404_scoped(
        ImportBatch.objects.select_related("structure"), public_id=public_id
    )
    _coordinated(request, batch.structure)
    return batch


@router.get(
    "/",
    response=list[BatchOut],
    summary=_("Les imports de tableurs des structures que l'on coordonne"),
)
@paginate(Pagination)
def batches(request):
    ids = [m.structure_id for m in request.binome.memberships if m.role == Role.COORDINATOR]
    return (
        ImportBatch.objects.filter(structure_id__in=ids).select_related("structure").defer("rows")
    )


@router.post(
    "/",
    response={201: BatchOut, 422: ApiError},
    summary=_(
        "Déposer un tableur (XLSX ou CSV) : l'aperçu de chaque ligne, rien n'est encore écrit"
    ),
)
def upload(
    request, structure: Form[str] = "", kind: Form[str] = "", file: File[UploadedFile] = None
):
    # Optional here so that access is checked first; the page's form then says what is missing.
    from binome.api.core import cleaned

    place = _coordinated(request, structure_for(request, structure))
    data = cleaned(UploadForm({"kind": kind}, {"file": file} if file else {}))
    batch = services.open_batch(
        structure=place,
        kind=data["kind"],
        name=data["file"].name,
        content=data["file"].read(),
        actor=request.user,
        request=request,
    )
    return Status(201, batch)


@router.get("/{public_id}", response=BatchOut, summary=_("L'aperçu ou le compte rendu d'un import"))
def batch(request, public_id: str):
    return _batch(request, public_id)


@router.post(
    "/{public_id}/decision",
    response={200: BatchOut, 422: ApiError},
    summary=_("Importer les lignes valides (« import ») ou rien (« nothing »)"),
)
def decide(request, public_id: str, payload: ImportDecisionIn):
    batch = _batch(request, public_id)
    services.decide(
        batch, import_valid=payload.decision == "import", actor=request.user, request=request
    )
    return _batch(request, public_id)
