import logging

from django.conf import settings
from django.db import connection

from binome.audit.kinds import all_kinds
from binome.audit.models import AuditEvent, target_key

logger = logging.getLogger(__name__)


class AuditOutsideTransaction(RuntimeError):
    """A change was audited outside a transaction of its own: a crash between the change and
    its audit row would leave the change with no trace."""


def in_change_transaction() -> bool:
    """True inside an ``atomic`` block opened by the code (not only by a test case wrapper)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    kind: str, *, actor=None, structure=None, target=None, subject=None, request=None, **data
):
    """Write one audit row. Call it inside the transaction of the change it records.

    ``request`` supplies the actor, the current structure and the client address when
    they are not given. ``data`` must hold identifiers and flags, never names or notes.
    """
    kinds = all_kinds()
    if kind not in kinds:
        raise ValueError(f"Unknown audit kind {kind!r}: register it in an audit_kinds.py.")
    if kinds[kind].category == "change" and not in_change_transaction():
        # Strict in tests and development: the write and its audit row must commit together.
        if getattr(settings, "BINOME_AUDIT_STRICT", False):
            raise AuditOutsideTransaction(
                f"{kind} is recorded outside the transaction of its change."
            )
        logger.error("Audit kind %s recorded outside the transaction of its change.", kind)
    if request is not None:
        user = getattr(request, "user", None)
        if actor is None and user is not None and user.is_authenticated:
            actor = user
        if structure is None:
            structure = getattr(request, "structure", None)
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        structure=structure,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target_key(target)) if target is not None else "",
        subject=subject,
        ip_address=client_ip(request),
        data=data,
    )


def save_recorded(obj=None, kind: str = "", *, form=None, request=None, **audit):
    """The service of a plain edit: save ``obj`` (or ``form``'s instance, with its
    many-to-many fields) and record ``kind`` in the same transaction. Access is checked by
    the caller before (the object was looked up through its scoped queryset)."""
    from django.db import transaction

    with transaction.atomic():
        if form is not None:
            if obj is not None and obj is not form.instance:
                raise ValueError("Give the form or the object, not two different ones.")
            obj = form.save()
        else:
            obj.save()
        record(kind, target=obj, request=request, **audit)
    return obj
