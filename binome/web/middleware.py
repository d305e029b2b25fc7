"""Request-wide context: sign-in by default, current structure, scope of queries."""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property

from binome.people.models import ROLES_SEEING_PATIENT_DATA, Membership, NetworkMembership
from binome.people.scoping import CURRENT_STRUCTURE_SESSION_KEY, structure_scope

SESSION_KEY = CURRENT_STRUCTURE_SESSION_KEY
SESSION_NETWORK_KEY = "current_network"
SESSION_ACTIVITY_KEY = "last_activity"


class PrivateAnswersMiddleware:
    """Every answer given to a signed-in person or an API token is ``Cache-Control: no-store``
    with ``Vary: Cookie, Authorization``: patient data never stays in a proxy or a browser
    cache. Anonymous public pages keep their normal caching; static files are served by
    WhiteNoise before this middleware is reached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        credentials = "HTTP_AUTHORIZATION" in request.META or (
            user is not None and user.is_authenticated
        )
        if credentials or getattr(response, "private_answer", False):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store"
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response


class SessionActivityMiddleware:
    """Slides a signed-in session's idle expiry without writing it on every request.

    The row (and its expiry date) is rewritten when the session changed anyway, or when the
    last write is older than SESSION_REFRESH_SECONDS: the idle timeout is then
    SESSION_COOKIE_AGE give or take that interval, for one write every few minutes instead
    of one per request. Sessions of anonymous visitors are never created here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if (
            session.modified
            or now - session.get(SESSION_ACTIVITY_KEY, 0) >= settings.SESSION_REFRESH_SECONDS
        ):
            session[SESSION_ACTIVITY_KEY] = now
        return response


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Sign-in required by default; the API answers 401 itself, with a JSON body."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


@dataclass
class Context:
    """What the current request may act on; built once per request."""

    memberships: list = field(default_factory=list)  # all active memberships
    network_memberships: list = field(default_factory=list)
    structure: object = None
    network: object = None

    @cached_property
    def structures(self):
        seen = {}
        for m in self.memberships:
            seen.setdefault(m.structure_id, m.structure)
        return list(seen.values())

    @cached_property
    def networks(self):
        return [nm.network for nm in self.network_memberships]

    @cached_property
    def has_choice(self) -> bool:
        """More than one structure or network to work on: the header offers a switch."""
        return len(self.structures) + len(self.networks) > 1

    @cached_property
    def current_memberships(self):
        if self.structure is None:
            return []
        return [m for m in self.memberships if m.structure_id == self.structure.pk]

    @cached_property
    def roles(self) -> set[str]:
        return {m.role for m in self.current_memberships}

    def membership(self, role):
        return next((m for m in self.current_memberships if m.role == role), None)

    @cached_property
    def needs_second_factor(self) -> bool:
        return any(m.role in ROLES_SEEING_PATIENT_DATA for m in self.memberships)


def load_context(user, wanted_structure=None, wanted_network=None) -> Context:
    if not user.is_authenticated:
        return Context()
    memberships = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("structure")
        .order_by("structure__name", "role")
    )
    network_memberships = []
    # Users read by binome.accounts.backends say whether they have a network role at all.
    if getattr(user, "has_network_roles", True):
        network_memberships = list(
            NetworkMembership.objects.filter(user=user, is_active=True).select_related("network")
        )
    ctx = Context(memberships=memberships, network_memberships=network_memberships)
    by_slug = {s.slug: s for s in ctx.structures}
    if wanted_structure in by_slug:
        ctx.structure = by_slug[wanted_structure]
    elif ctx.structures and not (wanted_network and not wanted_structure):
        # Not chosen yet: the structure the person joined first (a partner who shares her
        # profile in a CPTS's pool lands in her own team, not in the one she joined later).
        first = min(memberships, key=lambda m: (m.created_at, m.pk))
        ctx.structure = first.structure
    networks = {n.slug: n for n in ctx.networks}
    if wanted_network in networks:
        ctx.network = networks[wanted_network]
    elif ctx.networks:
        ctx.network = ctx.networks[0]
    return ctx


class CurrentStructureMiddleware:
    """Resolves the current structure once per request and opens the query scope.

    Pages are scoped to the current structure (chosen in the header, kept in the
    session); the API to every structure of the token's owner; anonymous visitors to none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            from binome.accounts.tokens import authenticate_bearer

            user = authenticate_bearer(request)
            if user is not None:
                request.user = user
            request.binome = load_context(request.user)
            scope_structures = request.binome.structures
        else:
            request.binome = load_context(
                request.user,
                request.session.get(SESSION_KEY) if hasattr(request, "session") else None,
                request.session.get(SESSION_NETWORK_KEY) if hasattr(request, "session") else None,
            )
            scope_structures = [request.binome.structure] if request.binome.structure else []
        request.structure = request.binome.structure
        request.roles = request.binome.roles
        with structure_scope(scope_structures):
            return self.get_response(request)
