from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """The same <select> as Django's, built in Python: Django renders one template per
    option, about 1 ms per filter of 10 to 20 options, 10 ms for 150."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], " selected" if o["selected"] else "", o["label"]) for o in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
                if group_name
                else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((g,) for g in groups)),
        )
