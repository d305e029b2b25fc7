from functools import lru_cache

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.audit.services import record, save_recorded
from binome.core.forms import form_status
from binome.core.pagination import Paginator
from binome.core.permissions import check_roles, has_role, require_roles
from binome.core.qr import qr_svg_data_uri
from binome.core.roles import STAFF, TEAM, USERS_VOICE
from binome.core.rows import render_rows
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped
from binome.voice import access, documents, services
from binome.voice.forms import (
    AttendanceForm,
    CommitteeForm,
    ExternalMemberForm,
    GazetteApprovalForm,
    GazetteForm,
    GazetteTextForm,
    MeetingForm,
    MemberForm,
    ProposalForm,
    QuestionForm,
    ResponseForm,
    SectionForm,
    StatusForm,
    SurveyForm,
)
from binome.voice.models import (
    Answer,
    Committee,
    CommitteeMember,
    GazetteIssue,
    Idea,
    Meeting,
    Proposal,
    Question,
    Response,
    Status,
    Survey,
)
from binome.voice.results import export_csv, export_xlsx, survey_results, texts_of
from binome.voice.themes import extract_themes

COMMITTEE_EDIT = (Role.COORDINATOR, Role.USER_REP)


@lru_cache(maxsize=256)
def _qr(url):
    """QR codes of public URLs (about 5 ms to compute): a pure function of the URL, so a
    per-process memo is always right, whatever the cache backend."""
    return qr_svg_data_uri(url)


# Overview --------------------------------------------------------------------------------


@require_roles(*TEAM)
def home(request):
    s = request.structure
    surveys = _with_response_counts(Survey.objects.filter(structure=s)).order_by("-created_at")[:5]
    ideas = Idea.objects.filter(structure=s).aggregate(
        pending=Count("id", filter=Q(moderation=Idea.Moderation.PENDING)),
        open=Count(
            "id",
            filter=Q(status__in=[Status.RECEIVED, Status.UNDER_STUDY])
            & ~Q(moderation=Idea.Moderation.HIDDEN),
        ),
        done=Count("id", filter=Q(status=Status.DONE)),
    )
    committees = Committee.objects.filter(structure=s).annotate(
        members_count=Count("members", distinct=True)
    )
    return render(
        request,
        "voice/home.html",
        {
            "surveys": surveys,
            "ideas": ideas,
            "committees": committees,
            "can_edit": has_role(request, *STAFF),
            "can_see_ideas": has_role(request, *USERS_VOICE),
            "public_page": request.build_absolute_uri(
                reverse("voice_public:done", kwargs={"slug": s.slug})
            ),
        },
    )


# Surveys ---------------------------------------------------------------------------------


def _surveys(request):
    return Survey.objects.filter(structure=request.structure)


def _with_response_counts(surveys):
    """Responses counted per row shown (a correlated subquery) rather than by joining and
    grouping every response of the structure before the LIMIT."""
    per_survey = (
        Response.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(c=Count("id"))
        .values("c")
    )
    return surveys.annotate(n=Coalesce(Subquery(per_survey), 0))


@require_roles(*TEAM)
def survey_list(request):
    paginator = Paginator(
        _with_response_counts(_surveys(request)).order_by("-created_at", "-id"), 50
    )
    paginator.count = _surveys(request).count()  # no join for the count
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "voice/survey_list.html", {"page": page, "can_edit": has_role(request, *STAFF)}
    )


@require_roles(*STAFF)
def survey_create(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.create_survey(
            request.structure, actor=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, _("L'enquête est créée : ajoutez maintenant ses questions."))
        return redirect("voice:survey_detail", public_id=survey.public_id)
    return render(request, "voice/survey_form.html", {"form": form}, status=form_status(form))


def _survey(request, public_id, roles=TEAM):
    survey = get_object_or_404_scoped(_surveys(request), public_id=public_id)
    check_roles(request, *roles)
    return survey


def _public_url(request, survey):
    return request.build_absolute_uri(
        reverse("voice_public:survey", kwargs={"token": survey.public_token})
    )


def survey_detail(request, public_id, section_form=None, question_form=None):
    survey = _survey(request, public_id)
    can_edit = has_role(request, *STAFF)
    questions = list(
        Question.objects.filter(survey=survey).select_related("section").order_by("position", "id")
    )
    context = {
        "survey": survey,
        "questions": questions,
        "can_edit": can_edit,
        "responses": Response.objects.filter(survey=survey).count(),
    }
    if can_edit and survey.state == Survey.State.DRAFT:
        context["section_form"] = section_form or SectionForm()
        context["question_form"] = question_form or QuestionForm(survey=survey)
    if survey.state != Survey.State.DRAFT:
        url = _public_url(request, survey)
        context.update(public_url=url, qr=_qr(url))
    return render(
        request,
        "voice/survey_detail.html",
        context,
        status=form_status(section_form, question_form),
    )


def survey_edit(request, public_id):
    survey = _survey(request, public_id, STAFF)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        save_recorded(form=form, kind="voice.survey_changed", request=request)
        messages.success(request, _("L'enquête est enregistrée."))
        return redirect("voice:survey_detail", public_id=survey.public_id)
    return render(
        request,
        "voice/survey_form.html",
        {"form": form, "survey": survey},
        status=form_status(form),
    )


@require_POST
def section_add(request, public_id):
    survey = _survey(request, public_id, STAFF)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.add_section(survey, form.cleaned_data["title"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("voice:survey_detail", public_id=survey.public_id)
    return survey_detail(request, public_id, section_form=form)


@require_POST
def question_add(request, public_id):
    survey = _survey(request, public_id, STAFF)
    form = QuestionForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            services.add_question(survey, **form.cleaned_data, request=request)
        except ValidationError as exc:
            form.add_error(None if not hasattr(exc, "error_dict") else None, exc.messages[0])
        else:
            messages.success(request, _("La question est ajoutée."))
            return redirect("voice:survey_detail", public_id=survey.public_id)
    return survey_detail(request, public_id, question_form=form)


@require_POST
def question_delete(request, public_id):
    question = get_object_or_404_scoped(
        Question.objects.filter(survey__structure=request.structure).select_related("survey"),
        public_id=public_id,
    )
    check_roles(request, *STAFF)
    try:
        services.delete_question(question, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("voice:survey_detail", public_id=question.survey.public_id)


@require_POST
def survey_publish(request, public_id):
    survey = _survey(request, public_id, STAFF)
    try:
        services.publish_survey(survey, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("L'enquête est publiée. Elle compte dans le registre de l'implication des usagers."),
        )
    return redirect("voice:survey_detail", public_id=survey.public_id)


@require_POST
def survey_close(request, public_id):
    survey = _survey(request, public_id, STAFF)
    services.close_survey(survey, request=request)
    messages.success(request, _("L'enquête est close."))
    return redirect("voice:survey_detail", public_id=survey.public_id)


def survey_poster(request, public_id):
    survey = _survey(request, public_id, STAFF)
    if survey.state == Survey.State.DRAFT:
        messages.error(request, _("Publiez l'enquête avant d'imprimer son affiche."))
        return redirect("voice:survey_detail", public_id=survey.public_id)
    body = documents.poster_pdf(
        structure=request.structure,
        title=_("Votre avis compte"),
        lead=survey.title,
        url=_public_url(request, survey),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="affiche-enquete-{survey.public_token}.pdf"'
    )
    return response


def _questions(survey):
    return list(
        Question.objects.filter(survey=survey).select_related("section").order_by("position", "id")
    )


def survey_paper(request, public_id):
    """The secretariat types in paper questionnaires, one after the other."""
    survey = _survey(request, public_id, STAFF)
    questions = _questions(survey)
    form = ResponseForm(request.POST or None, questions=questions)
    if request.method == "POST" and survey.state == Survey.State.DRAFT:
        messages.error(request, _("Publiez l'enquête avant de saisir des réponses."))
        return redirect("voice:survey_detail", public_id=survey.public_id)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            _response, created = services.submit_response(
                survey,
                form.answers(),
                submission_token=form.cleaned_data["submission_token"],
                channel=Response.Channel.PAPER,
                entered_by=request.user,
            )
            if created:
                record("voice.paper_response_entered", request=request, target=survey)
        messages.success(request, _("Questionnaire enregistré. Vous pouvez saisir le suivant."))
        return redirect("voice:survey_paper", public_id=survey.public_id)
    paper_count = Response.objects.filter(survey=survey, channel=Response.Channel.PAPER).count()
    return render(
        request,
        "voice/survey_paper.html",
        {
            "survey": survey,
            "form": form,
            "paper_count": paper_count,
            "is_coordinator": has_role(request, Role.COORDINATOR),
        },
        status=form_status(form),
    )


def survey_results_view(request, public_id):
    survey = _survey(request, public_id)
    results = survey_results(survey)
    return render(
        request,
        "voice/survey_results.html",
        {
            "survey": survey,
            "results": results,
            "can_edit": has_role(request, *STAFF),
            "has_text": any(q.question.kind == Question.Kind.TEXT for q in results.questions),
        },
    )


def _cached_themes(key_prefix, texts_loader, version):
    key = f"voice:themes:{key_prefix}:{version}"
    themes = cache.get(key)
    if themes is None:
        themes = extract_themes(texts_loader())
        cache.set(key, themes, 24 * 3600)
    return themes


def survey_themes(request, public_id):
    survey = _survey(request, public_id)
    text_questions = [q for q in _questions(survey) if q.kind == Question.Kind.TEXT]
    stats = {
        row["question_id"]: row
        for row in Answer.objects.filter(question__in=text_questions)
        .exclude(text="")
        .values("question_id")
        .annotate(n=Count("id"), last=Max("id"))
        .order_by()
    }
    loaded = {}

    def loader(qid):
        if not loaded:
            loaded.update(texts_of([q.pk for q in text_questions]))
        return loaded.get(qid, [])

    blocks = []
    for q in text_questions:
        st = stats.get(q.pk, {"n": 0, "last": 0})
        themes = (
            _cached_themes(f"q{q.pk}", lambda q=q: loader(q.pk), f"{st['n']}-{st['last']}")
            if st["n"]
            else []
        )
        blocks.append({"question": q, "count": st["n"], "themes": themes})
    return render(
        request,
        "voice/themes.html",
        {
            "survey": survey,
            "blocks": blocks,
            "back": reverse("voice:survey_results", kwargs={"public_id": survey.public_id}),
        },
    )


def survey_coding(request, public_id):
    """The coding workspace: label the verbatims, group labels into categories, export."""
    from django.core.exceptions import ValidationError

    from binome.voice import coding
    from binome.voice.models import CodedAnswer, CodingLabel

    survey = _survey(request, public_id, STAFF)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "label":
                answer = get_object_or_404_scoped(
                    coding.text_answers(survey), pk=request.POST.get("answer") or 0
                )
                coding.add_label(
                    survey,
                    answer,
                    name=request.POST.get("name", ""),
                    property=request.POST.get("property", ""),
                    user=request.user,
                    request=request,
                )
            elif action == "unlabel":
                coded = get_object_or_404_scoped(
                    CodedAnswer.objects.filter(label__survey=survey),
                    pk=request.POST.get("coded") or 0,
                )
                coding.remove_label(survey, coded, user=request.user, request=request)
            elif action == "group":
                label = get_object_or_404_scoped(
                    CodingLabel.objects.filter(survey=survey), pk=request.POST.get("label") or 0
                )
                coding.set_category(
                    survey,
                    label,
                    category_name=request.POST.get("category", ""),
                    property=request.POST.get("property"),
                    user=request.user,
                    request=request,
                )
            else:
                raise ValidationError(_("Action inconnue."))
        except ValidationError as exc:
            # Shown on the same page, nothing written; 422 like every other bad form.
            messages.error(request, " ".join(exc.messages))
            status = 422
        else:
            return redirect(
                f"{reverse('voice:survey_coding', kwargs={'public_id': survey.public_id})}?page={request.GET.get('page', 1)}#a-{request.POST.get('answer', '')}"
            )
    page = Paginator(coding.text_answers(survey), 20).get_page(request.GET.get("page"))
    answers = list(page.object_list)
    codes = (
        CodedAnswer.objects.filter(answer__in=answers)
        .select_related("label")
        .order_by("label__name")
    )
    by_answer = {}
    for c in codes:
        by_answer.setdefault(c.answer_id, []).append(c)
    for a in answers:
        a.coded = by_answer.get(a.pk, [])
        a.coded_names = [c.label.name for c in a.coded]
    hints = coding.suggestions(survey, answers)
    for a in answers:
        a.suggested = hints.get(a.pk, [])
    labels = list(
        CodingLabel.objects.filter(survey=survey)
        .select_related("category")
        .annotate(n=Count("coded_answers"))
    )
    return render(
        request,
        "voice/coding.html",
        {
            "survey": survey,
            "page": page,
            "answers": answers,
            "labels": labels,
            "summary": coding.summary(survey),
            "categories": sorted({lb.category.name for lb in labels if lb.category}),
        },
        status=status,
    )


def survey_coding_xlsx(request, public_id):
    from binome.voice import coding

    survey = _survey(request, public_id, STAFF)
    record("voice.survey_exported", request=request, target=survey, format="coding-xlsx")
    response = HttpResponse(
        coding.export_xlsx(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="analyse-enquete-{survey.public_token}.xlsx"'
    )
    return response


def survey_export(request, public_id, fmt):
    survey = _survey(request, public_id, STAFF)
    record("voice.survey_exported", request=request, target=survey, format=fmt)
    if fmt == "csv":
        response = HttpResponse(export_csv(survey), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export_xlsx(survey),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="enquete-{survey.public_token}.{fmt}"'
    return response


def survey_export_csv(request, public_id):
    return survey_export(request, public_id, "csv")


def survey_export_xlsx(request, public_id):
    return survey_export(request, public_id, "xlsx")


# Idea box --------------------------------------------------------------------------------


def _ideas(request):
    return Idea.objects.filter(structure=request.structure)


@require_roles(*USERS_VOICE)
def idea_list(request):
    services.idea_box_for(request.structure, actor=request.user)
    is_coordinator = has_role(request, Role.COORDINATOR)
    queryset = _ideas(request).order_by("-submitted_at", "-id")
    view = request.GET.get("vue", "a-moderer" if is_coordinator else "toutes")
    if not is_coordinator:
        # Only the coordinator reads ideas before moderation.
        view = "toutes"
        queryset = queryset.filter(moderation=Idea.Moderation.PUBLISHED)
    if view == "a-moderer":
        queryset = queryset.filter(moderation=Idea.Moderation.PENDING)
    elif view == "masquees":
        queryset = queryset.filter(moderation=Idea.Moderation.HIDDEN)
    else:
        queryset = queryset.exclude(moderation=Idea.Moderation.HIDDEN)
    status = request.GET.get("statut", "")
    if status in Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    url = request.build_absolute_uri(
        reverse("voice_public:idea", kwargs={"slug": request.structure.slug})
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "voice/idea_list.html",
        {
            "page": page,
            "rows_html": render_rows(
                "voice/rows/ideas.html",
                request,
                ideas=page.object_list,
                is_coordinator=is_coordinator,
            ),
            "view": view,
            "status": status,
            "statuses": Status.choices,
            "query": query.urlencode(),
            "is_coordinator": is_coordinator,
            "public_url": url,
            "qr": _qr(url),
            "done_url": request.build_absolute_uri(
                reverse("voice_public:done", kwargs={"slug": request.structure.slug})
            ),
        },
    )


def idea_detail(request, public_id):
    idea = get_object_or_404_scoped(_ideas(request), public_id=public_id)
    check_roles(request, *USERS_VOICE)
    is_coordinator = has_role(request, Role.COORDINATOR)
    if not is_coordinator and idea.moderation != Idea.Moderation.PUBLISHED:
        from django.http import Http404

        raise Http404
    form = None
    if is_coordinator:
        form = StatusForm(
            request.POST or None,
            initial={
                "status": idea.status,
                "public_answer": idea.public_answer,
                "decline_reason": idea.decline_reason,
            },
        )
    if request.method == "POST":
        check_roles(request, Role.COORDINATOR)
        if form.is_valid():
            services.set_status(idea, request=request, **form.cleaned_data)
            messages.success(request, _("Le statut de l'idée est enregistré."))
            return redirect("voice:idea_detail", public_id=idea.public_id)
    return render(
        request,
        "voice/idea_detail.html",
        {"idea": idea, "form": form, "is_coordinator": is_coordinator},
        status=form_status(form),
    )


@require_POST
def idea_moderate(request, public_id):
    idea = get_object_or_404_scoped(_ideas(request), public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    decision = request.POST.get("decision", "")
    try:
        services.moderate_idea(idea, decision, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Idée publiée.") if decision == Idea.Moderation.PUBLISHED else _("Idée masquée."),
        )
    return redirect(f"{reverse('voice:idea_list')}?vue=a-moderer")


@require_roles(*STAFF)
def idea_poster(request):
    url = request.build_absolute_uri(
        reverse("voice_public:idea", kwargs={"slug": request.structure.slug})
    )
    body = documents.poster_pdf(
        structure=request.structure,
        title=_("Une idée pour votre maison de santé ?"),
        lead=_(
            "Proposez-la ici, à tout moment. L'équipe vous répond sur sa page « Vous avez dit, nous avons fait »."
        ),
        url=url,
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="affiche-boite-a-idees.pdf"'
    return response


@require_roles(*USERS_VOICE)
def idea_themes(request):
    base = _ideas(request).exclude(moderation=Idea.Moderation.HIDDEN)
    if not has_role(request, Role.COORDINATOR):
        base = base.filter(moderation=Idea.Moderation.PUBLISHED)
    st = base.aggregate(n=Count("id"), last=Max("id"))
    themes = (
        _cached_themes(
            f"ideas{request.structure.pk}-{'all' if has_role(request, Role.COORDINATOR) else 'published'}",
            lambda: list(base.values_list("text", flat=True)),
            f"{st['n']}-{st['last']}",
        )
        if st["n"]
        else []
    )
    return render(
        request,
        "voice/themes.html",
        {
            "blocks": [{"question": None, "count": st["n"], "themes": themes}],
            "back": reverse("voice:idea_list"),
        },
    )


# Users' committee ------------------------------------------------------------------------


def _committees(request):
    return Committee.objects.filter(structure=request.structure)


@require_roles(*TEAM)
def committee_list(request):
    committees = _committees(request).annotate(
        members_count=Count("members", distinct=True),
        meetings_count=Count("meetings", distinct=True),
    )
    form = CommitteeForm(request.POST or None) if has_role(request, Role.COORDINATOR) else None
    if request.method == "POST":
        check_roles(request, Role.COORDINATOR)
        if form.is_valid():
            committee = services.create_committee(
                request.structure, request=request, **form.cleaned_data
            )
            messages.success(request, _("Le comité est créé : ajoutez ses membres."))
            return redirect("voice:committee_detail", public_id=committee.public_id)
    return render(
        request,
        "voice/committee_list.html",
        {"committees": committees, "form": form},
        status=form_status(form),
    )


def _can_edit_committee(request, committee):
    from binome.voice.access import may_edit_committee

    return may_edit_committee(request.user, request.roles, committee)


def committee_detail(request, public_id, external_form=None):
    committee = get_object_or_404_scoped(_committees(request), public_id=public_id)
    check_roles(request, *TEAM)
    can_edit = _can_edit_committee(request, committee)
    members = (
        CommitteeMember.objects.filter(committee=committee)
        .select_related("membership__user")
        .order_by("membership__role", "membership__user__last_name", "last_name", "first_name")
    )
    meetings = (
        Meeting.objects.filter(committee=committee)
        .annotate(proposals_count=Count("proposals"))
        .order_by("-date")[:50]
    )
    proposals = Proposal.objects.filter(committee=committee).order_by("-created_at")[:100]
    return render(
        request,
        "voice/committee_detail.html",
        status=422 if external_form is not None else 200,
        context={
            "committee": committee,
            "members": members,
            "meetings": meetings,
            "proposals": proposals,
            "can_edit": can_edit,
            "is_coordinator": has_role(request, Role.COORDINATOR),
            "member_form": MemberForm(structure=request.structure)
            if has_role(request, Role.COORDINATOR)
            else None,
            "external_form": (external_form or ExternalMemberForm())
            if has_role(request, Role.COORDINATOR)
            else None,
            "meeting_form": MeetingForm() if can_edit else None,
            "proposal_form": ProposalForm(committee=committee) if can_edit else None,
        },
    )


def _committee_form_post(request, public_id, form_class, save, **form_kwargs):
    committee = get_object_or_404_scoped(_committees(request), public_id=public_id)
    check_roles(request, *TEAM)
    form = form_class(
        request.POST,
        **{
            k: (committee if v == "committee" else request.structure)
            for k, v in form_kwargs.items()
        },
    )
    if form.is_valid():
        save(committee, form)
        return redirect("voice:committee_detail", public_id=committee.public_id)
    return render(
        request,
        "voice/committee_form_error.html",
        {"committee": committee, "form": form},
        status=422,
    )


@require_POST
def committee_add_member(request, public_id):
    committee = get_object_or_404_scoped(_committees(request), public_id=public_id)
    check_roles(request, Role.COORDINATOR)

    def save(c, form):
        services.add_member(
            c,
            membership=form.cleaned_data["membership"],
            function=form.cleaned_data["function"],
            request=request,
        )
        messages.success(request, _("Membre ajouté au comité."))

    return _committee_form_post(
        request, committee.public_id, MemberForm, save, structure="structure"
    )


@require_POST
def committee_remove_member(request, public_id):
    committee = get_object_or_404_scoped(_committees(request), public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    seat = get_object_or_404_scoped(
        CommitteeMember.objects.filter(committee=committee), pk=request.POST.get("seat") or 0
    )
    services.remove_member(seat, request=request)
    messages.success(request, _("Membre retiré du comité."))
    return redirect("voice:committee_detail", public_id=committee.public_id)


@require_POST
def committee_add_external(request, public_id):
    """A user without an account joins the committee (coordination)."""
    committee = get_object_or_404_scoped(_committees(request), public_id=public_id)
    check_roles(request, Role.COORDINATOR)
    form = ExternalMemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_member_without_account(
                committee,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                invite_by=data["invite_by"],
                function=data["function"],
                sms_method=data["sms_agreement"] or "paper",
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("%(name)s rejoint le comité.") % {"name": data["first_name"]}
            )
            return redirect("voice:committee_detail", public_id=committee.public_id)
    return committee_detail(request, committee.public_id, external_form=form)


def _meeting_for_editor(request, public_id):
    meeting = get_object_or_404_scoped(
        Meeting.objects.filter(structure=request.structure).select_related(
            "committee", "structure"
        ),
        public_id=public_id,
    )
    check_roles(request, *TEAM)
    if not _can_edit_committee(request, meeting.committee):
        check_roles(request, Role.COORDINATOR)
    return meeting


@require_POST
def meeting_convene(request, public_id):
    meeting = _meeting_for_editor(request, public_id)
    on_paper = services.convene(meeting, request=request)
    messages.success(
        request,
        _("La convocation est envoyée.")
        + (
            " "
            + _("%(n)s membre(s) à convoquer sur papier : imprimez la liste.")
            % {"n": len(on_paper)}
            if on_paper
            else ""
        ),
    )
    return redirect("voice:meeting_detail", public_id=meeting.public_id)


@require_POST
def meeting_attendance(request, public_id):
    meeting = _meeting_for_editor(request, public_id)
    members = list(
        CommitteeMember.objects.filter(committee=meeting.committee).select_related(
            "membership__user"
        )
    )
    form = AttendanceForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, _("Cochez les membres présents dans la liste."))
        return redirect("voice:meeting_detail", public_id=meeting.public_id)
    services.record_attendance(
        meeting, {int(pk) for pk in form.cleaned_data["present"]}, request=request
    )
    messages.success(request, _("Les présences sont notées."))
    return redirect("voice:meeting_detail", public_id=meeting.public_id)


@require_POST
def meeting_send_minutes(request, public_id):
    meeting = _meeting_for_editor(request, public_id)
    try:
        on_paper = services.send_minutes(meeting, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("voice:meeting_detail", public_id=meeting.public_id)
    messages.success(
        request,
        _("Le compte rendu est envoyé aux membres.")
        + (
            " " + _("%(n)s à remettre sur papier : imprimez la liste.") % {"n": len(on_paper)}
            if on_paper
            else ""
        ),
    )
    return redirect("voice:meeting_detail", public_id=meeting.public_id)


def meeting_paper(request, public_id):
    """What to print for the members reached on paper: their names and the convocation."""
    meeting = _meeting_for_editor(request, public_id)
    members = services.paper_members(meeting)
    subject, body, _sms = services.convocation_text(meeting)
    return render(
        request,
        "voice/meeting_paper.html",
        {"meeting": meeting, "members": members, "subject": subject, "body": body},
    )


@require_POST
def meeting_add(request, public_id):
    committee = get_object_or_404_scoped(_committees(request), public_id=public_id)
    check_roles(request, *TEAM)
    if not _can_edit_committee(request, committee):
        check_roles(request, Role.COORDINATOR)

    def save(c, form):
        meeting = form.save(commit=False)
        meeting.committee, meeting.structure = c, c.structure
        save_recorded(meeting, "voice.meeting_added", request=request)
        messages.success(request, _("La réunion est enregistrée."))

    return _committee_form_post(request, committee.public_id, MeetingForm, save)


def meeting_detail(request, public_id):
    meeting = get_object_or_404_scoped(
        Meeting.objects.filter(structure=request.structure).select_related("committee"),
        public_id=public_id,
    )
    check_roles(request, *TEAM)
    can_edit = _can_edit_committee(request, meeting.committee)
    form = MeetingForm(request.POST or None, instance=meeting) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            check_roles(request, Role.COORDINATOR)
        if form.is_valid():
            save_recorded(form=form, kind="voice.meeting_changed", request=request)
            messages.success(request, _("Le compte rendu est enregistré."))
            return redirect("voice:meeting_detail", public_id=meeting.public_id)
    proposals = Proposal.objects.filter(meeting=meeting).order_by("created_at")
    members = list(
        CommitteeMember.objects.filter(committee=meeting.committee).select_related(
            "membership__user"
        )
    )
    present = [
        str(pk)
        for pk in meeting.attendance.filter(present=True).values_list("member_id", flat=True)
    ]
    return render(
        request,
        "voice/meeting_detail.html",
        {
            "meeting": meeting,
            "form": form,
            "proposals": proposals,
            "can_edit": can_edit,
            "members": members,
            "attendance_form": AttendanceForm(initial={"present": present}, members=members)
            if can_edit
            else None,
        },
        status=form_status(form),
    )


@require_POST
def proposal_add(request, public_id):
    committee = get_object_or_404_scoped(_committees(request), public_id=public_id)
    check_roles(request, *TEAM)
    if not _can_edit_committee(request, committee):
        check_roles(request, Role.COORDINATOR)

    def save(c, form):
        proposal = form.save(commit=False)
        proposal.committee, proposal.structure, proposal.created_by = c, c.structure, request.user
        save_recorded(proposal, "voice.proposal_added", request=request)
        messages.success(request, _("La proposition est enregistrée."))

    return _committee_form_post(
        request, committee.public_id, ProposalForm, save, committee="committee"
    )


def proposal_detail(request, public_id):
    proposal = get_object_or_404_scoped(
        Proposal.objects.filter(structure=request.structure).select_related("committee", "meeting"),
        public_id=public_id,
    )
    check_roles(request, *TEAM)
    is_coordinator = has_role(request, Role.COORDINATOR)
    form = (
        StatusForm(
            request.POST or None,
            initial={
                "status": proposal.status,
                "public_answer": proposal.public_answer,
                "decline_reason": proposal.decline_reason,
            },
        )
        if is_coordinator
        else None
    )
    if request.method == "POST":
        check_roles(request, Role.COORDINATOR)
        if form.is_valid():
            services.set_status(proposal, request=request, **form.cleaned_data)
            messages.success(request, _("La réponse à la proposition est enregistrée."))
            return redirect("voice:proposal_detail", public_id=proposal.public_id)
    return render(
        request,
        "voice/proposal_detail.html",
        {"proposal": proposal, "form": form},
        status=form_status(form),
    )


# Gazette ---------------------------------------------------------------------------------


def _quarter_from(request):
    today = timezone.localdate()
    form = GazetteForm(
        request.GET or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    )
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["quarter"]
    return form, today.year, (today.month - 1) // 3 + 1


@require_roles(*USERS_VOICE)
def gazette(request, text_form=None, status=200):
    form, year, quarter = _quarter_from(request) if text_form is None else (None, None, None)
    if text_form is not None:
        year, quarter = text_form.data.get("year"), text_form.data.get("quarter")
        form, year, quarter = _quarter_from_values(year, quarter)
    g = documents.gazette(request.structure, year, quarter)
    issue = services.gazette_issue(request.structure, year, quarter)
    roles = request.binome.roles
    committee = services.gazette_committee(request.structure, issue)
    can_write = committee is not None and (
        access.may_write_gazette(request.user, roles, issue)
        if issue
        else access.may_edit_committee(request.user, roles, committee)
    )
    context = {
        "form": form,
        "g": g,
        "issue": issue,
        "committee": committee,
        "can_write": can_write,
        "is_coordinator": Role.COORDINATOR in roles,
        "can_approve": issue is not None
        and issue.state == issue.State.IN_REVIEW
        and access.may_approve_gazette(request.user, roles, issue),
        "text_form": text_form
        or GazetteTextForm(
            initial={
                "year": year,
                "quarter": quarter,
                "headline": issue.headline if issue else "",
                "committee_word": issue.committee_word if issue else "",
            }
        ),
        "approval_form": GazetteApprovalForm(committee=committee) if committee else None,
    }
    if status == 200:
        status = form_status(form)
    return render(request, "voice/gazette.html", context, status=status)


def _quarter_from_values(year, quarter):
    form = GazetteForm({"year": year, "quarter": quarter})
    if form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["quarter"]
    today = timezone.localdate()
    return form, today.year, (today.month - 1) // 3 + 1


def _gazette_redirect(issue):
    return redirect(f"{reverse('voice:gazette')}?year={issue.year}&quarter={issue.quarter}")


@require_roles(*USERS_VOICE)
@require_POST
def gazette_text(request):
    form = GazetteTextForm(request.POST)
    if not form.is_valid():
        return gazette(request, text_form=form, status=422)
    data = form.cleaned_data
    try:
        issue = services.save_gazette_text(
            request.structure,
            data["year"],
            data["quarter"],
            headline=data["headline"],
            committee_word=data["committee_word"],
            actor=request.user,
            roles=request.binome.roles,
            request=request,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return gazette(request, text_form=form, status=422)
    messages.success(request, _("Le texte de la gazette est enregistré."))
    return _gazette_redirect(issue)


def _issue(request, public_id):
    issue = get_object_or_404_scoped(
        GazetteIssue.objects.select_related("committee"), public_id=public_id
    )
    check_roles(request, *USERS_VOICE)
    return issue


@require_POST
def gazette_submit(request, public_id):
    issue = _issue(request, public_id)
    try:
        on_paper = services.submit_gazette(
            issue, actor=request.user, roles=request.binome.roles, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _gazette_redirect(issue)
    text = _("La gazette est envoyée en relecture aux membres du comité.")
    if on_paper:
        text += " " + _("%(n)s à remettre sur papier.") % {"n": len(on_paper)}
    messages.success(request, text)
    return _gazette_redirect(issue)


@require_POST
def gazette_approve(request, public_id):
    issue = _issue(request, public_id)
    form = GazetteApprovalForm(request.POST, committee=issue.committee)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return _gazette_redirect(issue)
    try:
        services.approve_gazette(
            issue,
            actor=request.user,
            roles=request.binome.roles,
            meeting=form.cleaned_data["meeting"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _gazette_redirect(issue)
    messages.success(request, _("La gazette est validée par le comité."))
    return _gazette_redirect(issue)


@require_POST
def gazette_publish(request, public_id):
    issue = _issue(request, public_id)
    try:
        services.publish_gazette(
            issue, actor=request.user, roles=request.binome.roles, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _gazette_redirect(issue)
    messages.success(request, _("La gazette est publiée."))
    return _gazette_redirect(issue)


@require_roles(*USERS_VOICE)
def gazette_pdf(request):
    _form, year, quarter = _quarter_from(request)
    g = documents.gazette(request.structure, year, quarter)
    g.issue = services.gazette_issue(request.structure, year, quarter)
    response = HttpResponse(documents.gazette_pdf(g), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="gazette-{request.structure.slug}-{year}-T{quarter}.pdf"'
    )
    return response
