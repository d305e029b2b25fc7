"""Structure-scoped querysets that refuse to run without a scope (django-scopes).

Every model that belongs to a structure declares

    objects = StructureScopedManager()            # model.structure is the FK
    objects = StructureScopedManager("mission__structure", MyQuerySet)

CurrentStructureMiddleware opens the scope of each request: the current structure for
pages, all the caller's structures for the API, none for anonymous visitors. Code that
runs outside a request (tasks, commands, public pages) says explicitly what it needs:
``with structure_scope(structure):`` or ``with scopes_disabled():``.
"""

from contextlib import contextmanager

from django.db import models
from django.http import Http404
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled

# Where a signed-in person's chosen structure is kept in the session (web.middleware reads it).
CURRENT_STRUCTURE_SESSION_KEY = "current_structure"

__all__ = [
    "StructureScopedManager",
    "structure_scope",
    "scopes_disabled",
    "get_object_or_404_scoped",
    "current_scope_structure_ids",
]


def StructureScopedManager(path: str = "structure", queryset_class=models.QuerySet):  # noqa: N802
    manager_class = models.Manager.from_queryset(queryset_class)
    return ScopedManager(_manager_class=manager_class, structure=path)


@contextmanager
def structure_scope(structures):
    """Scope queries to one structure or an iterable of structures (or their ids)."""
    if structures is None:
        ids = []
    elif (
        isinstance(structures, (list, tuple, set, frozenset))
        or hasattr(structures, "__iter__")
        and not hasattr(structures, "pk")
    ):
        ids = [getattr(s, "pk", s) for s in structures]
    else:
        ids = [getattr(structures, "pk", structures)]
    # A list, never None: django-scopes treats None as "no filter".
    with scope(structure=list(ids)):
        yield


def current_scope_structure_ids() -> list[int]:
    value = get_scope().get("structure", [])
    return list(value) if isinstance(value, (list, tuple)) else [value]


def get_object_or_404_scoped(queryset, **lookup):
    """One access function for every structure-owned object: missing and foreign look alike."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset.objects.all()
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    except Exception as exc:  # malformed UUIDs raise ValidationError
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            raise Http404 from exc
        raise
