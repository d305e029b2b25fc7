"""What every public form (no sign-in) shares, pages and API alike.

- ``@public_form(rate=...)`` on the view: posts limited per address (django-ratelimit, the
  429 page) and in size (413), before the view runs; nothing is stored when refused.
- ``PublicFormMixin`` on the form: a honeypot field people never see and robots fill in
  (the post "succeeds", nothing is stored), and a hidden submission token generated with the
  page, so that a retried post is stored once (services look it up under a unique constraint).
- ``refusal()`` is the same check for the API's public endpoints.
"""

import secrets
from functools import wraps

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_PUBLIC_BODY = 64 * 1024  # bytes; a survey of 40 questions with long texts fits
PUBLIC_RATE = "30/h"  # posts per address and hour on each public form


class PublicFormMixin(forms.Form):
    # Named to tempt robots; hidden from people (CSS class + aria-hidden wrapper + tabindex).
    website = forms.CharField(
        required=False, label=gettext_lazy("Laissez ce champ vide"), max_length=200
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial.setdefault("submission_token", new_token())

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != "website"]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def refusal(request, *, group: str, rate: str = PUBLIC_RATE) -> tuple[int, str] | None:
    """(status, French message) when a public post must be refused, else None."""
    from django_ratelimit.core import is_ratelimited

    if request.method != "POST":
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_PUBLIC_BODY:
        return 413, _("Envoi trop volumineux.")
    if is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True):
        return 429, _("Trop d'envois depuis cette adresse : réessayez plus tard.")
    return None


def public_form(view=None, *, rate: str = PUBLIC_RATE, group: str | None = None):
    """Protect a public page's posts: size limit (413), then rate limit per address (429)."""

    def decorate(view):
        name = group or f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            refused = refusal(request, group=name, rate=rate)
            if refused is not None:
                status, message = refused
                if status == 429:
                    return render(request, "429.html", status=429)
                return HttpResponse(
                    message, status=status, content_type="text/plain; charset=utf-8"
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
