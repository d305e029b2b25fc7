"""binome.core.reversing.reverse and the {% url %} tag built on it give Django's URLs exactly."""

import uuid

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver
from django.urls import reverse as django_reverse

from binome.core import reversing as fast


def _named_patterns(resolver=None, namespace=""):
    """(view name, [argument names]) of every named URL of the project."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            yield from _named_patterns(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern.converters


def test_every_named_url_with_uuid_or_no_arguments_matches_django():
    checked = 0
    for name, converters in _named_patterns():
        if converters and not all(
            c.__class__.__name__ == "UUIDConverter" for c in converters.values()
        ):
            continue
        for _ in range(2):
            kwargs = {arg: uuid.uuid4() for arg in converters}
            try:
                expected = django_reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue  # a name shared by patterns of other shapes
            assert fast.reverse(name, kwargs=kwargs) == expected
            if len(kwargs) == 1:
                assert fast.reverse(name, args=list(kwargs.values())) == expected
            checked += 1
    assert checked > 100  # the project's pages, not a handful


def test_other_arguments_are_reversed_by_django():
    # A slug, a string that merely looks like a UUID, an integer: not replaced, same URL.
    text = str(uuid.uuid4())
    assert fast.reverse("accompaniment:detail", args=[text]) == django_reverse(
        "accompaniment:detail", args=[text]
    )
    with pytest.raises(NoReverseMatch):
        fast.reverse("accompaniment:detail", args=["not-a-uuid"])
    with pytest.raises(NoReverseMatch):
        fast.reverse("accompaniment:detail")  # missing argument: Django's error, not a URL


def test_stand_ins_never_leak_into_a_url():
    url = fast.reverse("accompaniment:detail", args=[uuid.UUID(int=1)])
    assert url == django_reverse("accompaniment:detail", args=[uuid.UUID(int=1)])
    assert "5e1d0b5e" not in url


def test_the_url_tag_is_the_fast_one_with_the_same_output():
    acc_id = uuid.uuid4()
    rendered = Template(
        "{% url 'accompaniment:detail' acc_id %}|{% url 'web:home' %}|"
        "{% url 'accompaniment:detail' acc_id as link %}{{ link }}|"
        "{% url 'nothing:here' as missing %}[{{ missing }}]"
    ).render(Context({"acc_id": acc_id}))
    detail = django_reverse("accompaniment:detail", args=[acc_id])
    assert rendered == f"{detail}|/|{detail}|[]"


def test_a_changed_url_configuration_is_followed():
    acc_id = uuid.uuid4()
    fast.reverse("accompaniment:detail", args=[acc_id])  # cached under the project's URLs
    with override_settings(FORCE_SCRIPT_NAME="/binome/"):
        from django.urls import set_script_prefix

        set_script_prefix("/binome/")
        try:
            assert fast.reverse("accompaniment:detail", args=[acc_id]) == django_reverse(
                "accompaniment:detail", args=[acc_id]
            )
            assert fast.reverse("accompaniment:detail", args=[acc_id]).startswith("/binome/")
        finally:
            set_script_prefix("/")
