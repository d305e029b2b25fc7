"""``reverse()`` without the resolver's work on every row (issue 17, docs/performance.md).

Django's ``reverse()`` walks the URL patterns, checks each argument against its converter's
pattern and quotes the result: ≈ 25 µs a call. A list of 50 rows with three links each
spent 4 to 5 ms of a 25 ms page there. Here a URL is reversed once per view name, argument
shape, URL configuration, script prefix, language and current application, with stand-in
UUIDs in place of the arguments; each later call replaces the stand-ins with the real
UUIDs. This is exact for UUID arguments (a UUID's text never needs quoting and every UUID
matches the same converters); any other argument, or a URL in which a stand-in does not
appear exactly once, goes to Django's ``reverse()`` as before.
"""

import uuid
from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language

_STAND_INS = tuple(uuid.UUID(f"5e1d0b5e-0000-4000-8000-{i:012x}") for i in range(1, 9))
_STAND_IN_TEXTS = tuple(str(s) for s in _STAND_INS)


@lru_cache(maxsize=4096)
def _pattern(viewname, n_args, kwarg_names, urlconf, prefix, language, current_app):
    """The URL with stand-ins for its arguments, or None when it must be reversed each time."""
    stand_ins = iter(_STAND_INS)
    args = [next(stand_ins) for _ in range(n_args)]
    kwargs = {name: next(stand_ins) for name in kwarg_names}
    try:
        url = django_reverse(
            viewname, urlconf=urlconf, args=args, kwargs=kwargs, current_app=current_app
        )
    except NoReverseMatch:
        return None  # let Django raise it (or find the URL) with the real arguments
    if any(url.count(str(s)) != 1 for s in (*args, *kwargs.values())):
        return None
    return url


def _uuids_only(values) -> bool:
    return len(values) <= len(_STAND_INS) and all(isinstance(v, uuid.UUID) for v in values)


def _fill(url, values):
    """The pattern's stand-ins replaced by the real UUIDs, in order."""
    for stand_in, value in zip(_STAND_IN_TEXTS, values, strict=False):
        url = url.replace(stand_in, str(value))
    return url


def reverse(viewname, args=None, kwargs=None, current_app=None):
    """Same result as ``django.urls.reverse`` for a view name and UUID (or no) arguments."""
    args = tuple(args or ())
    kwargs = kwargs or {}
    values = (*args, *kwargs.values())
    if not isinstance(viewname, str) or not _uuids_only(values):
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    names = tuple(kwargs)
    url = _pattern(
        viewname,
        len(args),
        names,
        get_urlconf(),
        get_script_prefix(),
        get_language(),
        current_app,
    )
    if url is None:
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _fill(url, values)


def url_builder(current_app=None):
    """``reverse`` for the many links of one response: the URL configuration, script prefix
    and language are read once (≈ 6 µs of the ≈ 10 µs of a call), and each view name's
    pattern once. Used by the rows of long lists (binome.core.rows)."""
    context = (get_urlconf(), get_script_prefix(), get_language(), current_app)
    patterns: dict = {}

    def build(viewname, *args):
        if not _uuids_only(args):
            return reverse(viewname, args=args, current_app=current_app)
        key = (viewname, len(args))
        try:
            url = patterns[key]
        except KeyError:
            url = patterns[key] = _pattern(viewname, len(args), (), *context)
        if url is None:
            return django_reverse(viewname, args=args, current_app=current_app)
        return _fill(url, args)

    return build


def _forget_on_urlconf_change(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGE_CODE"):
        _pattern.cache_clear()


setting_changed.connect(_forget_on_urlconf_change)
