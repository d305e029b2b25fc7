from django import template

from binome.involvement.reports import fr_number as _fr_number

register = template.Library()


@register.filter
def fr_number(value):
    if value is None or value == "":
        return "—"
    return _fr_number(value)
