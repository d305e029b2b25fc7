import json

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from binome.audit.services import record, save_recorded
from binome.core.pagination import Paginator
from binome.core.pdf import render_pdf
from binome.core.permissions import check_roles, require_roles
from binome.people.models import Membership, Role
from binome.people.scoping import get_object_or_404_scoped
from binome.privacy import documents as docs
from binome.privacy.forms import EraseForm, ExportForm
from binome.privacy.models import ProcessingDocument
from binome.privacy.registry import Person, person_sources, registrations, source_for
from binome.privacy.retention import policy
from binome.privacy.services import ErasureRefused, check_erasable, erase_person, export_person


def _download(data: dict, fmt: str, stem: str) -> HttpResponse:
    """The file itself; its name never carries a person's name (URLs and logs stay clean)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"{stem}-{stamp}.json"
    else:
        response = HttpResponse(
            render_pdf("privacy/export_pdf.html", {"data": data}), content_type="application/pdf"
        )
        filename = f"{stem}-{stamp}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- The person's own data ("Mes données") -------------------------------------------------


def _mine_context(request, form=None):
    return {"form": form or ExportForm(request.user), "policy": policy()}


def mine(request):
    """Any signed-in person: what Binôme keeps about them, and the export of it."""
    return render(request, "privacy/mine.html", _mine_context(request))


@require_POST
def export_mine(request):
    form = ExportForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, "privacy/mine.html", _mine_context(request, form), status=422)
    fmt = form.cleaned_data["format"]
    data = export_person(Person(user=request.user), actor=request.user, fmt=fmt, request=request)
    return _download(data, fmt, "mes-donnees-binome")


# --- A coordinator, for the members of their structure -------------------------------------


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher (nom ou adresse e-mail)"), required=False, max_length=100
    )
    source = forms.ChoiceField(label=_("Parmi"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            ("", _("Les membres de l'équipe")),
            *((s.key, s.title) for s in person_sources()),
        ]


def _search(queryset, term, prefix=""):
    model = queryset.model
    if model is Membership:
        model, prefix = Membership.user.field.related_model, "user__"
    names = [
        n
        for n in ("first_name", "last_name", "email")
        if any(f.name == n for f in model._meta.get_fields())
    ]
    condition = Q()
    for name in names:
        condition |= Q(**{f"{prefix}{name}__icontains": term})
    return queryset.filter(condition) if names else queryset.none()


def _display_name(obj):
    """A record's person: names when the model has them (not every model has a useful __str__)."""
    names = " ".join(
        filter(None, (getattr(obj, "first_name", ""), getattr(obj, "last_name", "")))
    ).strip()
    email = getattr(obj, "email", "")
    if names and email:
        return f"{names} ({email})"
    return names or email or str(obj)


def _list_row(obj, source):
    if source is None:  # a membership
        url = reverse("privacy:person", args=[obj.public_id])
        return {
            "name": str(obj.user),
            "label": obj.get_role_display(),
            "active": obj.is_active,
            "url": url,
        }
    url = reverse("privacy:record", args=[source.key, obj.public_id])
    return {"name": _display_name(obj), "label": source.title, "active": True, "url": url}


@require_roles(Role.COORDINATOR)
def people(request):
    """Members of the structure, or people without an account from an app's person source."""
    filters = PeopleFilterForm(request.GET or None)
    source = None
    term = ""
    if filters.is_valid():
        source = (
            source_for(filters.cleaned_data["source"]) if filters.cleaned_data["source"] else None
        )
        term = filters.cleaned_data["q"].strip()
    if source is None:
        queryset = Membership.objects.filter(structure=request.structure).select_related("user")
        queryset = queryset.order_by("user__last_name", "user__first_name", "role", "id")
    else:
        with scopes_disabled():
            queryset = source.queryset(request.structure).order_by("-pk")
    if term:
        queryset = _search(queryset, term)
    with scopes_disabled():
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        rows = [_list_row(obj, source) for obj in page.object_list]
    record("privacy.people_read", request=request)
    return render(
        request,
        "privacy/people.html",
        {"page": page, "rows": rows, "filters": filters, "source": source},
        status=400 if filters.errors else 200,
    )


def _membership(request, public_id):
    membership = get_object_or_404_scoped(
        Membership.objects.filter(structure=request.structure).select_related("user"),
        public_id=public_id,
    )
    check_roles(request, Role.COORDINATOR)
    return membership


def _record(request, source_key, public_id):
    source = source_for(source_key)
    if source is None or request.structure is None:
        raise Http404
    with scopes_disabled():
        obj = get_object_or_404_scoped(source.queryset(request.structure), public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    return source, obj


def _counts(person, structure):
    """How many rows each registered model holds about the person here (one query per model)."""
    rows = []
    with scopes_disabled():
        for registration in registrations():
            if registration.owner_only:
                continue
            queryset = registration.subject(person)
            if queryset is None:
                continue
            if registration.structure_path:
                queryset = queryset.filter(**{registration.structure_path: structure})
            rows.append(
                {
                    "title": registration.title,
                    "count": queryset.count(),
                    "erase": registration.erase,
                }
            )
    # Only what the structure actually holds about the person.
    return [row for row in rows if row["count"]]


class Subject:
    """What the person page needs, for a member or for a record from a person source."""

    def __init__(self, request, *, membership=None, source=None, obj=None):
        self.membership = membership
        if membership is not None:
            self.person = Person(user=membership.user)
            self.name = str(membership.user)
            self.label = membership.get_role_display() + (
                "" if membership.is_active else " — " + _("retirée de l'équipe")
            )
            self.target = membership
            args = [membership.public_id]
            self.export_url = reverse("privacy:person_export", args=args)
            self.erase_url = reverse("privacy:person_erase", args=args)
        else:
            self.person = source.to_person(obj)
            self.name = _display_name(obj)
            self.label = source.title
            self.target = obj
            args = [source.key, obj.public_id]
            self.export_url = reverse("privacy:record_export", args=args)
            self.erase_url = reverse("privacy:record_erase", args=args)


def _person_context(request, subject, export_form=None, erase_form=None):
    refusal = None
    try:
        check_erasable(subject.person, actor=request.user, structure=request.structure)
    except ErasureRefused as exc:
        refusal = str(exc)
    return {
        "subject": subject,
        "counts": _counts(subject.person, request.structure),
        "export_form": export_form or ExportForm(request.user, prefix="export"),
        "erase_form": erase_form or EraseForm(request.user, prefix="erase"),
        "refusal": refusal,
    }


def _show(request, subject):
    record(
        "privacy.people_read", request=request, target=subject.target, subject=subject.person.user
    )
    return render(request, "privacy/person.html", _person_context(request, subject))


def _export(request, subject, stem):
    form = ExportForm(request.user, request.POST, prefix="export")
    if not form.is_valid():
        return render(
            request,
            "privacy/person.html",
            _person_context(request, subject, export_form=form),
            status=422,
        )
    fmt = form.cleaned_data["format"]
    data = export_person(
        subject.person, actor=request.user, fmt=fmt, structure=request.structure, request=request
    )
    return _download(data, fmt, stem)


def _erase(request, subject):
    form = EraseForm(request.user, request.POST, prefix="erase")
    if form.is_valid():
        try:
            check_erasable(subject.person, actor=request.user, structure=request.structure)
        except ErasureRefused as exc:
            form.add_error(None, str(exc))
    if not form.is_valid():
        return render(
            request,
            "privacy/person.html",
            _person_context(request, subject, erase_form=form),
            status=422,
        )
    erase_person(
        subject.person,
        actor=request.user,
        structure=request.structure,
        request=request,
        limit_to_structure=True,
    )
    messages.success(request, _("Les données de la personne sont effacées ou anonymisées."))
    return redirect("privacy:people")


def person(request, public_id):
    return _show(request, Subject(request, membership=_membership(request, public_id)))


@require_POST
def person_export(request, public_id):
    membership = _membership(request, public_id)
    return _export(
        request, Subject(request, membership=membership), f"donnees-{membership.user.public_id}"
    )


@require_POST
def person_erase(request, public_id):
    return _erase(request, Subject(request, membership=_membership(request, public_id)))


def record_detail(request, source, public_id):
    source, obj = _record(request, source, public_id)
    return _show(request, Subject(request, source=source, obj=obj))


@require_POST
def record_export(request, source, public_id):
    source, obj = _record(request, source, public_id)
    return _export(request, Subject(request, source=source, obj=obj), f"donnees-{obj.public_id}")


@require_POST
def record_erase(request, source, public_id):
    source, obj = _record(request, source, public_id)
    return _erase(request, Subject(request, source=source, obj=obj))


@require_roles(Role.COORDINATOR)
def retention(request):
    return render(request, "privacy/retention.html", {"policy": policy()})


# --- Processing register and DPIA ----------------------------------------------------------


def _kind(kind):
    if kind not in ProcessingDocument.Kind.values:
        raise Http404
    return kind


class DocumentForm(forms.Form):
    def __init__(self, sections, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[section["key"]] = forms.CharField(
                label=section["title"],
                initial=section["body"],
                required=False,
                max_length=20000,
                widget=forms.Textarea(
                    attrs={"rows": max(3, min(14, section["body"].count("\n") + 3))}
                ),
            )


@require_roles(Role.COORDINATOR)
def document(request, kind):
    kind = _kind(kind)
    doc = docs.document_for(request.structure, kind)
    if request.method == "POST" and request.POST.get("action") == "reset":
        sections = docs.proposed(request.structure, kind)
        form = DocumentForm(sections)
        messages.info(request, _("Le texte proposé est rétabli ; enregistrez pour le garder."))
        return render(request, "privacy/document.html", {"doc": doc, "form": form})
    form = DocumentForm(doc.sections, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            doc.sections = [
                {**section, "body": form.cleaned_data[section["key"]].strip()}
                for section in doc.sections
            ]
            doc.updated_by = request.user
            save_recorded(doc, "privacy.document_updated", request=request, document=kind)
            messages.success(request, _("Le document est enregistré."))
            return redirect(f"privacy:{kind}")
        return render(request, "privacy/document.html", {"doc": doc, "form": form}, status=422)
    return render(request, "privacy/document.html", {"doc": doc, "form": form})


@require_roles(Role.COORDINATOR)
def document_pdf(request, kind):
    kind = _kind(kind)
    doc = docs.document_for(request.structure, kind)
    with transaction.atomic():
        pdf = render_pdf(
            "privacy/document_pdf.html",
            {"doc": doc, "structure": request.structure, "now": timezone.now()},
        )
        record("privacy.document_exported", request=request, document=kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{request.structure.slug}.pdf"'
    return response
