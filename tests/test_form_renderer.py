"""binome.core.form_renderer.FastRenderer writes exactly the HTML of Django's widget templates."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from binome.core import form_renderer
from binome.core.form_renderer import FastRenderer

CHOICES = [
    ("", "---"),
    ("a", "Alpha <b>"),
    (3, gettext_lazy("Comité des usagers")),
    ("Groupe & co", [("g1", "Un"), ("g2", mark_safe("<em>Deux</em>"))]),
    (Decimal("1.5"), 2.5),
]


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, help_text="Aide")
    email = forms.EmailField(required=False)
    number = forms.IntegerField(min_value=0)
    decimal = forms.DecimalField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    moment = forms.DateTimeField(required=False)
    hour = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), required=False)
    phone = forms.CharField(
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "data-x": 'a"b', "disabled": False}
        ),
        required=False,
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agree = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    radio = forms.ChoiceField(
        choices=CHOICES[1:], widget=forms.RadioSelect(attrs={"class": "inline"}), required=False
    )
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False
    )
    yes_no = forms.NullBooleanField(required=False)
    proof = forms.FileField(required=False)  # clearable_file_input.html: a template each time
    when = forms.SplitDateTimeField(required=False)  # a multi-widget: templates


BOUND = {
    "text": "<script>alert('x')</script> & \"co\"",
    "email": "not an e-mail",
    "number": "-3",
    "decimal": "1,5",
    "url": "javascript:alert(1)",
    "password": "s3cret<",
    "hidden": "caché",
    "day": "2026-02-30",
    "moment": "2026-01-02 10:30",
    "hour": "25:00",
    "phone": "06 12 34 56 78",
    "notes": "ligne 1\n<b>ligne 2</b>",
    "agree": "on",
    "choice": "g2",
    "several": ["a", "3"],
    "radio": "1.5",
    "boxes": ["g1", "a"],
    "yes_no": "true",
    "when_0": "2026-01-02",
    "when_1": "10:00",
}


class ProjectTemplates(DjangoTemplates):
    """Django's renderer with the project's field template: what FastRenderer must match."""

    field_template_name = form_renderer.FIELD_TEMPLATE


def _pairs(data=None, initial=None, prefix=None):
    fast = EveryWidget(data, initial=initial, prefix=prefix, renderer=FastRenderer())
    django = EveryWidget(data, initial=initial, prefix=prefix, renderer=ProjectTemplates())
    if data is not None:
        fast.is_valid()
        django.is_valid()
    for name in fast.fields:
        yield name, str(fast[name]), str(django[name])
        # The whole field: label or legend, help, errors around the widget.
        yield name, fast[name].as_field_group(), django[name].as_field_group()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "data, initial",
    [
        (None, None),
        (BOUND, None),
        ({}, None),  # bound and empty: every required field in error
        (
            None,
            {
                "text": mark_safe("<i>sûr</i>"),
                "number": 1234567,
                "day": datetime.date(2026, 3, 1),
                "moment": datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC),
                "hour": datetime.time(9, 5),
                "notes": 0,
                "choice": 3,
                "several": [3, "g1"],
                "radio": Decimal("1.5"),
                "boxes": ["a"],
                "yes_no": False,
            },
        ),
    ],
)
def test_every_widget_is_written_as_django_writes_it(language, data, initial):
    with translation.override(language):
        for name, fast, django in _pairs(data, initial):
            assert fast == django, name


def test_the_renderer_writes_in_python_the_widgets_it_knows():
    written = set(FastRenderer()._writers)
    for name in ("input", "text", "select", "select_option", "textarea", "radio", "checkbox"):
        assert f"django/forms/widgets/{name}.html" in written
    # What it does not know stays with the templates.
    assert "django/forms/widgets/clearable_file_input.html" not in written
    assert "django/forms/widgets/multiwidget.html" not in written


def test_the_field_template_is_written_in_python():
    assert FastRenderer().field_template_digest() == form_renderer.FIELD_TEMPLATE_SHA256, (
        "forms/field.html changed: make FastRenderer._field write the same HTML, then update "
        "FIELD_TEMPLATE_SHA256 (test_every_widget_is_written_as_django_writes_it compares them)"
    )
    assert form_renderer.FIELD_TEMPLATE in FastRenderer()._writers


def test_an_edited_field_template_is_rendered_by_the_template(monkeypatch):
    monkeypatch.setattr(form_renderer, "FIELD_TEMPLATE_SHA256", "0" * 64)
    renderer = FastRenderer()
    assert form_renderer.FIELD_TEMPLATE not in renderer._writers
    calls = []
    monkeypatch.setattr(FastRenderer, "_field", lambda self, field: calls.append(field) or "")
    form = EveryWidget({}, renderer=renderer)
    html = form["text"].as_field_group()
    assert not calls
    assert html == EveryWidget({}, renderer=ProjectTemplates())["text"].as_field_group()
    assert 'class="field field--error"' in html and "_error" in html


def test_field_groups_tie_help_and_errors_to_the_input():
    form = EveryWidget({"boxes": ["zz"]}, renderer=FastRenderer())
    text = form["text"].as_field_group()
    assert '<label for="id_text">Text <span class="required" aria-hidden="true">*</span>' in text
    assert '<p class="help" id="id_text_helptext">Aide</p>' in text
    assert 'aria-describedby="id_text_helptext id_text_error"' in text
    boxes = form["boxes"].as_field_group()
    assert boxes.startswith(
        '<fieldset class="field field--error" aria-describedby="id_boxes_error">'
    )
    assert "<legend>Boxes</legend>" in boxes
    agree = form["agree"].as_field_group()
    assert agree.startswith('<div class="field field--checkbox">')


def test_a_template_that_differs_from_the_known_source_is_not_written_in_python(monkeypatch):
    changed = dict(form_renderer.SOURCES)
    changed[form_renderer.W + "select.html"] += " "
    monkeypatch.setattr(form_renderer, "SOURCES", changed)
    written = FastRenderer()._writers
    assert form_renderer.W + "select.html" not in written
    assert form_renderer.W + "input.html" in written
    form = EveryWidget(renderer=FastRenderer())
    assert str(form["choice"]) == str(EveryWidget(renderer=DjangoTemplates())["choice"])


def test_without_the_known_attrs_template_nothing_is_written_in_python(monkeypatch):
    changed = dict(form_renderer.SOURCES)
    changed[form_renderer.W + "attrs.html"] = "{{ widget.attrs }}"
    monkeypatch.setattr(form_renderer, "SOURCES", changed)
    assert FastRenderer()._writers == {}


def test_a_value_a_template_would_call_goes_to_the_template():
    renderer = FastRenderer()
    widget = forms.TextInput().get_context("x", None, {"data-v": lambda: "called"})
    assert renderer.render(widget["widget"]["template_name"], widget) == DjangoTemplates().render(
        widget["widget"]["template_name"], widget
    )
    assert 'data-v="called"' in renderer.render("django/forms/widgets/text.html", widget)


def test_settings_use_it():
    assert settings.FORM_RENDERER == "binome.core.form_renderer.FastRenderer"


class _Shadow(FastRenderer):
    """Renders every widget both ways and keeps the differences."""

    differences: list = []
    compared = 0

    def render(self, template_name, context, request=None):
        fast = super().render(template_name, context, request)
        django = DjangoTemplates.render(self, template_name, context, request)
        type(self).compared += 1
        if fast != django:
            type(self).differences.append((template_name, fast, django))
        return fast


@pytest.mark.django_db
def test_every_form_of_the_demo_pages_is_written_as_django_writes_it(settings):
    """Crawl the demo as a coordinator, a doctor and a partner: the same HTML on every page."""
    from binome.people.demo_set import DEMO_PASSWORD, load_demo

    settings.DEMO_MODE = True
    settings.FORM_RENDERER = "tests.test_form_renderer._Shadow"
    load_demo()
    _Shadow.differences, _Shadow.compared = [], 0
    pages = 0
    for account in (
        "coordination@tilleuls.demo",
        "medecin@tilleuls.demo",
        "partenaire@tilleuls.demo",
    ):
        client = Client()
        client.post("/connexion/", {"username": account, "password": DEMO_PASSWORD})
        seen, queue = set(), ["/"]
        while queue and len(seen) < 100:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            pages += 1
            for href in re.findall(r'href="(/[^"#?]*)"', response.content.decode()):
                if not re.search(r"deconnexion|/p/|/static/|export|pdf|telecharger|csv", href):
                    queue.append(href)
    assert pages > 150
    assert _Shadow.compared > 500  # forms on many pages, not a handful of widgets
    assert not _Shadow.differences, _Shadow.differences[:3]
