"""Retention periods per kind of data, and the job that applies them.

Durations have sensible defaults and can be changed by the operator, per kind, with
``BINOME_RETENTION_<KEY>_DAYS`` in the environment (or the ``BINOME_RETENTION_DAYS``
setting, a dict). The audit log keeps its own bounded setting ``AUDIT_RETENTION_DAYS``
(6 to 12 months, CNIL).

Apps attach what to remove to a kind in their ``<app>/personal_data.py``::

    from binome.privacy.retention import retention_hook

    @retention_hook("contact_notes")
    def forget_contact_notes(cutoff, now) -> int:
        return Contact.objects.filter(accompaniment__ended_at__lt=cutoff).exclude(private_notes="").update(private_notes="")

A hook returns how many rows it removed or anonymised, and must be idempotent: a second
run at the same time removes nothing.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from binome.env import env_int


@dataclass(frozen=True)
class DataKind:
    key: str
    label: str
    default_days: int
    starts: str  # when the clock starts, in French


KINDS = [
    DataKind(
        "audit_log",
        gettext_lazy("Journal d'audit (traces des accès et des actions)"),
        365,
        gettext_lazy("à partir de l'événement"),
    ),
    DataKind(
        "invitations",
        gettext_lazy("Invitations non acceptées (adresse e-mail, nom)"),
        90,
        gettext_lazy("après leur expiration ou leur annulation"),
    ),
    DataKind(
        "contact_notes",
        gettext_lazy("Notes privées des échanges d'accompagnement"),
        365,
        gettext_lazy("après la fin de l'accompagnement"),
    ),
    DataKind(
        "closed_accompaniments",
        gettext_lazy(
            "Accompagnements terminés (identité du patient ; dates et issue gardées, anonymes)"
        ),
        730,
        gettext_lazy("après la fin de l'accompagnement"),
    ),
    DataKind(
        "candidacies",
        "Candidatures de patients partenaires non retenues",
        730,
        gettext_lazy("après la décision (CNIL : 2 ans au plus)"),
    ),
    DataKind(
        "survey_answers",
        gettext_lazy("Réponses libres aux enquêtes (texte écrit par les usagers)"),
        730,
        gettext_lazy("après la clôture de l'enquête"),
    ),
    DataKind(
        "sms_log",
        gettext_lazy("SMS envoyés (numéro, texte neutre, essais)"),
        90,
        gettext_lazy("après l'envoi"),
    ),
    DataKind(
        "import_files",
        gettext_lazy("Tableurs déposés pour import (lignes lues, compte rendu)"),
        30,
        gettext_lazy("après le dépôt du fichier"),
    ),
]
KINDS_BY_KEY = {k.key: k for k in KINDS}

_hooks: dict[str, list[Callable]] = defaultdict(list)


def retention_hook(key: str):
    if key not in KINDS_BY_KEY:
        raise ValueError(f"Unknown retention kind {key!r}; known: {sorted(KINDS_BY_KEY)}")

    def decorator(func):
        hooks = _hooks.setdefault(key, [])
        if func not in hooks:
            hooks.append(func)
        return func

    return decorator


def hooks_for(key: str) -> list[Callable]:
    from binome.privacy.registry import _discover

    _discover()
    return list(_hooks.get(key, []))


def days(key: str) -> int:
    if key == "audit_log":
        return settings.AUDIT_RETENTION_DAYS
    configured = getattr(settings, "BINOME_RETENTION_DAYS", {}) or {}
    value = configured.get(key) or env_int(
        f"BINOME_RETENTION_{key.upper()}_DAYS", KINDS_BY_KEY[key].default_days
    )
    if value < 1:
        raise ValueError(f"Retention of {key} must be at least one day.")
    return value


def policy() -> list[dict]:
    """The durations in force, for the coordinator's page and the generated documents."""
    return [
        {
            "key": k.key,
            "label": k.label,
            "days": days(k.key),
            "starts": k.starts,
            "applied": bool(hooks_for(k.key)),
        }
        for k in KINDS
    ]


def apply_retention(now=None) -> dict[str, int]:
    """Run every hook whose data is past its period; returns rows removed per kind."""
    from binome.audit.services import record

    now = now or timezone.now()
    report = {}
    # One transaction for the run and its audit row: the hooks are idempotent, so a run
    # that fails is simply done again by the next one.
    with scopes_disabled(), transaction.atomic():
        for kind in KINDS:
            cutoff = now - timedelta(days=days(kind.key))
            report[kind.key] = sum(hook(cutoff, now) for hook in hooks_for(kind.key))
        record("privacy.retention_applied", removed={k: n for k, n in report.items() if n})
    return report
