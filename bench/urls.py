"""Binôme's URLs plus ``/__bench__/vide/``: an empty view behind the same middleware."""

from django.http import HttpResponse
from django.urls import path

from binome.urls import handler400, handler403, handler404, handler500  # noqa: F401
from binome.urls import urlpatterns as binome_urlpatterns

EMPTY_PATH = "/__bench__/vide/"


def empty(request):
    """Nothing but the middleware stack (session, sign-in, second factor, structure scope)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(EMPTY_PATH.strip("/") + "/", empty, name="bench_empty"), *binome_urlpatterns]
