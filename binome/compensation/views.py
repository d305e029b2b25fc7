import mimetypes
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.audit.services import record, save_recorded
from binome.compensation import amounts, documents, services
from binome.compensation.forms import (
    ExpenseForm,
    ExpenseRatesForm,
    FundingSourceForm,
    MissionBudgetForm,
    ReviewForm,
    StatementForm,
    TimeEntryForm,
    sniff_type,
)
from binome.compensation.models import (
    Expense,
    FundingSource,
    MissionBudget,
    Statement,
    Status,
    TimeEntry,
)
from binome.core import kept_sql
from binome.core.forms import form_status
from binome.core.kept_sql import KeptList
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, has_role, require_roles
from binome.core.roles import PARTNER_WORK
from binome.core.rows import render_rows
from binome.people.models import Role, choice_label
from binome.people.scoping import get_object_or_404_scoped


def _form_errors_message(exc):
    return exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}


def _apply_errors(form, exc):
    for field, msgs in _form_errors_message(exc).items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)


def _partner(request):
    return services.partner_for(request.user, request.structure)


class Window:
    """One page of a list without COUNT(*): one row more than the page says whether there is a next one."""

    def __init__(self, queryset, number, size):
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * size
        rows = list(queryset[start : start + size + 1])
        self.object_list = rows[:size]
        self.number = number
        self.has_next = len(rows) > size
        self.has_previous = number > 1
        self.has_other_pages = self.has_next or self.has_previous
        self.next_page_number = number + 1
        self.previous_page_number = number - 1


def _paid_warning(missions):
    """Missions from ``services.missions_with_mode``: warn about benefits when one is paid."""
    return _paid_mode([m.policy_mode for m in missions])


def _paid_mode(modes):
    return any(mode in amounts.PAID_MODES for mode in modes)


# --- The partner's own time and expenses; the coordinator's view of all -----------------


@require_roles(*PARTNER_WORK)
def entries(request):
    is_coordinator = has_role(request, Role.COORDINATOR)
    partner = _partner(request) if has_role(request, Role.PARTNER) else None
    roles = tuple(sorted(request.binome.roles))
    status = request.GET.get("etat")
    if status not in Status.values:
        status = ""
    partners = list(_partners_of(request.structure)) if is_coordinator else []
    chosen = request.GET.get("partenaire", "")
    match = next((p for p in partners if str(p.public_id) == chosen), None) if chosen else None
    # Only the columns the rows show, read as dictionaries: an entry, its mission and its
    # partner built for each of sixty rows cost more than the queries. Their SQL is kept
    # for the person, her roles, the structure and the filters (binome.core.kept_sql).
    shown = (
        "public_id",
        "date",
        "status",
        "amount",
        "review_comment",
        "partner__first_name",
        "partner__last_name",
        "mission__title",
    )
    key = (request.user.pk, roles, request.structure.pk, status, chosen, getattr(match, "pk", None))

    def listed(model, *columns):
        def build():
            qs = model.objects.visible_to(request.user.pk, roles, request.structure.pk)
            if status:
                qs = qs.filter(status=status)
            if is_coordinator and chosen:
                qs = qs.filter(partner_id=match.pk) if match else qs.none()
            return qs.order_by("-date", "-id").values(*shown, *columns)

        name = f"compensation.entries.{model._meta.model_name}"
        return KeptList(name, key, build, as_dicts=True)

    times = listed(TimeEntry, "duration_minutes", "activity", "policy_mode")
    expenses = listed(Expense, "kind", "kilometres", "receipt")
    time_page = Window(times, request.GET.get("page_temps"), 30)
    expense_page = Window(expenses, request.GET.get("page_frais"), 30)
    for row in time_page.object_list:
        row["hours"] = TimeEntry.hours_text(row["duration_minutes"])
        row["activity_label"] = choice_label(TimeEntry.Activity, row["activity"])
        row["status_label"] = choice_label(Status, row["status"])
    for row in expense_page.object_list:
        row["kind_label"] = choice_label(Expense.Kind, row["kind"])
        row["status_label"] = choice_label(Status, row["status"])
    missions = (
        kept_sql.rows(
            "compensation.entries.missions",
            (partner.pk, partner.structure_id),
            lambda: services.missions_policy_modes(partner),
        )
        if partner
        else []
    )
    context = {
        "is_coordinator": is_coordinator,
        "partner": partner,
        "has_missions": bool(missions),
        "paid_warning": _paid_mode(mode for (mode,) in missions),
        "time_page": time_page,
        "time_rows": render_rows(
            "compensation/rows/entries_times.html",
            request,
            entries=time_page.object_list,
            is_coordinator=is_coordinator,
        ),
        "expense_page": expense_page,
        "expense_rows": render_rows(
            "compensation/rows/entries_expenses.html",
            request,
            entries=expense_page.object_list,
            is_coordinator=is_coordinator,
        ),
        "status": status,
        "statuses": Status.choices,
        "partners": partners,
        "chosen_partner": chosen,
        # The filters, kept by the page links.
        "query": urlencode({k: v for k, v in (("etat", status), ("partenaire", chosen)) if v}),
    }
    return render(request, "compensation/entries.html", context)


def _partner_required(request):
    check_roles(request, Role.PARTNER)
    partner = _partner(request)
    if partner is None:
        return None
    return partner


def _no_partner_page(request):
    return render(request, "compensation/no_partner.html", status=200)


@require_roles(Role.PARTNER)
def log_time(request):
    partner = _partner_required(request)
    if partner is None:
        return _no_partner_page(request)
    initial = None
    if request.GET.get("echange"):
        try:
            initial = services.time_from_contact(partner, uuid.UUID(request.GET["echange"]))
        except ValueError:
            initial = None
        if initial is None:
            raise Http404
        counted = TimeEntry.objects.filter(
            partner=partner, submission_token=initial["submission_token"]
        ).first()
        if counted is not None:
            messages.info(request, _("Cet échange est déjà compté dans votre temps."))
            return redirect("compensation:edit_time", public_id=counted.public_id)
    return _time_form(request, partner, TimeEntry(partner=partner), initial=initial)


@require_roles(Role.PARTNER)
def log_expense(request):
    partner = _partner_required(request)
    if partner is None:
        return _no_partner_page(request)
    return _expense_form(request, partner, Expense(partner=partner))


def _own_entry(request, model, public_id):
    entry = get_object_or_404_scoped(
        model.objects.select_related("partner", "mission"), public_id=public_id
    )
    check_roles(request, Role.PARTNER)
    partner = _partner(request)
    if partner is None or entry.partner_id != partner.pk:
        raise Http404
    return entry, partner


def _locked_page(request, entry):
    return render(request, "compensation/locked.html", {"entry": entry}, status=409)


def edit_time(request, public_id):
    entry, partner = _own_entry(request, TimeEntry, public_id)
    if entry.is_locked:
        return _locked_page(request, entry)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        services.withdraw(entry, actor=request.user, request=request)
        messages.success(request, _("La saisie est retirée."))
        return redirect("compensation:entries")
    return _time_form(request, partner, entry)


def edit_expense(request, public_id):
    entry, partner = _own_entry(request, Expense, public_id)
    if entry.is_locked:
        return _locked_page(request, entry)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        services.withdraw(entry, actor=request.user, request=request)
        messages.success(request, _("La saisie est retirée."))
        return redirect("compensation:entries")
    return _expense_form(request, partner, entry)


def _time_form(request, partner, entry, initial=None):
    form = TimeEntryForm(
        request.POST or None, instance=entry, missions=services.missions_with_mode(partner)
    )
    if initial and not form.is_bound:
        form.initial.update(initial)  # from an exchange: the partner checks it and confirms
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.partner = partner
        try:
            entry = services.save_time(
                entry,
                actor=request.user,
                request=request,
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Votre temps est enregistré : %(d)s sur « %(m)s ». La coordination va le valider."
                )
                % {"d": entry.hours_display, "m": entry.mission.title},
            )
            return redirect("compensation:entries")
    # Loaded once: for these checks and for the options of the form (CachedChoiceIterator).
    mission_list = list(form.fields["mission"].queryset)
    return render(
        request,
        "compensation/entry_form.html",
        {
            "form": form,
            "title": _("Corriger un temps") if entry.pk else _("Noter mon temps"),
            "entry": entry if entry.pk else None,
            "has_missions": bool(mission_list),
            "paid_warning": _paid_warning(mission_list),
            "multipart": False,
        },
        status=form_status(form),
    )


def _expense_form(request, partner, entry):
    missions = services.missions_with_mode(partner)
    form = ExpenseForm(
        request.POST or None, request.FILES or None, instance=entry, missions=missions
    )
    if request.method == "POST" and form.is_valid():
        expense = form.save(commit=False)
        expense.partner = partner
        upload = form.cleaned_data.get("receipt")
        if isinstance(upload, UploadedFile):
            expense.receipt_name = upload.name[:200]
            expense.receipt_type = sniff_type(upload)
        try:
            expense = services.save_expense(
                expense,
                actor=request.user,
                request=request,
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Vos frais sont enregistrés (%(a)s €). La coordination va les valider.")
                % {"a": localize(expense.amount)},
            )
            return redirect("compensation:entries")
    rates = services.rates_for(request.structure)
    mission_list = list(form.fields["mission"].queryset)
    return render(
        request,
        "compensation/entry_form.html",
        {
            "form": form,
            "title": _("Corriger des frais") if entry.pk else _("Noter des frais"),
            "entry": entry if entry.pk else None,
            "has_missions": bool(mission_list),
            "paid_warning": _paid_warning(mission_list),
            "rates": rates,
            "multipart": True,
        },
        status=form_status(form),
    )


def receipt(request, public_id):
    # Another structure's expense: 404 before the role is looked at; then 403; then the rule.
    expense = get_object_or_404_scoped(
        Expense.objects.select_related("partner"), public_id=public_id
    )
    check_roles(request, *PARTNER_WORK)
    if (
        not Expense.objects.visible_to(request.user, request.binome.roles, request.structure)
        .filter(pk=expense.pk)
        .exists()
    ):
        raise Http404
    if not expense.receipt:
        raise Http404
    record("compensation.receipt_read", request=request, target=expense)
    content_type = (
        expense.receipt_type
        or mimetypes.guess_type(expense.receipt.name)[0]
        or "application/octet-stream"
    )
    response = FileResponse(expense.receipt.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="justificatif-{expense.public_id}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Approval (coordinator) ----------------------------------------------------------------


QUEUE_PAGE_SIZE = 20


@require_roles(Role.COORDINATOR)
def queue(request):
    # Only what the cards show, read as dictionaries through kept SQL: no notes of the
    # review, no files (the receipt's name only says whether there is one).
    shown = (
        "public_id",
        "date",
        "amount",
        "partner__first_name",
        "partner__last_name",
        "mission__title",
    )
    structure_id = request.structure.pk

    def submitted(model, *columns):
        return KeptList(
            f"compensation.queue.{model._meta.model_name}",
            (structure_id,),
            lambda: (
                model.objects.filter(structure_id=structure_id, status=Status.SUBMITTED)
                .order_by("date", "id")
                .values(*shown, *columns)
            ),
            as_dicts=True,
        )

    times = submitted(TimeEntry, "duration_minutes", "activity", "note")
    expenses = submitted(Expense, "kind", "kilometres", "km_rate", "description", "receipt")
    time_page = Window(times, request.GET.get("page_temps"), QUEUE_PAGE_SIZE)
    expense_page = Window(expenses, request.GET.get("page_frais"), QUEUE_PAGE_SIZE)
    for row in time_page.object_list:
        row["hours"] = TimeEntry.hours_text(row["duration_minutes"])
        row["activity_label"] = choice_label(TimeEntry.Activity, row["activity"])
    for row in expense_page.object_list:
        row["kind_label"] = choice_label(Expense.Kind, row["kind"])
    context = {
        "time_page": time_page,
        "time_rows": render_rows(
            "compensation/rows/queue_times.html",
            request,
            entries=time_page.object_list,
        ),
        "expense_page": expense_page,
        "expense_rows": render_rows(
            "compensation/rows/queue_expenses.html",
            request,
            entries=expense_page.object_list,
        ),
        "alerts": services.budget_alerts(request.structure),
    }
    return render(request, "compensation/queue.html", context)


def _review(request, model, public_id):
    entry = get_object_or_404_scoped(
        model.objects.select_related("partner", "mission", "structure"), public_id=public_id
    )
    check_roles(request, Role.COORDINATOR)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez de valider ou de renvoyer la saisie."))
        return redirect("compensation:queue")
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve(entry, actor=request.user, request=request)
            messages.success(request, _("Saisie validée."))
            alert = services.mission_budget_alert(entry.mission)
            if alert:
                budget, spent = alert
                messages.warning(
                    request,
                    _(
                        "Attention : le budget de la mission « %(m)s » est dépassé (%(s)s € validés pour %(b)s € prévus)."
                    )
                    % {
                        "m": entry.mission.title,
                        "s": localize(spent),
                        "b": localize(budget.amount),
                    },
                )
        else:
            services.return_entry(
                entry, form.cleaned_data["comment"], actor=request.user, request=request
            )
            messages.success(request, _("Saisie renvoyée au partenaire avec votre commentaire."))
    except ValidationError as exc:
        messages.error(
            request, " ".join(m for msgs in _form_errors_message(exc).values() for m in msgs)
        )
    return redirect("compensation:queue")


@require_POST
def review_time(request, public_id):
    return _review(request, TimeEntry, public_id)


@require_POST
def review_expense(request, public_id):
    return _review(request, Expense, public_id)


# --- Statements and documents ----------------------------------------------------------------


def _partners_of(structure):
    from binome.partners.models import Partner

    return (
        Partner.objects.filter(structure=structure)
        .exclude(status=Partner.Status.CANDIDATE)
        .order_by("last_name", "first_name")
    )


@require_roles(*PARTNER_WORK)
def statements(request):
    is_coordinator = has_role(request, Role.COORDINATOR)
    partner = None if is_coordinator else _partner(request)
    form = (
        StatementForm(request.POST or None, partners=_partners_of(request.structure))
        if is_coordinator
        else None
    )
    if request.method == "POST":
        if not is_coordinator:
            raise PermissionDenied
        if form.is_valid():
            try:
                statement = services.issue_statement(
                    actor=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Relevé %(n)s établi : %(t)s €.")
                    % {"n": statement.number, "t": localize(statement.total)},
                )
                return redirect("compensation:statements")
    qs = Statement.objects.visible_to(
        request.user, request.binome.roles, request.structure
    ).select_related("partner")
    page = Paginator(qs.order_by("-period_end", "-id"), 50).get_page(request.GET.get("page"))
    this_year = timezone.localdate().year
    return render(
        request,
        "compensation/statements.html",
        {
            "form": form,
            "page": page,
            "partner": partner,
            "is_coordinator": is_coordinator,
            "years": [this_year, this_year - 1],
        },
        status=form_status(form),
    )


def _statement(request, public_id):
    statement = get_object_or_404_scoped(
        Statement.objects.select_related("partner", "structure"), public_id=public_id
    )
    check_roles(request, *PARTNER_WORK)
    if (
        not Statement.objects.visible_to(request.user, request.binome.roles, request.structure)
        .filter(pk=statement.pk)
        .exists()
    ):
        raise Http404
    return statement


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def statement_pdf(request, public_id):
    statement = _statement(request, public_id)
    times, expenses = services.entries_of(statement)
    totals = services.totals(times, expenses)
    content = documents.pdf(
        "compensation/pdf/statement.html",
        {
            "statement": statement,
            "times": times,
            "expenses": expenses,
            "totals": totals,
            "partner": statement.partner,
            "structure": statement.structure,
        },
    )
    record("compensation.statement_exported", request=request, target=statement, format="pdf")
    return _download(content, f"releve-{statement.number}.pdf", "application/pdf")


def statement_xlsx(request, public_id):
    statement = _statement(request, public_id)
    times, expenses = services.entries_of(statement)
    content = documents.statement_xlsx(statement, times, expenses, services.totals(times, expenses))
    record("compensation.statement_exported", request=request, target=statement, format="xlsx")
    return _download(
        content,
        f"releve-{statement.number}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _partner_document_access(request, public_id):
    from binome.partners.models import Partner

    partner = get_object_or_404_scoped(
        Partner.objects.select_related("structure"), public_id=public_id
    )
    check_roles(request, *PARTNER_WORK)
    if not has_role(request, Role.COORDINATOR):
        own = _partner(request)
        if own is None or own.pk != partner.pk:
            raise Http404
    return partner


def yearly_summary(request, public_id, year):
    partner = _partner_document_access(request, public_id)
    if not 2000 <= year <= 2100:
        raise Http404
    times, expenses = services.year_entries(partner, year)
    totals = services.totals(times, expenses)
    content = documents.pdf(
        "compensation/pdf/yearly.html",
        {
            "partner": partner,
            "structure": partner.structure,
            "year": year,
            "totals": totals,
            "times": times,
            "expenses": expenses,
        },
    )
    record("compensation.yearly_exported", request=request, target=partner, year=year)
    return _download(content, f"bilan-{year}.pdf", "application/pdf")


def certificate(request, public_id):
    partner = _partner_document_access(request, public_id)
    data = services.certificate_data(partner)
    content = documents.pdf(
        "compensation/pdf/certificate.html",
        {"partner": partner, "structure": partner.structure, "signer": request.user, **data},
    )
    record("compensation.certificate_exported", request=request, target=partner)
    return _download(content, "attestation-de-participation.pdf", "application/pdf")


# --- Budget (coordinator) ---------------------------------------------------------------------


@require_roles(Role.COORDINATOR)
def budget(request):
    from binome.missions.models import Mission

    overview = services.budget_overview(request.structure)
    unbudgeted = (
        Mission.objects.filter(structure=request.structure, budget__isnull=True)
        .exclude(status="closed")
        .only("public_id", "title")
        .order_by("title")[:50]
    )
    return render(
        request,
        "compensation/budget.html",
        {**overview, "unbudgeted": unbudgeted, "rates": services.rates_for(request.structure)},
    )


def _simple_form(
    request, form, title, on_valid, *, back="compensation:budget", intro="", warning=False
):
    if request.method == "POST" and form.is_valid():
        on_valid(form)
        messages.success(request, _("C'est enregistré."))
        return redirect(back)
    return render(
        request,
        "compensation/form.html",
        {"form": form, "title": title, "intro": intro, "paid_warning": warning},
        status=form_status(form),
    )


@require_roles(Role.COORDINATOR)
def funding_create(request):
    form = FundingSourceForm(request.POST or None, initial={"year": timezone.localdate().year})

    def on_valid(f):
        f.instance.structure = request.structure
        save_recorded(f.instance, "compensation.funding_saved", request=request)

    return _simple_form(request, form, _("Nouvelle source de financement"), on_valid)


def funding_edit(request, public_id):
    source = get_object_or_404_scoped(FundingSource, public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    form = FundingSourceForm(request.POST or None, instance=source)
    return _simple_form(
        request,
        form,
        _("Modifier la source de financement"),
        lambda f: save_recorded(f.instance, "compensation.funding_saved", request=request),
    )


def mission_budget(request, public_id):
    from binome.missions.models import Mission

    mission = get_object_or_404_scoped(Mission, public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    instance = MissionBudget.objects.filter(mission=mission).first() or MissionBudget(
        mission=mission
    )
    form = MissionBudgetForm(request.POST or None, instance=instance, structure=request.structure)
    policy = services.policy_for(mission)
    mode = services.mode_of(policy)
    intro = _("Politique d'indemnisation de la mission : %(mode)s.") % {
        "mode": policy.get_mode_display()
        if policy
        else _("aucune décidée (bénévolat, frais remboursés)")
    }
    return _simple_form(
        request,
        form,
        _("Budget — %(m)s") % {"m": mission.title},
        lambda f: save_recorded(f.instance, "compensation.budget_saved", request=request),
        intro=intro,
        warning=mode in amounts.PAID_MODES,
    )


@require_roles(Role.COORDINATOR)
def rates(request):
    instance = services.rates_for(request.structure)
    form = ExpenseRatesForm(request.POST or None, instance=instance)
    return _simple_form(
        request,
        form,
        _("Barème des frais"),
        lambda f: save_recorded(f.instance, "compensation.rates_saved", request=request),
        intro=_(
            "Utilisé quand la politique d'indemnisation de la mission ne fixe pas d'indemnité kilométrique."
        ),
    )
