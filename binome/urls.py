from django.contrib import admin
from django.urls import include, path

import binome.api.urls  # noqa: F401  (registers every app's router)
from binome.api.base import api
from binome.core.plugins import app_modules

handler400 = "binome.web.views.handler400"
handler403 = "binome.web.views.handler403"
handler404 = "binome.web.views.handler404"
handler500 = "binome.web.views.handler500"

# Structure-scoped apps mount here; each app's urls.py sets app_name.
APP_PREFIXES = {
    "binome.people": "structure/",
    "binome.partners": "partenaires/",
    "binome.missions": "missions/",
    "binome.accompaniment": "accompagnements/",
    "binome.tandems": "accompagnements/",
    "binome.involvement": "implication/",
    "binome.voice": "voix/",
    "binome.networks": "reseau/",
    "binome.compensation": "indemnisation/",
    "binome.steering": "projets/",
    "binome.privacy": "donnees/",
    "binome.imports": "import/",
    "binome.messaging": "rappels/",
}

urlpatterns = [
    path("", include("binome.web.urls")),
    path("", include("binome.accounts.urls")),
    path("journal/", include("binome.privacy.audit_urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

with_urls = {app for app, _module in app_modules("urls")}
for app, prefix in APP_PREFIXES.items():
    if app in with_urls:
        urlpatterns.append(path(prefix, include(f"{app}.urls")))
# Public pages (no sign-in) of an app live in its public_urls.py, under /p/.
for app, _module in app_modules("public_urls"):
    urlpatterns.append(path("p/", include(f"{app}.public_urls")))
