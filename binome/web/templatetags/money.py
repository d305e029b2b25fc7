"""``|euros``: money as a French reader expects it (binome.core.money)."""

from django import template

from binome.core.money import format_euros

register = template.Library()


@register.filter
def euros(value):
    return format_euros(value)
