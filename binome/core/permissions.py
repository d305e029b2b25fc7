"""Small declarative checks for views. Object access itself lives in scoped querysets."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def has_role(request, *roles) -> bool:
    return bool(set(request.roles) & {str(r) for r in roles})


def check_roles(request, *roles):
    """Raise 403 unless the caller has one of these roles in the current structure.

    Views on one object look it up first (scoped: 404 when it is elsewhere), then call
    this, so that another structure's object is a 404 whatever the role.
    """
    if request.structure is None or not has_role(request, *roles):
        raise PermissionDenied


def require_roles(*roles):
    """For pages without an object: a current structure and one of these roles (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            check_roles(request, *roles)
            return view(request, *args, **kwargs)

        wrapper.required_roles = tuple(str(r) for r in roles)
        return wrapper

    return decorator


def require_network(view):
    """The view needs a current regional network (facilitators)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.binome.network is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
