"""The registry of every model field that holds personal data.

It drives the right of access (export), erasure and anonymisation, and it is checked by a
meta-test (tests/privacy/test_registry.py) that fails when a model field that looks
personal is neither registered nor declared non-personal with a reason.

Each app declares its models in ``<app>/personal_data.py`` (discovered like the other
plug-in modules)::

    from binome.privacy.registry import register, not_personal

    register(
        Contact,
        fields=["happened_at", "channel", "notes"],
        subject=lambda person: Contact.objects.filter(accompaniment__patient__user=person.user),
        erase="anonymise",                       # or "delete", or "keep" (with keep_reason)
        anonymise={"notes": "", "place": ""},    # value, or callable(obj) -> value
        structure_path="accompaniment__structure",
    )
    not_personal(Structure, ["name"], reason="Nom de la structure, pas d'une personne.")

``subject(person)`` returns the rows about that person (a QuerySet); ``person`` is a
:class:`Person` (an account, and/or an e-mail address for people without an account,
such as candidates). The core models (people, accounts, audit) are registered in
``binome/privacy/personal_data.py``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models

from binome.core.plugins import app_modules

ERASE_MODES = ("delete", "anonymise", "keep")


@dataclass(frozen=True)
class Person:
    """Whose data: an account, an e-mail address, and/or the records that stand for a
    person without an account (an accompanied patient, a candidate)."""

    user: Any = None  # the account (binome.people.models.User), if any
    email: str = ""
    records: tuple = ()

    @property
    def emails(self) -> list[str]:
        found = {e.strip().lower() for e in (self.email, getattr(self.user, "email", "")) if e}
        return sorted(found)

    def of(self, model) -> list:
        """Primary keys of the records of this model that stand for the person."""
        return [r.pk for r in self.records if isinstance(r, model)]


@dataclass(frozen=True)
class PersonSource:
    """Where a coordinator finds people who are not members (patients, candidates...)."""

    model: type
    title: str
    queryset: Callable  # structure -> QuerySet of the structure's records
    to_person: Callable  # record -> Person

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_sources: dict[str, PersonSource] = {}


def person_source(model, *, title, queryset, to_person=None):
    """Declare records that stand for people without an account, e.g. in accompaniment:

    person_source(Patient, title=_("Patients accompagnés"),
                  queryset=lambda structure: Patient.objects.filter(structure=structure))
    """
    if to_person is None:

        def to_person(obj):
            return Person(
                user=getattr(obj, "user", None),
                email=getattr(obj, "email", "") or "",
                records=(obj,),
            )

    source = PersonSource(model=model, title=str(title), queryset=queryset, to_person=to_person)
    _sources[source.key] = source
    return source


def person_sources() -> list[PersonSource]:
    _discover()
    return sorted(_sources.values(), key=lambda s: s.title)


def source_for(key: str) -> PersonSource | None:
    _discover()
    return _sources.get(key)


@dataclass
class Registration:
    model: type[models.Model]
    fields: tuple[str, ...]
    subject: Callable
    erase: str = "anonymise"
    anonymise: dict = field(default_factory=dict)
    keep_reason: str = ""
    # Path from the model to its structure; exports made by a coordinator keep only the
    # rows of their structure. None: the model has no structure (the account itself).
    structure_path: str | None = None
    # Only in the person's own export (e.g. their API token names), not a coordinator's.
    owner_only: bool = False
    # Called after the rows are erased, with the person (e.g. to close sessions).
    after_erase: Callable | None = None
    # Erasure runs by ascending order (children before parents); the account last.
    order: int = 100

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()


@dataclass(frozen=True)
class NonPersonal:
    model: type[models.Model]
    fields: tuple[str, ...]
    reason: str


_registrations: dict[type, Registration] = {}
_non_personal: list[NonPersonal] = []


def register(
    model,
    *,
    fields,
    subject,
    erase="anonymise",
    anonymise=None,
    keep_reason="",
    structure_path="auto",
    owner_only=False,
    after_erase=None,
    order=100,
):
    if erase not in ERASE_MODES:
        raise ValueError(f"erase must be one of {ERASE_MODES}, got {erase!r}")
    if erase == "keep" and not keep_reason:
        raise ValueError(f"{model._meta.label}: erase='keep' needs a keep_reason.")
    field_names = {f.name for f in model._meta.get_fields()}
    unknown = [name for name in [*fields, *(anonymise or {})] if name not in field_names]
    if unknown:
        raise ValueError(f"{model._meta.label}: unknown fields {unknown}")
    if erase == "anonymise" and not anonymise:
        raise ValueError(
            f"{model._meta.label}: erase='anonymise' needs anonymise={{field: value}}."
        )
    if structure_path == "auto":
        structure_path = "structure" if "structure" in field_names else None
    previous = _registrations.get(model)
    if previous is not None and previous.subject.__module__ != getattr(subject, "__module__", None):
        raise ValueError(f"{model._meta.label} is registered twice in the personal-data registry.")
    registration = Registration(
        model=model,
        fields=tuple(fields),
        subject=subject,
        erase=erase,
        anonymise=dict(anonymise or {}),
        keep_reason=keep_reason,
        structure_path=structure_path,
        owner_only=owner_only,
        after_erase=after_erase,
        order=order,
    )
    _registrations[model] = registration
    return registration


def not_personal(model, fields, *, reason):
    """Declare fields that look personal but are not (a structure's name...), with the reason."""
    if not reason:
        raise ValueError("A reason is required.")
    _non_personal.append(NonPersonal(model, tuple(fields), reason))


@cache
def _discover():
    app_modules("personal_data")
    return True


def registrations() -> list[Registration]:
    _discover()
    return sorted(_registrations.values(), key=lambda r: (r.order, r.label))


def registration_for(model) -> Registration | None:
    _discover()
    return _registrations.get(model)


def declared_non_personal() -> dict[tuple[str, str], str]:
    """(model label, field name) -> reason."""
    _discover()
    return {(np.model._meta.label, name): np.reason for np in _non_personal for name in np.fields}


def registered_fields() -> set[tuple[str, str]]:
    return {(r.model._meta.label, name) for r in registrations() for name in r.fields}


# Apps whose free-text fields are presumed personal (notes about people, testimonies...).
APPS_HOLDING_PERSONAL_DATA = {
    "people",
    "accounts",
    "audit",
    "partners",
    "missions",
    "accompaniment",
    "involvement",
    "voice",
    "compensation",
}
PERSONAL_NAME_HINTS = (
    "name",
    "phone",
    "email",
    "address",
    "notes",
    "birth",
    "comment",
    "lived",
    "experience",
)


def looks_personal(model, model_field) -> bool:
    if not getattr(model_field, "concrete", False) or model_field.is_relation:
        return False
    name = model_field.name.lower()
    if isinstance(model_field, models.EmailField | models.FileField | models.GenericIPAddressField):
        return True
    if isinstance(
        model_field,
        models.BooleanField | models.IntegerField | models.FloatField | models.DecimalField,
    ):
        return False  # flags and numbers (share_lived_experience, hours...) are not identities
    if any(hint in name for hint in PERSONAL_NAME_HINTS):
        return True
    return (
        isinstance(model_field, models.TextField)
        and model._meta.app_label in APPS_HOLDING_PERSONAL_DATA
    )


def binome_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m.__module__.startswith("binome.")]


def unregistered_personal_fields() -> list[tuple[str, str]]:
    """Fields that look personal and are neither registered nor declared non-personal."""
    known = registered_fields() | set(declared_non_personal())
    missing = []
    for model in binome_models():
        for model_field in model._meta.get_fields():
            if (
                looks_personal(model, model_field)
                and (model._meta.label, model_field.name) not in known
            ):
                missing.append((model._meta.label, model_field.name))
    return sorted(missing)
