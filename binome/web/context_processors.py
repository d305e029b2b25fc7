from django.conf import settings

from binome.web.navigation import navigation_for


def shell(request):
    ctx = getattr(request, "binome", None)
    return {
        "binome": ctx,
        "current_structure": getattr(request, "structure", None),
        "navigation": navigation_for(request) if ctx is not None else [],
        "demo_mode": settings.DEMO_MODE,
    }
