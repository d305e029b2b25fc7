"""The ``|date`` filter, with Django's answers kept per calendar day and minute (issue 17).

See binome.core.dates: for formats that read only the day (and the hour and minute) of a
value the template engine has already converted to local time, Django's own text is kept
under those fields, the format and the language; anything else goes to Django each time.

Loaded as a template builtin (settings.TEMPLATES ``builtins``), after Django's own.
"""

from django import template
from django.template import defaultfilters

from binome.core import dates

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    key = dates.key_for(value, arg)
    if key is None:
        return defaultfilters.date(value, arg)
    return dates.kept(key, arg, lambda: defaultfilters.date(value, arg))
