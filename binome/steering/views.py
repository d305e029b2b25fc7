from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.core.forms import form_status
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, has_role, require_roles
from binome.core.roles import TEAM
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped
from binome.steering import access, forms, services
from binome.steering.charts import sparkline
from binome.steering.models import (
    ActionItem,
    CommitteeMember,
    Cycle,
    Indicator,
    LimitingFactor,
    Project,
)


def can_edit(request, project) -> bool:
    return access.can_edit(request.user, request.binome.roles, project)


def can_manage(request, project) -> bool:
    """Composing the committee and changing the project itself: coordinators and project leads."""
    return access.can_manage(request.user, request.binome.roles, project)


def _project(request, public_id, *, edit=False, manage=False):
    project = get_object_or_404_scoped(
        Project.objects.select_related("structure"), public_id=public_id
    )
    check_roles(request, *TEAM)
    if edit and not can_edit(request, project):
        raise PermissionDenied
    if manage and not can_manage(request, project):
        raise PermissionDenied
    return project


def _visible_checkins(request, project):
    qs = project.checkins.select_related("partner__user", "held_by")
    if has_role(request, Role.COORDINATOR):
        return qs
    return qs.filter(Q(partner__user=request.user) | Q(held_by=request.user))


@require_roles(*TEAM)
def project_list(request):
    queryset = Project.objects.filter(structure=request.structure).annotate(
        n_cycles=Count("cycles", distinct=True),
        n_open_factors=Count(
            "factors",
            filter=~Q(factors__status=LimitingFactor.Status.RESOLVED),
            distinct=True,
        ),
    )
    page = Paginator(queryset.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "steering/list.html",
        {"page": page, "can_create": has_role(request, Role.COORDINATOR)},
    )


@require_roles(Role.COORDINATOR)
def project_create(request):
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.create_project(
            structure=request.structure, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(
            request, _("Le projet est créé. Composez maintenant son comité de pilotage.")
        )
        return redirect("steering:detail", public_id=project.public_id)
    return _form_page(request, form, _("Nouveau projet"), None)


def _form_page(request, form, title, project, *, intro="", submit=None):
    status = form_status(form)
    return render(
        request,
        "steering/form.html",
        {
            "form": form,
            "title": title,
            "project": project,
            "intro": intro,
            "submit": submit or _("Enregistrer"),
        },
        status=status,
    )


def project_detail(request, public_id):
    project = _project(request, public_id)
    cycles = project.cycles.prefetch_related(
        Prefetch(
            "actions",
            queryset=ActionItem.objects.select_related("owner__user").order_by("due_date", "id"),
        )
    )
    indicators = list(project.indicators.prefetch_related("values"))
    for indicator in indicators:
        values = list(indicator.values.all())
        indicator.latest = values[-1] if values else None
        indicator.chart = sparkline([v.value for v in values], target=indicator.target)
        indicator.value_list = values
    context = {
        "project": project,
        "can_edit": can_edit(request, project),
        "can_manage": can_manage(request, project),
        "committee": project.committee.select_related("membership__user").order_by(
            "seat", "membership__user__last_name"
        ),
        "cycles": cycles,
        "logbook": project.logbook.select_related("cycle")[:3],
        "logbook_count": project.logbook.count(),
        "factors": project.factors.select_related("cycle", "owner__user"),
        "indicators": indicators,
        "checkins": _visible_checkins(request, project)[:5],
        "checkin_count": project.checkins.count(),
        "links": project.links.all(),
        "action_status_choices": ActionItem.Status.choices,
    }
    return render(request, "steering/detail.html", context)


def project_edit(request, public_id):
    project = _project(request, public_id, manage=True)
    form = forms.ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.save(
            form.instance,
            "steering.project_updated",
            request=request,
            project=project,
            fields=sorted(form.changed_data),
        )
        messages.success(request, _("Le projet est enregistré."))
        return redirect("steering:detail", public_id=project.public_id)
    return _form_page(request, form, _("Modifier le projet"), project)


def _child_form(
    request,
    project,
    form_class,
    kind,
    title,
    *,
    instance=None,
    attach=None,
    message,
    intro="",
    form_kwargs=None,
):
    form = form_class(request.POST or None, instance=instance, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if attach:
            attach(obj)
        services.save(obj, kind, request=request, project=project)
        messages.success(request, message)
        return redirect("steering:detail", public_id=project.public_id)
    return _form_page(request, form, title, project, intro=intro)


def add_member(request, public_id):
    project = _project(request, public_id, manage=True)

    def attach(obj):
        obj.project = project

    return _child_form(
        request,
        project,
        forms.CommitteeMemberForm,
        "steering.committee_changed",
        _("Ajouter au comité de pilotage"),
        attach=attach,
        form_kwargs={"project": project},
        message=_("La personne rejoint le comité de pilotage."),
        intro=_("Un comité mixte : patients partenaires et professionnels de l'équipe."),
    )


@require_POST
def remove_member(request, public_id):
    member = get_object_or_404_scoped(
        CommitteeMember.objects.select_related("project__structure", "membership"),
        public_id=public_id,
    )
    project = member.project
    _project(request, project.public_id, manage=True)
    services.remove_member(member, request=request, project=project)
    messages.success(request, _("La personne ne fait plus partie du comité de pilotage."))
    return redirect("steering:detail", public_id=project.public_id)


def add_cycle(request, public_id):
    project = _project(request, public_id, edit=True)

    def attach(obj):
        obj.project = project

    return _child_form(
        request,
        project,
        forms.CycleForm,
        "steering.cycle_saved",
        _("Nouveau cycle"),
        attach=attach,
        form_kwargs={"project": project},
        message=_("Le cycle est ajouté. Ajoutez les actions de son plan."),
        intro=_(
            "Chaque cycle suit les étapes planifier, agir, observer, réfléchir, puis ajuste le plan d'action."
        ),
    )


def edit_cycle(request, public_id):
    cycle = get_object_or_404_scoped(
        Cycle.objects.select_related("project__structure"), public_id=public_id
    )
    project = _project(request, cycle.project.public_id, edit=True)
    return _child_form(
        request,
        project,
        forms.CycleForm,
        "steering.cycle_saved",
        _("Modifier le cycle"),
        instance=cycle,
        form_kwargs={"project": project},
        message=_("Le cycle est enregistré."),
    )


def add_action(request, public_id):
    cycle = get_object_or_404_scoped(
        Cycle.objects.select_related("project__structure"), public_id=public_id
    )
    project = _project(request, cycle.project.public_id, edit=True)

    def attach(obj):
        obj.cycle = cycle

    return _child_form(
        request,
        project,
        forms.ActionItemForm,
        "steering.action_saved",
        _("Nouvelle action — %(cycle)s") % {"cycle": cycle},
        attach=attach,
        form_kwargs={"project": project},
        message=_("L'action est ajoutée au plan."),
    )


@require_POST
def action_status(request, public_id):
    action = get_object_or_404_scoped(
        ActionItem.objects.select_related("cycle__project__structure"), public_id=public_id
    )
    project = _project(request, action.cycle.project.public_id, edit=True)
    form = forms.ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("État inconnu."))
        return redirect("steering:detail", public_id=project.public_id)
    services.set_action_status(
        action, form.cleaned_data["status"], request=request, project=project
    )
    messages.success(request, _("L'état de l'action est enregistré."))
    return redirect("steering:detail", public_id=project.public_id)


def logbook(request, public_id):
    project = _project(request, public_id)
    page = Paginator(project.logbook.select_related("cycle", "author"), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "steering/logbook.html",
        {"project": project, "page": page, "can_edit": can_edit(request, project)},
    )


def add_logbook(request, public_id):
    project = _project(request, public_id, edit=True)

    def attach(obj):
        obj.project = project
        obj.author = request.user

    return _child_form(
        request,
        project,
        forms.LogbookEntryForm,
        "steering.logbook_added",
        _("Nouvelle entrée du journal de bord"),
        attach=attach,
        form_kwargs={"project": project},
        message=_("L'entrée est ajoutée au journal de bord."),
        intro=_(
            "Notez les thèmes abordés, les questions qui ont émergé, les décisions et les actions envisagées."
        ),
    )


def factors(request, public_id):
    project = _project(request, public_id)
    rows = project.factors.select_related("cycle", "owner__user")
    return render(
        request,
        "steering/factors.html",
        {"project": project, "factors": rows, "can_edit": can_edit(request, project)},
    )


def add_factor(request, public_id):
    project = _project(request, public_id, edit=True)

    def attach(obj):
        obj.project = project

    return _child_form(
        request,
        project,
        forms.LimitingFactorForm,
        "steering.factor_saved",
        _("Nouveau facteur limitant"),
        attach=attach,
        form_kwargs={"project": project},
        message=_("Le facteur limitant est ajouté au tableau."),
    )


def edit_factor(request, public_id):
    factor = get_object_or_404_scoped(
        LimitingFactor.objects.select_related("project__structure"), public_id=public_id
    )
    project = _project(request, factor.project.public_id, edit=True)
    return _child_form(
        request,
        project,
        forms.LimitingFactorForm,
        "steering.factor_saved",
        _("Modifier le facteur limitant"),
        instance=factor,
        form_kwargs={"project": project},
        message=_("Le facteur limitant est enregistré."),
    )


def add_indicator(request, public_id):
    project = _project(request, public_id, edit=True)

    def attach(obj):
        obj.project = project

    form = forms.IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        attach(obj)
        services.save(obj, "steering.indicator_saved", request=request, project=project)
        messages.success(
            request, _("L'indicateur est ajouté. Saisissez ses valeurs au fil du projet.")
        )
        return redirect("steering:detail", public_id=project.public_id)
    return _form_page(request, form, _("Nouvel indicateur"), project)


def add_value(request, public_id):
    indicator = get_object_or_404_scoped(
        Indicator.objects.select_related("project__structure"), public_id=public_id
    )
    project = _project(request, indicator.project.public_id, edit=True)

    def attach(obj):
        obj.indicator = indicator

    return _child_form(
        request,
        project,
        forms.IndicatorValueForm,
        "steering.indicator_saved",
        _("Nouvelle valeur — %(name)s") % {"name": indicator.name},
        attach=attach,
        form_kwargs={"indicator": indicator},
        message=_("La valeur est enregistrée."),
    )


def add_checkin(request, public_id):
    project = _project(request, public_id, edit=True)

    def attach(obj):
        obj.project = project
        obj.held_by = request.user

    return _child_form(
        request,
        project,
        forms.CheckInForm,
        "steering.checkin_added",
        _("Point d'étape avec le partenaire"),
        attach=attach,
        form_kwargs={"project": project},
        message=_("Le point d'étape est enregistré."),
        intro=_(
            "Un moment régulier pour entendre le partenaire, évaluer le plan d'action et noter ce qu'il faut ajuster."
        ),
    )


def add_link(request, public_id):
    project = _project(request, public_id, edit=True)
    form = forms.LinkForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_link(project, form.cleaned_data["target"], request=request)
        except ValidationError as exc:
            form.add_error("target", exc)
        else:
            messages.success(request, _("Le lien est ajouté."))
            return redirect("steering:detail", public_id=project.public_id)
    return _form_page(request, form, _("Relier une mission, un programme ou une action"), project)
