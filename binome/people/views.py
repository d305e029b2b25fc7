from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.audit.services import record, save_recorded
from binome.core.forms import form_status
from binome.core.kept_sql import KeptList
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, has_role, require_roles
from binome.core.roles import STAFF
from binome.core.rows import render_rows
from binome.people import services
from binome.people.forms import InvitationForm, MemberFilterForm, StructureForm
from binome.people.models import Invitation, Membership, Role, User, choice_label
from binome.people.scoping import get_object_or_404_scoped


def _members(structure_id):
    # Membership is not scoped by django-scopes (it defines the scope): filter explicitly.
    return Membership.objects.active().filter(structure_id=structure_id)


def _team(structure_id, role="", profession=""):
    """The team of a structure, a filter applied; built from its arguments alone (the
    list keeps its SQL, binome.core.kept_sql)."""
    # Patients are never listed to the team here: the accompaniment pages handle them.
    team = _members(structure_id).exclude(role=Role.PATIENT)
    if role:
        team = team.filter(role=role)
    if profession:
        team = team.filter(profession=profession)
    return team


# What a row of the team shows, read as tuples: a membership and its user built for each of
# fifty rows cost more than the page's queries.
MEMBER_COLUMNS = (
    "public_id",
    "role",
    "profession",
    "user_id",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__phone",
    "user__rpps",
    "user__rpps_verified_at",
)


def _member_row(values, viewer):
    """A row of the team as texts, for the rows' template (people/rows/members.html)."""
    (public_id, role, profession, user_id, first, last, email, phone, rpps, verified_at) = values
    full_name = User.full_name_of(first, last)
    return {
        "public_id": public_id,
        "name": full_name or email,
        "full_name": full_name,
        "role": choice_label(Role, role),
        "profession": Membership.profession_label_of(profession),
        "rpps": rpps,
        "rpps_verified": verified_at is not None,
        "email": email,
        "phone": phone,
        "is_viewer": user_id == viewer.pk,
    }


def _members_context(request, filters, invite_form=None):
    role = profession = ""
    if filters.is_bound and filters.is_valid():
        role, profession = filters.cleaned_data["role"], filters.cleaned_data["profession"]
    structure_id = request.structure.pk
    paginator = Paginator(
        KeptList(
            "people.members",
            (structure_id, role, profession),
            lambda: (
                _team(structure_id, role, profession)
                .order_by("user__last_name", "user__first_name", "role", "id")
                .values_list(*MEMBER_COLUMNS)
            ),
            counted=lambda: _team(structure_id, role, profession),
        ),
        50,
    )
    page = paginator.get_page(request.GET.get("page"))
    is_coordinator = has_role(request, Role.COORDINATOR)
    query = request.GET.copy()
    query.pop("page", None)
    rows = [_member_row(m, request.user) for m in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "rows_html": render_rows(
            "people/rows/members.html", request, rows=rows, is_coordinator=is_coordinator
        ),
        "filters": filters,
        "is_coordinator": is_coordinator,
        "query": query.urlencode(),
    }
    if is_coordinator:
        context["invitations"] = (
            Invitation.objects.pending()
            .filter(structure=request.structure)
            .select_related("invited_by")[:50]
        )
        context["invite_form"] = invite_form or InvitationForm()
    return context


@require_roles(*STAFF, Role.PARTNER, Role.USER_REP)
def members(request):
    """The team: everyone may see who is in it; coordinators manage it."""
    filters = MemberFilterForm(request.GET or None, auto_id="filtre_%s")
    context = _members_context(request, filters)
    record("people.members_read", request=request)
    template = (
        "people/includes/member_rows.html"
        if request.htmx and request.htmx.target == "member-rows"
        else "people/members.html"
    )
    return render(request, template, context)


@require_roles(Role.COORDINATOR)
@require_POST
def invite(request):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invite(
                structure=request.structure,
                invited_by=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("people:members")
    filters = MemberFilterForm(auto_id="filtre_%s")
    context = _members_context(request, filters, invite_form=form)
    return render(request, "people/members.html", context, status=422)


@require_POST
def revoke_invitation(request, public_id):
    invitation = get_object_or_404_scoped(
        Invitation.objects.filter(structure=request.structure), public_id=public_id
    )
    check_roles(request, Role.COORDINATOR)
    services.revoke_invitation(invitation, actor=request.user, request=request)
    messages.success(request, _("Invitation annulée."))
    return redirect("people:members")


@require_POST
def deactivate_member(request, public_id):
    membership = get_object_or_404_scoped(
        _members(getattr(request.structure, "pk", None)).select_related("user"),
        public_id=public_id,
    )
    check_roles(request, Role.COORDINATOR)
    try:
        services.deactivate_membership(membership, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s ne fait plus partie de l'équipe avec ce rôle.") % {"name": membership.user},
        )
    return redirect("people:members")


@require_roles(*STAFF, Role.PARTNER, Role.USER_REP)
def structure_detail(request):
    is_coordinator = has_role(request, Role.COORDINATOR)
    form = (
        StructureForm(request.POST or None, instance=request.structure) if is_coordinator else None
    )
    if request.method == "POST":
        if not is_coordinator:
            return render(request, "403.html", status=403)
        if form.is_valid():
            save_recorded(
                form=form,
                kind="people.structure_updated",
                request=request,
                fields=sorted(form.changed_data),
            )
            messages.success(request, _("La fiche de la structure est enregistrée."))
            return redirect("people:structure")
    networks = request.structure.affiliations.opted_in().select_related("network")
    return render(
        request,
        "people/structure.html",
        {"form": form, "structure": request.structure, "affiliations": networks},
        status=form_status(form),
    )
