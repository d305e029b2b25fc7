from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """The same <select> as Django's, built in Python: Django renders one template per
    option, about 1 ms per filter of 10 to 20 options, 15 ms for 150."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'<optgroup label="{conditional_escape(group_name)}">')
            for o in options:
                selected = " selected" if o["selected"] else ""
                html.append(
                    f'<option value="{conditional_escape(o["value"])}"{selected}>{conditional_escape(o["label"])}</option>'
                )
            if group_name:
                html.append("</optgroup>")
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(widget["attrs"]),
            mark_safe("".join(html)),
        )
