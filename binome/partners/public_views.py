"""The public call for candidates: a page per structure and a candidacy form without account."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render

from binome.core.public_forms import public_form
from binome.partners import services
from binome.partners.forms import CandidacyForm
from binome.partners.models import Partner, RecruitmentCall
from binome.people.models import Structure
from binome.people.scoping import structure_scope

# Per address: a few candidacies an hour is plenty for a waiting room.
CANDIDACY_RATE = "10/h"


def _open_call(slug):
    structure = Structure.objects.filter(slug=slug).first()
    if structure is None:
        raise Http404
    with structure_scope(structure):
        call = RecruitmentCall.objects.filter(structure=structure, is_open=True).first()
    if call is None:
        raise Http404
    return structure, call


@login_not_required
@public_form(rate=CANDIDACY_RATE, group="partners.candidacy")
def call(request, slug):
    structure, open_call = _open_call(slug)
    status = 200
    if request.method == "POST":
        form = CandidacyForm(request.POST)
        if form.is_bot():
            # Honeypot filled: answer as if all went well, store nothing.
            return redirect("partners_public:thanks", slug)
        if form.is_valid():
            data = {
                k: v
                for k, v in form.cleaned_data.items()
                if k not in ("submission_token", "website", "consent")
            }
            with structure_scope(structure):
                services.submit_candidacy(
                    structure=structure,
                    data=data,
                    submission_token=form.cleaned_data["submission_token"][:64],
                    source=Partner.Source.PUBLIC_FORM,
                )
            return redirect("partners_public:thanks", slug)
        status = 422
    else:
        form = CandidacyForm()
    return render(
        request,
        "partners/public_call.html",
        {"structure": structure, "call": open_call, "form": form},
        status=status,
    )


@login_not_required
def thanks(request, slug):
    structure, open_call = _open_call(slug)
    return render(
        request, "partners/public_thanks.html", {"structure": structure, "call": open_call}
    )
