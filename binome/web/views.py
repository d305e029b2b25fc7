from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from binome.core.cards import cards_for
from binome.people.models import Role
from binome.web import onboarding
from binome.web.middleware import SESSION_KEY, SESSION_NETWORK_KEY


@login_not_required
def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/welcome.html")
    ctx = request.binome
    roles = set(request.roles)
    # "Premiers pas": ticked from the data, in the same single counters query.
    extra = onboarding.home_counters if Role.COORDINATOR in roles else None
    cards, values = cards_for(request, extra)
    context = {
        "cards": cards,
        "roles": roles,
        "is_coordinator": Role.COORDINATOR in roles,
        "is_professional": Role.PROFESSIONAL in roles,
        "is_partner": Role.PARTNER in roles,
        "is_user_rep": Role.USER_REP in roles,
        "is_patient": Role.PATIENT in roles,
        "is_facilitator": ctx.network is not None and request.structure is None,
        "has_nothing": not ctx.memberships and not ctx.network_memberships,
    }
    if context["is_coordinator"]:
        context["first_steps"] = steps = onboarding.steps(values)
        context["first_steps_left"] = sum(1 for s in steps if not s["done"])
    return render(request, "web/home.html", context)


@require_POST
def switch_context(request):
    """Choose the structure (or network) the pages work on."""
    value = request.POST.get("context", "")
    kind, _, slug = value.partition(":")
    if kind == "structure" and slug in {s.slug for s in request.binome.structures}:
        request.session[SESSION_KEY] = slug
        request.session.pop(SESSION_NETWORK_KEY, None)
    elif kind == "network" and slug in {n.slug for n in request.binome.networks}:
        request.session[SESSION_NETWORK_KEY] = slug
        request.session.pop(SESSION_KEY, None)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


def ratelimited(request, exception=None):
    return render(request, "429.html", status=429)


@login_not_required
def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def handler400(request, exception=None):
    """A request Django could not read (a malformed upload, a refused host): a standalone
    page in French, since the request may not have gone through the middlewares the site's
    layout reads; under /api/, the API's error in JSON."""
    if request.path.startswith("/api/"):
        from binome.api.base import error

        return error(
            request, 400, gettext("Requête illisible : le corps envoyé n'a pas pu être lu.")
        )
    return render(request, "400.html", status=400)


def handler403(request, exception=None):
    # A refusal raised with a French reason by a service (PermissionDenied(message)) says why.
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def handler404(request, exception=None):
    return render(request, "404.html", status=404)


def handler500(request):
    return render(request, "500.html", status=500)


def redirect_home(request):
    return redirect("web:home")
