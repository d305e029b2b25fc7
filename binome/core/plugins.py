"""Plug-in modules an app may provide (docs/architecture.md): ``nav``, ``home``, ``api``,
``urls``, ``public_urls``, ``tasks``, ``audit_kinds``, ``personal_data``, ``demo``."""

import sys
from types import ModuleType

from django.conf import settings
from django.utils.module_loading import autodiscover_modules


def app_modules(name: str) -> list[tuple[str, ModuleType]]:
    """``(app, module)`` for each Binôme app that has ``<app>.<name>``, in BINOME_APPS order.

    Django's ``autodiscover_modules`` imports them (an app without the module is skipped; an
    error inside an existing module is raised, never hidden).
    """
    autodiscover_modules(name)
    return [
        (app, sys.modules[f"{app}.{name}"])
        for app in settings.BINOME_APPS
        if f"{app}.{name}" in sys.modules
    ]
