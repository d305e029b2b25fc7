"""Shared input checks with French messages."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

_PHONE_RE = re.compile(r"^(?:\+33|0033|0)([1-9])(\d{8})$")


def normalize_french_phone(value: str) -> str:
    """Accept 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78; store 06 12 34 56 78."""
    if not value:
        return ""
    compact = re.sub(r"[\s.\-()]", "", value)
    match = _PHONE_RE.match(compact)
    if not match:
        raise forms.ValidationError(
            _("Numéro de téléphone invalide : saisissez 10 chiffres, par exemple 06 12 34 56 78.")
        )
    digits = "0" + match.group(1) + match.group(2)
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


# Types accepted for proofs, receipts and evidence: checked by content, not by name.
_SIGNATURES = {
    "application/pdf": [b"%PDF-"],
    "image/jpeg": [b"\xff\xd8\xff"],
    "image/png": [b"\x89PNG\r\n\x1a\n"],
    "image/webp": [b"RIFF"],
}


def validate_upload(uploaded, allowed=("application/pdf", "image/jpeg", "image/png", "image/webp")):
    """Check size and real type of an uploaded file; raises a French ValidationError."""
    if uploaded is None:
        return uploaded
    limit = settings.BINOME_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise forms.ValidationError(
            _("Le fichier est trop volumineux (%(size)s Mo au maximum).")
            % {"size": limit // (1024 * 1024)}
        )
    head = uploaded.read(16)
    uploaded.seek(0)
    for mime in allowed:
        for signature in _SIGNATURES.get(mime, []):
            if head.startswith(signature) and (mime != "image/webp" or head[8:12] == b"WEBP"):
                return uploaded
    raise forms.ValidationError(
        _("Type de fichier refusé : déposez un PDF ou une photo (JPEG, PNG, WebP).")
    )


def validate_plausible_date(value):
    """Dates people type lie between 1900 and 2100 (the API's PlausibleDate says the same);
    year 1 or 9999 would overflow the date arithmetic of reminders and time zones."""
    import datetime as dt

    day = value.date() if isinstance(value, dt.datetime) else value
    if not dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise forms.ValidationError(
            _("Choisissez une date entre 1900 et 2100."), code="implausible_date"
        )
