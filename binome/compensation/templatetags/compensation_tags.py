from django import template

register = template.Library()


@register.filter
def hours(minutes):
    """135 → "2 h 15"."""
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        return ""
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}"
