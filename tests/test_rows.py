"""The rows of long lists in Jinja2 (binome.core.rows) print what Django's templates print.

Each case renders the same value through a Django template and through the rows'
environment and compares the bytes: escaping, numbers, dates and datetimes, translations
with their variables, Django's filters, links. Then every row template of the project must
compile, and a row's text from a user cannot become markup.
"""

import datetime
import uuid
import zoneinfo
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from django.template import Context, Template, engines
from django.urls import reverse as django_reverse
from django.utils import timezone, translation

import binome
from binome.core import reversing
from binome.core.rows import render_rows, render_template

ROWS = engines["rows"]
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        yield


def _django(source, **context):
    return Template("{% load money %}" + source).render(Context(context))


def _jinja(source, **context):
    return render_template(ROWS.env.from_string(source), context)


@pytest.mark.parametrize(
    "value",
    [
        'L\'atelier <b>du</b> 3 & 4 "mai"',
        "un texte qui contient &#39; et &#34; tels quels",
        "",
        None,
        12,
        1234567,
        Decimal("12.50"),
        2.5,
        True,
        datetime.date(2026, 3, 29),
        datetime.datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # 01:59 → 03:59 in Paris
        datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
        uuid.UUID(int=7),
    ],
    ids=repr,
)
def test_a_value_prints_as_in_django_templates(value):
    assert _jinja("{{ v }}", v=value) == _django("{{ v }}", v=value)


@pytest.mark.parametrize(
    ("django_filter", "jinja_filter"),
    [
        ('date:"j F Y"', 'date("j F Y")'),
        ('date:"l j F Y"', 'date("l j F Y")'),
        ('date:"d/m/Y"', 'date("d/m/Y")'),
        ('date:"l j F à H:i"', 'date("l j F à H:i")'),
        ('date:"j F H:i"', 'date("j F H:i")'),
    ],
)
@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2026, 1, 1),
        datetime.datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
        datetime.datetime(2026, 10, 25, 0, 59, tzinfo=UTC),
        datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # next year in Paris
    ],
    ids=str,
)
def test_dates_read_as_in_django_templates(django_filter, jinja_filter, value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        if "H" in django_filter:
            return  # a date has no hour: Django's filter answers "" and so does this one
    expected = _django("{{ v|" + django_filter + " }}", v=value)
    assert expected  # the case prints something
    assert _jinja("{{ v|" + jinja_filter + " }}", v=value) == expected


@pytest.mark.parametrize(
    "text",
    ["court", "x" * 300, "x" * 301, "é" * 299 + "e\u0301", "L'idée <i>" + "a" * 400],
    ids=len,
)
def test_truncatechars_as_django(text):
    expected = _django("{{ t|truncatechars:300 }}", t=text)
    assert _jinja("{{ t|truncatechars(300) }}", t=text) == expected


@pytest.mark.parametrize(
    "text", ['Appel\nRDV <b>mardi</b> & "suite"\r\nfin', "", "L'ÉCHANGE Était Long"], ids=repr
)
def test_linebreaksbr_and_lower_as_django(text):
    assert _jinja("{{ t|linebreaksbr }}", t=text) == _django("{{ t|linebreaksbr }}", t=text)
    assert _jinja("{{ t|lower }}", t=text) == _django("{{ t|lower }}", t=text)


def test_timesince_and_euros_as_django():
    moment = timezone.now() - datetime.timedelta(days=3, hours=2)
    assert _jinja("{{ m|timesince }}", m=moment) == _django("{{ m|timesince }}", m=moment)
    for amount in (Decimal("1234.5"), None, 0, "12.6"):
        assert _jinja("{{ a|euros }}", a=amount) == _django("{{ a|euros }}", a=amount)


def test_translations_escape_their_variables_as_django():
    name = "Jeanne <d'Arc>"
    expected = _django(
        "{% load i18n %}{% blocktranslate with p=name %}Appeler le {{ p }}{% endblocktranslate %}",
        name=name,
    )
    assert _jinja('{{ _("Appeler le %(p)s", p=name) }}', name=name) == expected
    assert "<d" not in expected
    assert _jinja('{{ ngettext("%(num)d rencontre", "%(num)d rencontres", 1) }}') == "1 rencontre"
    assert _jinja('{{ ngettext("%(num)d rencontre", "%(num)d rencontres", 3) }}') == (
        "3 rencontres"
    )
    assert _jinja('{{ _("Retirer") }}') == "Retirer"


def test_links_are_djangos_urls():
    public_id = uuid.uuid4()
    expected = django_reverse("accompaniment:detail", args=[public_id])
    assert _jinja("{{ url('accompaniment:detail', i) }}", i=public_id) == expected
    build = reversing.url_builder()
    assert build("accompaniment:detail", public_id) == expected
    assert build("accompaniment:detail", uuid.UUID(int=3)) == django_reverse(
        "accompaniment:detail", args=[uuid.UUID(int=3)]
    )
    assert build("people:members") == django_reverse("people:members")
    # Not a UUID: Django reverses it (and refuses what does not match).
    with pytest.raises(Exception, match="Reverse"):
        build("accompaniment:detail", "pas-un-uuid")


def test_an_unknown_variable_is_an_error_not_an_empty_cell():
    with pytest.raises(jinja2.UndefinedError):
        _jinja("<td>{{ row.nom }}</td>", row={"name": "x"})


def test_every_row_template_compiles():
    root = Path(binome.__file__).parent
    names = [
        str(path.relative_to(folder))
        for folder in root.rglob("jinja2")
        for path in folder.rglob("*.html")
    ]
    assert len(names) >= 14
    for name in names:
        ROWS.get_template(name)  # raises on a syntax error or a Django tag left in
    assert not any(
        "{% url" in (root / p).read_text() or "{% translate" in (root / p).read_text()
        for p in (str(f.relative_to(root)) for f in root.rglob("jinja2/**/*.html"))
    )


def test_render_rows_gives_one_csrf_token_and_a_safe_string(rf):
    request = rf.get("/")
    request.META["CSRF_COOKIE"] = "x" * 32
    html = render_rows(
        "people/rows/members.html",
        request,
        is_coordinator=True,
        rows=[
            {
                "name": "<script>alert(1)</script>",
                "full_name": "Ève O'Neil",
                "role": "Coordination",
                "profession": "",
                "rpps": "",
                "rpps_verified": False,
                "email": "e@x.test",
                "phone": "",
                "is_viewer": False,
                "public_id": uuid.UUID(int=9),
            }
        ]
        * 3,
    )
    assert hasattr(html, "__html__")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "O&#x27;Neil" in html
    assert html.count('name="csrfmiddlewaretoken"') == 3
    tokens = {part.split('"')[0] for part in html.split('csrfmiddlewaretoken" value="')[1:]}
    assert len(tokens) == 1  # one token for the list, not one masked per row
    assert django_reverse("people:deactivate_member", args=[uuid.UUID(int=9)]) in html
