"""django-axes hook: one lockout counter per address, whatever the case or spaces typed."""


def username_of(request, credentials) -> str | None:
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None
