"""Pages of the partner pool, recruitment pipeline and charter (signed-in team)."""

import mimetypes
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.audit.services import record
from binome.core import kept_sql
from binome.core.forms import form_status
from binome.core.kept_sql import KeptList
from binome.core.pagination import Paginator
from binome.core.pdf import render_pdf
from binome.core.permissions import check_roles, has_role, require_roles
from binome.core.qr import qr_svg_data_uri
from binome.core.roles import STAFF
from binome.core.rows import render_rows
from binome.partners import pool as shared_pool
from binome.partners import services
from binome.partners.charter_text import DEFAULT_TEXT, DEFAULT_TITLE
from binome.partners.forms import (
    CharterForm,
    CriterionForm,
    DecisionForm,
    EvaluationForm,
    MeetingNoteForm,
    PoolFilterForm,
    ProfileForm,
    RecordSignatureForm,
    RecruitmentCallForm,
    TeamPartnerForm,
    TrainingForm,
)
from binome.partners.load import load_expression
from binome.partners.models import (
    Charter,
    CharterSignature,
    Evaluation,
    EvaluationCriterion,
    MeetingNote,
    Partner,
    PartnerTag,
    PoolMembership,
    RecruitmentCall,
    Training,
)
from binome.partners.templatetags.partner_badges import partner_status_badge
from binome.people.models import Membership, Role, choice_label
from binome.people.scoping import CURRENT_STRUCTURE_SESSION_KEY, get_object_or_404_scoped


def _get_partner(request, public_id, qs=None):
    """404 outside the current structure; a partner never sees another partner's record
    (404); other roles without access get 403."""
    qs = qs if qs is not None else Partner.objects.all()
    partner = get_object_or_404_scoped(qs.filter(structure=request.structure), public_id=public_id)
    return _allowed_partner(request, partner)


def _allowed_partner(request, partner):
    if _is_self(request, partner) or has_role(request, *STAFF):
        return partner
    if has_role(request, Role.PARTNER):
        raise Http404
    raise PermissionDenied


def pool_copy_refusal(partner) -> list[str]:
    try:
        services.refuse_on_pool_copy(partner)
    except ValidationError as exc:
        return exc.messages
    return []


def _is_self(request, partner):
    return partner.membership_id is not None and partner.membership_id in {
        m.pk for m in request.binome.current_memberships
    }


def _load_annotation():
    return load_expression()


def _count_of(model, field):
    """How many rows of ``model`` point to the outer row by ``field`` (0 when none)."""
    rows = (
        model._base_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


# --- pool ---------------------------------------------------------------------------------


POOL_COLUMNS = (
    "pk",
    "public_id",
    "first_name",
    "last_name",
    "status",
    "pool_origin_id",
    "max_active_accompaniments",
    "load",
)
LISTED_TAG_KINDS = (PartnerTag.Kind.SKILL, PartnerTag.Kind.LANGUAGE)


def _pool_rows(structure_id, status, q):
    """The pool (or the partners at one stage), a search applied: rows of POOL_COLUMNS,
    built from the arguments alone (their SQL is kept, binome.core.kept_sql)."""
    if status:
        queryset = Partner.objects.filter(structure_id=structure_id, status=status)
    else:
        queryset = Partner.objects.filter(structure_id=structure_id).in_pool()
    if q:
        queryset = queryset.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(tags__kind__in=LISTED_TAG_KINDS, tags__label__icontains=q)
        ).distinct()
    return (
        queryset.annotate(load=_load_annotation())
        .order_by("last_name", "first_name", "pk")
        .values_list(*POOL_COLUMNS)
    )


def _listed_tags(partner_ids) -> dict:
    """The skills and languages of these partners, per partner (in the tags' order)."""
    tags: dict = {pk: [] for pk in partner_ids}
    rows = kept_sql.rows(
        "partners.pool.tags",
        tuple(partner_ids),
        lambda: PartnerTag.objects.filter(
            partner_id__in=partner_ids, kind__in=LISTED_TAG_KINDS
        ).values_list("partner_id", "label"),
    )
    for partner_id, label in rows:
        tags[partner_id].append(label)
    return tags


@require_roles(*STAFF)
def pool(request):
    filters = PoolFilterForm(request.GET or None)
    counts = dict(
        kept_sql.rows(
            "partners.pool.counts",
            (request.structure.pk,),
            lambda: (
                Partner.objects.filter(structure_id=request.structure.pk)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
        )
    )
    # The number of people listed, known from the counts by status unless a text is searched.
    total = sum(
        n for s, n in counts.items() if s not in (Partner.Status.CANDIDATE, Partner.Status.ENDED)
    )
    status, q = "", ""
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        if status:
            total = counts.get(status, 0)
        q = filters.cleaned_data["q"].strip()
        if q:
            total = None
    key = (request.structure.pk, status, q)
    paginator = Paginator(
        KeptList("partners.pool", key, lambda: _pool_rows(request.structure.pk, status, q)), 50
    )
    if total is not None:
        paginator.count = total  # no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    tags = _listed_tags([row[0] for row in page.object_list])
    partners = [
        SimpleNamespace(
            public_id=public_id,
            full_name=Partner.full_name_of(first_name, last_name),
            status=partner_status,
            status_label=choice_label(Partner.Status, partner_status),
            pool_origin_id=pool_origin_id,
            listed_tags=tags[pk],
            # Whole numbers as text: each number a template shows goes through localisation.
            load_text=f"{load} / {ceiling}",
        )
        for pk, public_id, first_name, last_name, partner_status, pool_origin_id, ceiling, load in (
            page.object_list
        )
    ]
    record("partners.pool_read", request=request)
    return render(
        request,
        "partners/pool.html",
        {
            "page": page,
            "rows_html": render_rows(
                "partners/rows/pool.html",
                request,
                partners=partners,
                status_badge=partner_status_badge,
            ),
            "filters": filters,
            "status_counts": [(v, lbl, counts.get(v, 0)) for v, lbl in Partner.Status.choices],
            "is_coordinator": has_role(request, Role.COORDINATOR),
            "query": f"status={status}" if status else "",
        },
    )


@require_roles(*STAFF)
def pipeline(request):
    """Candidacies by stage, newest first (the recruitment pipeline)."""
    structure_id = request.structure.pk
    rows = KeptList(
        "partners.pipeline",
        (structure_id,),
        lambda: (
            Partner.objects.filter(structure_id=structure_id, status__in=Partner.PIPELINE_STATUSES)
            # Correlated counts rather than joins + GROUP BY: the paginator's COUNT stays plain.
            .annotate(
                n_notes=_count_of(MeetingNote, "partner"),
                n_evaluations=_count_of(Evaluation, "partner"),
            )
            .order_by("-submitted_at", "pk")
            .values_list(
                "public_id",
                "first_name",
                "last_name",
                "status",
                "source",
                "submitted_at",
                "n_notes",
                "n_evaluations",
            )
        ),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    columns = {s: [] for s in Partner.PIPELINE_STATUSES}
    for public_id, first, last, status, source, submitted_at, n_notes, n_evals in page:
        columns[status].append(
            SimpleNamespace(
                public_id=public_id,
                full_name=Partner.full_name_of(first, last),
                source_label=choice_label(Partner.Source, source),
                submitted_at=submitted_at,
                n_notes=n_notes,
                n_evaluations=n_evals,
            )
        )
    record("partners.pool_read", request=request, view="pipeline")
    return render(
        request,
        "partners/pipeline.html",
        {
            "page": page,
            "columns": [
                (
                    Partner.Status(s).label,
                    s,
                    len(columns[s]),
                    render_rows("partners/rows/pipeline.html", request, candidacies=columns[s]),
                )
                for s in Partner.PIPELINE_STATUSES
            ],
        },
    )


@require_roles(Role.COORDINATOR)
def create(request):
    form = TeamPartnerForm(request.POST or None, structure=request.structure)
    if request.method == "POST" and form.is_valid():
        partner = services.create_team_partner(
            request.structure, request.POST.dict(), request=request
        )
        messages.success(request, _("La fiche de %(name)s est créée.") % {"name": partner})
        return redirect("partners:detail", partner.public_id)
    return render(request, "partners/create.html", {"form": form}, status=form_status(form))


# --- one partner --------------------------------------------------------------------------


def _with_charter_status(qs):
    """The partner's latest charter signature and the structure's current version, read
    with the partner: the sheet says whether the current charter is signed."""
    latest = CharterSignature.objects.filter(partner=OuterRef("pk")).order_by("-signed_at")
    current = Charter.objects.filter(structure=OuterRef("structure")).order_by("-version")
    return qs.annotate(
        signed_version=Subquery(latest.values("charter__version")[:1]),
        signed_at=Subquery(latest.values("signed_at")[:1]),
        signed_method=Subquery(latest.values("method")[:1]),
        current_charter_version=Subquery(current.values("version")[:1]),
    )


def _sheet_query(structure_id, public_id):
    return _with_charter_status(
        Partner.objects.select_related(
            "membership__user", "supervisor__user", "pool_origin__structure"
        ).filter(structure=structure_id, public_id=public_id)
    )


def detail(request, public_id):
    # The sheet reads through kept SQL (binome.core.kept_sql), compiled once for every
    # partner: the partner, its tags and trainings, the team's follow-up.
    if request.structure is None:
        raise Http404
    partner = kept_sql.one(
        "partners.sheet", (), _sheet_query, args=(request.structure.pk, public_id)
    )
    if partner is None:
        raise Http404
    partner = _allowed_partner(request, partner)
    reads = services.SheetReads(partner.pk)
    kept_sql.cache_prefetched(partner, "tags", reads.tags())
    kept_sql.cache_prefetched(partner, "trainings", reads.trainings())
    is_self = _is_self(request, partner)
    if not is_self:
        check_roles(request, *STAFF)
    is_staff = has_role(request, *STAFF)
    is_coordinator = has_role(request, Role.COORDINATOR)
    # A partner can preview their record as the team sees it.
    preview = is_self and request.GET.get("vue") == "equipe"
    parts = services.visible_parts(
        partner, is_self=is_self and not preview, roles=() if preview else request.binome.roles
    )
    tags = {
        kind: [t for t in partner.tags.all() if t.kind == kind] for kind in PartnerTag.Kind.values
    }
    if not parts["conditions"]:
        tags[PartnerTag.Kind.CONDITION] = []
    context = {
        "partner": partner,
        "is_self": is_self,
        "is_staff": is_staff,
        "preview": preview,
        "is_coordinator": is_coordinator,
        "parts": parts,
        "tags": tags,
        "trainings": list(partner.trainings.all()),
    }
    if is_staff:
        criteria = services.evaluation_grid(partner, request.user)
        mine = {
            c.pk: Evaluation(rating=c.my_rating, comment=c.my_comment)
            for c in criteria
            if c.my_rating
        }
        context.update(
            notes=reads.meeting_notes(),
            decisions=reads.decisions(),
            evaluation_form=EvaluationForm(criteria=criteria, existing=mine),
            evaluation_criteria=criteria,
            note_form=MeetingNoteForm(initial={"met_on": timezone.localdate()}),
            decision_form=DecisionForm(partner=partner),
            assignments=reads.assignments(),
            signed_method=CharterSignature.Method(partner.signed_method).label
            if partner.signed_method
            else "",
        )
    if is_self or is_coordinator:
        context["training_form"] = TrainingForm()
    record("partners.profile_read", request=request, target=partner, own=is_self)
    return render(request, "partners/detail.html", context)


def _staff_partner(request, public_id, *roles):
    partner = _get_partner(request, public_id)
    check_roles(request, *(roles or STAFF))
    return partner


def edit_team(request, public_id):
    partner = _staff_partner(request, public_id, Role.COORDINATOR)
    form = TeamPartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        services.save_team_part(partner, form, request=request)
        messages.success(request, _("La fiche est enregistrée."))
        return redirect("partners:detail", partner.public_id)
    return render(
        request,
        "partners/edit_team.html",
        {"form": form, "partner": partner},
        status=form_status(form),
    )


@require_POST
def decide(request, public_id):
    partner = _staff_partner(request, public_id, Role.COORDINATOR)
    form = DecisionForm(request.POST, partner=partner)
    if form.is_valid():
        try:
            services.decide(
                partner,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _detail_with_error(request, partner)
        messages.success(
            request, _("Décision enregistrée : %(s)s.") % {"s": partner.get_status_display()}
        )
        return redirect("partners:detail", partner.public_id)
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _detail_with_error(request, partner)


def _detail_with_error(request, partner):
    response = detail(request, partner.public_id)
    response.status_code = 422
    return response


@require_POST
def add_meeting(request, public_id):
    partner = _staff_partner(request, public_id)
    form = MeetingNoteForm(request.POST)
    if form.is_valid():
        services.add_meeting_note(partner, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Compte rendu enregistré."))
        return redirect("partners:detail", partner.public_id)
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _detail_with_error(request, partner)


@require_POST
def evaluate(request, public_id):
    partner = _staff_partner(request, public_id)
    criteria = list(
        EvaluationCriterion.objects.filter(structure_id=partner.structure_id, is_active=True)
    )
    form = EvaluationForm(request.POST, criteria=criteria)
    if form.is_valid():
        services.save_evaluation(
            partner, evaluator=request.user, ratings=form.ratings(), request=request
        )
        messages.success(request, _("Votre évaluation est enregistrée."))
        return redirect("partners:detail", partner.public_id)
    messages.error(request, _("Évaluation incomplète : vérifiez chaque critère."))
    return _detail_with_error(request, partner)


@require_POST
def invite(request, public_id):
    """Invite a selected candidate to create their account (linked on acceptance)."""
    from binome.people import services as people_services

    partner = _staff_partner(request, public_id, Role.COORDINATOR)
    if partner.membership_id:
        messages.info(request, _("Cette personne a déjà un compte."))
        return redirect("partners:detail", partner.public_id)
    if not partner.email:
        messages.error(
            request, _("Ajoutez d'abord une adresse e-mail à la fiche pour envoyer l'invitation.")
        )
        return _detail_with_error(request, partner)
    try:
        people_services.invite(
            structure=partner.structure,
            email=partner.email,
            role=Role.PARTNER,
            first_name=partner.first_name,
            last_name=partner.last_name,
            invited_by=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _detail_with_error(request, partner)
    messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": partner.email})
    return redirect("partners:detail", partner.public_id)


@require_POST
def add_training(request, public_id):
    partner = _get_partner(request, public_id)
    if not _is_self(request, partner):
        check_roles(request, Role.COORDINATOR)
    if partner.is_pool_copy:
        messages.error(request, " ".join(pool_copy_refusal(partner)))
        response = detail(request, partner.public_id)
        response.status_code = 422
        return response
    form = TrainingForm(request.POST, request.FILES)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "proof"}
        services.add_training(
            partner,
            actor=request.user,
            request=request,
            proof=form.cleaned_data.get("proof") or None,
            **data,
        )
        messages.success(request, _("Formation ajoutée."))
        return redirect(
            "partners:my_profile" if _is_self(request, partner) else "partners:detail",
            *([] if _is_self(request, partner) else [partner.public_id]),
        )
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    if _is_self(request, partner):
        return my_profile(request, training_form=form, status=422)
    response = detail(request, partner.public_id)
    response.status_code = 422
    return response


def training_proof(request, public_id, training_id):
    partner = _get_partner(request, public_id)
    if not _is_self(request, partner):
        check_roles(request, *STAFF)
    training = get_object_or_404_scoped(
        Training.objects.filter(partner=partner), public_id=training_id
    )
    if not training.proof:
        raise Http404
    record("partners.training_proof_read", request=request, target=partner)
    content_type = mimetypes.guess_type(training.proof.name)[0] or "application/octet-stream"
    return FileResponse(
        training.proof.open("rb"),
        as_attachment=True,
        filename=training.proof_name or "justificatif",
        content_type=content_type,
    )


def photo(request, public_id):
    """The partner's photo: for themselves, and for the team only if they share it."""
    partner = _get_partner(request, public_id)
    if not (_is_self(request, partner) or partner.share_photo) or not partner.photo:
        raise Http404
    content_type = mimetypes.guess_type(partner.photo.name)[0] or "application/octet-stream"
    return FileResponse(partner.photo.open("rb"), content_type=content_type)


# --- my profile ---------------------------------------------------------------------------


@require_roles(Role.PARTNER)
def my_profile(request, training_form=None, status=200):
    partner = services.own_partner(request)
    if partner is None:
        return render(request, "partners/no_profile.html")
    if partner.is_pool_copy:
        # Her profile lives in her own structure; here she reads what this one sees.
        return redirect("partners:detail", partner.public_id)
    reads = services.SheetReads(partner.pk)
    tags = reads.tags()
    if request.method == "POST" and training_form is None:
        form = ProfileForm(request.POST, request.FILES, instance=partner)
        if form.is_valid():
            services.save_profile(
                partner, form, tags=form.tag_values(), actor=request.user, request=request
            )
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("partners:my_profile")
        status = 422
    else:
        form = ProfileForm(instance=partner, tags=tags)
    charter = services.current_charter(request.structure)
    signed = charter is not None and services.has_signed(charter, request.user)
    return render(
        request,
        "partners/my_profile.html",
        {
            "partner": partner,
            "form": form,
            "trainings": reads.trainings(),
            "training_form": training_form or TrainingForm(),
            "charter": charter,
            "charter_signed": signed,
        },
        status=status,
    )


# --- recruitment --------------------------------------------------------------------------


def public_url(structure):
    return settings.SITE_URL + reverse("partners_public:call", args=[structure.slug])


def _gates_form(structure):
    from binome.partners.forms import RecruitmentGatesForm
    from binome.partners.models import RecruitmentGates

    return RecruitmentGatesForm(instance=RecruitmentGates.of(structure))


@require_roles(Role.COORDINATOR)
def recruitment(request):
    call = (
        RecruitmentCall.objects.filter(structure=request.structure, is_open=True).first()
        or RecruitmentCall.objects.filter(structure=request.structure).first()
    )
    form = RecruitmentCallForm(
        request.POST or None,
        instance=call,
        initial=None if call else _default_call(request.structure),
    )
    if request.method == "POST" and form.is_valid():
        services.save_call(request.structure, form, actor=request.user, request=request)
        messages.success(request, _("L'appel à candidatures est enregistré."))
        return redirect("partners:recruitment")
    url = public_url(request.structure)
    criteria = list(EvaluationCriterion.objects.filter(structure=request.structure, is_active=True))
    counts = dict(
        Partner.objects.filter(structure=request.structure, status__in=Partner.PIPELINE_STATUSES)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "partners/recruitment.html",
        {
            "form": form,
            "call": call,
            "public_url": url,
            "qr": qr_svg_data_uri(url),
            "criteria": criteria,
            "criterion_form": CriterionForm(),
            "counts": counts,
            "gates_form": _gates_form(request.structure),
        },
        status=form_status(form),
    )


def _default_call(structure):
    return {
        "title": _("Devenez patient partenaire de l'équipe"),
        "introduction": _(
            "Vous vivez avec une maladie chronique, vous accompagnez un proche, ou vous avez traversé un parcours de soins ? "
            "Votre expérience compte. L'équipe de %(name)s cherche des patients partenaires pour construire avec elle "
            "des ateliers, accueillir les nouveaux patients et améliorer nos façons de faire."
        )
        % {"name": structure.name},
        "what_we_offer": _(
            "Une rencontre sans engagement, une formation, un référent dans l'équipe, des missions construites avec vous et à votre rythme, une indemnisation décidée à l'avance."
        ),
        "is_open": True,
    }


@require_roles(Role.COORDINATOR)
def poster(request):
    """A printable A4 poster with a QR code to the public page (waiting room)."""
    call = RecruitmentCall.objects.filter(structure=request.structure, is_open=True).first()
    if call is None:
        # No call saved yet: the poster shows the default text (the public page needs an open call).
        call = RecruitmentCall(
            structure=request.structure,
            **{k: v for k, v in _default_call(request.structure).items() if k != "is_open"},
        )
    url = public_url(request.structure)
    pdf = render_pdf(
        "partners/poster.html",
        {
            "call": call,
            "structure": request.structure,
            "url": url,
            "qr": qr_svg_data_uri(url, scale=10),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="affiche-{request.structure.slug}.pdf"'
    return response


@require_roles(Role.COORDINATOR)
@require_POST
def gates(request):
    """The steps this team requires before onboarding and activation."""
    from binome.partners.forms import RecruitmentGatesForm
    from binome.partners.models import RecruitmentGates

    form = RecruitmentGatesForm(request.POST, instance=RecruitmentGates.of(request.structure))
    if form.is_valid():
        services.save_gates(form.instance, request=request)
        messages.success(request, _("Les étapes exigées du recrutement sont enregistrées."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("partners:recruitment")


@require_roles(Role.COORDINATOR)
@require_POST
def add_criterion(request):
    form = CriterionForm(request.POST)
    if form.is_valid():
        services.add_criterion(request.structure, form, request=request)
        messages.success(request, _("Critère ajouté à la grille d'évaluation."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("partners:recruitment")


@require_POST
def retire_criterion(request, public_id):
    criterion = get_object_or_404_scoped(
        EvaluationCriterion.objects.filter(structure=request.structure), public_id=public_id
    )
    check_roles(request, Role.COORDINATOR)
    services.retire_criterion(criterion, request=request)
    messages.success(request, _("Critère retiré de la grille."))
    return redirect("partners:recruitment")


# --- charter ------------------------------------------------------------------------------


@require_roles(*STAFF, Role.PARTNER)
def charter(request, status=200, sign_error=None, version_form=None, record_form=None):
    current = services.current_charter(request.structure)
    is_coordinator = has_role(request, Role.COORDINATOR)
    signatures = []
    if current is not None:
        signatures = list(
            current.signatures.select_related("user", "recorded_by").order_by("signed_at")
        )
    signed = any(s.user_id == request.user.pk for s in signatures)
    unsigned = []
    if is_coordinator and current is not None:
        signed_ids = {s.user_id for s in signatures}
        unsigned = [
            m
            for m in Membership.objects.active()
            .filter(structure=request.structure, role__in=[Role.PARTNER, Role.PROFESSIONAL])
            .select_related("user")
            .order_by("user__last_name")[:200]
            if m.user_id not in signed_ids
        ]
    return render(
        request,
        "partners/charter.html",
        {
            "charter": current,
            "signatures": signatures,
            "signed": signed,
            "is_coordinator": is_coordinator,
            "unsigned": unsigned,
            "sign_error": sign_error,
            "version_form": version_form
            or CharterForm(
                initial={"title": current.title, "text": current.text}
                if current
                else {"title": DEFAULT_TITLE, "text": DEFAULT_TEXT}
            ),
            "record_form": record_form
            or RecordSignatureForm(
                structure=request.structure, initial={"signed_on": timezone.localdate()}
            ),
            "methods": CharterSignature.Method,
        },
        status=status,
    )


@require_roles(*STAFF, Role.PARTNER)
@require_POST
def sign_charter(request):
    current = services.current_charter(request.structure)
    if current is None:
        raise Http404
    if str(current.version) != request.POST.get("version", str(current.version)):
        return charter(
            request,
            status=422,
            sign_error=_(
                "Une nouvelle version de la charte a été publiée : relisez-la avant de signer."
            ),
        )
    if request.POST.get("agree") != "on":
        return charter(
            request,
            status=422,
            sign_error=_("Cochez « J'ai lu la charte et je m'engage à la respecter » pour signer."),
        )
    try:
        services.sign_charter(
            current,
            user=request.user,
            method=CharterSignature.Method.ONLINE,
            recorded_by=request.user,
            request=request,
        )
    except ValidationError as exc:
        return charter(request, status=422, sign_error=" ".join(exc.messages))
    messages.success(
        request,
        _("Merci : votre signature de la charte (version %(v)s) est enregistrée.")
        % {"v": current.version},
    )
    return redirect("partners:charter")


@require_roles(Role.COORDINATOR)
@require_POST
def record_signature(request):
    current = services.current_charter(request.structure)
    if current is None:
        raise Http404
    form = RecordSignatureForm(request.POST, structure=request.structure)
    if form.is_valid():
        signed_at = timezone.make_aware(
            timezone.datetime.combine(
                form.cleaned_data["signed_on"], timezone.datetime.min.time().replace(hour=12)
            )
        )
        try:
            services.sign_charter(
                current,
                user=form.cleaned_data["member"].user,
                method=form.cleaned_data["method"],
                recorded_by=request.user,
                signed_at=signed_at,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Signature enregistrée."))
            return redirect("partners:charter")
    return charter(request, status=422, record_form=form)


@require_roles(Role.COORDINATOR)
@require_POST
def publish_charter(request):
    form = CharterForm(request.POST)
    if form.is_valid():
        current = services.current_charter(request.structure)
        if (
            current
            and current.text.strip() == form.cleaned_data["text"].strip()
            and current.title == form.cleaned_data["title"]
        ):
            form.add_error(
                "text", _("Le texte n'a pas changé : aucune nouvelle version n'est publiée.")
            )
        else:
            new = services.publish_charter(
                request.structure, actor=request.user, request=request, **form.cleaned_data
            )
            messages.success(
                request,
                _("Version %(v)s publiée : chacun est invité à la signer.") % {"v": new.version},
            )
            return redirect("partners:charter")
    return charter(request, status=422, version_form=form)


# --- a CPTS's shared pool (binome.partners.pool) ---------------------------------------------


@require_roles(Role.COORDINATOR)
def pool_members(request, status=200, invite_error=""):
    """The coordination's view of the pool: as the CPTS, its members and whom it invited; as
    a member, the CPTS it joined or that asks it to."""
    links = list(shared_pool.links_of(request.structure))
    shared_in = (
        Partner.objects.filter(structure=request.structure, pool_origin__isnull=False)
        .select_related("pool_origin__structure")
        .order_by("first_name", "pk")[:200]
    )
    record("partners.pool_read", request=request)
    return render(
        request,
        "partners/pool_members.html",
        {
            "is_cpts": request.structure.kind == request.structure.Kind.CPTS,
            "links": links,
            "shared_in": list(shared_in),
            "invite_error": invite_error,
        },
        status=status,
    )


def _link(request, public_id):
    """404 unless the link is the current structure's (as CPTS or as member)."""
    link = PoolMembership.objects.filter(
        Q(cpts=request.structure) | Q(member=request.structure), public_id=public_id
    ).first()
    if link is None:
        raise Http404
    check_roles(request, Role.COORDINATOR)
    return link


@require_roles(Role.COORDINATOR)
@require_POST
def pool_invite(request):
    member = shared_pool.find_structure(request.POST.get("structure", ""))
    try:
        shared_pool.request_membership(
            request.structure, member, actor=request.user, request=request
        )
    except ValidationError as exc:
        return pool_members(request, status=422, invite_error=" ".join(exc.messages))
    messages.success(
        request,
        _("Demande envoyée à « %(s)s » : sa coordination doit l'accepter.") % {"s": member.name},
    )
    return redirect("partners:pool_members")


@require_POST
def pool_accept(request, public_id):
    link = _link(request, public_id)
    if link.member_id != request.structure.pk:
        raise PermissionDenied(_("Seule la structure invitée accepte la demande."))
    try:
        shared_pool.accept_membership(link, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return pool_members(request, status=422)
    messages.success(request, _("Votre structure a rejoint le vivier partagé de la CPTS."))
    return redirect("partners:pool_members")


@require_POST
def pool_end(request, public_id):
    link = _link(request, public_id)
    try:
        shared_pool.end_membership(link, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return pool_members(request, status=422)
    messages.success(
        request, _("Adhésion au vivier terminée ; les partages qu'elle permettait sont retirés.")
    )
    return redirect("partners:pool_members")


@require_roles(Role.PARTNER)
def my_shares(request, status=200):
    partner = services.own_partner(request)
    if partner is None:
        return render(request, "partners/no_profile.html")
    choices = [] if partner.is_pool_copy else shared_pool.share_choices(partner)
    return render(
        request,
        "partners/my_shares.html",
        {
            "partner": partner,
            "choices": choices,
        },
        status=status,
    )


@require_roles(Role.PARTNER)
@require_POST
def share_profile(request):
    from binome.people.models import Structure

    partner = services.own_partner(request)
    if partner is None:
        raise Http404
    structure = Structure.objects.filter(public_id=request.POST.get("structure") or None).first()
    try:
        shared_pool.share(partner, structure, actor=request.user, request=request)
        # She now belongs to two structures: she stays in the one she is working in.
        request.session[CURRENT_STRUCTURE_SESSION_KEY] = request.structure.slug
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return my_shares(request, status=422)
    messages.success(request, _("Votre profil est partagé avec « %(s)s ».") % {"s": structure.name})
    return redirect("partners:my_shares")


@require_POST
def withdraw_share(request, public_id):
    """Her consent is hers alone: anyone else, here or elsewhere, does not find it (404)."""
    row = shared_pool.own_open_share(request.user, public_id)
    if row is None:
        raise Http404
    shared_pool.withdraw(row, actor=request.user, request=request)
    messages.success(
        request,
        _(
            "Partage retiré : « %(s)s » ne voit plus votre profil ; ce que vous y aviez en cours "
            "revient à sa coordination."
        )
        % {"s": row.structure.name},
    )
    return redirect("partners:my_shares")


@require_POST
def pool_decline(request, public_id):
    """On a shared profile's sheet: the coordination stops receiving it (pool.decline checks
    who may)."""
    partner = _get_partner(request, public_id)
    try:
        shared_pool.decline(partner, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _detail_with_error(request, partner)
    messages.success(
        request,
        _(
            "Ce profil ne fait plus partie de votre vivier ; ce que la personne avait en cours chez "
            "vous revient à la coordination."
        ),
    )
    return redirect("partners:pool")
