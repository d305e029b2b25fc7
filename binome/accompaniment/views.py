"""Pages of peer accompaniment. Access and consent rules live in binome.accompaniment.access."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from binome.accompaniment import consent_text, forms, services, stats
from binome.accompaniment import today as today_rows
from binome.accompaniment.access import (
    AccompanimentReads,
    get_accompaniment,
    patient_accompaniments,
    roles_of,
)
from binome.accompaniment.models import (
    Accompaniment,
    Alert,
    Consent,
    ConsentPurpose,
    Contact,
    Notification,
    Pathway,
    PathwayMoment,
    Patient,
    PatientFeedback,
    SupervisionSession,
)
from binome.audit.services import record
from binome.core import dates, kept_sql
from binome.core.forms import form_status
from binome.core.kept_sql import KeptList
from binome.core.pagination import Paginator
from binome.core.pdf import render_pdf
from binome.core.permissions import has_role, require_roles
from binome.core.roles import CARE_TEAM
from binome.core.rows import render_rows
from binome.partners.load import load_expression
from binome.partners.models import Partner
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped


def my_partner(request):
    """The caller's partner record in the current structure, or None."""
    if request.structure is None or not has_role(request, Role.PARTNER):
        return None
    return (
        Partner.objects.filter(
            structure=request.structure, membership__user=request.user, membership__is_active=True
        )
        .select_related("membership")
        .first()
    )


def _form_page(
    request,
    form,
    title,
    *,
    acc=None,
    intro="",
    submit=None,
    back=None,
    template="accompaniment/form.html",
    extra=None,
):
    context = {
        "form": form,
        "title": title,
        "accompaniment": acc,
        "intro": intro,
        "submit": submit or _("Enregistrer"),
        "back": back,
    }
    context.update(extra or {})
    return render(request, template, context, status=form_status(form))


# Lists and the partner's day ---------------------------------------------------------------


class _ListSummary:
    """The line under each name of the list, written here rather than with three template
    tags per row (on 50 rows they cost more than the page's queries); its texts are
    translated once per list, not once per row."""

    def __init__(self):
        self.tz = timezone.get_current_timezone()
        self.with_partner = _("avec %(partner)s, orienté le %(date)s")
        self.last = _("dernier le %(d)s")
        self.exchanges: dict[int, str] = {}

    def __call__(self, partner_first_name, referred_at, n_contacts, last_contact):
        text = self.with_partner % {
            "partner": partner_first_name,
            "date": dates.date_format(timezone.localtime(referred_at, self.tz), "j F Y"),
        }
        if n_contacts not in self.exchanges:
            self.exchanges[n_contacts] = ngettext("%(n)s échange", "%(n)s échanges", n_contacts) % {
                "n": n_contacts
            }
        text += " · " + self.exchanges[n_contacts]
        if last_contact:
            text += ", " + self.last % {
                "d": dates.date_format(timezone.localtime(last_contact, self.tz), "j F")
            }
        return text


LIST_COLUMNS = (
    "public_id",
    "status",
    "referred_at",
    "first_contact_due_at",
    "first_contact_at",
    "patient__first_name",
    "patient__last_name",
    "partner__first_name",
    "n_contacts",
    "last_contact",
)


def _visible_list(user_id, roles, structure_id, status):
    """The accompaniments a person may open in a structure, a status filter applied.
    Built from its arguments alone (the list keeps its SQL, binome.core.kept_sql)."""
    qs = Accompaniment.objects.visible_to(user_id, roles, structure_id)
    return qs.filter(status=status) if status else qs


def _listed(accompaniments):
    """The list's columns, newest first, with the exchange figures."""
    # Correlated subqueries: computed for the 50 rows of the page only, not for every
    # accompaniment of a large CPTS before the LIMIT (bench: 4.7 s with 20,000 rows).
    contacts = (
        Contact.objects.filter(accompaniment=OuterRef("pk")).order_by().values("accompaniment")
    )
    return (
        accompaniments.annotate(
            n_contacts=Coalesce(Subquery(contacts.annotate(n=Count("id")).values("n")[:1]), 0),
            last_contact=Subquery(contacts.annotate(last=Max("occurred_at")).values("last")[:1]),
        )
        .order_by("-referred_at", "-id")
        .values_list(*LIST_COLUMNS)
    )


@require_roles(*CARE_TEAM)
def accompaniment_list(request):
    status = request.GET.get("etat", "")
    if status not in Accompaniment.Status.values:
        status = ""
    roles = tuple(sorted(roles_of(request, request.structure)))
    args = (request.user.pk, roles, request.structure.pk, status)  # the kept SQL's key
    # Only the columns the list shows, read as tuples: building an accompaniment, its
    # patient and its partner for each of fifty rows cost more than the queries. The total
    # is counted without the joins the columns need (5 ms on SQLite).
    paginator = Paginator(
        KeptList(
            "accompaniment.list",
            args,
            lambda: _listed(_visible_list(*args)),
            counted=lambda: _visible_list(*args),
        ),
        50,
    )
    page = paginator.get_page(request.GET.get("page"))
    labels = {
        value: str(label) for value, label in Accompaniment.Status.choices
    }  # translated once, not per row
    late_label = _("Premier contact en retard")
    summary = _ListSummary()
    now = timezone.now()
    rows = []
    for (
        public_id,
        acc_status,
        referred_at,
        due_at,
        first_contact_at,
        patient_first_name,
        patient_last_name,
        partner_first_name,
        n_contacts,
        last_contact,
    ) in page.object_list:
        late = Accompaniment.late_of(acc_status, first_contact_at, due_at, now)
        if acc_status == Accompaniment.Status.ACTIVE:
            badge = "badge--ok"
        elif late:
            badge = "badge--danger"
        elif acc_status == Accompaniment.Status.REFERRED:
            badge = "badge--warn"
        else:
            badge = ""
        rows.append(
            {
                "public_id": public_id,
                "name": Patient.display_name_of(patient_first_name, patient_last_name),
                "badge": badge,
                "status": late_label if late else labels[acc_status],
                "summary": summary(partner_first_name, referred_at, n_contacts, last_contact),
            }
        )
    record("accompaniment.list_viewed", request=request, count=len(page.object_list))
    return render(
        request,
        "accompaniment/list.html",
        {
            "page": page,
            "rows_html": render_rows("accompaniment/rows/list.html", request, rows=rows),
            "status": status,
            "statuses": labels.items(),
            "query": urlencode({"etat": status}) if status else "",
            "can_refer": has_role(request, Role.PROFESSIONAL),
            "is_coordinator": has_role(request, Role.COORDINATOR),
        },
    )


@require_roles(Role.PARTNER)
def today(request):
    """The partner's "Aujourd'hui": what to do next, on a phone."""
    now = timezone.now()
    partner = my_partner(request)
    context = {"partner": partner, "now": now}
    if partner is not None:
        # A referral never goes to a full partner and the ceiling is at most 20: short lists.
        to_call, active = today_rows.open_accompaniments(partner, now)
        context.update(
            {
                "to_call": to_call[:20],
                "moments": today_rows.key_moments(partner, timezone.localdate(now)),
                "active": active[:20],
                "counts": {"active": len(active), "referred": len(to_call)},
                "open_alerts": today_rows.open_alerts(partner),
                "to_call_rows": render_rows(
                    "accompaniment/rows/today_to_call.html", request, accompaniments=to_call[:20]
                ),
                "active_rows": render_rows(
                    "accompaniment/rows/today_active.html", request, accompaniments=active[:20]
                ),
            }
        )
    notifications = today_rows.unread_notifications(request.structure.pk, request.user.pk)
    services.mark_read_pks([n["pk"] for n in notifications], now=now)
    context["notifications"] = notifications
    record("accompaniment.today_viewed", request=request)
    return render(request, "accompaniment/today.html", context)


@require_roles(*CARE_TEAM, Role.PATIENT)
def notifications(request):
    """Reminders, warnings and alerts addressed to me in this structure; opened = read."""
    qs = Notification.objects.filter(structure=request.structure, recipient=request.user)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    unread = {n.pk for n in page.object_list if n.read_at is None}
    services.mark_read([n for n in page.object_list if n.pk in unread])
    return render(request, "accompaniment/notifications.html", {"page": page, "unread": unread})


# Referral -----------------------------------------------------------------------------------


SUGGESTIONS_SHOWN = 10


@require_roles(Role.PROFESSIONAL)
def refer(request):
    """The referral form. The partners offered are the best suggestions for the pathway, or
    those found by name (a large CPTS has hundreds); the search works without JavaScript
    with the "Chercher" button, which re-displays the form and sends nothing."""
    referrer = request.binome.membership(Role.PROFESSIONAL)
    data = request.POST if request.method == "POST" else request.GET
    pathway = data.get("pathway") or ""
    search = data.get("partner_search", "").strip()[:100]
    chosen = data.get("partner", "")
    moments = [m for m in data.getlist("moments") if m in PathwayMoment.values]
    suggestions = services.suggest_partners(
        request.structure,
        pathway,
        limit=SUGGESTIONS_SHOWN,
        search=search,
        include=[chosen],
        moments=moments,
    )
    context = {"suggestions": suggestions, "search": search}
    if request.htmx and request.method == "GET":
        return render(
            request, "accompaniment/includes/suggestions.html", {**context, "chosen": chosen}
        )
    kwargs = {"structure": request.structure, "referrer": referrer, "suggestions": suggestions}
    if request.method == "POST" and "refresh" not in request.POST:
        form = forms.ReferralForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            acc = services.create_referral(
                structure=request.structure,
                referrer=referrer,
                patient_data={
                    k: data[k] for k in ("first_name", "last_name", "phone", "email", "pathway")
                },
                purposes=form.purposes(),
                method=data["consent_method"],
                partner=data["partner"],
                notes=data["notes_for_partner"],
                designated=list(data["designated"]),
                moments=data["moments"],
                submission_token=data["submission_token"],
                request=request,
            )
            messages.success(
                request,
                _("L'orientation est envoyée à %(name)s, qui est prévenu·e tout de suite.")
                % {"name": acc.partner.first_name},
            )
            return redirect("accompaniment:detail", public_id=acc.public_id)
    elif request.method == "POST":
        # "Chercher" without JavaScript: the form again with what was typed, no error shown.
        initial = {
            k: request.POST.getlist(k) if k == "designated" else request.POST.get(k)
            for k in request.POST
        }
        form = forms.ReferralForm(initial=initial, **kwargs)
    else:
        form = forms.ReferralForm(
            initial={"pathway": pathway or Pathway.OTHER, "partner": chosen}, **kwargs
        )
    context.update(
        {
            "form": form,
            "chosen": form["partner"].value() or "",
            "deadline_hours": request.structure.first_contact_deadline_hours,
            "intro": consent_text.INTRODUCTION,
        }
    )
    return render(request, "accompaniment/refer.html", context, status=form_status(form))


# One accompaniment --------------------------------------------------------------------------


def detail(request, public_id):
    acc, access = get_accompaniment(request, public_id, structure=request.structure, figures=True)
    reads = AccompanimentReads(acc.pk)
    context = {
        "acc": acc,
        "access": access,
        "now": timezone.now(),
        "patient": access.patient_fields(),
        "consents": acc.patient.all_consents,
        "consent_texts": consent_text.TEXTS,
        "stats": {"n": acc.n_contacts, "last": acc.last_contact, "minutes": acc.contact_minutes},
        "alerts": [access.alert_fields(a) for a in reads.alerts()],
        "ack_form": forms.AcknowledgeForm(),
        "contacts_html": "",
    }
    if access.sees_key_moments:
        context["moments"] = reads.key_moments()
    if access.sees_contact_log:
        channels, places = dict(Contact.Channel.choices), dict(Contact.Place.choices)
        contacts = [
            {
                **access.contact_fields(c),
                "channel_label": channels[c.channel],
                "place_label": places[c.place],
            }
            for c in reads.contacts()
        ]
        context["contacts_html"] = render_rows(
            "accompaniment/rows/contacts.html",
            request,
            contacts=contacts,
            is_partner=access.is_partner,
        )
    if access.is_patient:
        context["feedback"] = reads.feedback()
    if not access.is_patient:
        context["handovers"] = [access.handover_fields(h) for h in reads.handovers()]
    record(
        "accompaniment.viewed",
        request=request,
        target=acc,
        subject=acc.patient.user,
        as_partner=access.is_partner,
        as_team=access.is_care_team,
        as_coordinator=access.is_coordinator,
        contact_details=access.sees_contact_details,
    )
    return render(request, "accompaniment/detail.html", context)


def consent_ledger(request, public_id):
    """Every consent of the patient, given or withdrawn, with its text version, how it was
    given and by whom it was recorded: the proof the team can show (issue 8)."""
    acc, access = get_accompaniment(request, public_id, structure=request.structure)
    if not (access.is_care_team or access.is_coordinator or access.is_patient):
        raise PermissionDenied
    consents = (
        Consent.objects.filter(patient=acc.patient)
        .select_related("recorded_by", "withdrawn_by")
        .order_by("purpose", "given_at")
    )
    record(
        "accompaniment.consent_ledger_viewed", request=request, target=acc, subject=acc.patient.user
    )
    return render(
        request,
        "accompaniment/consent_ledger.html",
        {
            "acc": acc,
            "access": access,
            "consents": consents,
            "patient": access.patient_fields(),
        },
    )


def _for_partner(request, public_id):
    acc, access = get_accompaniment(request, public_id, structure=request.structure)
    if not access.can_log:
        raise PermissionDenied
    return acc, access


def add_contact(request, public_id):
    acc, access = _for_partner(request, public_id)
    form = forms.ContactForm(
        request.POST or None, can_share=access.consent(ConsentPurpose.SHARE_SUMMARIES)
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission_token"}
        first = acc.first_contact_at is None
        try:
            services.log_contact(
                acc,
                user=request.user,
                data=data,
                submission_token=form.cleaned_data["submission_token"],
                request=request,
            )
        except services.ConsentRequired as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request, _("Premier contact noté, merci !") if first else _("L'échange est noté.")
            )
            return redirect("accompaniment:detail", public_id=acc.public_id)
    intro = (
        ""
        if access.consent(ConsentPurpose.SHARE_SUMMARIES)
        else _(
            "Le patient n'a pas accepté de partager de résumé avec l'équipe : vos notes restent pour vous seul·e."
        )
    )
    return _form_page(request, form, _("Noter un échange"), acc=acc, intro=intro)


def add_key_moment(request, public_id):
    acc, _access = _for_partner(request, public_id)
    form = forms.KeyMomentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_key_moment(acc, user=request.user, data=form.cleaned_data, request=request)
        messages.success(
            request, _("Le moment clé est ajouté ; vous recevrez un rappel la veille.")
        )
        return redirect("accompaniment:detail", public_id=acc.public_id)
    return _form_page(
        request,
        form,
        _("Ajouter un moment clé du parcours"),
        acc=acc,
        intro=_("Un moment que le patient souhaite préparer ou vivre avec votre soutien."),
    )


def raise_alert(request, public_id):
    acc, access = _for_partner(request, public_id)
    form = forms.AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.raise_alert(
            acc, user=request.user, message=form.cleaned_data["message"], request=request
        )
        messages.success(
            request, _("L'alerte est envoyée : les professionnels désignés sont prévenus.")
        )
        return redirect("accompaniment:detail", public_id=acc.public_id)
    intro = _(
        "En cas de danger immédiat, appelez le 15 (SAMU). Idées suicidaires : le 3114, jour et nuit."
    )
    if not access.consent(ConsentPurpose.SHARE_SUMMARIES):
        intro += " " + _(
            "Le patient n'a pas accepté de partager avec l'équipe : les professionnels seront prévenus "
            "qu'une alerte urgente est ouverte et vous rappelleront, mais votre texte reste visible de vous seul·e."
        )
    return _form_page(
        request, form, _("Alerte urgente"), acc=acc, submit=_("Envoyer l'alerte"), intro=intro
    )


@require_POST
def acknowledge_alert(request, public_id):
    alert = get_object_or_404_scoped(
        Alert.objects.select_related("accompaniment"), public_id=public_id
    )
    acc, access = get_accompaniment(
        request, alert.accompaniment.public_id, structure=request.structure
    )
    if not access.can_acknowledge_alerts:
        services.refuse_alert_acknowledgement(alert, user=request.user, request=request)
    form = forms.AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La réponse est trop longue."))
        return redirect("accompaniment:detail", public_id=acc.public_id)
    alert.accompaniment = acc
    services.acknowledge_alert(
        alert, user=request.user, response=form.cleaned_data["response"], request=request
    )
    messages.success(request, _("Alerte prise en compte ; le patient partenaire est prévenu."))
    return redirect("accompaniment:detail", public_id=acc.public_id)


def end(request, public_id):
    acc, access = get_accompaniment(request, public_id, structure=request.structure)
    if not access.can_end:
        raise PermissionDenied
    form = forms.EndForm(request.POST or None, patient=access.is_patient)
    if request.method == "POST" and form.is_valid():
        services.end_accompaniment(
            acc,
            user=request.user,
            role=access.ended_by_role,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
        if access.is_patient:
            messages.success(
                request,
                _("Votre accompagnement est terminé. Merci ! Vous pouvez nous laisser votre avis."),
            )
            return redirect("accompaniment:feedback", public_id=acc.public_id)
        messages.success(request, _("L'accompagnement est terminé."))
        return redirect("accompaniment:detail", public_id=acc.public_id)
    intro = _("Vous pouvez arrêter à tout moment, sans justification.") if access.is_patient else ""
    return _form_page(
        request, form, _("Terminer l'accompagnement"), acc=acc, intro=intro, submit=_("Terminer")
    )


def hand_back(request, public_id):
    """The partner declines the referral or hands the accompaniment back, at any time."""
    acc, access = get_accompaniment(request, public_id, structure=request.structure)
    if not access.can_hand_back:
        raise PermissionDenied
    form = forms.HandBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.hand_back(
            acc, user=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(
            request,
            _(
                "C'est noté, merci de l'avoir dit. La coordination confie la personne à un autre patient partenaire."
            ),
        )
        return redirect("accompaniment:today")
    declining = acc.status == Accompaniment.Status.REFERRED
    return _form_page(
        request,
        form,
        _("Décliner cette orientation") if declining else _("Rendre cet accompagnement"),
        acc=acc,
        submit=_("Décliner") if declining else _("Rendre l'accompagnement"),
        intro=_(
            "Vous pouvez dire non à tout moment, sans vous justifier auprès du patient : la coordination le confiera "
            "à un autre patient partenaire et le patient en sera informé. Ses accords restent les mêmes."
        ),
    )


def reassign(request, public_id):
    """The coordinator confides the patient to another partner (suggestions as at referral)."""
    acc, access = get_accompaniment(request, public_id, structure=request.structure)
    if not access.can_reassign:
        raise PermissionDenied
    last = acc.handovers.filter(reassigned_at__isnull=True).order_by("-handed_at").first()
    suggestions = services.suggest_partners(
        request.structure,
        acc.patient.pathway,
        limit=SUGGESTIONS_SHOWN,
        moments=acc.moments,
        include=[request.POST.get("partner", "")],
    )
    form = forms.ReassignForm(
        request.POST or None, suggestions=suggestions, exclude=last.partner_id if last else None
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.by_id[form.cleaned_data["partner"]].partner
        try:
            services.reassign(acc, to_partner=chosen, user=request.user, request=request)
        except ValidationError as refusal:
            form.add_error("partner", refusal)
        else:
            messages.success(
                request,
                _("L'accompagnement est confié à %(name)s, qui est prévenu·e ; le patient aussi.")
                % {"name": chosen.first_name},
            )
            return redirect("accompaniment:detail", public_id=acc.public_id)
    return _form_page(
        request,
        form,
        _("Confier à un autre patient partenaire"),
        acc=acc,
        submit=_("Confier"),
        intro=_(
            "Les patients partenaires disponibles pour ce parcours viennent d'abord ; ceux qui sont au plafond "
            "ou qui ont dit ne pas vouloir accompagner ce parcours ne peuvent pas être choisis."
        ),
    )


@require_POST
def withdraw_consent(request, public_id):
    consent = get_object_or_404_scoped(
        Consent.objects.select_related("patient"), public_id=public_id
    )
    acc = Accompaniment.objects.filter(patient=consent.patient).order_by("-referred_at").first()
    if acc is None:
        raise Http404
    acc, access = get_accompaniment(request, acc.public_id, structure=request.structure)
    if not access.can_manage_consents:
        raise PermissionDenied
    services.withdraw_consent(consent, user=request.user, request=request)
    messages.success(request, _("Le consentement est retiré ; cela prend effet immédiatement."))
    return redirect("accompaniment:detail", public_id=acc.public_id)


def _manager(request, public_id):
    acc, access = get_accompaniment(request, public_id, structure=request.structure)
    if not (access.is_referrer or access.is_coordinator):
        raise PermissionDenied
    return acc, access


def _consent_pdf(structure, acc=None, access=None):
    return render_pdf(
        "accompaniment/consent_pdf.html",
        {
            "acc": acc,
            "structure": structure,
            "texts": consent_text.TEXTS,
            "intro": consent_text.INTRODUCTION,
            "version": consent_text.VERSION,
            "today": timezone.localdate(),
            "notice": consent_text.gdpr_notice(structure),
            "patient": access.patient_fields() if access is not None else None,
        },
    )


@require_roles(Role.PROFESSIONAL, Role.COORDINATOR)
def consent_form_blank(request):
    """The blank consent form, printed before the referral and signed by the patient."""
    response = HttpResponse(_consent_pdf(request.structure), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="consentement-accompagnement.pdf"'
    return response


def consent_form_pdf(request, public_id):
    """The consent form with the patient's name (seed 002: the form the doctor has signed)."""
    acc, access = _manager(request, public_id)
    pdf = _consent_pdf(acc.structure, acc, access)
    record(
        "accompaniment.consent_form_exported", request=request, target=acc, subject=acc.patient.user
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="consentement-accompagnement.pdf"'
    return response


@require_POST
def send_consent_link(request, public_id):
    acc, _access = _manager(request, public_id)
    url = services.create_consent_link(acc, user=request.user, request=request)
    if acc.patient.email:
        messages.success(
            request,
            _(
                "Le lien est envoyé au patient par e-mail. Vous pouvez aussi le lui transmettre : %(url)s"
            )
            % {"url": url},
        )
    else:
        messages.success(
            request, _("Transmettez ce lien au patient (SMS) : %(url)s") % {"url": url}
        )
    return redirect("accompaniment:detail", public_id=acc.public_id)


# The patient's own page ------------------------------------------------------------------------


@require_roles(Role.PATIENT)
def my_accompaniment(request):
    services.link_patient_account(request.structure, request.user, request=request)
    accompaniments = patient_accompaniments(request.structure.pk, request.user.pk)
    record("accompaniment.patient_page_viewed", request=request, count=len(accompaniments))
    return render(
        request,
        "accompaniment/mine.html",
        {
            "accompaniments": accompaniments,
            "texts": consent_text.TEXTS,
            "notice": consent_text.gdpr_notice(request.structure),
        },
    )


def feedback(request, public_id):
    acc, access = get_accompaniment(request, public_id, structure=request.structure)
    if not access.is_patient:
        raise PermissionDenied
    if PatientFeedback.objects.filter(accompaniment=acc).exists():
        messages.info(request, _("Vous avez déjà donné votre avis, merci."))
        return redirect("accompaniment:mine")
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.give_feedback(acc, data=form.cleaned_data, user=request.user, request=request)
        messages.success(request, _("Merci pour votre avis !"))
        return redirect("accompaniment:mine")
    return _form_page(
        request,
        form,
        _("Votre avis sur l'accompagnement"),
        acc=acc,
        back="accompaniment:mine",
        intro=_(
            "Quelques questions, deux minutes. Votre avis aide l'équipe et les patients partenaires."
        ),
    )


# Coordinator dashboard and load ------------------------------------------------------------------


@require_roles(Role.COORDINATOR)
def dashboard(request):
    structure = request.structure
    context = stats.kept_figures(structure, with_alert_list=True)
    # The late ones are counted in the figures: no list to fetch when there are none.
    context["late"] = (
        list(
            Accompaniment.objects.filter(
                structure=structure,
                status=Accompaniment.Status.REFERRED,
                first_contact_due_at__lt=timezone.now(),
            )
            .select_related("partner", "referred_by__user")
            .only(
                "public_id",
                "first_contact_due_at",
                "partner__first_name",
                "partner__last_name",
                "referred_by__user__first_name",
                "referred_by__user__last_name",
            )
            .order_by("first_contact_due_at")[:20]
        )
        if context["totals"]["late"]
        else []
    )
    record("accompaniment.dashboard_viewed", request=request)
    return render(request, "accompaniment/dashboard.html", context)


@require_roles(Role.COORDINATOR)
def load(request):
    """The partners' load: active accompaniments against their ceiling, hours, supervision."""
    since = timezone.now() - timedelta(days=30)
    structure_id = request.structure.pk
    partners = KeptList(
        "accompaniment.load.partners",
        (structure_id,),
        lambda: (
            Partner.objects.filter(structure_id=structure_id)
            .in_pool()
            .order_by("first_name", "id")
            .values_list("pk", "first_name", "last_name", "max_active_accompaniments")
        ),
    )
    page = Paginator(partners, 50).get_page(request.GET.get("page"))
    # One grouped query per figure, for the partners of the page only (grouping every partner
    # with all the contacts of a large CPTS cost seconds; SQLite also scans with subqueries).
    # The queries that read only the page's partners keep their SQL for those partners.
    ids = [row[0] for row in page.object_list]
    # The one load figure (accompaniments in hand and live missions, binome.partners.load).
    active = dict(
        kept_sql.rows(
            "accompaniment.load.active",
            tuple(ids),
            lambda: (
                Partner.objects.filter(pk__in=ids)
                .annotate(n=load_expression())
                .values_list("pk", "n")
            ),
        )
    )
    minutes = dict(
        Contact.objects.filter(accompaniment__partner__in=ids, occurred_at__gte=since)
        .values("accompaniment__partner")
        .annotate(m=Sum("duration_minutes"))
        .values_list("accompaniment__partner", "m")
    )
    supervision = dict(
        kept_sql.rows(
            "accompaniment.load.supervision",
            tuple(ids),
            lambda: (
                SupervisionSession.objects.filter(partner__in=ids)
                .values("partner_id")
                .annotate(last=Max("date"))
                .values_list("partner_id", "last")
            ),
        )
    )
    rows = []
    for pk, first_name, last_name, ceiling in page.object_list:
        # Texts in a dictionary per row: the template reads them at half the cost of model
        # attributes, and a whole number shown goes through localisation (fifty rows).
        n = active.get(pk, 0)
        last = supervision.get(pk)
        rows.append(
            {
                "full_name": Partner.full_name_of(first_name, last_name),
                "load": f"{n} / {ceiling}",
                "full": n >= ceiling,
                "hours": round(minutes.get(pk, 0) / 60, 1),
                "last_supervision": dates.date_format(last, "j F Y") if last else "—",
            }
        )
    record("accompaniment.load_viewed", request=request)
    rows_html = render_rows("accompaniment/rows/load.html", request, rows=rows)
    return render(request, "accompaniment/load.html", {"page": page, "rows_html": rows_html})


# Supervision --------------------------------------------------------------------------------------


@require_roles(Role.PARTNER)
def supervision(request):
    partner = my_partner(request)
    if partner is None:
        return render(request, "accompaniment/no_partner.html", {"title": _("Ma supervision")})
    form = forms.SupervisionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.partner, obj.structure = partner, request.structure
        services.save(
            obj, "accompaniment.supervision_added", request=request, structure=request.structure
        )
        messages.success(request, _("La séance de supervision est notée."))
        return redirect("accompaniment:supervision")
    page = Paginator(SupervisionSession.objects.filter(partner=partner), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accompaniment/supervision.html",
        {"form": form, "page": page, "partner": partner},
        status=form_status(form),
    )


# Calendar --------------------------------------------------------------------------------------------


@require_roles(Role.PARTNER)
def calendar(request):
    partner = my_partner(request)
    if partner is None:
        return render(
            request, "accompaniment/no_partner.html", {"title": _("Mon agenda des moments clés")}
        )
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "close":
            services.close_calendar(partner, user=request.user, request=request)
            messages.success(
                request, _("L'adresse de votre agenda est désactivée : elle ne fonctionne plus.")
            )
            return redirect("accompaniment:calendar")
        _feed, raw = services.open_calendar(partner, user=request.user, request=request)
        from django.urls import reverse

        # Shown on this answer only: Binôme keeps no copy of the address.
        url = settings.SITE_URL + reverse("accompaniment_public:calendar", kwargs={"token": raw})
    return render(
        request,
        "accompaniment/calendar.html",
        {"url": url, "feed": services.calendar_feed(partner)},
    )
