"""Pagination without the COUNT query when the rows already tell the total (issue 17).

Django's ``Paginator`` and django-ninja's ``PageNumberPagination`` count the rows before
reading a page. A page that comes back shorter than the page size is the last one: the
total is the rows before it plus the rows read, and the COUNT is one query (one more
plan and round trip on PostgreSQL) that tells nothing new. Most lists of a team are
shorter than a page (a partner's accompaniments, a doctor's referrals), so most list
pages save it. A full page, or a page past the end, is counted as before.
"""

from django.core import paginator as django_paginator
from django.utils.functional import cached_property


def read_page(object_list, offset: int, size: int) -> tuple[list, int | None]:
    """The rows of one page, and the total when they tell it (a short, non-empty page,
    or an empty first page); None when it takes a COUNT."""
    rows = list(object_list[offset : offset + size])
    if len(rows) < size and (rows or offset == 0):
        return rows, offset + len(rows)
    return rows, None


class Paginator(django_paginator.Paginator):
    """``django.core.paginator.Paginator`` that reads the first page before counting.

    ``counted``: the queryset to count when a count is needed, when the rows are read
    through joins that do not change their number (columns of related rows read with
    ``values_list``: the COUNT would carry the joins)."""

    def __init__(self, object_list, per_page, *args, counted=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.counted = counted

    @cached_property
    def count(self):
        if self.counted is not None:
            return self.counted.count()
        return django_paginator.Paginator.count.func(self)  # type: ignore[attr-defined]

    def get_page(self, number):
        if number in (None, "", 1, "1") and not self.orphans and "count" not in self.__dict__:
            rows, total = read_page(self.object_list, 0, self.per_page)
            if total is not None:
                self.__dict__["count"] = total  # Paginator.count is a cached_property
            if rows or self.allow_empty_first_page:
                return self._get_page(rows, 1, self)
        return super().get_page(number)
