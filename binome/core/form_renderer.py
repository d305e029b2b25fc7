"""Form widgets written in Python, with exactly the HTML of Django's templates (issue 17).

Django renders every widget through a template, and a <select> or a group of radio buttons
through one more template per option: 50 to 300 µs a field, 5 to 14 ms on the referral
form. ``FastRenderer`` (settings.FORM_RENDERER) writes the widgets of Django's own
templates in Python instead, for the same bytes:

- at first use it reads the sources of Django's widget templates and keeps the Python
  version of a template only if its source is, character for character, the one this
  module was written against (``SOURCES``, Django 5.2), or a template that only includes
  such a one (``text.html`` is ``{% include "django/forms/widgets/input.html" %}`` and a
  newline);
- anything else — another template (a project's widget, a new Django version), an
  argument a template would call, a request passed in — goes to the templates as before.

The project's field template (``forms/field.html``: label or legend, help and errors around
a widget) is written in Python the same way, while its source has a known digest.

tests/test_form_renderer.py compares both renderers on every kind of widget and value,
and on every form of the demo's pages.
"""

import hashlib
import re
from functools import cached_property
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

W = "django/forms/widgets/"

# The templates the functions below reproduce, as Django 5.2 ships them.
SOURCES = {
    W + "attrs.html": (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}"
    ),
    W + "input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    W + "select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
        '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
        "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
        "  </optgroup>{% endif %}{% endfor %}\n"
        "</select>\n"
    ),
    W + "select_option.html": (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
    W + "textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
    W + "multiple_input.html": (
        '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
        '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
        "{% for group, options, index in widget.optgroups %}{% if group %}\n"
        "  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n"
        "    {% include option.template_name with widget=option %}</div>{% endfor %}"
        "{% if group %}\n"
        "  </div>{% endif %}{% endfor %}\n"
        "</div>{% endwith %}\n"
    ),
    W + "input_option.html": (
        "{% if widget.wrap_label %}<label{% if widget.attrs.id %}"
        ' for="{{ widget.attrs.id }}"{% endif %}>{% endif %}'
        '{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
    ),
}

# The project's field template (field_template_name, ``{{ field.as_field_group }}``): a label,
# help and errors around each widget, 90 µs a field through the engine. ``_field`` writes the
# same HTML while the template's source has this SHA-256; an edit to the template puts it back
# in charge until ``_field`` and the digest are updated (tests/test_form_renderer.py says so).
FIELD_TEMPLATE = "forms/field.html"
FIELD_TEMPLATE_SHA256 = "0b49a6508e06619ce4995f8b70ae36336b6024c5932adf6183666f1037a3ae4b"

# A template that is one include and trailing whitespace (text.html, radio.html…).
_ALIAS = re.compile(r'\A\{% include "(?P<target>[^"]+)" %\}(?P<suffix>\s*)\Z')


class _Fallback(Exception):
    """This widget holds something only the template engine decides: use the template."""


def _text(value):
    """``{{ value }}``: local time, localized, escaped (render_value_in_context)."""
    if type(value) is str:
        return conditional_escape(value)
    if callable(value):
        raise _Fallback  # the template would call it
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _stringformat(value):
    """``{{ value|stringformat:'s' }}``."""
    if type(value) is str:
        return conditional_escape(value)
    if callable(value):
        raise _Fallback
    try:
        result = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        result = ""
    if isinstance(value, SafeData):
        result = mark_safe(result)
    return conditional_escape(result)


def _attrs(attrs):
    html = []
    for name, value in attrs.items():
        if callable(value):
            raise _Fallback
        if value is False:
            continue
        html.append(" " + _text(name))
        if value is not True:
            html.append('="' + _stringformat(value) + '"')
    return "".join(html)


def _lookup(mapping, key):
    """``widget.attrs.id``: a missing key is the forms engine's empty string."""
    value = mapping.get(key, "")
    if callable(value):
        raise _Fallback
    return value


class FastRenderer(DjangoTemplates):
    """Django's default form renderer, with Django's widget templates and the project's
    field template written in Python."""

    field_template_name = FIELD_TEMPLATE

    def render(self, template_name, context, request=None):
        write = self._writers.get(template_name)
        if write is not None and request is None and len(context) == 1:
            key = "field" if template_name == FIELD_TEMPLATE else "widget"
            if key in context:
                try:
                    return write(context[key]).strip()  # as BaseRenderer.render does
                except _Fallback:
                    pass
        return super().render(template_name, context, request)

    @cached_property
    def _writers(self):
        """template name -> function(widget) -> HTML, for the templates known to be ours."""
        python = {
            W + "input.html": self._input,
            W + "select.html": self._select,
            W + "select_option.html": self._select_option,
            W + "textarea.html": self._textarea,
            W + "multiple_input.html": self._multiple_input,
            W + "input_option.html": self._input_option,
        }
        writers = {}
        if self._source(W + "attrs.html") != SOURCES[W + "attrs.html"]:
            return writers
        for name, write in python.items():
            if self._source(name) == SOURCES[name]:
                writers[name] = write
        for name in self._widget_template_names():
            alias = _ALIAS.match(self._source(name) or "")
            if name not in writers and alias and alias["target"] in writers:
                writers[name] = self._alias(writers[alias["target"]], alias["suffix"])
        if self.field_template_digest() == FIELD_TEMPLATE_SHA256:
            writers[FIELD_TEMPLATE] = self._field
        return writers

    def field_template_digest(self):
        source = self._source(FIELD_TEMPLATE)
        return hashlib.sha256(source.encode()).hexdigest() if source is not None else None

    def _source(self, name):
        try:
            return self.get_template(name).template.source
        except Exception:  # noqa: BLE001 - any template problem: no Python version
            return None

    def _widget_template_names(self):
        folder = Path(django.forms.__file__).parent / "templates" / W
        return [W + path.name for path in folder.glob("*.html")]

    @staticmethod
    def _alias(write, suffix):
        return lambda widget: write(widget) + suffix

    def _option(self, option):
        write = self._writers.get(option["template_name"])
        if write is None:
            raise _Fallback
        return write(option)

    def _input(self, widget):
        value = widget["value"]
        shown = "" if value is None else ' value="' + _stringformat(value) + '"'
        return (
            f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>\n"
        )

    def _select(self, widget):
        html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                html.append("\n  " + self._option(option))
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>\n")
        return "".join(html)

    def _select_option(self, option):
        return (
            f'<option value="{_stringformat(option["value"])}"{_attrs(option["attrs"])}>'
            f"{_text(option['label'])}</option>\n"
        )

    def _textarea(self, widget):
        value = widget["value"]
        if callable(value):
            raise _Fallback
        shown = _text(value) if value else ""
        return (
            f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f"{shown}</textarea>\n"
        )

    def _multiple_input(self, widget):
        attrs = widget["attrs"]
        id_, css_class = _lookup(attrs, "id"), _lookup(attrs, "class")
        html = [
            "<div"
            + (f' id="{_text(id_)}"' if id_ else "")
            + (f' class="{_text(css_class)}"' if css_class else "")
            + ">"
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f"\n  <div><label>{_text(group)}</label>")
            for option in options:
                html.append("<div>\n    " + self._option(option) + "</div>")
            if group:
                html.append("\n  </div>")
        html.append("\n</div>\n")
        return "".join(html)

    def _input_option(self, option):
        wrap = option["wrap_label"]
        if callable(wrap):
            raise _Fallback
        html = ""
        if wrap:
            id_ = _lookup(option["attrs"], "id")
            html = "<label" + (f' for="{_text(id_)}"' if id_ else "") + ">"
        html += self._input(option)
        if wrap:
            html += " " + _text(option["label"]) + "</label>"
        return html + "\n"

    def _field(self, field):
        errors = field.errors
        help_text = field.help_text
        auto_id = _text(field.auto_id)
        label = _text(field.label)
        required = (
            ' <span class="required" aria-hidden="true">*</span>' if field.field.required else ""
        )
        help_html = (
            f'<p class="help" id="{auto_id}_helptext">{_text(help_text)}</p>' if help_text else ""
        )
        errors_html = (
            f'<div class="error" id="{auto_id}_error">'
            + "".join(f"<p>{_text(e)}</p>" for e in errors)
            + "</div>"
            if errors
            else ""
        )
        error_class = " field--error" if errors else ""
        widget = conditional_escape(field)
        if field.use_fieldset:
            described = ""
            if help_text or errors:
                ids = " ".join(
                    [f"{auto_id}_helptext"] * bool(help_text) + [f"{auto_id}_error"] * bool(errors)
                )
                described = f' aria-describedby="{ids}"'
            return (
                f'<fieldset class="field{error_class}"{described}>\n'
                f"  <legend>{label}{required}</legend>\n"
                f"  {help_html}\n"
                f"  {errors_html}\n"
                f"  {widget}\n"
                "</fieldset>\n"
            )
        for_label = _text(field.id_for_label)
        if field.widget_type == "checkbox":
            body = f'{widget} <label for="{for_label}">{label}</label>'
            checkbox_class = " field--checkbox"
        else:
            body = f'<label for="{for_label}">{label}{required}</label>\n  {widget}'
            checkbox_class = ""
        return (
            f'<div class="field{error_class}{checkbox_class}">\n'
            f"  {body}\n"
            f"  {help_html}\n"
            f"  {errors_html}\n"
            "</div>\n"
        )
