"""Django's date formatting, with its answers kept per calendar day and minute (issue 17).

``django.utils.formats.date_format`` parses its format and translates month and day names
on every call: ≈ 25 µs, a millisecond on a list of fifty rows. Most of our formats
("j F Y", "d/m/Y", "j F Y à H:i") read only the day, and sometimes the hour and minute, of
a value already in local time. For those, the text depends on nothing else than those
fields, the format and the language, so Django's own result is kept under that key; any
other format or value goes to Django every time. Used by the ``|date`` template builtin
(binome.web.templatetags.fast_dates) and by views that format dates for many rows.
"""

import datetime
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils import formats
from django.utils.translation import get_language

# Django's format characters (django.utils.dateformat) that read only the date, or also the
# hour and minute; every other Django format character reads more (seconds, time zone…).
_DATE_ONLY = set("bdDEFjlLmMnNoSwWyYz")
_WITH_TIME = _DATE_ONLY | set("GHi")
_DJANGO_CHARS = set("aAbBcdDeEfFgGhHiIjlLmMnNoOPrsStTuUwWyYzZ")

_texts: dict = {}
_MAX_TEXTS = 8192


@lru_cache(maxsize=256)
def _reads(fmt):
    """'date', 'time' (date, hour and minute) or None (not kept) for a format."""
    if not isinstance(fmt, str) or not fmt or "\\" in fmt:
        return None  # default format (settings) or escapes: Django decides
    used = {c for c in fmt if c in _DJANGO_CHARS}
    if used <= _DATE_ONLY:
        return "date"
    if used <= _WITH_TIME:
        return "time"
    return None


def key_for(value, fmt):
    """The fields of ``value`` that ``fmt`` reads, or None when its text cannot be kept."""
    reads = _reads(fmt)
    if reads is None:
        return None
    if type(value) is datetime.date:
        return (value.year, value.month, value.day) if reads == "date" else None
    if type(value) is datetime.datetime:
        key = (value.year, value.month, value.day, "datetime")
        return (*key, value.hour, value.minute) if reads == "time" else key
    return None


def kept(key, fmt, compute):
    """``compute()``'s text, kept under ``key``, the format and the language."""
    key = (key, fmt, get_language())
    try:
        return _texts[key]
    except KeyError:
        if len(_texts) >= _MAX_TEXTS:
            _texts.clear()
        text = _texts[key] = compute()
        return text


def date_format(value, fmt):
    """``django.utils.formats.date_format(value, fmt)``, kept when the format allows it."""
    key = key_for(value, fmt)
    if key is None:
        return formats.date_format(value, fmt)
    return kept(key, fmt, lambda: formats.date_format(value, fmt))


def _forget(**kwargs):
    # Formats, languages and translations are settings: tests that change one start afresh.
    _texts.clear()


setting_changed.connect(_forget)
