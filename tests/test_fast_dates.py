"""The |date builtin (binome.web.templatetags.fast_dates) gives Django's text exactly."""

import datetime
import re
import zoneinfo
from pathlib import Path

from django.template import Context, Template, defaultfilters
from django.utils import formats as django_formats
from django.utils import timezone, translation

from binome.core import dates
from binome.web.templatetags import fast_dates

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "binome"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _formats_in_templates():
    found = set()
    for path in TEMPLATES_DIR.rglob("*.html"):
        found.update(re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text()))
    return found


def _values():
    """Every month and weekday, both sides of midnight and of the summer-time changes."""
    start = datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC)
    for hours in range(0, 366 * 24, 37):
        moment = start + datetime.timedelta(hours=hours, minutes=hours % 60)
        yield moment
        yield moment.date()
    yield datetime.datetime(2026, 3, 29, 0, 59, tzinfo=datetime.UTC)
    yield datetime.datetime(2026, 10, 25, 0, 59, tzinfo=datetime.UTC)
    yield datetime.datetime(2024, 2, 29, 23, 30, tzinfo=datetime.UTC)
    yield datetime.datetime(2026, 12, 31, 22, 59)  # naive


FORMATS = {"j F Y", "d/m/Y", "j F Y à H:i", "l j F", "F Y", "l j F Y, H\\hi", "Y-m-d H:i:s", "c"}


def test_every_format_of_the_templates_matches_django_in_every_language():
    formats = _formats_in_templates() | FORMATS
    assert {"j F Y", "d/m/Y", "j F Y à H:i"} <= formats  # the templates' formats were found
    checked = 0
    for language in ("fr", "en"):
        with translation.override(language):
            for fmt in sorted(formats):
                for value in _values():
                    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                        value = timezone.localtime(
                            value
                        )  # what the engine passes (expects_localtime)
                    try:
                        expected = defaultfilters.date(value, fmt)
                    except TypeError:  # a time format applied to a date: Django's error, same way
                        expected = TypeError
                    try:
                        got = fast_dates.date(value, fmt)
                    except TypeError:
                        got = TypeError
                    assert got == expected, (language, fmt, value)
                    if expected is not TypeError:  # the views' helper, same text
                        assert dates.date_format(value, fmt) == django_formats.date_format(
                            value, fmt
                        )
                    checked += 1
    assert checked > 4000


def test_same_day_different_language_is_not_mixed_up():
    value = datetime.date(2026, 5, 1)
    with translation.override("fr"):
        assert fast_dates.date(value, "j F Y") == "1 mai 2026"
    with translation.override("en"):
        assert fast_dates.date(value, "j F Y") == "1 May 2026"


def test_same_day_other_minute_is_not_mixed_up():
    first = datetime.datetime(2026, 5, 1, 9, 15, tzinfo=PARIS)
    second = first.replace(hour=17, minute=40)
    with translation.override("fr"):
        assert fast_dates.date(first, "j F Y à H:i") == "1 mai 2026 à 09:15"
        assert fast_dates.date(second, "j F Y à H:i") == "1 mai 2026 à 17:40"
        # Seconds are not part of the key: such formats go to Django each time.
        assert fast_dates.date(first.replace(second=5), "H:i:s") == "09:15:05"
        assert fast_dates.date(first.replace(second=7), "H:i:s") == "09:15:07"


def test_the_template_filter_is_this_one_and_converts_to_local_time():
    late_evening_utc = datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)  # 1 July, Paris
    with translation.override("fr"):
        text = Template("{{ v|date:'j F Y à H:i' }}|{{ v|date }}|{{ none|date:'j F Y' }}").render(
            Context({"v": late_evening_utc, "none": None})
        )
    assert text == "1 juillet 2026 à 00:30|1 juillet 2026|"
