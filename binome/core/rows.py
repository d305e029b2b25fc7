"""The rows of long lists, rendered by Jinja2 (issue 17, docs/architecture.md).

A list page shows up to fifty rows of a dozen values each. Django's template engine
resolves every ``{{ value }}`` through its context stack, about 10 µs each: 3 ms for the
fifty rows of the team's members, more than the rest of the page's own work. Jinja2 compiles
a template to Python once, and the same rows take 1.1 ms (measured on the members' rows,
docs/performance.md § 2, sixth series).

So a list's ``<tbody>`` rows live in a Jinja2 template (``<app>/jinja2/<app>/rows/*.html``)
and the page around them — layout, filters, caption, pagination — stays a Django template,
which receives the rows as one safe string from ``render_rows``. The Jinja2 environment
has what those rows need and no more:

- autoescaping on (Django's Jinja2 backend), every value escaped unless marked safe;
- ``_()`` and ``ngettext()``: Django's own translation functions, with the variables of
  the message as keywords (``_("reçue le %(date)s", date=…)``), escaped;
- ``url(name, *args)``: the same URLs as ``{% url %}`` in the pages, reversed through
  ``binome.core.reversing`` (``url_builder`` in ``render_rows``: one URL context a list);
- ``|date(format)``: the same text as Django's ``|date`` (local time, kept per day);
- ``|truncatechars(n)``, ``|timesince``, ``|linebreaksbr``, ``|lower``: Django's own
  filters; ``|euros`` (binome.core.money);
- values printed as Django prints them: numbers localised, datetimes in local time,
  quotes escaped as Django escapes them — the same bytes as the Django template had;
- ``csrf_input``, computed once per list (``render_rows``);
- an unknown variable is an error (``StrictUndefined``), as it is in the tests of the
  Django templates (tests/conftest.py), rather than an empty cell.
"""

import datetime
import unicodedata
from decimal import Decimal

import jinja2
from django.template import defaultfilters, engines
from django.template.backends.utils import csrf_input
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import gettext, ngettext
from markupsafe import escape

from binome.core import dates
from binome.core.money import format_euros
from binome.core.reversing import reverse, url_builder


def _date(value, fmt=None):
    if isinstance(value, datetime.datetime):
        value = template_localtime(value)
    key = dates.key_for(value, fmt)
    if key is None:
        return defaultfilters.date(value, fmt)
    return dates.kept(key, fmt, lambda: defaultfilters.date(value, fmt))


def _url(name, *args):
    return reverse(name, args=args)


def _truncatechars(value, length):
    """Django's ``truncatechars``; a text already short enough comes back as Django gives
    it (NFC-normalised) without its character-by-character walk (≈ 13 µs a row)."""
    if type(value) is str and len(value) <= int(length):
        return unicodedata.normalize("NFC", value)
    return defaultfilters.truncatechars(value, length)


def _as_django_prints(value):
    """A value as Django's templates print it: numbers and dates localised (``12,5``),
    datetimes in local time. Texts, most of what rows print, go through unchanged."""
    if type(value) is str:
        return value
    return localize(template_localtime(value))


def _escaped(variables):
    return {
        name: value if isinstance(value, int | float | Decimal) else escape(value)
        for name, value in variables.items()
    }


def _gettext(message, **variables):
    """``_("reçue le %(date)s", date=…)``: Django's translation, its variables escaped."""
    text = gettext(message)
    return mark_safe(text % _escaped(variables)) if variables else text  # noqa: S308


def _ngettext(singular, plural, number, **variables):
    """``ngettext("%(num)d rencontre", "%(num)d rencontres", n)``, as Jinja2's i18n."""
    variables.setdefault("num", number)
    return mark_safe(ngettext(singular, plural, number) % _escaped(variables))  # noqa: S308


def environment(**options):
    """The Jinja2 environment of settings.TEMPLATES (backend ``rows``)."""
    options["undefined"] = jinja2.StrictUndefined
    options["finalize"] = _as_django_prints
    env = jinja2.Environment(**options)
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext, url=_url)
    env.filters["date"] = _date
    env.filters["truncatechars"] = _truncatechars
    env.filters["timesince"] = defaultfilters.timesince_filter
    env.filters["linebreaksbr"] = defaultfilters.linebreaksbr
    env.filters["lower"] = defaultfilters.lower
    env.filters["euros"] = format_euros
    return env


def render_rows(template_name: str, request, **context) -> SafeString:
    """The rows of ``template_name`` (a Jinja2 template), ready to be placed in a page.

    ``csrf_input`` is computed once: Django's backend gives a lazy one that masks a new
    token at each use, 50 times for a list with a form per row. ``url()`` reads the URL
    configuration, prefix and language once for all the rows."""
    template = engines["rows"].env.get_template(template_name)  # type: ignore[attr-defined]
    context["csrf_input"] = csrf_input(request)
    context["request"] = request
    context["url"] = url_builder()
    return render_template(template, context)


def render_template(template: jinja2.Template, context: dict) -> SafeString:
    """A Jinja2 template of this environment rendered, with Django's escapes of quotes."""
    html = template.render(context)
    # Jinja2 escapes quotes as &#39; and &#34;, Django as &#x27; and &quot;: the same
    # characters. A text's own "&#39;" was escaped to "&amp;#39;", so only escapes change.
    html = html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
    return mark_safe(html)  # noqa: S308  # autoescaped by Jinja2
