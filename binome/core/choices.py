"""``get_FOO_display()`` without translating every label of the field on each call (issue 17).

Django's implementation builds ``dict(make_hashable(field.flatchoices))`` at every call;
hashing a lazy label translates it, so showing the label of one value translates all the
field's labels: on the involvement register (80 labels shown, fields of up to 30 choices),
1,200 ``gettext`` calls and a quarter of the page's time. Here each field's dictionary is
built once (its labels stay lazy, so each call still answers in the active language).

``install()`` (the shell's AppConfig.ready) replaces Django's default method on Binôme's
models only, and only where the model did not define its own.
"""

from functools import lru_cache, partialmethod

from django.apps import apps
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_CACHE_ATTRIBUTE = "_binome_choices_by_value"
# Django's own implementation, which get_FOO_display() binds when the model class is built.
_DJANGO_DISPLAY = models.Model._get_FIELD_display  # type: ignore[attr-defined]


def _labels(field) -> dict:
    """value -> label as text in the active language, built once per field and language."""
    by_language = field.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    language = get_language()
    labels = by_language.get(language)
    if labels is None:
        labels = {
            value: force_str(label, strings_only=True)
            for value, label in dict(make_hashable(field.flatchoices)).items()
        }
        by_language[language] = labels
    return labels


def display(instance, field):
    """What ``instance.get_<field>_display()`` returns, from the field's cached labels."""
    value = getattr(instance, field.attname)
    key = make_hashable(value)
    labels = _labels(field)
    return labels[key] if key in labels else force_str(value, strings_only=True)


@lru_cache(maxsize=256)
def _choices_labels(choices, language) -> dict:
    return {member.value: str(member.label) for member in choices}


def label(choices, value):
    """The label of a stored value of a ``TextChoices``/``IntegerChoices`` class, as text in
    the active language (translated once per class and language, not once per row); the
    value itself when it is not one of the choices."""
    return _choices_labels(choices, get_language()).get(value, value)


def install(model_classes=None, app_prefix: str = "binome.") -> int:
    """Use ``display`` for every default ``get_<field>_display`` of the project's models."""
    replaced = 0
    for model in apps.get_models() if model_classes is None else model_classes:
        if not model.__module__.startswith(app_prefix):
            continue
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if not (isinstance(current, partialmethod) and current.func is _DJANGO_DISPLAY):
                continue  # inherited from a parent class, or defined by the model itself
            setattr(model, name, partialmethod(display, field=field))
            replaced += 1
    return replaced
