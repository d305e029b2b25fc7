from importlib import import_module

from django.conf import settings

from binome.api import core, fhir
from binome.api.base import api

api.add_router("/", core.router)
api.add_router("/fhir/", fhir.router)

for app in settings.BINOME_APPS:
    try:
        module = import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        continue
    if app == "binome.api":
        continue
    prefix = getattr(module, "ROUTER_PREFIX", app.rsplit(".", 1)[-1])
    api.add_router(f"/{prefix}/", module.router)
