"""Pages of tandems and practice-analysis groups (care team of the current structure)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accompaniment.services import ConsentRequired
from binome.audit.services import record
from binome.core.forms import form_status
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, has_role, require_roles
from binome.core.roles import CARE_TEAM
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped
from binome.tandems import forms, services
from binome.tandems.access import report_fields, tandem_reports, tandem_roles, visible_tandems
from binome.tandems.models import PracticeGroupSession, Tandem, TandemReport


def _form_page(request, form, title, *, intro="", back=None):
    context = {
        "form": form,
        "title": title,
        "accompaniment": None,
        "intro": intro,
        "submit": _("Enregistrer"),
        "back": back,
    }
    return render(request, "accompaniment/form.html", context, status=form_status(form))


def _visible_tandems(request):
    return Tandem.objects.filter(
        visible_tandems(request.user, request.binome.roles, request.structure)
    )


@require_roles(*CARE_TEAM)
def tandem_list(request):
    qs = (
        _visible_tandems(request)
        .select_related("doctor__user", "partner")
        .annotate(
            n_reports=Count("reports", distinct=True),
            n_unread=Count(
                "reports", filter=Q(reports__acknowledged_at__isnull=True), distinct=True
            ),
        )
    )
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    can_create = has_role(request, Role.COORDINATOR) or (
        request.binome.membership(Role.PROFESSIONAL) is not None
        and request.binome.membership(Role.PROFESSIONAL).is_doctor
    )
    return render(request, "tandems/list.html", {"page": page, "can_create": can_create})


@require_roles(Role.COORDINATOR, Role.PROFESSIONAL)
def tandem_create(request):
    professional = request.binome.membership(Role.PROFESSIONAL)
    if not has_role(request, Role.COORDINATOR) and not (professional and professional.is_doctor):
        raise PermissionDenied
    form = forms.TandemForm(request.POST or None, structure=request.structure)
    if request.method == "POST" and form.is_valid():
        try:
            tandem = services.create_tandem(
                structure=request.structure, user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le tandem est créé."))
            return redirect("tandems:detail", public_id=tandem.public_id)
    return _form_page(
        request,
        form,
        _("Nouveau tandem médecin – patient partenaire"),
        back="tandems:list",
        intro=_(
            "Un tandem s'accorde sur un périmètre d'action, révisable, et sur sa façon de communiquer."
        ),
    )


def _tandem(request, public_id):
    tandem = get_object_or_404_scoped(
        Tandem.objects.select_related("doctor__user", "partner__membership", "structure"),
        public_id=public_id,
    )
    check_roles(request, *CARE_TEAM)
    is_doctor, is_partner = tandem_roles(request.user, request.binome.roles, tandem)
    if not (is_doctor or is_partner or has_role(request, Role.COORDINATOR)):
        raise Http404
    return tandem, is_doctor, is_partner


def tandem_detail(request, public_id):
    tandem, is_doctor, is_partner = _tandem(request, public_id)
    context = {
        "tandem": tandem,
        "is_doctor": is_doctor,
        "is_partner": is_partner,
        "scopes": tandem.scopes.select_related("created_by")[:10],
        "counts": tandem.reports.aggregate(
            n=Count("id"), unread=Count("id", filter=Q(acknowledged_at__isnull=True))
        ),
    }
    if is_doctor or is_partner:
        context["reports"] = [
            report_fields(r, is_doctor=is_doctor, is_partner=is_partner)
            for r in tandem_reports(tandem)[:30]
        ]
        context["reply_form"] = forms.ReplyForm()
        record("accompaniment.tandem_viewed", request=request, target=tandem)
    return render(request, "tandems/detail.html", context)


def tandem_scope(request, public_id):
    tandem, _d, _p = _tandem(request, public_id)
    last = tandem.scopes.first()
    form = forms.ScopeForm(request.POST or None, initial={"text": last.text if last else ""})
    if request.method == "POST" and form.is_valid():
        services.save_scope(
            tandem, text=form.cleaned_data["text"], user=request.user, request=request
        )
        messages.success(
            request,
            _("Le périmètre d'action est révisé ; les versions précédentes restent consultables."),
        )
        return redirect("tandems:detail", public_id=tandem.public_id)
    return _form_page(request, form, _("Réviser le périmètre d'action"), back="tandems:list")


def tandem_report(request, public_id):
    tandem, _d, is_partner = _tandem(request, public_id)
    if not is_partner:
        raise PermissionDenied
    form = forms.TandemReportForm(request.POST or None, tandem=tandem)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_report(tandem, user=request.user, data=form.cleaned_data, request=request)
        except ConsentRequired as refusal:
            form.add_error("accompaniment", refusal)
        else:
            messages.success(request, _("Le compte rendu est envoyé au médecin."))
            return redirect("tandems:detail", public_id=tandem.public_id)
    return _form_page(
        request,
        form,
        _("Compte rendu au médecin"),
        back="tandems:list",
        intro=_(
            "Court et structuré : le médecin le lit entre deux consultations. Seulement ce que le patient accepte de partager."
        ),
    )


@require_POST
def acknowledge_report(request, public_id):
    found = get_object_or_404_scoped(
        TandemReport.objects.select_related("tandem"), public_id=public_id
    )
    tandem, is_doctor, _p = _tandem(request, found.tandem.public_id)
    if not is_doctor:
        raise PermissionDenied
    report = tandem_reports(tandem).get(pk=found.pk)
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La réponse est trop longue."))
    else:
        report.tandem = tandem
        services.acknowledge_report(
            report, user=request.user, reply=form.cleaned_data["reply"], request=request
        )
        messages.success(
            request, _("Le patient partenaire voit que vous avez lu son compte rendu.")
        )
    return redirect("tandems:detail", public_id=tandem.public_id)


# Practice-analysis groups ---------------------------------------------------------------------------


@require_roles(*CARE_TEAM)
def practice_sessions(request):
    qs = PracticeGroupSession.objects.filter(structure=request.structure).annotate(
        n_participants=Count("participants")
    )
    page = Paginator(qs.order_by("-date", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "tandems/practice.html", {"page": page})


@require_roles(*CARE_TEAM)
def practice_session_create(request):
    form = forms.PracticeSessionForm(
        request.POST or None, structure=request.structure, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.structure, obj.created_by = request.structure, request.user
        services.save(
            obj,
            "accompaniment.practice_session_added",
            request=request,
            structure=request.structure,
        )
        form.save_m2m()
        messages.success(request, _("La séance est notée."))
        return redirect("tandems:practice")
    return _form_page(
        request,
        form,
        _("Nouvelle séance de groupe"),
        back="tandems:practice",
        intro=_(
            "Groupe d'analyse de pratiques ou cercle de parole. Les situations sont anonymisées : ni nom, ni détail identifiant."
        ),
    )
