from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from binome.audit.services import record, save_recorded
from binome.core import dates
from binome.core.forms import form_status
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, has_role, require_roles
from binome.core.public_forms import public_form
from binome.core.qr import qr_svg_data_uri
from binome.core.roles import STAFF, TEAM
from binome.core.rows import render_rows
from binome.involvement import services
from binome.involvement.aci import annual_report, evidence_checklist
from binome.involvement.continuum import positions
from binome.involvement.forms import (
    ActionForm,
    EvidenceForm,
    FeedbackForm,
    ProgrammeForm,
    WorkshopForm,
    kind_help,
)
from binome.involvement.models import (
    AciParameters,
    ActionKind,
    Evidence,
    InvolvementAction,
    Level,
    Programme,
    Workshop,
    WorkshopFeedback,
)
from binome.involvement.reports import report_pdf, report_xlsx
from binome.people import continuum as team_continuum
from binome.people.models import Agreement, Role
from binome.people.scoping import get_object_or_404_scoped, scopes_disabled, structure_scope


def _actions(request):
    return InvolvementAction.objects.filter(structure=request.structure)


@require_roles(*TEAM)
def register(request):
    # A correlated count per row of the page: the COUNT of the paginator needs no GROUP BY.
    evidence = (
        Evidence.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        _actions(request)
        .only(
            "public_id",
            "title",
            "kind",
            "level",
            "aci_level",
            "start_date",
            "end_date",
            "users_count",
        )
        .annotate(evidence_count=Coalesce(Subquery(evidence), 0))
        .order_by("-start_date", "-id")
    )
    kind = request.GET.get("kind", "")
    if kind in ActionKind.values:
        queryset = queryset.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4:
        queryset = queryset.of_year(int(year))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    for action in page.object_list:
        action.aci_label = _("ACI niveau %(n)s") % {"n": action.aci_level}
        action.summary = _register_line(action)
    kinds = _kinds_done(request)
    return render(
        request,
        "involvement/register.html",
        {
            "page": page,
            "rows_html": render_rows(
                "involvement/rows/register.html", request, actions=page.object_list
            ),
            "kinds": ActionKind.choices,
            "kind": kind,
            "year": year,
            "can_edit": has_role(request, *STAFF),
            "step": team_continuum.next_step(
                team_continuum.position_of(request.structure).level, kinds
            ),
        },
    )


def _register_line(action):
    """The line under each action of the register, written here rather than with four
    translation tags per row (fifty rows a page)."""
    text = _("depuis le %(start)s") % {"start": dates.date_format(action.start_date, "j F Y")}
    if action.end_date:
        text += " " + _("jusqu'au %(end)s") % {"end": dates.date_format(action.end_date, "j F Y")}
    if action.users_count:
        text += " · " + ngettext("%(n)s usager", "%(n)s usagers", action.users_count) % {
            "n": action.users_count
        }
    n = action.evidence_count
    return (
        text
        + " · "
        + ngettext("%(n)s pièce justificative", "%(n)s pièces justificatives", n) % {"n": n}
    )


def _action_form_context(form):
    return {"form": form, "kind_defaults": kind_help()}


@require_roles(*STAFF)
def action_create(request):
    form = ActionForm(
        request.POST or None,
        initial={"start_date": timezone.localdate(), "kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        action = form.instance
        action.structure = request.structure
        action.created_by = request.user
        services.save_action(action, request=request, created=True)
        messages.success(request, _("L'action est ajoutée au registre."))
        return redirect("involvement:action_detail", public_id=action.public_id)
    return render(
        request,
        "involvement/action_form.html",
        _action_form_context(form),
        status=form_status(form),
    )


def action_detail(request, public_id):
    action = get_object_or_404_scoped(
        _actions(request).prefetch_related("evidence"), public_id=public_id
    )
    check_roles(request, *TEAM)
    agreement = request.structure.agreement or Agreement.ACI_MSP
    rules = AciParameters.for_date(action.end_date or action.start_date, agreement)
    return render(
        request,
        "involvement/action_detail.html",
        {
            "action": action,
            "checklist": evidence_checklist(action, rules),
            "can_edit": has_role(request, *STAFF),
            "evidence_form": EvidenceForm(),
        },
    )


def action_edit(request, public_id):
    action = get_object_or_404_scoped(_actions(request), public_id=public_id)
    check_roles(request, *STAFF)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        services.save_action(form.instance, request=request)
        messages.success(request, _("L'action est enregistrée."))
        return redirect("involvement:action_detail", public_id=action.public_id)
    return render(
        request,
        "involvement/action_form.html",
        {**_action_form_context(form), "action": action},
        status=form_status(form),
    )


@require_POST
def action_delete(request, public_id):
    action = get_object_or_404_scoped(_actions(request), public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    services.delete_action(action, request=request)
    messages.success(request, _("L'action est retirée du registre."))
    return redirect("involvement:register")


@require_POST
def evidence_upload(request, public_id):
    action = get_object_or_404_scoped(
        _actions(request).prefetch_related("evidence"), public_id=public_id
    )
    check_roles(request, *STAFF)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_evidence(
            action, form.cleaned_data["file"], kind=form.cleaned_data["kind"], request=request
        )
        messages.success(request, _("La pièce justificative est ajoutée."))
        return redirect("involvement:action_detail", public_id=action.public_id)
    return render(
        request,
        "involvement/action_detail.html",
        {"action": action, "can_edit": True, "evidence_form": form},
        status=422,
    )


def evidence_download(request, public_id):
    evidence = get_object_or_404_scoped(
        Evidence.objects.select_related("action__structure"), public_id=public_id
    )
    check_roles(request, *TEAM)
    record("involvement.evidence_read", request=request, target=evidence)
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=False,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


@require_POST
def evidence_delete(request, public_id):
    evidence = get_object_or_404_scoped(
        Evidence.objects.select_related("action__structure"), public_id=public_id
    )
    check_roles(request, *STAFF)
    action = evidence.action
    services.delete_evidence(evidence, request=request)
    messages.success(request, _("La pièce justificative est supprimée."))
    return redirect("involvement:action_detail", public_id=action.public_id)


def _kinds_done(request):
    """The kinds of action the structure recorded (no ordering: DISTINCT on the kind only)."""
    return list(_actions(request).order_by().values_list("kind", flat=True).distinct())


@require_roles(*TEAM)
def continuum(request):
    years = positions(request.structure)
    kinds = _kinds_done(request)
    position = team_continuum.position_of(request.structure)
    ladder = [
        {
            "kind": k,
            "title": t,
            "why": w,
            "done": k in kinds,
            "stage": team_continuum.LEVEL_LABELS[lv],
        }
        for lv, k, t, w in team_continuum.LADDER
    ]
    return render(
        request,
        "involvement/continuum.html",
        {
            "years": years,
            "levels": Level.choices,
            "position": position,
            "step": team_continuum.next_step(position.level, kinds),
            "ladder": ladder,
        },
    )


def _report_year(request) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 2015 <= int(value) <= 2100:
        return int(value)
    return timezone.localdate().year


@require_roles(*STAFF)
def aci_report(request):
    year = _report_year(request)
    report = annual_report(request.structure, year)
    this_year = timezone.localdate().year
    return render(
        request,
        "involvement/aci_report.html",
        {
            "report": report,
            "rows_html": render_rows(
                "involvement/rows/aci_actions.html", request, actions=report.actions
            ),
            "years": list(range(this_year, this_year - 6, -1)),
        },
    )


@require_roles(*STAFF)
def aci_report_pdf(request):
    report = annual_report(request.structure, _report_year(request))
    record("involvement.aci_report_exported", request=request, year=report.year, format="pdf")
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="aci-implication-usagers-{request.structure.slug}-{report.year}.pdf"'
    )
    return response


@require_roles(*STAFF)
def aci_report_xlsx(request):
    report = annual_report(request.structure, _report_year(request))
    record("involvement.aci_report_exported", request=request, year=report.year, format="xlsx")
    response = HttpResponse(
        report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="aci-implication-usagers-{request.structure.slug}-{report.year}.xlsx"'
    )
    return response


# Programmes and workshops -------------------------------------------------------------


def _programmes(request):
    return Programme.objects.filter(structure=request.structure)


@require_roles(*TEAM)
def programme_list(request):
    programmes = (
        _programmes(request)
        .annotate(
            workshop_count=Count("workshops", distinct=True),
        )
        .order_by("-is_active", "title")
    )
    page = Paginator(programmes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "involvement/programme_list.html",
        {"page": page, "can_edit": has_role(request, *STAFF)},
    )


@require_roles(*STAFF)
def programme_create(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = form.save(commit=False)
        programme.structure = request.structure
        save_recorded(programme, "involvement.programme_created", request=request)
        messages.success(request, _("Le programme est créé. Ajoutez maintenant ses ateliers."))
        return redirect("involvement:programme_detail", public_id=programme.public_id)
    return render(
        request, "involvement/programme_form.html", {"form": form}, status=form_status(form)
    )


def _workshops(request):
    return Workshop.objects.filter(structure=request.structure)


def programme_detail(request, public_id):
    programme = get_object_or_404_scoped(_programmes(request), public_id=public_id)
    check_roles(request, *TEAM)
    can_edit = has_role(request, *STAFF)
    workshops = (
        _workshops(request)
        .filter(programme=programme)
        .select_related("professional__user", "partner__user")
        .annotate(feedback_count=Count("feedback"), useful_avg=Avg("feedback__useful"))
        .order_by("-starts_at", "-id")
    )
    page = Paginator(workshops, 50).get_page(request.GET.get("page"))
    coordinator = has_role(request, Role.COORDINATOR)
    form = (
        WorkshopForm(request.POST or None, structure=request.structure, can_override=coordinator)
        if can_edit
        else None
    )
    if request.method == "POST":
        check_roles(request, *STAFF)
        if form.is_valid():
            workshop = form.save(commit=False)
            workshop.programme = programme
            workshop.structure = request.structure
            try:
                services.save_workshop(
                    workshop, request=request, created=True, may_override=coordinator
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)  # a dict of field errors lands on the fields
            else:
                messages.success(request, _("L'atelier est ajouté."))
                return redirect("involvement:workshop_detail", public_id=workshop.public_id)
    totals = (
        _workshops(request)
        .filter(programme=programme)
        .aggregate(
            sessions=Count("id"), feedback_total=Count("feedback"), useful=Avg("feedback__useful")
        )
    )
    return render(
        request,
        "involvement/programme_detail.html",
        {
            "programme": programme,
            "page": page,
            "form": form,
            "can_edit": can_edit,
            "totals": totals,
        },
        status=form_status(form),
    )


def programme_edit(request, public_id):
    programme = get_object_or_404_scoped(_programmes(request), public_id=public_id)
    check_roles(request, *STAFF)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        save_recorded(form=form, kind="involvement.programme_changed", request=request)
        messages.success(request, _("Le programme est enregistré."))
        return redirect("involvement:programme_detail", public_id=programme.public_id)
    return render(
        request,
        "involvement/programme_form.html",
        {"form": form, "programme": programme},
        status=form_status(form),
    )


def _feedback_summary(workshop):
    agg = WorkshopFeedback.objects.filter(workshop=workshop).aggregate(
        n=Count("id"), useful=Avg("useful"), understood=Avg("understood"), freer=Avg("freer")
    )
    comments = list(
        WorkshopFeedback.objects.filter(workshop=workshop)
        .exclude(comment="")
        .values_list("comment", flat=True)[:20]
    )
    return agg, comments


def workshop_detail(request, public_id):
    workshop = get_object_or_404_scoped(
        _workshops(request).select_related("programme", "professional__user", "partner__user"),
        public_id=public_id,
    )
    check_roles(request, *TEAM)
    can_edit = has_role(request, *STAFF)
    agg, comments = _feedback_summary(workshop)
    public_url = request.build_absolute_uri(
        reverse("involvement_public:feedback", kwargs={"token": workshop.feedback_token})
    )
    return render(
        request,
        "involvement/workshop_detail.html",
        {
            "workshop": workshop,
            "agg": agg,
            "comments": comments,
            "can_edit": can_edit,
            "public_url": public_url,
            "qr": qr_svg_data_uri(public_url),
            "paper_form": FeedbackForm() if can_edit else None,
        },
    )


def workshop_edit(request, public_id):
    workshop = get_object_or_404_scoped(
        _workshops(request).select_related("programme"), public_id=public_id
    )
    check_roles(request, *STAFF)
    coordinator = has_role(request, Role.COORDINATOR)
    form = WorkshopForm(
        request.POST or None,
        instance=workshop,
        structure=request.structure,
        can_override=coordinator,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_workshop(
                form.save(commit=False), request=request, may_override=coordinator
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("L'atelier est enregistré."))
            return redirect("involvement:workshop_detail", public_id=workshop.public_id)
    return render(
        request,
        "involvement/workshop_form.html",
        {"form": form, "workshop": workshop},
        status=form_status(form),
    )


@require_POST
def workshop_paper_feedback(request, public_id):
    """The secretariat types in a paper questionnaire."""
    workshop = get_object_or_404_scoped(
        _workshops(request).select_related("programme", "professional__user", "partner__user"),
        public_id=public_id,
    )
    check_roles(request, *STAFF)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.submit_feedback(
            workshop,
            submission_token=form.cleaned_data["submission_token"],
            channel="paper",
            request=request,
            **{k: form.cleaned_data[k] for k in ("useful", "understood", "freer", "comment")},
        )
        messages.success(request, _("Le questionnaire papier est enregistré."))
        return redirect("involvement:workshop_detail", public_id=workshop.public_id)
    agg, comments = _feedback_summary(workshop)
    public_url = request.build_absolute_uri(
        reverse("involvement_public:feedback", kwargs={"token": workshop.feedback_token})
    )
    return render(
        request,
        "involvement/workshop_detail.html",
        {
            "workshop": workshop,
            "agg": agg,
            "comments": comments,
            "can_edit": True,
            "public_url": public_url,
            "qr": qr_svg_data_uri(public_url),
            "paper_form": form,
        },
        status=422,
    )


@login_not_required
@public_form
def public_feedback(request, token):
    with scopes_disabled():
        workshop = (
            Workshop.objects.select_related("programme", "structure", "partner__user")
            .filter(feedback_token=token)
            .first()
        )
    if workshop is None:
        from django.http import Http404

        raise Http404
    with structure_scope(workshop.structure):
        if request.method == "POST":
            form = FeedbackForm(request.POST)
            if form.is_bot():
                return render(
                    request, "involvement/public_feedback_thanks.html", {"workshop": workshop}
                )
            if form.is_valid():
                services.submit_feedback(
                    workshop,
                    submission_token=form.cleaned_data["submission_token"],
                    **{
                        k: form.cleaned_data[k]
                        for k in ("useful", "understood", "freer", "comment")
                    },
                )
                return render(
                    request, "involvement/public_feedback_thanks.html", {"workshop": workshop}
                )
            return render(
                request,
                "involvement/public_feedback.html",
                {"workshop": workshop, "form": form},
                status=422,
            )
        return render(
            request,
            "involvement/public_feedback.html",
            {"workshop": workshop, "form": FeedbackForm()},
        )
