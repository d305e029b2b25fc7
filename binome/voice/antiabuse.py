"""What every public form (no sign-in) shares: honeypot, size limit, idempotency token.

Rate limiting is django-ratelimit's decorator on each view (key "ip"); this module adds
- a honeypot field that people never see and robots fill in: the post "succeeds" but
  nothing is stored;
- a size limit on the whole request body (413) on top of each field's max_length;
- a hidden submission token generated with the page: a retried post with the same token
  is stored once (the services look it up before writing, under a unique constraint).
"""

import secrets

from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

MAX_PUBLIC_BODY = 64 * 1024  # bytes; a survey of 40 questions with long texts fits
PUBLIC_RATE = "30/h"  # posts per address and hour on each public form


class PublicFormMixin(forms.Form):
    # Named to tempt robots; hidden from people (CSS class + aria-hidden wrapper + tabindex).
    website = forms.CharField(required=False, label=_("Laissez ce champ vide"), max_length=200)
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


def too_large(request) -> HttpResponse | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_PUBLIC_BODY:
        return HttpResponse("Envoi trop volumineux.", status=413, content_type="text/plain; charset=utf-8")
    return None



def public_rate_limit(view):
    """django-ratelimit on posts, per address; over the limit, the 429 page and nothing stored."""
    from functools import wraps

    from django.shortcuts import render
    from django_ratelimit.core import is_ratelimited

    group = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_ratelimited(request, group=group, key="ip", rate=PUBLIC_RATE, method="POST", increment=True):
            return render(request, "429.html", status=429)
        return view(request, *args, **kwargs)

    return wrapper
