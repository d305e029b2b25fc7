import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import all_kinds
from binome.audit.models import AuditEvent
from binome.audit.services import record
from binome.people.models import Membership, Role, User
from binome.web.permissions import require_roles


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(label=_("Qui"), queryset=User.objects.none(), empty_label=_("Tout le monde"))
    kind = django_filters.ChoiceFilter(label=_("Quoi"), choices=[], empty_label=_("Tous les événements"))
    since = django_filters.DateFilter(
        label=_("Depuis le"), field_name="created_at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("Jusqu'au"), field_name="created_at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "kind", "since", "until"]

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        member_ids = Membership.objects.filter(structure=structure).values("user_id")
        self.filters["actor"].queryset = User.objects.filter(pk__in=member_ids).order_by("last_name", "first_name")
        self.filters["kind"].extra["choices"] = sorted(((k.code, k.label) for k in all_kinds().values()), key=lambda c: c[1])


@require_roles(Role.COORDINATOR)
def audit_log(request):
    """Who did or read what in the structure; nobody can edit it."""
    # The structure's events, plus the sign-in events of its members (recorded before any
    # structure is chosen, so without one).
    member_ids = Membership.objects.filter(structure=request.structure).values("user_id")
    base = AuditEvent.objects.filter(
        Q(structure=request.structure) | Q(structure__isnull=True, kind__startswith="auth.", actor__in=member_ids)
    ).select_related("actor")
    filterset = AuditFilter(request.GET or None, queryset=base, structure=request.structure)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    record("audit.log_read", request=request)
    status = 400 if filterset.form.errors else 200
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {"filter": filterset, "page": page, "query": query.urlencode()}, status=status)
