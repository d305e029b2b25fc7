"""get_FOO_display() from cached labels (binome/core/choices.py): Django's answer, faster."""

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from binome.core import choices


def _choice_fields():
    for model in apps.get_models():
        if model.__module__.startswith("binome."):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


def test_every_choice_field_of_the_project_uses_the_cached_labels():
    fields = list(_choice_fields())
    assert len(fields) > 50
    for model, field in fields:
        # Each model's own method (or its parent's) is the cached one.
        owner = next(m for m in model.__mro__ if f"get_{field.name}_display" in m.__dict__)
        assert owner.__dict__[f"get_{field.name}_display"].func is choices.display, (
            model,
            field.name,
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_labels_are_djangos_in_the_active_language(language):
    compared = 0
    with translation.override(language):
        for model, field in _choice_fields():
            instance = model()
            for value, _label in field.flatchoices:
                setattr(instance, field.attname, value)
                expected = models.Model._get_FIELD_display(instance, field)
                assert getattr(instance, f"get_{field.name}_display")() == expected
                compared += 1
            setattr(instance, field.attname, "valeur-inconnue")
            assert getattr(instance, f"get_{field.name}_display")() == "valeur-inconnue"
    assert compared > 300


@isolate_apps("binome.web")
def test_install_leaves_a_models_own_method_alone():
    class Custom(models.Model):  # noqa: DJ008
        kind = models.CharField(max_length=5, choices=[("a", "A")])
        size = models.CharField(max_length=5, choices=[("s", "Petit")])

        class Meta:
            app_label = "web"

        def get_kind_display(self):
            return "mine"

    # Only the default method of `size` is replaced; the model's own one stays.
    assert choices.install([Custom], app_prefix=Custom.__module__) == 1
    assert Custom(kind="a").get_kind_display() == "mine"
    assert Custom.__dict__["get_size_display"].func is choices.display
    assert Custom(size="s").get_size_display() == "Petit"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_choices_class_labels_are_djangos_as_text(language):
    from binome.core.roles import Profession, Role
    from binome.people.models import choice_label

    with translation.override(language):
        for choices_class in (Role, Profession):
            for member in choices_class:
                shown = choice_label(choices_class, member.value)
                assert type(shown) is str and shown == str(member.label)
                assert choice_label(choices_class, member) == shown  # the member itself too
        assert choice_label(Role, "pas-un-role") == "pas-un-role"
