"""PDF documents: one template rendered by Django, printed by WeasyPrint."""

import warnings

from django.conf import settings
from django.template.loader import render_to_string


def _html_class():
    # Debian's Pango lacks HarfBuzz-Subset: WeasyPrint warns once at import and prints fine
    # without it. Only that warning is silenced; any other deprecation still fails the tests.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML
    return HTML


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    """The PDF of ``template``; images and links resolve against SITE_URL (QR codes, logos)."""
    html = render_to_string(template, context, request=request)
    return _html_class()(string=html, base_url=settings.SITE_URL).write_pdf()
