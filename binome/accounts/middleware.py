from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in user may reach before the second factor.
_OPEN_PREFIXES = ("/compte/second-facteur/", "/deconnexion/", "/static/", "/api/")


def second_factor_exempt(user) -> bool:
    return settings.DEMO_MODE and user.is_demo


class SecondFactorRequiredMiddleware:
    """Everyone who can see patient data must pass a TOTP second factor (DESIGN cap. 1)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            not request.path_info.startswith(_OPEN_PREFIXES)
            and user.is_authenticated
            and (request.binome.needs_second_factor or user.is_staff)
            and not user.is_verified()
            and not request.session.get(
                "psc_acr"
            )  # signed in with a CPS / e-CPS card: a strong factor already
            and not second_factor_exempt(user)
        ):
            return redirect(
                f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
