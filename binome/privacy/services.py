"""Right of access (export) and erasure, both driven by the personal-data registry."""

import uuid
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from binome.audit.kinds import label_of
from binome.audit.models import AuditEvent, target_key
from binome.audit.services import record
from binome.people.models import Membership, NetworkMembership
from binome.privacy.registry import Person, registrations


class ErasureRefused(Exception):
    """The erasure cannot be done from here; the message (French) says why."""


# --- Export ------------------------------------------------------------------------------


def _json_value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    if isinstance(value, dict | list):
        return value
    return str(value)


def _display(obj, model_field, value):
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(_json_value(value))


def _subject_rows(registration, person):
    """The registration's rows about the person, with its related fields fetched in bulk."""
    queryset = registration.subject(person)
    if queryset is None:
        return registration.model._base_manager.none()
    related = [registration.model._meta.get_field(n) for n in registration.fields]
    single = [f.name for f in related if f.is_relation and (f.many_to_one or f.one_to_one)]
    multiple = [f.name for f in related if f.is_relation and (f.many_to_many or f.one_to_many)]
    if single:
        queryset = queryset.select_related(*single)
    if multiple:
        queryset = queryset.prefetch_related(*multiple)
    return queryset


def _row(registration, obj):
    values = []
    for name in registration.fields:
        model_field = registration.model._meta.get_field(name)
        value = getattr(obj, name)
        if model_field.is_relation and (model_field.many_to_many or model_field.one_to_many):
            value = ", ".join(str(o) for o in value.all())
        values.append(
            {
                "field": name,
                "label": str(getattr(model_field, "verbose_name", name)),
                "value": _json_value(value),
                "display": _display(obj, model_field, value),
            }
        )
    return {"id": str(target_key(obj)), "values": values}


def collect(person: Person, *, structure=None, for_owner=True) -> dict:
    """Everything the registry knows about the person.

    ``structure``: a coordinator's export keeps the rows of their structure only.
    ``for_owner``: the person's own export also has what only concerns them (API tokens).
    """
    sections = []
    targets = defaultdict(list)
    with scopes_disabled():
        for registration in registrations():
            if registration.owner_only and not for_owner:
                continue
            queryset = _subject_rows(registration, person)
            if structure is not None and registration.structure_path:
                queryset = queryset.filter(**{registration.structure_path: structure})
            rows = []
            for obj in queryset:
                row = _row(registration, obj)
                rows.append(row)
                targets[registration.label].append(row["id"])
            sections.append(
                {
                    "model": registration.label,
                    "title": registration.title,
                    "erase": registration.erase,
                    "rows": rows,
                }
            )
        reads = _reads(person, targets, structure)
    return {
        "generated_at": timezone.now().isoformat(),
        "person": {"email": person.emails[0] if person.emails else "", "name": _name(person)},
        "structure": structure.name if structure is not None else None,
        "sections": sections,
        "reads": reads,
    }


def _name(person):
    return person.user.get_full_name() if person.user else ""


def _reads(person, targets, structure):
    """Who read or exported the person's data: audit rows about them or their objects."""
    condition = Q(subject=person.user) if person.user else Q(pk__in=[])
    for label, ids in targets.items():
        condition |= Q(target_type=label, target_id__in=ids)
    events = (
        AuditEvent.objects.filter(condition)
        .select_related("actor", "structure")
        .order_by("-created_at", "-id")
    )
    if person.user:
        events = events.exclude(actor=person.user)
    if structure is not None:
        events = events.filter(structure=structure)
    return [
        {
            "date": event.created_at.isoformat(),
            "date_display": timezone.localtime(event.created_at).strftime("%d/%m/%Y %H:%M"),
            "kind": event.kind,
            "kind_label": label_of(event.kind),
            "actor": str(event.actor) if event.actor else "",
            "structure": event.structure.name if event.structure else "",
        }
        for event in events[:2000]
    ]


def export_person(person: Person, *, actor, fmt, structure=None, request=None) -> dict:
    """Collect the data and write the audit row of the export in the same transaction."""
    with transaction.atomic():
        data = collect(person, structure=structure, for_owner=person.user == actor)
        record(
            "privacy.export",
            actor=actor,
            structure=structure,
            subject=person.user,
            target=person.records[0] if person.records else None,
            request=request,
            format=fmt,
            by_self=person.user == actor,
        )
    return data


# --- Erasure -----------------------------------------------------------------------------


def check_erasable(person: Person, *, actor, structure):
    """A coordinator erases only a member of their structure, and no one else's data."""
    user = person.user
    if user is None:
        return
    if user == actor:
        raise ErasureRefused(_("Vous ne pouvez pas effacer votre propre compte ici."))
    elsewhere = Membership.objects.filter(user=user).exclude(structure=structure).exists()
    if elsewhere or NetworkMembership.objects.filter(user=user).exists():
        raise ErasureRefused(
            _(
                "Cette personne fait aussi partie d'une autre structure ou d'un réseau : "
                "l'effacement complet doit être fait par l'administrateur de la plateforme "
                "(commande « binome erase_person »)."
            )
        )
    if user.is_superuser or user.is_staff:
        raise ErasureRefused(
            _("Un compte d'administration technique ne s'efface pas depuis cette page.")
        )


def erase_person(
    person: Person, *, actor=None, structure=None, request=None, limit_to_structure=False
) -> dict[str, int]:
    """Delete or anonymise every registered row about the person, in one transaction.

    Returns the number of rows handled per model label. Rows in "keep" mode (the audit log)
    stay until the retention purge. ``limit_to_structure``: a coordinator erases the rows of
    their structure only (rows with a structure path elsewhere are another team's data).
    """
    # Freeze the identity first: subject queries must not see the anonymised account.
    person = Person(
        user=person.user, email=person.emails[0] if person.emails else "", records=person.records
    )
    counts = {}
    with transaction.atomic(), scopes_disabled():
        plan: list = []
        for registration in registrations():
            queryset = registration.subject(person)
            if queryset is None:
                plan.append((registration, []))
                continue
            if limit_to_structure and structure is not None and registration.structure_path:
                queryset = queryset.filter(**{registration.structure_path: structure})
            plan.append((registration, list(queryset)))
        for registration, objects in plan:
            manager = registration.model._base_manager
            if registration.erase == "delete":
                if objects:
                    manager.filter(pk__in=[o.pk for o in objects]).delete()
            elif registration.erase == "anonymise":
                for obj in objects:
                    values = {
                        name: value(obj) if callable(value) else value
                        for name, value in registration.anonymise.items()
                    }
                    manager.filter(pk=obj.pk).update(**values)
            counts[registration.label] = len(objects)
            _remove_files_on_commit(registration, objects)
        for registration, _objects in plan:
            if registration.after_erase:
                registration.after_erase(person)
        record(
            "privacy.person_erased",
            actor=actor,
            structure=structure,
            subject=person.user,
            target=person.records[0] if person.records else None,
            request=request,
            rows={label: n for label, n in counts.items() if n},
        )
    return counts


def _remove_files_on_commit(registration, objects):
    """Uploaded files of erased rows leave the disk too (after the commit, never before)."""
    if registration.erase == "keep":
        return
    names = [
        n
        for n in registration.fields
        if isinstance(registration.model._meta.get_field(n), models.FileField)
        and (registration.erase == "delete" or n in registration.anonymise)
    ]
    for obj in objects:
        for name in names:
            file = getattr(obj, name)
            if file and file.name:
                storage, file_name = file.storage, file.name
                transaction.on_commit(lambda s=storage, f=file_name: s.delete(f))
