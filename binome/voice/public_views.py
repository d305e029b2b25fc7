"""Pages without sign-in: answer a survey, post an idea, read "vous avez dit, nous avons fait".

Every public form: rate limit per address (django-ratelimit), honeypot, body size limit,
field max lengths, and a submission token so that a retried post is stored once.
"""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from binome.core.pagination import Paginator
from binome.core.public_forms import public_form
from binome.people.models import Structure
from binome.people.scoping import scopes_disabled, structure_scope
from binome.voice import services
from binome.voice.forms import IdeaForm, ResponseForm
from binome.voice.models import (
    PUBLIC_STATUSES,
    GazetteIssue,
    Idea,
    IdeaBox,
    Proposal,
    Question,
    Status,
    Survey,
)


@login_not_required
@public_form
def survey(request, token):
    with scopes_disabled():
        found = Survey.objects.select_related("structure").filter(public_token=token).first()
    if found is None or found.state == Survey.State.DRAFT:
        raise Http404
    with structure_scope(found.structure):
        if not found.is_open:
            return render(request, "voice/public_survey_closed.html", {"survey": found})
        questions = list(
            Question.objects.filter(survey=found)
            .select_related("section")
            .order_by("position", "id")
        )
        if request.method == "POST":
            form = ResponseForm(request.POST, questions=questions)
            if form.is_bot():
                return render(
                    request,
                    "voice/public_thanks.html",
                    {"structure": found.structure, "survey": found},
                )
            if form.is_valid():
                services.submit_response(
                    found, form.answers(), submission_token=form.cleaned_data["submission_token"]
                )
                return render(
                    request,
                    "voice/public_thanks.html",
                    {"structure": found.structure, "survey": found},
                )
            return render(
                request, "voice/public_survey.html", {"survey": found, "form": form}, status=422
            )
        return render(
            request,
            "voice/public_survey.html",
            {"survey": found, "form": ResponseForm(questions=questions)},
        )


def _structure(slug):
    structure = Structure.objects.filter(slug=slug).first()
    if structure is None:
        raise Http404
    return structure


@login_not_required
@public_form
def idea(request, slug):
    structure = _structure(slug)
    with structure_scope(structure):
        box = IdeaBox.objects.filter(structure=structure).first()
        if box is None or not box.is_open:
            raise Http404
        done_url = reverse("voice_public:done", kwargs={"slug": slug})
        if request.method == "POST":
            form = IdeaForm(request.POST)
            if form.is_bot():
                return render(
                    request,
                    "voice/public_thanks.html",
                    {"structure": structure, "done_url": done_url},
                )
            if form.is_valid():
                services.submit_idea(
                    structure,
                    text=form.cleaned_data["text"],
                    submission_token=form.cleaned_data["submission_token"],
                )
                return render(
                    request,
                    "voice/public_thanks.html",
                    {"structure": structure, "done_url": done_url, "idea": True},
                )
            return render(
                request,
                "voice/public_idea.html",
                {"structure": structure, "box": box, "form": form, "done_url": done_url},
                status=422,
            )
        return render(
            request,
            "voice/public_idea.html",
            {"structure": structure, "box": box, "form": IdeaForm(), "done_url": done_url},
        )


@login_not_required
def done(request, slug):
    """ "Vous avez dit, nous avons fait": published ideas and the committee's proposals, with answers."""
    structure = _structure(slug)
    with structure_scope(structure):
        ideas = (
            Idea.objects.filter(
                structure=structure,
                moderation=Idea.Moderation.PUBLISHED,
                status__in=PUBLIC_STATUSES,
            )
            .only(
                "text",
                "status",
                "public_answer",
                "decline_reason",
                "done_at",
                "submitted_at",
                "status_changed_at",
            )
            .order_by("-status_changed_at", "-id")
        )
        page = Paginator(ideas, 30).get_page(request.GET.get("page"))
        proposals = list(
            Proposal.objects.filter(structure=structure, status__in=PUBLIC_STATUSES)
            .filter(~Q(public_answer="") | Q(status=Status.DECLINED))
            .select_related("committee")
            .order_by("-status_changed_at", "-id")[:30]
        )
        has_box = IdeaBox.objects.filter(structure=structure, is_open=True).exists()
        gazettes = list(
            GazetteIssue.objects.filter(
                structure=structure, state=GazetteIssue.State.PUBLISHED
            ).only("year", "quarter", "headline", "published_at")[:8]
        )
    return render(
        request,
        "voice/public_done.html",
        {
            "structure": structure,
            "page": page,
            "proposals": proposals,
            "has_box": has_box,
            "gazettes": gazettes,
        },
    )


@login_not_required
def gazette(request, slug, year, quarter):
    """A published gazette, for the waiting room and the website: the text the committee
    approved; a draft or a quarter without a published issue does not exist here."""
    from django.http import HttpResponse

    from binome.voice import documents

    structure = _structure(slug)
    with structure_scope(structure):
        issue = (
            GazetteIssue.objects.filter(
                structure=structure,
                year=year,
                quarter=quarter,
                state=GazetteIssue.State.PUBLISHED,
            )
            .select_related("committee", "approved_at_meeting")
            .first()
        )
        if issue is None:
            raise Http404
        content = documents.gazette(structure, year, quarter)
        content.issue = issue
        pdf = documents.gazette_pdf(content)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="gazette-{structure.slug}-{year}-T{quarter}.pdf"'
    )
    return response
