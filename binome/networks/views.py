"""Pages: self-assessment, HAS matrix, resources, campaigns, network dashboard, catalogue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.audit.services import record, save_recorded
from binome.core.forms import form_status
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, has_role, require_network, require_roles
from binome.core.public_forms import public_form
from binome.core.roles import STAFF, TEAM
from binome.networks import forms, services
from binome.networks import questionnaire as q
from binome.networks.models import (
    Campaign,
    ExchangeRequest,
    ImprovementAction,
    MatrixAnswer,
    MatrixDimension,
    MatrixSession,
    MaturityAssessment,
    ProjectCard,
    Resource,
)
from binome.networks.reports import (
    DASHBOARD_CACHE_SECONDS,
    MIN_GROUP,
    cached_network_dashboard,
    campaign_report,
)
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped, scopes_disabled


def _is_facilitator(request):
    return request.binome.network is not None


# --- self-assessment ---


@require_roles(*TEAM)
def assessments(request):
    history = list(
        MaturityAssessment.objects.filter(structure=request.structure)
        .only("public_id", "created_at", "level", "source", "structure_id")
        .order_by("created_at", "id")
    )
    for a in history:
        a.rank = q.level_rank(a.level)
    page = Paginator(list(reversed(history)), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/assessments.html",
        {
            "page": page,
            "progress": history[-12:],
            "chart": _progress_chart(history[-12:]),
            "can_assess": has_role(request, *STAFF),
            "level_help": q.LEVEL_HELP,
        },
    )


def _progress_chart(history):
    """Bars of the level reached at each assessment (level 1 to 4), for an inline SVG."""
    rows = [{"label": label, "y": 112 - 26 * (i + 1) + 4} for i, (_c, label) in enumerate(q.LEVELS)]
    bars = []
    for i, a in enumerate(history):
        h = 26 * a.rank
        bars.append(
            {
                "x": 100 + i * 26,
                "y": 112 - h,
                "h": h,
                "date": a.created_at.strftime("%m/%y"),
                "label": f"{a.created_at:%d/%m/%Y} : {a.get_level_display()}",
            }
        )
    return {"levels": rows, "bars": bars, "width": max(100 + 26 * len(history), 320)}


@require_roles(*STAFF)
def assessment_new(request):
    last = (
        MaturityAssessment.objects.filter(structure=request.structure)
        .order_by("-created_at", "-id")
        .first()
    )
    form = forms.QuestionnaireForm(request.POST or None, initial=last.answers if last else None)
    if request.method == "POST" and form.is_valid():
        assessment = services.create_assessment(
            structure=request.structure, answers=form.answers, actor=request.user, request=request
        )
        messages.success(
            request,
            _("Auto-évaluation enregistrée. Voici où en est l'équipe et les prochains petits pas."),
        )
        return redirect("networks:assessment_detail", public_id=assessment.public_id)
    return render(
        request,
        "networks/questionnaire.html",
        {
            "form": form,
            "title": _("Auto-évaluation de maturité"),
            "prefilled": last is not None,
        },
        status=form_status(form),
    )


def assessment_detail(request, public_id):
    assessment = get_object_or_404_scoped(
        MaturityAssessment.objects.select_related("structure"), public_id=public_id
    )
    check_roles(request, *TEAM)
    previous = (
        MaturityAssessment.objects.filter(
            structure=assessment.structure, created_at__lt=assessment.created_at
        )
        .order_by("-created_at", "-id")
        .first()
    )
    answered = []
    for _code, label, questions in q.questions_by_section():
        rows = []
        for question in questions:
            value = assessment.answers.get(question.code)
            if question.kind == "multi":
                shown = ", ".join(str(question.choice_labels.get(v, v)) for v in value or []) or _(
                    "Aucun"
                )
            elif question.kind == "single":
                shown = str(question.choice_labels.get(value, _("Sans réponse")))
            else:
                shown = value or "—"
            rows.append((question.label, shown))
        answered.append((label, rows))
    return render(
        request,
        "networks/assessment_detail.html",
        {
            "assessment": assessment,
            "guidance": services.guidance(assessment),
            "previous": previous,
            "progressed": previous is not None
            and q.level_rank(assessment.level) > q.level_rank(previous.level),
            "answered": answered,
            "level_help": q.LEVEL_HELP.get(assessment.level),
            "levels": q.LEVELS,
            "rank": q.level_rank(assessment.level),
        },
    )


# --- resource library ---


def resources(request):
    if not (has_role(request, *TEAM) or _is_facilitator(request)):
        raise PermissionDenied
    kind = request.GET.get("type", "")
    qs = Resource.objects.all()
    if kind in Resource.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/resources.html",
        {
            "page": page,
            "kinds": Resource.Kind.choices,
            "kind": kind,
            "can_edit": _is_facilitator(request),
        },
    )


@require_network
def resource_new(request):
    return _resource_form(request, Resource())


def resource_edit(request, public_id):
    # Only facilitators edit the library; for anyone else the edit page does not exist.
    if not _is_facilitator(request):
        raise Http404
    return _resource_form(request, get_object_or_404_scoped(Resource, public_id=public_id))


def _resource_form(request, resource):
    form = forms.ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        services.save_resource(form.save(commit=False), request=request)
        messages.success(request, _("La ressource est enregistrée."))
        return redirect("networks:resources")
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Modifier la ressource") if resource.pk else _("Nouvelle ressource"),
            "back": ("networks:resources", None, _("Ressources")),
        },
        status=form_status(form),
    )


# --- HAS maturity matrix ---


def dimensions(request):
    if not (has_role(request, *TEAM) or _is_facilitator(request)):
        raise PermissionDenied
    return render(
        request,
        "networks/dimensions.html",
        {
            "dimensions": services.in_axis_order(MatrixDimension.objects.all()),
            "can_edit": _is_facilitator(request),
        },
    )


def dimension_edit(request, pk):
    # Facilitators keep the matrix's wording; for anyone else the edit page does not exist.
    if not _is_facilitator(request):
        raise Http404
    dimension = get_object_or_404_scoped(MatrixDimension, pk=pk)
    form = forms.DimensionForm(request.POST or None, instance=dimension)
    if request.method == "POST" and form.is_valid():
        save_recorded(form=form, kind="networks.dimension_saved", request=request, structure=None)
        messages.success(request, _("La dimension est enregistrée."))
        return redirect("networks:dimensions")
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Modifier la dimension"),
            "back": ("networks:dimensions", None, _("Dimensions de la matrice")),
        },
        status=form_status(form),
    )


@require_roles(*TEAM)
def matrix_list(request):
    sessions = (
        MatrixSession.objects.filter(structure=request.structure)
        .annotate(
            n_actions=Count("actions", distinct=True),
            n_open=Count(
                "actions", filter=Q(actions__status__in=["planned", "doing"]), distinct=True
            ),
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/matrix_list.html",
        {"page": page, "can_create": has_role(request, Role.COORDINATOR)},
    )


@require_roles(Role.COORDINATOR)
def matrix_new(request):
    form = forms.MatrixSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = services.open_matrix(
            structure=request.structure, actor=request.user, request=request, **form.cleaned_data
        )
        messages.success(
            request,
            _("La matrice est ouverte : chaque membre répond seul, puis l'équipe se réunit."),
        )
        return redirect("networks:matrix_detail", public_id=session.public_id)
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Nouvelle matrice de maturité en équipe"),
            "back": ("networks:matrix_list", None, _("Matrices")),
            "intro": _(
                "La matrice de maturité de la HAS se remplit en deux temps : chacun répond seul, puis l'équipe "
                "s'accorde sur un niveau par dimension et transforme les écarts en actions d'amélioration."
            ),
        },
        status=form_status(form),
    )


def _session(request, public_id):
    session = get_object_or_404_scoped(
        MatrixSession.objects.select_related("structure"), public_id=public_id
    )
    check_roles(request, *TEAM)
    return session


def matrix_detail(request, public_id):
    session = _session(request, public_id)
    dimensions = services.session_dimensions(session)
    me = request.binome.membership(Role.COORDINATOR) or next(
        iter(request.binome.current_memberships), None
    )
    my_answers = {
        a.dimension_id: a
        for a in MatrixAnswer.objects.filter(session=session, membership__user=request.user)
    }
    # Before the consensus meeting, members see how many answered and the spread, not who said what.
    spread = {}
    for row in (
        MatrixAnswer.objects.filter(session=session)
        .values("dimension", "level")
        .annotate(n=Count("id"))
        .order_by("level")
    ):
        spread.setdefault(row["dimension"], []).append((row["level"], row["n"]))
    respondents = (
        MatrixAnswer.objects.filter(session=session).values("membership").distinct().count()
    )
    consensus = {c.dimension_id: c for c in session.consensus.all()}
    rows = [
        {
            "dimension": d,
            "mine": my_answers.get(d.pk),
            "spread": spread.get(d.pk, []),
            "consensus": consensus.get(d.pk),
        }
        for d in dimensions
    ]
    return render(
        request,
        "networks/matrix_detail.html",
        {
            "session": session,
            "rows": rows,
            "respondents": respondents,
            "me": me,
            "is_coordinator": has_role(request, Role.COORDINATOR),
            "actions": session.actions.select_related("dimension", "owner__user"),
            "gaps": [r for r in rows if r["consensus"] and r["consensus"].has_gap],
        },
    )


def matrix_answer(request, public_id):
    session = _session(request, public_id)
    membership = next(
        (m for m in request.binome.current_memberships if m.role != Role.PATIENT), None
    )
    dimensions = services.session_dimensions(session)
    mine = {
        a.dimension_id: a
        for a in MatrixAnswer.objects.filter(session=session, membership=membership)
    }
    initial = {f"comment_{d.code}": mine[d.pk].comment for d in dimensions if d.pk in mine}
    form = forms.MatrixAnswerForm(
        request.POST or None,
        dimensions=dimensions,
        initial=initial,
        initial_levels={d.code: mine[d.pk].level for d in dimensions if d.pk in mine},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_my_answers(
                session, membership, form.values("level"), form.values("comment"), request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Vos réponses sont enregistrées. Elles restent personnelles jusqu'à la réunion d'équipe."
                ),
            )
            return redirect("networks:matrix_detail", public_id=session.public_id)
    return render(
        request,
        "networks/matrix_form.html",
        {
            "form": form,
            "session": session,
            "title": _("Mes réponses"),
            "intro": _(
                "Répondez seul, sans vous concerter : c'est la confrontation des réponses qui fait la richesse de la réunion."
            ),
        },
        status=form_status(form),
    )


def matrix_consensus(request, public_id):
    session = _session(request, public_id)
    check_roles(request, Role.COORDINATOR)
    dimensions = services.session_dimensions(session)
    agreed = {c.dimension_id: c for c in session.consensus.all()}
    initial = {}
    for d in dimensions:
        if d.pk in agreed:
            initial[f"target_{d.code}"] = agreed[d.pk].target_level
            initial[f"comment_{d.code}"] = agreed[d.pk].note
    form = forms.MatrixAnswerForm(
        request.POST or None,
        dimensions=dimensions,
        target=True,
        initial=initial,
        initial_levels={d.code: agreed[d.pk].level for d in dimensions if d.pk in agreed},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_consensus(
                session,
                form.values("level"),
                form.values("target"),
                form.values("comment"),
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Le consensus est enregistré. Transformez maintenant les écarts en actions."),
            )
            return redirect("networks:matrix_detail", public_id=session.public_id)
    return render(
        request,
        "networks/matrix_form.html",
        {
            "form": form,
            "session": session,
            "title": _("Consensus de l'équipe"),
            "intro": _(
                "Pour chaque dimension : le niveau sur lequel l'équipe s'accorde et, s'il y a lieu, le niveau visé."
            ),
        },
        status=form_status(form),
    )


def matrix_action_new(request, public_id):
    session = _session(request, public_id)
    check_roles(request, Role.COORDINATOR)
    form = forms.ImprovementActionForm(
        request.POST or None,
        structure=session.structure,
        dimensions=MatrixDimension.objects.filter(
            pk__in=[d.pk for d in services.session_dimensions(session)]
        ),
        initial={"dimension": request.GET.get("dimension")},
    )
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.session = session
        save_recorded(action, "networks.matrix_action_saved", request=request)
        messages.success(request, _("L'action d'amélioration est enregistrée."))
        return redirect("networks:matrix_detail", public_id=session.public_id)
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Nouvelle action d'amélioration"),
            "back": ("networks:matrix_detail", session.public_id, session.title),
        },
        status=form_status(form),
    )


def matrix_action_review(request, public_id):
    action = get_object_or_404_scoped(
        ImprovementAction.objects.select_related("session"), public_id=public_id
    )
    check_roles(request, Role.COORDINATOR)
    form = forms.ActionReviewForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        save_recorded(
            form=form,
            kind="networks.matrix_action_saved",
            request=request,
            status=form.instance.status,
        )
        messages.success(request, _("La revue de l'action est enregistrée."))
        return redirect("networks:matrix_detail", public_id=action.session.public_id)
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Revue : %(t)s") % {"t": action.title},
            "back": ("networks:matrix_detail", action.session.public_id, action.session.title),
        },
        status=form_status(form),
    )


# --- campaigns (facilitators) ---


@require_network
def campaigns(request):
    qs = (
        Campaign.objects.for_networks(request.binome.networks)
        .select_related("network")
        .annotate(
            n_invited=Count("invitations", distinct=True),
            n_answered=Count("responses", distinct=True),
        )
        .order_by("-opens_on", "-id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "networks/campaigns.html", {"page": page})


@require_network
def campaign_new(request):
    form = forms.CampaignForm(
        request.POST or None,
        initial={
            "title": _("Implication des usagers dans les équipes — état des lieux"),
            "introduction": _(
                "Notre réseau fait le point sur l'implication des usagers dans les équipes de soins primaires "
                "de la région. Merci de prendre une vingtaine de minutes pour répondre, au nom de votre équipe."
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        campaign = services.create_campaign(
            form.save(commit=False),
            network=request.binome.network,
            actor=request.user,
            request=request,
        )
        messages.success(
            request,
            _(
                "Campagne créée : les structures adhérentes du réseau sont invitées. Ajoutez les autres, puis envoyez."
            ),
        )
        return redirect("networks:campaign_detail", public_id=campaign.public_id)
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Nouvelle campagne"),
            "back": ("networks:campaigns", None, _("Campagnes")),
        },
        status=form_status(form),
    )


def _campaign(request, public_id):
    # 404 outside the caller's networks, whatever the role.
    campaign = get_object_or_404_scoped(
        Campaign.objects.for_networks(request.binome.networks).select_related("network"),
        public_id=public_id,
    )
    return campaign


def campaign_detail(request, public_id):
    campaign = _campaign(request, public_id)
    invitations = campaign.invitations.order_by("responded_at", "name", "id")
    status = request.GET.get("etat", "")
    if status == "attente":
        invitations = invitations.filter(responded_at__isnull=True)
    elif status == "repondu":
        invitations = invitations.filter(responded_at__isnull=False)
    page = Paginator(invitations, 50).get_page(request.GET.get("page"))
    for inv in page.object_list:
        inv.link = services.campaign_link(inv)
    counts = campaign.invitations.aggregate(
        invited=Count("id"),
        answered=Count("id", filter=Q(responded_at__isnull=False)),
        unsent=Count("id", filter=Q(sent_at__isnull=True)),
    )
    return render(
        request,
        "networks/campaign_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "counts": counts,
            "status": status,
            "form": forms.UnlistedStructureForm(),
        },
    )


@require_POST
def campaign_invite(request, public_id):
    campaign = _campaign(request, public_id)
    n = services.invite_affiliated(campaign, request=request)
    messages.success(request, _("%(n)s structure(s) adhérente(s) ajoutée(s).") % {"n": n})
    return redirect("networks:campaign_detail", public_id=campaign.public_id)


def campaign_add_structure(request, public_id):
    campaign = _campaign(request, public_id)
    form = forms.UnlistedStructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invite_unlisted(campaign, request=request, **form.cleaned_data)
        messages.success(request, _("La structure est invitée."))
        return redirect("networks:campaign_detail", public_id=campaign.public_id)
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Inviter une structure sans compte Binôme"),
            "back": ("networks:campaign_detail", campaign.public_id, campaign.title),
            "intro": _(
                "Elle recevra un lien personnel vers le questionnaire ; aucun compte n'est nécessaire."
            ),
        },
        status=form_status(form),
    )


@require_POST
def campaign_send(request, public_id):
    campaign = _campaign(request, public_id)
    n = services.send_invitations(campaign, request=request)
    if n == 0:
        messages.warning(
            request,
            _(
                "Aucune invitation à envoyer : elles sont toutes parties. Ajoutez d'autres structures d'abord."
            ),
        )
    else:
        messages.success(
            request,
            _("%(n)s invitation(s) envoyée(s). Les relances partent ensuite automatiquement.")
            % {"n": n},
        )
    return redirect("networks:campaign_detail", public_id=campaign.public_id)


def campaign_report_view(request, public_id):
    campaign = _campaign(request, public_id)
    report = campaign_report(campaign)
    return render(
        request,
        "networks/campaign_report.html",
        {
            "campaign": campaign,
            "report": report,
            "min_group": MIN_GROUP,
            "questions": q.BY_CODE,
            "level_labels": [label for _c, label in q.LEVELS],
        },
    )


def campaign_report_pdf(request, public_id):
    from binome.networks import documents

    campaign = _campaign(request, public_id)
    pdf = documents.report_pdf(campaign, campaign_report(campaign), request)
    record(
        "networks.report_exported", request=request, structure=None, target=campaign, format="pdf"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="campagne-{campaign.opens_on:%Y-%m-%d}.pdf"'
    )
    return response


def campaign_report_xlsx(request, public_id):
    from binome.networks import documents

    campaign = _campaign(request, public_id)
    data = documents.report_xlsx(campaign, campaign_report(campaign))
    record(
        "networks.report_exported", request=request, structure=None, target=campaign, format="xlsx"
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="campagne-{campaign.opens_on:%Y-%m-%d}.xlsx"'
    )
    return response


@login_not_required
@public_form
def public_answer(request, token):
    with scopes_disabled():
        invitation = services.invitation_for_token(token)
        if invitation is None:
            return render(request, "networks/public_closed.html", {"reason": "unknown"}, status=404)
        campaign = invitation.campaign
        if invitation.responded_at is not None:
            return render(
                request, "networks/public_closed.html", {"reason": "answered", "campaign": campaign}
            )
        if not campaign.is_open():
            return render(
                request,
                "networks/public_closed.html",
                {"reason": "closed", "campaign": campaign},
                status=410,
            )
        form = forms.QuestionnaireForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_response(invitation, form.answers, request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return render(
                    request,
                    "networks/public_closed.html",
                    {"reason": "thanks", "campaign": campaign},
                )
        return render(
            request,
            "networks/questionnaire.html",
            {
                "form": form,
                "title": campaign.title,
                "campaign": campaign,
                "invitation": invitation,
                "public": True,
            },
            status=form_status(form),
        )


# --- network dashboard ---


@require_network
def dashboard(request):
    network = request.binome.network
    data = cached_network_dashboard(network)
    return render(
        request,
        "networks/dashboard.html",
        {
            "network": network,
            "data": data,
            "cache_minutes": DASHBOARD_CACHE_SECONDS // 60,
        },
    )


# --- catalogue and map ---


def _catalogue_reader(request):
    if not (has_role(request, *TEAM) or _is_facilitator(request)):
        raise PermissionDenied


def catalogue(request):
    from binome.networks import francemap

    _catalogue_reader(request)
    form = forms.CatalogueFilterForm(request.GET or None)
    qs = ProjectCard.catalogue.published().select_related("structure")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(
                Q(title__icontains=data["q"])
                | Q(what__icontains=data["q"])
                | Q(results__icontains=data["q"])
            )
        for key in ("theme", "level", "region"):
            if data[key]:
                qs = qs.filter(**{key: data[key]})
        department = request.GET.get("departement", "")
        if department and len(department) <= 3:
            qs = qs.filter(department=department)
    counts = dict(
        qs.values_list("department")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("department", "n")
    )
    paginator = Paginator(qs, 20)
    paginator.count = sum(counts.values())  # the same rows as the map's counts: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("departement", None)
    department = request.GET.get("departement", "")
    france = francemap.markers(counts)
    return render(
        request,
        "networks/catalogue.html",
        {
            "form": form,
            "page": page,
            "map": france,
            "query": query.urlencode(),
            "department": department,
            "markers_svg": francemap.markers_svg(france["markers"], query.urlencode(), department),
        },
    )


def _card_visible(request, public_id):
    """Published cards, and the team's own drafts; nothing for callers with neither a team nor a network."""
    if request.structure is None and not _is_facilitator(request):
        raise Http404
    own = [request.structure.pk] if request.structure else []
    return get_object_or_404_scoped(
        ProjectCard.catalogue.filter(Q(is_published=True) | Q(structure__in=own)).select_related(
            "structure"
        ),
        public_id=public_id,
    )


def card_detail(request, public_id):
    card = _card_visible(request, public_id)
    _catalogue_reader(request)
    mine = request.structure is not None and card.structure_id == request.structure.pk
    return render(
        request,
        "networks/card_detail.html",
        {
            "card": card,
            "mine": mine,
            "show_contact": has_role(request, *TEAM),
            "can_ask": not mine
            and card.is_published
            and has_role(request, Role.COORDINATOR, Role.PROFESSIONAL),
        },
    )


@require_roles(Role.COORDINATOR)
def my_cards(request):
    page = Paginator(ProjectCard.objects.filter(structure=request.structure), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "networks/my_cards.html", {"page": page})


@require_roles(Role.COORDINATOR)
def card_new(request):
    return _card_form(request, ProjectCard(structure=request.structure))


def card_edit(request, public_id):
    card = get_object_or_404_scoped(
        ProjectCard.objects.select_related("structure"), public_id=public_id
    )
    check_roles(request, Role.COORDINATOR)
    return _card_form(request, card)


def _card_form(request, card):
    form = forms.ProjectCardForm(request.POST or None, instance=card)
    if request.method == "POST" and form.is_valid():
        services.save_card(form.instance, request=request)
        messages.success(
            request,
            _(
                "La fiche est enregistrée. Elle n'est visible des autres équipes qu'une fois publiée."
            ),
        )
        return redirect("networks:card_detail", public_id=card.public_id)
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Modifier la fiche projet") if card.pk else _("Nouvelle fiche projet"),
            "back": ("networks:my_cards", None, _("Nos fiches projet")),
            "intro": _(
                "Décrivez le projet sans nommer de personne : rôles et fonctions suffisent."
            ),
        },
        status=form_status(form),
    )


@require_POST
def card_publish(request, public_id):
    card = get_object_or_404_scoped(
        ProjectCard.objects.select_related("structure"), public_id=public_id
    )
    check_roles(request, Role.COORDINATOR)
    publish = request.POST.get("publish") == "1"
    services.publish_card(card, publish, request=request)
    messages.success(
        request,
        _("La fiche est publiée au catalogue.")
        if publish
        else _("La fiche est retirée du catalogue."),
    )
    return redirect("networks:card_detail", public_id=card.public_id)


def exchange_new(request, public_id):
    if request.structure is None:
        raise Http404  # an exchange is asked by a team
    card = _card_visible(request, public_id)
    if card.structure_id == request.structure.pk:
        raise Http404
    check_roles(request, Role.COORDINATOR, Role.PROFESSIONAL)
    form = forms.ExchangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_exchange(
                card,
                from_structure=request.structure,
                message=form.cleaned_data["message"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Votre demande est envoyée à l'équipe ; sa réponse apparaîtra dans « Échanges »."
                ),
            )
            return redirect("networks:exchanges")
    return render(
        request,
        "networks/form.html",
        {
            "form": form,
            "title": _("Demander un échange : %(t)s") % {"t": card.title},
            "back": ("networks:card_detail", card.public_id, card.title),
            "intro": _(
                "Partager l'expérience entre une équipe qui débute et une équipe plus avancée (enquête Fécop 2024)."
            ),
        },
        status=form_status(form),
    )


@require_roles(Role.COORDINATOR, Role.PROFESSIONAL)
def exchanges(request):
    s = request.structure
    base = ExchangeRequest.objects.select_related("card__structure", "from_structure", "created_by")
    received = base.filter(card__structure=s)
    sent = base.filter(from_structure=s)
    return render(
        request,
        "networks/exchanges.html",
        {
            "received": Paginator(received, 50).get_page(request.GET.get("page")),
            "sent": sent[:50],
            "can_answer": has_role(request, Role.COORDINATOR),
        },
    )


@require_POST
def exchange_answer(request, public_id):
    exchange = get_object_or_404_scoped(
        ExchangeRequest.objects.filter(card__structure=request.structure).select_related("card"),
        public_id=public_id,
    )
    check_roles(request, Role.COORDINATOR)
    form = forms.ExchangeAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez d'accepter ou de décliner l'échange."))
        response = exchanges(request)
        response.status_code = 422
        return response
    services.answer_exchange(
        exchange,
        accept=form.cleaned_data["accept"],
        answer=form.cleaned_data["answer"],
        request=request,
    )
    messages.success(request, _("Votre réponse est enregistrée."))
    return redirect("networks:exchanges")
