"""Pages of mission sheets: library, drafts, versions, validation, assignment, matching."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from binome.audit.services import record
from binome.core.forms import form_status
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, has_role, require_roles
from binome.core.reversing import reverse
from binome.core.roles import STAFF
from binome.missions import library, matching, services
from binome.missions.forms import (
    AssignForm,
    CloseForm,
    CommentForm,
    MissionFilterForm,
    MissionForm,
    PolicyForm,
    SubmitForm,
)
from binome.missions.models import (
    CompensationPolicy,
    Mission,
    MissionAssignment,
    MissionComment,
    MissionValidation,
    MissionVersion,
)
from binome.missions.templatetags.mission_badges import mission_status_badge
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped


def _visible(request):
    return services.visible_missions(request.user, request.binome.current_memberships)


def _get(request, public_id, qs=None):
    """404 outside the current structure, and for a partner not on the mission; 403 for
    other roles without access."""
    qs = qs if qs is not None else Mission.objects.all()
    mission = get_object_or_404_scoped(qs.filter(structure=request.structure), public_id=public_id)
    if has_role(request, *STAFF) or _is_assigned_partner(request, mission):
        return mission
    if has_role(request, Role.PARTNER):
        raise Http404
    raise PermissionDenied


def _is_assigned_partner(request, mission):
    own = {m.pk for m in request.binome.current_memberships if m.role == Role.PARTNER}
    return (
        bool(own)
        and MissionAssignment.objects.filter(
            mission=mission, partner__membership_id__in=own
        ).exists()
    )


@require_roles(*STAFF, Role.PARTNER)
def mission_list(request):
    filters = MissionFilterForm(request.GET or None)
    qs = _visible(request)
    query = ""
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            qs = qs.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["kind"]:
            qs = qs.filter(kind=filters.cleaned_data["kind"])
        query = "&".join(f"{k}={v}" for k, v in filters.cleaned_data.items() if v)
    # A correlated count rather than a join + GROUP BY: the paginator's COUNT stays plain.
    current = (
        MissionAssignment._base_manager.filter(mission=OuterRef("pk"), ended_at__isnull=True)
        .order_by()
        .values("mission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = qs.annotate(
        n_partners=Coalesce(Subquery(current, output_field=IntegerField()), 0)
    ).order_by("status", "-created_at", "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "missions/list.html",
        {
            "page": page,
            "rows": [_mission_row(m) for m in page.object_list],
            "filters": filters,
            "query": query,
            "is_staff": has_role(request, *STAFF),
        },
    )


def _mission_row(mission) -> dict:
    # A row's texts prepared here: the template reads four keys instead of some ten
    # attributes, properties and a plural per mission (issue 17).
    partners = ngettext(
        "%(n)s patient partenaire", "%(n)s patients partenaires", mission.n_partners
    ) % {"n": mission.n_partners}
    return {
        "url": reverse("missions:detail", args=[mission.public_id]),
        "title": mission.title,
        "badge": mission_status_badge(mission),
        "details": f"{mission.kind_label} · {mission.level_label} · {partners}",
    }


@require_roles(*STAFF)
def templates(request):
    return render(request, "missions/templates.html", {"templates": library.TEMPLATES})


@require_roles(*STAFF)
def create(request):
    kind = request.GET.get("modele") or request.POST.get("modele")
    if request.method == "POST" and kind in library.BY_KIND and "title" not in request.POST:
        mission = services.create_from_template(
            library.BY_KIND[kind], structure=request.structure, actor=request.user, request=request
        )
        messages.success(
            request,
            _(
                "Brouillon créé à partir du modèle : relisez-le et adaptez-le avec le patient partenaire."
            ),
        )
        return redirect("missions:edit", mission.public_id)
    form = MissionForm(request.POST or None, structure=request.structure)
    if request.method == "POST" and form.is_valid():
        mission = form.save(commit=False)
        mission.structure = request.structure
        mission.created_by = request.user
        services.save_mission(
            mission,
            actor=request.user,
            criteria=form.criteria(),
            professionals=form.cleaned_data["professionals"],
            request=request,
            created=True,
        )
        messages.success(request, _("Brouillon de mission enregistré."))
        return redirect("missions:detail", mission.public_id)
    return render(
        request, "missions/edit.html", {"form": form, "mission": None}, status=form_status(form)
    )


def edit(request, public_id):
    mission = _get(request, public_id)
    check_roles(request, *STAFF)
    if mission.status not in services.EDITABLE_STATUSES:
        messages.error(
            request,
            _(
                "Une mission active ou close ne se modifie plus. Clôturez-la et créez-en une nouvelle."
            ),
        )
        return redirect("missions:detail", mission.public_id)
    form = MissionForm(request.POST or None, instance=mission, structure=request.structure)
    if request.method == "POST" and form.is_valid():
        back = services.save_mission(
            form.save(commit=False),
            actor=request.user,
            criteria=form.criteria(),
            professionals=form.cleaned_data["professionals"],
            request=request,
        )
        if back:
            messages.warning(
                request,
                _(
                    "La fiche a changé : elle repasse en brouillon et devra être soumise à nouveau à la validation."
                ),
            )
        else:
            messages.success(request, _("Fiche enregistrée."))
        return redirect("missions:detail", mission.public_id)
    return render(
        request, "missions/edit.html", {"form": form, "mission": mission}, status=form_status(form)
    )


def detail(request, public_id, status=200, error=None, forms_override=None):
    mission = _get(request, public_id, Mission.objects.select_related("structure", "created_by"))
    is_staff = has_role(request, *STAFF)
    is_partner = _is_assigned_partner(request, mission)
    named = list(mission.named.select_related("membership__user"))
    criteria = list(mission.criteria.all())
    assignments = list(
        MissionAssignment.objects.filter(mission=mission, ended_at__isnull=True).select_related(
            "partner__membership"
        )
    )
    version = (
        MissionVersion.objects.filter(mission=mission, number=mission.version_number).first()
        if mission.version_number
        else None
    )
    validated = {}
    if version:
        validated = {v.user_id: v for v in MissionValidation.objects.filter(version=version)}
    pros, partner_users = services.expected_validators(mission)
    waiting = [n.membership.user for n in named if n.membership.user_id not in validated]
    waiting += [
        a.partner
        for a in assignments
        if a.partner.membership and a.partner.membership.user_id not in validated
    ]
    waiting += [a.partner for a in assignments if not a.partner.membership]
    policy = services.effective_policy(mission)
    can_validate = (
        mission.status == Mission.Status.IN_VALIDATION
        and request.user.pk in (pros | partner_users)
        and request.user.pk not in validated
    )
    is_coordinator = has_role(request, Role.COORDINATOR)
    forms_override = forms_override or {}
    context = {
        "mission": mission,
        "named": named,
        "assignments": assignments,
        "version": version,
        "validated": validated,
        "waiting": waiting,
        "policy": policy,
        "policy_summary": services.policy_summary(policy) if policy else "",
        "criteria": {
            k: [c.label for c in criteria if c.kind == k]
            for k in ("skill", "condition", "language", "topic")
        },
        "comments": list(
            MissionComment.objects.filter(mission=mission).select_related("author")[:200]
        ),
        "comment_form": forms_override.get("comment") or CommentForm(),
        "submit_form": SubmitForm(),
        "close_form": CloseForm(),
        "assign_form": forms_override.get("assign")
        or (AssignForm(structure=mission.structure) if is_coordinator else None),
        "policy_form": forms_override.get("policy")
        or (PolicyForm(instance=None) if is_coordinator else None),
        "is_staff": is_staff,
        "is_partner": is_partner,
        "is_coordinator": is_coordinator,
        "can_validate": can_validate,
        "error": error,
        "versions": list(
            MissionVersion.objects.filter(mission=mission).only(
                "number", "created_at", "note", "mission_id"
            )[:30]
        ),
        "editable": mission.status in services.EDITABLE_STATUSES,
    }
    record("missions.read", request=request, target=mission)
    return render(request, "missions/detail.html", context, status=status)


@require_POST
def submit(request, public_id):
    mission = _get(request, public_id)
    check_roles(request, *STAFF)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        version = services.submit(
            mission, actor=request.user, note=form.cleaned_data.get("note", ""), request=request
        )
    except ValidationError as exc:
        return detail(request, public_id, status=422, error=" ".join(exc.messages))
    messages.success(
        request,
        _(
            "Version %(v)s soumise : le patient partenaire et les professionnels nommés sont invités à la valider."
        )
        % {"v": version.number},
    )
    return redirect("missions:detail", mission.public_id)


@require_POST
def validate(request, public_id):
    mission = _get(request, public_id)
    if not _is_assigned_partner(request, mission):
        check_roles(request, *STAFF, Role.PARTNER)
    try:
        active = services.validate(mission, user=request.user, request=request)
    except PermissionDenied as exc:
        return detail(request, public_id, status=403, error=str(exc) or _("Action non autorisée."))
    except ValidationError as exc:
        return detail(request, public_id, status=422, error=" ".join(exc.messages))
    if active:
        messages.success(request, _("Merci. Tout le monde a validé : la mission est active."))
    else:
        messages.success(request, _("Merci, votre validation est enregistrée."))
    return redirect("missions:detail", mission.public_id)


@require_POST
def comment(request, public_id):
    mission = _get(request, public_id)
    is_partner = _is_assigned_partner(request, mission)
    if not is_partner:
        check_roles(request, *STAFF)
    form = CommentForm(request.POST)
    if form.is_valid():
        side = (
            MissionComment.Side.PARTNER
            if is_partner and not has_role(request, *STAFF)
            else MissionComment.Side.TEAM
        )
        services.comment(
            mission, user=request.user, body=form.cleaned_data["body"], side=side, request=request
        )
        messages.success(request, _("Commentaire ajouté."))
        return redirect("missions:detail", mission.public_id)
    return detail(request, public_id, status=422, forms_override={"comment": form})


@require_POST
def assign(request, public_id):
    mission = _get(request, public_id)
    check_roles(request, Role.COORDINATOR)
    form = AssignForm(request.POST, structure=mission.structure)
    if form.is_valid():
        try:
            services.assign(
                mission, form.cleaned_data["partner"], actor=request.user, request=request
            )
        except ValidationError as exc:
            return detail(request, public_id, status=422, error=" ".join(exc.messages))
        messages.success(
            request,
            _("%(name)s est affecté·e à la mission.") % {"name": form.cleaned_data["partner"]},
        )
        return redirect("missions:detail", mission.public_id)
    return detail(request, public_id, status=422, forms_override={"assign": form})


@require_POST
def unassign(request, public_id, assignment_id):
    mission = _get(request, public_id)
    check_roles(request, Role.COORDINATOR)
    assignment = get_object_or_404_scoped(
        MissionAssignment.objects.filter(mission=mission, ended_at__isnull=True).select_related(
            "mission__structure"
        ),
        public_id=assignment_id,
    )
    services.unassign(assignment, actor=request.user, request=request)
    messages.success(request, _("Affectation terminée."))
    return redirect("missions:detail", mission.public_id)


@require_POST
def close(request, public_id):
    mission = _get(request, public_id)
    check_roles(request, Role.COORDINATOR)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        services.close(
            mission, actor=request.user, note=form.cleaned_data.get("note", ""), request=request
        )
    except ValidationError as exc:
        return detail(request, public_id, status=422, error=" ".join(exc.messages))
    messages.success(request, _("Mission close."))
    return redirect("missions:detail", mission.public_id)


def versions(request, public_id):
    mission = _get(request, public_id)
    if not _is_assigned_partner(request, mission):
        check_roles(request, *STAFF)
    all_versions = list(
        MissionVersion.objects.filter(mission=mission).select_related("author").order_by("number")
    )
    by_number = {v.number: v for v in all_versions}

    def pick(name, default):
        try:
            return by_number.get(int(request.GET.get(name, default)))
        except (TypeError, ValueError):
            return None

    new = pick("b", all_versions[-1].number if all_versions else 0)
    old = pick("a", new.number - 1 if new else 0)
    current_text = services.sheet_text(mission)
    if new is None and all_versions:
        new = all_versions[-1]
    diff = []
    if new is not None:
        diff = services.diff_lines(old.text if old else "", new.text)
    draft_diff = services.diff_lines(all_versions[-1].text, current_text) if all_versions else []
    draft_changed = any(sign != " " for sign, _line in draft_diff)
    return render(
        request,
        "missions/versions.html",
        {
            "mission": mission,
            "versions": all_versions,
            "old": old,
            "new": new,
            "diff": diff,
            "draft_diff": draft_diff if draft_changed else [],
            "draft_changed": draft_changed,
        },
    )


def matching_page(request, public_id):
    mission = _get(request, public_id)
    check_roles(request, *STAFF)
    criteria = list(mission.criteria.all())
    ranked = matching.ranked(mission, criteria)
    page = Paginator(ranked, 25).get_page(request.GET.get("page"))
    matches = matching.explain(mission, page.object_list, criteria)
    record("missions.matching_read", request=request, target=mission)
    return render(
        request,
        "missions/matching.html",
        {
            "mission": mission,
            "page": page,
            "matches": matches,
            "criteria": criteria,
            "can_assign": has_role(request, Role.COORDINATOR)
            and mission.status != Mission.Status.CLOSED,
            "assignable": services.ASSIGNABLE_STATUSES,
        },
    )


@require_POST
def set_mission_policy(request, public_id):
    mission = _get(request, public_id)
    check_roles(request, Role.COORDINATOR)
    form = PolicyForm(request.POST)
    if form.is_valid():
        services.decide_policy(
            structure=mission.structure,
            mission=mission,
            actor=request.user,
            request=request,
            **form.cleaned_data,
        )
        messages.success(request, _("Indemnisation de la mission enregistrée."))
        return redirect("missions:detail", mission.public_id)
    return detail(request, public_id, status=422, forms_override={"policy": form})


@require_roles(*STAFF, Role.PARTNER)
def compensation(request):
    """The structure's compensation policy: shown to everyone, decided by the coordination."""
    is_coordinator = has_role(request, Role.COORDINATOR)
    current = services.structure_policy(request.structure)
    form = PolicyForm(request.POST or None) if is_coordinator else None
    if request.method == "POST":
        if not is_coordinator:
            raise PermissionDenied
        if form.is_valid():
            services.decide_policy(
                structure=request.structure,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
            messages.success(request, _("Décision d'indemnisation enregistrée."))
            return redirect("missions:compensation")
    history = list(
        CompensationPolicy.objects.filter(
            structure=request.structure, mission__isnull=True
        ).order_by("-decided_on", "-created_at")[:20]
    )
    return render(
        request,
        "missions/compensation.html",
        {
            "current": current,
            "summary": services.policy_summary(current) if current else "",
            "history": history,
            "form": form,
            "is_coordinator": is_coordinator,
        },
        status=form_status(form),
    )
