"""Pages reached without signing in, by a private link: the online consent page and the
partner's calendar feed. Each link is a secret token; the scope is opened explicitly."""

from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from binome.accompaniment import consent_text, services
from binome.accompaniment.forms import OnlineConsentForm
from binome.accompaniment.models import Accompaniment, Consent, KeyMoment
from binome.audit.services import record
from binome.core.forms import form_status
from binome.people.scoping import scopes_disabled, structure_scope


@login_not_required
@never_cache
@ratelimit(key="ip", rate="30/m", block=True)
def consent(request, token):
    with scopes_disabled():
        link = services.consent_link_for(token)
    if link is None:
        return render(request, "accompaniment/public_consent.html", {"invalid": True}, status=404)
    acc = link.accompaniment
    with structure_scope(acc.structure):
        already = set(
            Consent.objects.filter(patient=acc.patient).active().values_list("purpose", flat=True)
        )
        form = OnlineConsentForm(
            request.POST if request.method == "POST" else None, already=already
        )
        done = False
        if request.method == "POST" and form.is_valid():
            services.give_online_consents(link, form.purposes(), request=request)
            done = True
        elif request.method == "GET":
            record(
                "accompaniment.consent_page_viewed",
                structure=acc.structure,
                target=acc,
                request=request,
            )
        notice = consent_text.gdpr_notice(acc.structure)
    status = form_status(form)
    return render(
        request,
        "accompaniment/public_consent.html",
        {
            "acc": acc,
            "structure": acc.structure,
            "form": form,
            "done": done,
            "intro": consent_text.INTRODUCTION,
            "version": consent_text.VERSION,
            "notice": notice,
        },
        status=status,
    )


@login_not_required
@ratelimit(key="ip", rate="60/m", block=True)
def calendar(request, token):
    """The partner's key moments as ICS, for a third-party calendar that reads it without
    signing in: a neutral title and a link that needs sign-in, never a patient's name nor a
    moment of the pathway (access.py: nothing clinical leaves by a side door)."""
    with scopes_disabled():
        feed = services.find_calendar(token)
    if feed is None or feed.partner.membership is None or not feed.partner.membership.is_active:
        raise Http404
    partner = feed.partner
    with structure_scope(partner.structure):
        since = timezone.localdate() - timedelta(days=30)
        moments = list(
            KeyMoment.objects.filter(accompaniment__partner=partner, date__gte=since)
            .exclude(
                accompaniment__status__in=[
                    Accompaniment.Status.ENDED,
                    Accompaniment.Status.TO_REASSIGN,
                ]
            )
            .select_related("accompaniment")
            .only("public_id", "date", "time", "created_at", "accompaniment__public_id")
            .order_by("date")[:500]
        )
        record(
            "accompaniment.calendar_read",
            structure=partner.structure,
            target=feed,
            request=request,
            count=len(moments),
        )
    response = HttpResponse(calendar_ics(moments), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="binome-agenda.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def calendar_ics(moments) -> bytes:
    """RFC 5545: Europe/Paris times with their VTIMEZONE, one stable UID per key moment."""
    from django.conf import settings
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Binôme//Agenda d'accompagnement//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Binôme — accompagnements"))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    title = _("Rendez-vous d'accompagnement")
    for m in moments:
        event = Event()
        event.add("uid", f"{m.public_id}@binome")
        event.add("summary", title)
        url = settings.SITE_URL + services.detail_url(m.accompaniment)
        event.add(
            "description", _("Détails dans Binôme (connexion nécessaire) : %(url)s") % {"url": url}
        )
        event.add("url", url)
        if m.time:
            start = timezone.localtime(timezone.make_aware(datetime.combine(m.date, m.time)))
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(hours=1))
        else:
            event.add("dtstart", m.date)
            event.add("dtend", m.date + timedelta(days=1))
        event.add("dtstamp", m.created_at)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
