from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

import django_filters
from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import label_of, sorted_choices
from binome.audit.models import AuditEvent
from binome.audit.services import record
from binome.core import kept_sql
from binome.core.permissions import require_roles
from binome.core.rows import render_rows
from binome.core.validators import validate_plausible_date
from binome.core.widgets import KeptSelect
from binome.people.models import Membership, Role, User

PAGE_SIZE = 50
# What a row of the page shows, read as a tuple (a row is not an event built with its actor).
LISTED_FIELDS = (
    "pk",
    "created_at",
    "kind",
    "target_type",
    "actor_id",
    "actor__first_name",
    "actor__last_name",
    "actor__email",
)


def _start_of(day):
    """The first instant of a local day: comparing created_at itself keeps the index usable."""
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditFilter(django_filters.FilterSet):
    # A name or an e-mail to type: a list of every member (600 in a large CPTS) could not be
    # read on a phone and weighed more than the rest of the page.
    who = django_filters.CharFilter(
        label=_("Qui"),
        method="filter_who",
        max_length=100,
        help_text=_("Nom, prénom ou adresse e-mail, même en partie."),
    )
    # One person exactly (the links of a row); a member of the structure only.
    actor = django_filters.ModelChoiceFilter(queryset=User.objects.none(), widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(
        label=_("Quoi"),
        choices=[],
        empty_label=_("Tous les événements"),
        widget=KeptSelect(choices_key="audit.kinds"),
    )
    since = django_filters.DateFilter(
        label=_("Depuis le"),
        method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )
    until = django_filters.DateFilter(
        label=_("Jusqu'au"),
        method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )

    class Meta:
        model = AuditEvent
        fields = ["who", "actor", "kind", "since", "until"]

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        member_ids = Membership.objects.filter(structure=structure).values("user_id")
        self.filters["actor"].queryset = (
            User.objects.filter(pk__in=member_ids)
            .only("first_name", "last_name", "email")
            .order_by("last_name", "first_name")
        )
        self.filters["kind"].extra["choices"] = sorted_choices()

    def filter_who(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
                | Q(actor__email__icontains=word)
            )
        return queryset

    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of(value + timedelta(days=1)))

    def key(self):
        """What ``apply`` reads: the valid filters' values (a person by her id)."""
        if not self.is_bound:
            return None
        self.form.is_valid()
        return tuple(
            (name, getattr(value, "pk", value))
            for name, value in sorted(self.form.cleaned_data.items())
        )

    def apply(self, queryset):
        """The valid filters applied to a queryset (invalid ones are reported by the form)."""
        if not self.is_bound:
            return queryset
        self.form.is_valid()
        return self.filter_queryset(queryset)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)


def cursor_of(event):
    """Where an event sits in the log's order (date, then id), for the page links."""
    return f"{(event.created_at - EPOCH) // ONE_MICROSECOND}-{event.pk}"


def _parse_cursor(value):
    try:
        micros, pk = (int(part) for part in value.split("-"))
        return EPOCH + timedelta(microseconds=micros), pk
    except (AttributeError, ValueError, OverflowError):
        return None


@dataclass
class LogPage:
    object_list: list
    has_previous: bool
    has_next: bool

    @property
    def newer(self):
        return cursor_of(self.object_list[0])

    @property
    def older(self):
        return cursor_of(self.object_list[-1])


def _log_page(sources, key, older_than=None, newer_than=None):
    """One page of the log, newest first, from a few queries merged in Python.

    ``sources``: functions that build each query from ``key`` alone (their SQL is kept,
    binome.core.kept_sql). Keyset pagination: each page starts from the date and id of an
    event, so the database walks the index from there and never counts nor skips rows of a
    table that only grows.
    """
    newest_first = newer_than is None
    order = ("-created_at", "-id") if newest_first else ("created_at", "id")

    def page_of(build):
        qs = build()
        if older_than:
            at, pk = older_than
            qs = qs.filter(created_at__lte=at).exclude(created_at=at, pk__gte=pk)
        elif newer_than:
            at, pk = newer_than
            qs = qs.filter(created_at__gte=at).exclude(created_at=at, pk__lte=pk)
        return qs.order_by(*order).values_list(*LISTED_FIELDS)[: PAGE_SIZE + 1]

    rows = [
        SimpleNamespace(
            pk=pk,
            created_at=created_at,
            kind_label=label_of(kind),
            target_label=AuditEvent.target_label_of(target_type),
            actor_id=actor_id,
            actor=User.name_of(first, last, email) if actor_id else None,
        )
        for i, build in enumerate(sources)
        for pk, created_at, kind, target_type, actor_id, first, last, email in kept_sql.rows(
            f"audit.log.{i}", (*key, older_than, newer_than), lambda build=build: page_of(build)
        )
    ]
    rows.sort(key=lambda e: (e.created_at, e.pk), reverse=newest_first)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if newest_first:
        return LogPage(rows, has_previous=older_than is not None, has_next=more)
    return LogPage(rows[::-1], has_previous=more, has_next=True)


@require_roles(Role.COORDINATOR)
def audit_log(request):
    """Who did or read what in the structure; nobody can edit it."""
    filterset = AuditFilter(request.GET or None, structure=request.structure)
    # The structure's events, plus the sign-in events of its members (recorded before any
    # structure is chosen, so without one): two queries, each along its own index, rather
    # than one OR that the database can only answer by reading the whole table.
    structure_id = request.structure.pk

    def own():
        return filterset.apply(AuditEvent.objects.filter(structure_id=structure_id))

    def sign_ins():
        member_ids = Membership.objects.filter(structure_id=structure_id).values("user_id")
        return filterset.apply(
            AuditEvent.objects.filter(
                structure__isnull=True, kind__startswith="auth.", actor__in=member_ids
            )
        )

    page = _log_page(
        [own, sign_ins],
        (structure_id, filterset.key()),
        older_than=_parse_cursor(request.GET.get("avant")),
        newer_than=_parse_cursor(request.GET.get("apres")),
    )
    for event in page.object_list:
        # Formatted here: the template's date filter costs ~50 µs a row.
        event.when = timezone.localtime(event.created_at).strftime("%d/%m/%Y %H:%M")
    record("audit.log_read", request=request)
    status = 400 if filterset.form.errors else 200
    query = request.GET.copy()
    query.pop("avant", None)
    query.pop("apres", None)
    return render(
        request,
        "audit/log.html",
        {
            "filter": filterset,
            "page": page,
            "rows_html": render_rows("audit/rows/log.html", request, events=page.object_list),
            "query": query.urlencode(),
            "actor": filterset.form.is_bound
            and not filterset.form.errors
            and filterset.form.cleaned_data.get("actor"),
        },
        status=status,
    )
