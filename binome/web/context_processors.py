from django.conf import settings

from binome.core.navigation import grouped_navigation, navigation_for


def shell(request):
    ctx = getattr(request, "binome", None)
    navigation = navigation_for(request) if ctx is not None else []
    return {
        "binome": ctx,
        "current_structure": getattr(request, "structure", None),
        "navigation": navigation,
        "navigation_groups": grouped_navigation(navigation),
        "demo_mode": settings.DEMO_MODE,
        "psc_enabled": bool(settings.PSC_ISSUER and settings.PSC_CLIENT_ID),
    }
