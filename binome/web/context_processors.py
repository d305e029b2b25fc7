from django.conf import settings
from django.utils.functional import SimpleLazyObject

from binome.core.navigation import MenuGroups, grouped_navigation, navigation_for


def shell(request):
    ctx = getattr(request, "binome", None)
    # The menu as data is built only if a template reads it; base.html prints menu_groups.
    navigation = SimpleLazyObject(lambda: navigation_for(request) if ctx is not None else [])
    return {
        "binome": ctx,
        "current_structure": getattr(request, "structure", None),
        "navigation": navigation,
        "navigation_groups": SimpleLazyObject(lambda: grouped_navigation(navigation)),
        "menu_groups": MenuGroups(request) if ctx is not None else "",
        "demo_mode": settings.DEMO_MODE,
        "psc_enabled": bool(settings.PSC_ISSUER and settings.PSC_CLIENT_ID),
    }
