"""Pages of the import: the coordination only; another structure's import is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.audit.services import record
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, require_roles
from binome.imports import services
from binome.imports.forms import DecisionForm, UploadForm
from binome.imports.kinds import KINDS
from binome.imports.models import ImportBatch
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _start_page(request, form, status=200):
    batches = (
        ImportBatch.objects.filter(structure=request.structure)
        .select_related("created_by")
        .defer("rows", "outcome", "headers")
    )
    page = Paginator(batches, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/start.html",
        {"form": form, "kinds": KINDS.values(), "page": page},
        status=status,
    )


@require_roles(Role.COORDINATOR)
def start(request):
    if request.method != "POST":
        return _start_page(
            request, UploadForm(initial={"kind": request.GET.get("kind", "partenaires")})
        )
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.open_batch(
                structure=request.structure,
                kind=form.cleaned_data["kind"],
                name=upload.name,
                content=upload.read(),
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("imports:batch", public_id=batch.public_id)
    return _start_page(request, form, status=422)


@require_roles(Role.COORDINATOR)
def template(request):
    kind = request.GET.get("contenu", "partenaires")
    if kind not in KINDS:
        raise Http404
    response = HttpResponse(services.template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="modele-{kind}.xlsx"'
    return response


def survey_template(request, public_id):
    """The file to type one survey's paper questionnaires in (its questions as columns)."""
    from binome.voice.models import Survey

    survey = get_object_or_404_scoped(Survey.objects.all(), public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    response = HttpResponse(services.survey_template(survey), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="questionnaires-papier.xlsx"'
    return response


def _batch(request, public_id):
    batch = get_object_or_404_scoped(ImportBatch.objects.all(), public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    return batch


def batch(request, public_id):
    batch = _batch(request, public_id)
    show = request.GET.get("voir", "")
    outcome = [o for o in batch.outcome if not show or o["result"] == show]
    page = Paginator(outcome, 100).get_page(request.GET.get("page"))
    rows = dict((line, values) for line, values in batch.rows)
    kind = batch.kind_def
    shown = [c for c in kind.columns[:4]]
    lines = [
        {**o, "cells": [rows.get(o["line"], {}).get(c.key, "") for c in shown]}
        for o in page.object_list
    ]
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "kind": kind,
            "page": page,
            "lines": lines,
            "shown": shown,
            "show": show,
            "decision_form": DecisionForm(),
        },
    )


@require_POST
def decide(request, public_id):
    batch = _batch(request, public_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez d'importer les lignes valides ou rien."))
        return redirect("imports:batch", public_id=batch.public_id)
    try:
        services.decide(
            batch,
            import_valid=form.cleaned_data["decision"] == "import",
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:batch", public_id=batch.public_id)
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.IMPORTED:
        messages.success(
            request,
            _("Import terminé : %(n)s ligne(s) enregistrée(s), %(e)s non importée(s).")
            % {"n": batch.n_created, "e": batch.n_errors},
        )
    else:
        messages.info(
            request, _("Rien n'a été importé. Corrigez le fichier et déposez-le à nouveau.")
        )
    return redirect("imports:batch", public_id=batch.public_id)


def report(request, public_id):
    batch = _batch(request, public_id)
    record("imports.report_downloaded", request=request, target=batch)
    response = HttpResponse(services.report_workbook(batch), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="compte-rendu-import-{batch.created_at:%Y%m%d-%H%M}.xlsx"'
    )
    return response
