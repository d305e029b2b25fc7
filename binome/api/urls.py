from binome.api import core
from binome.api.base import api
from binome.core.plugins import app_modules

api.add_router("/", core.router)

for app, module in app_modules("api"):
    if app == "binome.api":
        continue
    prefix = getattr(module, "ROUTER_PREFIX", app.rsplit(".", 1)[-1])
    api.add_router(f"/{prefix}/", module.router)
