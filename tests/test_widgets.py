"""binome.core.widgets.KeptSelect: the same HTML as Django's Select, written once."""

import pytest
from django import forms
from django.utils import translation

from binome.audit.kinds import sorted_choices
from binome.core import widgets
from binome.core.widgets import KeptSelect


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(widgets, "_written", {})


def _form(widget):
    class KindForm(forms.Form):
        kind = forms.ChoiceField(
            choices=[("", "Tous les événements"), *sorted_choices()], widget=widget, required=False
        )

    return KindForm


@pytest.mark.parametrize(
    "data", [None, {"kind": ""}, {"kind": "accompaniment.viewed"}, {"kind": "x"}]
)
def test_the_html_is_djangos_for_each_value(data):
    kept, plain = _form(KeptSelect(choices_key="test.kinds")), _form(forms.Select)
    for _ in range(2):  # written, then read back
        assert str(kept(data)["kind"]) == str(plain(data)["kind"])
    if data and data["kind"] == "accompaniment.viewed":
        assert 'value="accompaniment.viewed" selected' in str(kept(data)["kind"])


def test_each_language_and_value_has_its_own_html():
    """The labels are translated: each language is written apart (French only today)."""
    kept = _form(KeptSelect(choices_key="test.kinds"))
    with translation.override("fr"):
        french = str(kept()["kind"])
    with translation.override("en"):
        str(kept()["kind"])
    assert {key[1] for key in widgets._written} == {"fr", "en"}
    chosen = str(kept({"kind": "accompaniment.viewed"})["kind"])
    mark = 'value="accompaniment.viewed" selected'
    assert mark in chosen and mark not in french
    assert len(widgets._written) == 3
