"""State changes of peer accompaniment: each in a transaction with its audit row."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from binome.accompaniment import consent_text
from binome.accompaniment.access import sharing_refusal
from binome.accompaniment.models import (
    Accompaniment,
    Alert,
    CalendarFeed,
    Consent,
    ConsentLink,
    ConsentPurpose,
    Contact,
    Deadline,
    Handover,
    KeyMoment,
    Notification,
    Patient,
    PatientFeedback,
)
from binome.audit.services import record
from binome.core import kept_sql
from binome.partners.limits import expand, limit_hits
from binome.partners.load import load_expression
from binome.people.models import Membership, Role

# Reminders to the partner before the first-contact deadline, as fractions of the delay.
FIRST_CONTACT_REMINDER_AT = 0.5
KEY_MOMENT_REMINDER_HOURS = 24
KEY_MOMENT_DEFAULT_TIME = time(9, 0)
CONSENT_LINK_DAYS = 14


def alert_escalation_delay() -> timedelta:
    """From the alert to the coordination: BINOME_ALERT_ESCALATION_MINUTES (default four hours)."""
    return timedelta(minutes=int(getattr(settings, "BINOME_ALERT_ESCALATION_MINUTES", 240)))


def alert_second_line_delay() -> timedelta:
    """From the alert to the other named professionals when the referrer has not taken it:
    BINOME_ALERT_SECOND_LINE_MINUTES (default 30 minutes)."""
    return timedelta(minutes=int(getattr(settings, "BINOME_ALERT_SECOND_LINE_MINUTES", 30)))


class ConsentRequired(ValidationError):
    """Refused for want of the patient's consent: answered 422 with its French message."""


def refuse(reason, *, structure, target=None, user=None, request=None, message, forbidden=False):
    """Record a refused write or read (in its own transaction, so that it stays when the
    caller's change is rolled back) and raise: 422 for a missing consent, 403 for a role."""
    with transaction.atomic():
        record(
            "accompaniment.refused",
            actor=user,
            structure=structure,
            target=target,
            request=request,
            reason=reason,
        )
    if forbidden:
        raise PermissionDenied(message)
    raise ConsentRequired(message)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# Notifications -----------------------------------------------------------------------


def notify(users, *, structure, text, url="", accompaniment=None, urgent=False):
    """In-app notification, and a short e-mail or SMS (as the person chose) without any patient data."""
    users = [u for u in {u.pk: u for u in users if u is not None}.values()]
    Notification.objects.bulk_create(
        [
            Notification(
                structure=structure,
                recipient=u,
                text=text[:300],
                url=url,
                accompaniment=accompaniment,
                urgent=urgent,
            )
            for u in users
        ]
    )
    from binome.messaging.services import remind, sms_text

    link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
    subject, body = neutral_message(structure, link, urgent=urgent)
    remind(users, subject=subject, body=body, sms_body=sms_text(link, urgent=urgent))


def neutral_message(structure, link, *, urgent=False) -> tuple[str, str]:
    """What leaves the platform by e-mail (or SMS): no patient name, no clinical wording, only
    that something awaits and a link that needs signing in. The in-app text stays inside."""
    subject = (_("[Urgent] ") if urgent else "") + _("Binôme — %(structure)s") % {
        "structure": structure.name
    }
    if urgent:
        lead = _(
            "Une alerte urgente vous attend dans Binôme. Merci d'en prendre connaissance dès que possible."
        )
    else:
        lead = _("Vous avez une nouvelle notification dans Binôme.")
    body = _(
        "%(lead)s\n\nConnectez-vous pour la lire : %(link)s\n\nCe message ne contient aucune donnée de santé."
    ) % {
        "lead": lead,
        "link": link,
    }
    return subject, body


def coordinators_of(structure):
    return [
        m.user
        for m in Membership.objects.active()
        .filter(structure=structure, role=Role.COORDINATOR)
        .select_related("user")
    ]


def partner_user(accompaniment):
    membership = accompaniment.partner.membership
    return membership.user if membership is not None and membership.is_active else None


def care_team_users(accompaniment):
    users = [accompaniment.referred_by.user]
    users += [
        m.user for m in accompaniment.designated_professionals.select_related("user") if m.is_active
    ]
    return users


def detail_url(accompaniment):
    return reverse("accompaniment:detail", kwargs={"public_id": accompaniment.public_id})


# Partner suggestions -------------------------------------------------------------------


class Suggestions(list):
    """The suggestions returned, and ``total``: how many partners were ranked."""

    total = 0


@dataclass
class Suggestion:
    partner: object
    load: int
    ceiling: int
    matches: list
    excluded_reason: str = ""

    @property
    def is_available(self):
        return not self.excluded_reason


def _candidate_pks(candidates, public_ids) -> set:
    """Primary keys of the candidates with these public ids; what is not a UUID is ignored."""
    wanted = set()
    for value in public_ids:
        try:
            wanted.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not wanted:
        return set()
    return set(candidates.filter(public_id__in=wanted).values_list("pk", flat=True))


def suggest_partners(
    structure, pathway: str = "", *, limit=None, search: str = "", include=(), moments=()
) -> Suggestions:
    """Active partners of the structure with their load against their ceiling and their
    stated limits; full partners and partners whose limits name the pathway come last,
    with the reason, and cannot be chosen.

    Every partner is ranked on light rows (no model instance); only the ones returned are
    loaded. ``limit``: the first ones of the ranking only (a large CPTS has hundreds of
    partners); ``search``: instead, the partners whose name holds these words (accents and
    case ignored), whatever their rank; ``include``: public ids always returned (the
    partner already chosen), in their place in the ranking."""
    from binome.accompaniment.models import Pathway
    from binome.partners.models import Partner, PartnerTag

    candidates = Partner.objects.filter(
        structure=structure,
        status=Partner.Status.ACTIVE,
        membership__isnull=False,
        membership__is_active=True,
    )
    # The one load figure (binome.partners.load): accompaniments and missions alike. No
    # public id here: turning 400 of them into UUIDs cost more than the one lookup below.
    rows = list(
        candidates.annotate(load=load_expression()).values_list(
            "pk", "first_name", "last_name", "max_active_accompaniments", "load"
        )
    )
    pathway_label = dict(Pathway.choices).get(pathway, "")
    pathway_key = slugify(str(pathway_label)) if pathway and pathway != Pathway.OTHER else ""
    # What the referral touches, for the limits (binome.partners.limits): the pathway and its moments.
    context = expand([pathway_key, pathway if pathway != Pathway.OTHER else "", *moments])
    by_partner: dict = {}
    tags = PartnerTag.objects.filter(
        partner__in=candidates, kind__in=[PartnerTag.Kind.CONDITION, PartnerTag.Kind.LIMIT]
    )
    for partner_id, kind, value, label in tags.values_list("partner_id", "kind", "value", "label"):
        by_partner.setdefault(partner_id, []).append((kind, value, label))
    # Ranked on plain tuples; the reasons' texts and the names' slugs are made only where they
    # are read (a large CPTS ranks some 400 partners per form).
    ranked = []
    for pk, first_name, last_name, ceiling, load in rows:
        matches, limit_label = [], None
        for kind, value, label in by_partner.get(pk, []):
            hit = bool(pathway_key) and (pathway_key in value or value in pathway_key)
            if kind == PartnerTag.Kind.CONDITION and hit:
                matches.append(label)
            if kind == PartnerTag.Kind.LIMIT and limit_hits(value, context):
                limit_label = label
        excluded = limit_label is not None or load >= ceiling
        rank = (excluded, -len(matches), load, first_name)
        ranked.append((rank, pk, first_name, last_name, load, ceiling, matches, limit_label))
    ranked.sort(key=lambda r: r[0])
    words = [w for w in slugify(search).split("-") if w]
    included = _candidate_pks(candidates, include)

    def wanted(i, pk, first_name, last_name):
        if pk in included:
            return True
        if words:  # a search shows the matching names, whatever their rank
            name = slugify(f"{first_name} {last_name}")
            return all(w in name for w in words)
        return limit is None or i < limit

    chosen = []
    for i, (_rank, pk, first, last, load, ceiling, matches, limit_label) in enumerate(ranked):
        if not wanted(i, pk, first, last):
            continue
        if limit_label is not None:
            reason = _("A indiqué ne pas souhaiter accompagner ce parcours (%(limit)s).") % {
                "limit": limit_label
            }
        elif load >= ceiling:
            reason = _("Accompagne déjà %(n)s personnes, son plafond.") % {"n": load}
        else:
            reason = ""
        chosen.append(
            (
                pk,
                Suggestion(
                    None, load=load, ceiling=ceiling, matches=matches, excluded_reason=reason
                ),
            )
        )
    instances = Partner.objects.select_related("membership__user").in_bulk(
        [pk for pk, _s in chosen]
    )
    for pk, suggestion in chosen:
        suggestion.partner = instances[pk]
    result = Suggestions(suggestion for _pk, suggestion in chosen)
    result.total = len(ranked)
    return result


# Consents --------------------------------------------------------------------------------


@transaction.atomic
def give_consent(patient, purpose, *, method, user=None, request=None, at=None):
    """Record one purpose; nothing happens when it is already active."""
    existing = Consent.objects.filter(patient=patient, purpose=purpose).active().first()
    if existing:
        return existing
    consent = Consent.objects.create(
        patient=patient,
        purpose=purpose,
        method=method,
        text_version=consent_text.VERSION,
        recorded_by=user if user is not None and user.is_authenticated else None,
        given_at=at or timezone.now(),
    )
    record(
        "accompaniment.consent_given",
        actor=user,
        structure=patient.structure,
        target=consent,
        request=request,
        purpose=str(purpose),
        method=str(method),
        version=consent_text.VERSION,
    )
    return consent


@transaction.atomic
def withdraw_consent(consent, *, user, request=None):
    """Takes effect at once. Withdrawing "contact by a partner" ends the accompaniments."""
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        "accompaniment.consent_withdrawn",
        actor=user,
        structure=consent.patient.structure,
        target=consent,
        request=request,
        purpose=consent.purpose,
    )
    if consent.purpose == ConsentPurpose.CONTACT_BY_PARTNER:
        role = (
            Accompaniment.EndedByRole.PATIENT
            if consent.patient.user_id == getattr(user, "pk", None)
            else Accompaniment.EndedByRole.TEAM
        )
        for acc in (
            Accompaniment.objects.filter(patient=consent.patient)
            .active()
            .select_related("partner__membership__user", "structure")
        ):
            end_accompaniment(
                acc,
                user=user,
                role=role,
                reason=Accompaniment.EndReason.CONSENT_WITHDRAWN,
                request=request,
            )
    return consent


def create_consent_link(accompaniment, *, user, request=None) -> str:
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = ConsentLink.objects.create(
            accompaniment=accompaniment,
            token_hash=hash_token(raw),
            created_by=user,
            expires_at=timezone.now() + timedelta(days=CONSENT_LINK_DAYS),
        )
        record(
            "accompaniment.consent_link_created",
            actor=user,
            structure=accompaniment.structure,
            target=link,
            request=request,
        )
    url = f"{settings.SITE_URL}{reverse('accompaniment_public:consent', kwargs={'token': raw})}"
    email = accompaniment.patient.email
    if email:
        send_mail(
            _("Votre accord pour être accompagné·e par un patient partenaire"),
            _(
                "Bonjour,\n\nVotre équipe de soins (%(structure)s) vous propose un accompagnement par un patient partenaire. "
                "Vous pouvez lire et donner votre accord, point par point, ici (lien valable %(days)s jours) :\n%(url)s\n"
            )
            % {"structure": accompaniment.structure.name, "days": CONSENT_LINK_DAYS, "url": url},
            None,
            [email],
            fail_silently=True,
        )
    return url


def consent_link_for(raw_token):
    return (
        ConsentLink.objects.filter(token_hash=hash_token(raw_token), expires_at__gt=timezone.now())
        .select_related(
            "accompaniment__patient", "accompaniment__structure", "accompaniment__partner"
        )
        .first()
    )


@transaction.atomic
def give_online_consents(link, purposes, *, request=None):
    patient = link.accompaniment.patient
    for purpose in purposes:
        give_consent(patient, purpose, method=Consent.Method.ONLINE, request=request)
    ConsentLink.objects.filter(pk=link.pk).update(used_at=timezone.now())


# Referral --------------------------------------------------------------------------------


def patient_account(structure, email):
    """The patient's light account (magic link) in this structure, found by e-mail address."""
    if not email:
        return None
    membership = (
        Membership.objects.active()
        .filter(structure=structure, role=Role.PATIENT, user__email__iexact=email.strip())
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def link_patient_account(structure, user, request=None) -> int:
    """Attach the patient records of this structure that carry the account's e-mail address and
    no account yet (the light account was created after the referral)."""
    if not user.email:
        return 0
    # Read first, outside a transaction: on most visits there is nothing to link.
    ids = [
        pk
        for (pk,) in kept_sql.rows(
            "accompaniment.patients_to_link",
            (),
            lambda structure_id, email: (
                Patient.objects.alias(email_lower=Lower("email"))
                .filter(structure=structure_id, user__isnull=True, email_lower=email)
                .order_by()
                .values_list("pk")
            ),
            args=(structure.pk, user.email.lower()),
        )
    ]
    if not ids:
        return 0
    with transaction.atomic():
        linked = Patient.objects.filter(pk__in=ids, user__isnull=True).update(user=user)
        if linked:
            record(
                "accompaniment.patient_account_linked",
                actor=user,
                structure=structure,
                request=request,
                patients=linked,
            )
    return linked


@transaction.atomic
def create_referral(
    *,
    structure,
    referrer,
    patient_data,
    purposes,
    method,
    partner,
    notes="",
    designated=(),
    submission_token="",
    moments=(),
    request=None,
) -> Accompaniment:
    """Step 1 of seed 002: the professional sends the referral directly to the partner."""
    if submission_token:
        existing = Accompaniment.objects.filter(
            structure=structure, submission_token=submission_token
        ).first()
        if existing:
            return existing
    user = referrer.user
    patient = Patient.objects.create(
        structure=structure,
        created_by=user,
        user=patient_account(structure, patient_data.get("email")),
        **patient_data,
    )
    now = timezone.now()
    for purpose in purposes:
        give_consent(patient, purpose, method=method, user=user, request=request, at=now)
    delay = timedelta(hours=structure.first_contact_deadline_hours)
    try:
        with transaction.atomic():
            acc = Accompaniment.objects.create(
                structure=structure,
                patient=patient,
                partner=partner,
                referred_by=referrer,
                notes_for_partner=notes,
                moments=sorted(set(moments)),
                referred_at=now,
                first_contact_due_at=now + delay,
                submission_token=submission_token,
            )
    except IntegrityError:
        transaction.set_rollback(True)
        return Accompaniment.objects.get(structure=structure, submission_token=submission_token)
    if designated:
        acc.designated_professionals.set(designated)
    Deadline.objects.bulk_create(
        [
            Deadline(
                key=f"first_contact_reminder:{acc.pk}",
                kind=Deadline.Kind.FIRST_CONTACT_REMINDER,
                accompaniment=acc,
                due_at=now + delay * FIRST_CONTACT_REMINDER_AT,
            ),
            Deadline(
                key=f"first_contact_overdue:{acc.pk}",
                kind=Deadline.Kind.FIRST_CONTACT_OVERDUE,
                accompaniment=acc,
                due_at=now + delay,
            ),
        ]
    )
    record(
        "accompaniment.referral_created",
        actor=user,
        structure=structure,
        target=acc,
        request=request,
        partner=str(partner.public_id),
        purposes=sorted(str(p) for p in purposes),
    )
    notify(
        [partner_user(acc)],
        structure=structure,
        accompaniment=acc,
        url=detail_url(acc),
        text=_("Nouvelle orientation : premier contact à faire avant le %(due)s.")
        % {"due": timezone.localtime(acc.first_contact_due_at).strftime("%d/%m à %H:%M")},
    )
    return acc


@transaction.atomic
def import_accompaniment(
    *,
    structure,
    referrer,
    partner,
    patient_data,
    consents,
    recorded_by,
    referred_on,
    contact_dates=(),
    ended_on=None,
    end_reason="",
    submission_token,
    actor,
) -> Accompaniment:
    """An accompaniment the team followed before Binôme, from its spreadsheet (issue 15): the
    consents as signed on paper, with their date and who collected them, and the contacts
    already held. Nothing is sent: the partner knows the patient already. A referral still
    waiting for its first contact gets the deadline the page's referral would have."""
    existing = (
        Accompaniment.objects.filter(structure=structure, submission_token=submission_token)
        .order_by()
        .first()
    )
    if existing:
        return existing
    missing = [p for p in consent_text.REQUIRED if p not in consents]
    if missing:
        raise ValidationError(
            _(
                "Sans l'accord du patient pour être contacté et pour transmettre ses coordonnées, "
                "l'accompagnement ne peut pas être enregistré : indiquez la date du formulaire signé."
            )
        )
    tz = timezone.get_current_timezone()
    at_noon = lambda day: datetime.combine(day, time(12), tzinfo=tz)  # noqa: E731  (a day on paper, no hour)
    referred_at = at_noon(referred_on)
    patient = Patient.objects.create(structure=structure, created_by=actor, **patient_data)
    # A new patient: nothing to compare with, so the consents go in one write, each audited.
    given = Consent.objects.bulk_create(
        [
            Consent(
                patient=patient,
                purpose=purpose,
                method=Consent.Method.SIGNED_FORM,
                text_version=consent_text.VERSION,
                recorded_by=recorded_by,
                given_at=at_noon(day),
            )
            for purpose, day in sorted(consents.items())
        ]
    )
    for consent in given:
        record(
            "accompaniment.consent_given",
            actor=actor,
            structure=structure,
            target=consent,
            purpose=str(consent.purpose),
            method=str(consent.method),
            version=consent_text.VERSION,
            recorded_by=str(getattr(recorded_by, "public_id", "")),
        )
    delay = timedelta(hours=structure.first_contact_deadline_hours)
    contacts = sorted(set(contact_dates))
    acc = Accompaniment.objects.create(
        structure=structure,
        patient=patient,
        partner=partner,
        referred_by=referrer,
        referred_at=referred_at,
        first_contact_due_at=referred_at + delay,
        submission_token=submission_token,
        first_contact_at=at_noon(contacts[0]) if contacts else None,
        status=Accompaniment.Status.ACTIVE if contacts else Accompaniment.Status.REFERRED,
    )
    if contacts:
        Contact.objects.bulk_create(
            [
                Contact(
                    accompaniment=acc,
                    occurred_at=at_noon(day),
                    created_by=actor,
                    private_notes="",
                    summary_to_share="",
                )
                for day in contacts
            ]
        )
    if ended_on is not None:
        acc.status, acc.ended_at = Accompaniment.Status.ENDED, at_noon(ended_on)
        acc.ended_by, acc.ended_by_role = actor, Accompaniment.EndedByRole.TEAM
        acc.end_reason = end_reason or Accompaniment.EndReason.OTHER
        acc.save(update_fields=["status", "ended_at", "ended_by", "ended_by_role", "end_reason"])
    elif not contacts and acc.first_contact_due_at > timezone.now():
        Deadline.objects.bulk_create(
            [
                Deadline(
                    key=f"first_contact_reminder:{acc.pk}",
                    kind=Deadline.Kind.FIRST_CONTACT_REMINDER,
                    accompaniment=acc,
                    due_at=referred_at + delay * FIRST_CONTACT_REMINDER_AT,
                ),
                Deadline(
                    key=f"first_contact_overdue:{acc.pk}",
                    kind=Deadline.Kind.FIRST_CONTACT_OVERDUE,
                    accompaniment=acc,
                    due_at=referred_at + delay,
                ),
            ]
        )
    record(
        "accompaniment.imported",
        actor=actor,
        structure=structure,
        target=acc,
        partner=str(partner.public_id),
        purposes=sorted(str(p) for p in consents),
        contacts=len(contacts),
        ended=ended_on is not None,
    )
    return acc


# Partner's work ----------------------------------------------------------------------------


def log_contact(accompaniment, *, user, data, submission_token="", request=None) -> Contact:
    """A summary for the team is written only while the patient agrees to share it."""
    if data.get("summary_to_share") and sharing_refusal(accompaniment):
        refuse(
            "summary_without_consent",
            structure=accompaniment.structure,
            target=accompaniment,
            user=user,
            request=request,
            message=_(
                "Le patient n'a pas accepté de partager un résumé avec l'équipe : "
                "gardez ces mots dans vos notes personnelles."
            ),
        )
    return _log_contact(
        accompaniment, user=user, data=data, submission_token=submission_token, request=request
    )


@transaction.atomic
def _log_contact(accompaniment, *, user, data, submission_token="", request=None) -> Contact:
    if submission_token:
        existing = Contact.objects.filter(
            accompaniment=accompaniment, submission_token=submission_token
        ).first()
        if existing:
            return existing
    contact = Contact.objects.create(
        accompaniment=accompaniment, created_by=user, submission_token=submission_token, **data
    )
    if (
        accompaniment.first_contact_at is None
        or contact.occurred_at < accompaniment.first_contact_at
    ):
        accompaniment.first_contact_at = contact.occurred_at
        if accompaniment.status == Accompaniment.Status.REFERRED:
            accompaniment.status = Accompaniment.Status.ACTIVE
        accompaniment.save(update_fields=["first_contact_at", "status"])
    record(
        "accompaniment.contact_logged",
        actor=user,
        structure=accompaniment.structure,
        target=contact,
        request=request,
        accompaniment=str(accompaniment.public_id),
        has_summary=bool(contact.summary_to_share),
    )
    return contact


def key_moment_reminder_due(moment) -> datetime:
    at = datetime.combine(moment.date, moment.time or KEY_MOMENT_DEFAULT_TIME)
    return timezone.make_aware(at) - timedelta(hours=KEY_MOMENT_REMINDER_HOURS)


@transaction.atomic
def add_key_moment(accompaniment, *, user, data, request=None) -> KeyMoment:
    moment = KeyMoment.objects.create(accompaniment=accompaniment, created_by=user, **data)
    due = key_moment_reminder_due(moment)
    if moment.wants_support and due > timezone.now():
        Deadline.objects.create(
            key=f"key_moment_reminder:{moment.pk}",
            kind=Deadline.Kind.KEY_MOMENT_REMINDER,
            accompaniment=accompaniment,
            key_moment=moment,
            due_at=due,
        )
    record(
        "accompaniment.key_moment_added",
        actor=user,
        structure=accompaniment.structure,
        target=moment,
        request=request,
        accompaniment=str(accompaniment.public_id),
    )
    return moment


@transaction.atomic
def raise_alert(accompaniment, *, user, message, request=None) -> Alert:
    """An urgent alert goes at once to the referring professional; if nobody took it in
    charge, to the other professionals named on the referral, then to the coordination."""
    alert = Alert.objects.create(accompaniment=accompaniment, raised_by=user, message=message)
    others = [
        u for u in care_team_users(accompaniment) if u.pk != accompaniment.referred_by.user_id
    ]
    deadlines = [
        Deadline(
            key=f"alert_escalation:{alert.pk}",
            kind=Deadline.Kind.ALERT_ESCALATION,
            accompaniment=accompaniment,
            alert=alert,
            due_at=alert.raised_at + alert_escalation_delay(),
        )
    ]
    if others:
        deadlines.append(
            Deadline(
                key=f"alert_second_line:{alert.pk}",
                kind=Deadline.Kind.ALERT_SECOND_LINE,
                accompaniment=accompaniment,
                alert=alert,
                due_at=alert.raised_at + alert_second_line_delay(),
            )
        )
    Deadline.objects.bulk_create(deadlines)
    record(
        "accompaniment.alert_raised",
        actor=user,
        structure=accompaniment.structure,
        target=alert,
        request=request,
        accompaniment=str(accompaniment.public_id),
    )
    first_line = [accompaniment.referred_by.user] if accompaniment.referred_by.is_active else others
    notify(
        first_line,
        structure=accompaniment.structure,
        accompaniment=accompaniment,
        url=detail_url(accompaniment),
        urgent=True,
        text=_(
            "Alerte urgente d'un patient partenaire : merci d'en prendre connaissance et de répondre."
        ),
    )
    return alert


def refuse_alert_acknowledgement(alert, *, user, request=None):
    refuse(
        "alert_ack_not_clinician",
        structure=alert.accompaniment.structure,
        target=alert,
        user=user,
        request=request,
        forbidden=True,
        message=_(
            "Seul un professionnel de l'équipe soignante de ce patient peut prendre en compte "
            "une alerte urgente."
        ),
    )


@transaction.atomic
def acknowledge_alert(alert, *, user, response="", request=None) -> Alert:
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = user
        alert.response = response
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "response"])
        record(
            "accompaniment.alert_acknowledged",
            actor=user,
            structure=alert.accompaniment.structure,
            target=alert,
            request=request,
        )
        acc = alert.accompaniment
        notify(
            [partner_user(acc)],
            structure=acc.structure,
            accompaniment=acc,
            url=detail_url(acc),
            text=_("Votre alerte a été prise en compte par %(name)s.")
            % {"name": user.get_full_name() or user.email},
        )
    return alert


@transaction.atomic
@transaction.atomic
def end_accompaniment(
    accompaniment, *, user, role, reason, comment="", request=None
) -> Accompaniment:
    if accompaniment.is_ended:
        return accompaniment
    accompaniment.status = Accompaniment.Status.ENDED
    accompaniment.ended_at = timezone.now()
    accompaniment.ended_by = user if user is not None and user.is_authenticated else None
    accompaniment.ended_by_role = role
    accompaniment.end_reason = reason
    accompaniment.end_comment = comment
    accompaniment.save(
        update_fields=[
            "status",
            "ended_at",
            "ended_by",
            "ended_by_role",
            "end_reason",
            "end_comment",
        ]
    )
    record(
        "accompaniment.ended",
        actor=accompaniment.ended_by,
        structure=accompaniment.structure,
        target=accompaniment,
        request=request,
        by=str(role),
        reason=str(reason),
    )
    recipients = [partner_user(accompaniment), accompaniment.referred_by.user]
    notify(
        [u for u in recipients if u is not None and u != user],
        structure=accompaniment.structure,
        accompaniment=accompaniment,
        url=detail_url(accompaniment),
        text=_("Un accompagnement est terminé (%(reason)s).")
        % {"reason": Accompaniment.EndReason(reason).label},
    )
    return accompaniment


@transaction.atomic
@transaction.atomic
def give_feedback(accompaniment, *, data, user=None, request=None) -> PatientFeedback:
    """The patient's one opinion on an ended accompaniment (a second one is refused)."""
    if PatientFeedback.objects.filter(accompaniment=accompaniment).exists():
        raise ValidationError(_("Vous avez déjà donné votre avis, merci."))
    feedback = PatientFeedback.objects.create(accompaniment=accompaniment, **data)
    record(
        "accompaniment.feedback_given",
        actor=user,
        structure=accompaniment.structure,
        target=feedback,
        request=request,
    )
    return feedback


def save(obj, kind, *, request=None, user=None, structure, **data):
    with transaction.atomic():
        obj.save()
        record(kind, actor=user, structure=structure, target=obj, request=request, **data)
    return obj


# Calendar ------------------------------------------------------------------------------------


def calendar_feed(partner) -> CalendarFeed | None:
    """The partner's active feed, if any."""
    return CalendarFeed.objects.filter(partner=partner, revoked_at__isnull=True).first()


def find_calendar(raw_token) -> CalendarFeed | None:
    from binome.core.tokens import hash_token

    return (
        CalendarFeed.objects.filter(token_hash=hash_token(raw_token), revoked_at__isnull=True)
        .select_related("partner__structure", "partner__membership")
        .first()
    )


@transaction.atomic
def open_calendar(partner, *, user, request=None) -> tuple[CalendarFeed, str]:
    """Create the private address, or replace it (the old one stops at once). Returns the
    feed and the raw token, which is never stored and shown only this once."""
    from binome.accompaniment.models import new_calendar_token
    from binome.core.tokens import hash_token

    raw = new_calendar_token()
    feed, created = CalendarFeed.objects.update_or_create(
        partner=partner,
        defaults={"token_hash": hash_token(raw), "created_at": timezone.now(), "revoked_at": None},
    )
    record(
        "accompaniment.calendar_renewed",
        actor=user,
        structure=partner.structure,
        target=feed,
        request=request,
        created=created,
    )
    return feed, raw


@transaction.atomic
def close_calendar(partner, *, user, request=None) -> None:
    feed = calendar_feed(partner)
    if feed is None:
        return
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    record(
        "accompaniment.calendar_closed",
        actor=user,
        structure=partner.structure,
        target=feed,
        request=request,
    )


# The partner may say no; the coordinator confides the patient to another partner ----------------


HAND_BACK_KINDS = {
    Accompaniment.Status.REFERRED: Handover.Kind.DECLINED,
    Accompaniment.Status.ACTIVE: Handover.Kind.HANDED_BACK,
}


@transaction.atomic
def hand_back(accompaniment, *, user, reason, request=None) -> Handover:
    """The partner declines the referral or hands the accompaniment back (seed 002). Their
    access ends at once, their reminders stop, the coordination is told why (privately), the
    referrer that a new partner is being sought. Consents stay with the patient."""
    caller_copy, accompaniment = (
        accompaniment,
        Accompaniment.objects.select_for_update().get(pk=accompaniment.pk),
    )
    if accompaniment.status not in HAND_BACK_KINDS:
        raise ValidationError(_("Cet accompagnement ne peut plus être rendu."))
    handover = Handover.objects.create(
        accompaniment=accompaniment,
        partner=accompaniment.partner,
        kind=HAND_BACK_KINDS[accompaniment.status],
        reason=reason.strip(),
        handed_by=user,
    )
    accompaniment.status = caller_copy.status = Accompaniment.Status.TO_REASSIGN
    accompaniment.save(update_fields=["status"])
    Deadline.objects.filter(accompaniment=accompaniment, done_at__isnull=True).exclude(
        kind__in=[Deadline.Kind.ALERT_SECOND_LINE, Deadline.Kind.ALERT_ESCALATION]
    ).update(done_at=timezone.now(), skipped=True)
    record(
        "accompaniment.handed_back",
        actor=user,
        structure=accompaniment.structure,
        target=accompaniment,
        request=request,
        handover=handover.kind,
    )
    url = detail_url(accompaniment)
    notify(
        coordinators_of(accompaniment.structure),
        structure=accompaniment.structure,
        accompaniment=accompaniment,
        url=url,
        text=_(
            "Un patient partenaire ne peut pas poursuivre un accompagnement : à confier à un autre patient partenaire."
        ),
    )
    notify(
        [accompaniment.referred_by.user],
        structure=accompaniment.structure,
        accompaniment=accompaniment,
        url=url,
        text=_(
            "Une personne que vous avez orientée va être confiée à un autre patient partenaire par la coordination."
        ),
    )
    return handover


def reassign(accompaniment, *, to_partner, user, request=None) -> Accompaniment:
    """The coordinator confides the patient to another partner, chosen among the available
    suggestions (load ceiling and declared limits, as at referral); 422 otherwise."""
    available = {
        s.partner.pk: s
        for s in suggest_partners(
            accompaniment.structure,
            accompaniment.patient.pathway,
            include=[to_partner.public_id],
            moments=accompaniment.moments,
        )
    }
    suggestion = available.get(to_partner.pk)
    last = accompaniment.handovers.filter(reassigned_at__isnull=True).order_by("-handed_at").first()
    status = (
        Accompaniment.objects.filter(pk=accompaniment.pk).values_list("status", flat=True).first()
    )
    if status != Accompaniment.Status.TO_REASSIGN or last is None:
        raise ValidationError(
            _("Cet accompagnement n'attend pas d'être confié à un autre patient partenaire.")
        )
    if suggestion is None or to_partner.pk == last.partner_id:
        raise ValidationError(_("Choisissez un autre patient partenaire actif de la structure."))
    if not suggestion.is_available:
        raise ValidationError(
            _("Ce patient partenaire n'est pas disponible : %(why)s")
            % {"why": suggestion.excluded_reason}
        )
    return _reassign(accompaniment, last, to_partner, user=user, request=request)


@transaction.atomic
def _reassign(accompaniment, handover, to_partner, *, user, request=None) -> Accompaniment:
    now = timezone.now()
    delay = timedelta(hours=accompaniment.structure.first_contact_deadline_hours)
    accompaniment.partner = to_partner
    accompaniment.status = Accompaniment.Status.REFERRED
    accompaniment.first_contact_at = None
    accompaniment.first_contact_due_at = now + delay
    accompaniment.save(
        update_fields=["partner", "status", "first_contact_at", "first_contact_due_at"]
    )
    Handover.objects.filter(pk=handover.pk).update(
        reassigned_to=to_partner, reassigned_at=now, reassigned_by=user
    )
    Deadline.objects.bulk_create(
        [
            Deadline(
                key=f"first_contact_reminder:{accompaniment.pk}:{handover.pk}",
                kind=Deadline.Kind.FIRST_CONTACT_REMINDER,
                accompaniment=accompaniment,
                due_at=now + delay * FIRST_CONTACT_REMINDER_AT,
            ),
            Deadline(
                key=f"first_contact_overdue:{accompaniment.pk}:{handover.pk}",
                kind=Deadline.Kind.FIRST_CONTACT_OVERDUE,
                accompaniment=accompaniment,
                due_at=now + delay,
            ),
        ]
    )
    record(
        "accompaniment.reassigned",
        actor=user,
        structure=accompaniment.structure,
        target=accompaniment,
        request=request,
        partner=str(to_partner.public_id),
    )
    url = detail_url(accompaniment)
    notify(
        [partner_user(accompaniment)],
        structure=accompaniment.structure,
        accompaniment=accompaniment,
        url=url,
        text=_("Nouvelle orientation : premier contact à faire avant le %(due)s.")
        % {"due": timezone.localtime(accompaniment.first_contact_due_at).strftime("%d/%m à %H:%M")},
    )
    tell_patient(accompaniment)
    return accompaniment


def tell_patient(accompaniment):
    """The patient learns that another partner will call: in their space, and by a neutral
    e-mail (no name, nothing about their health) when they gave an address."""
    patient = accompaniment.patient
    text = _(
        "Votre accompagnement est confié à un autre patient partenaire, qui va vous contacter. "
        "Vos accords restent les mêmes ; vous pouvez les retirer à tout moment."
    )
    if patient.user_id:
        notify(
            [patient.user],
            structure=accompaniment.structure,
            accompaniment=accompaniment,
            url=reverse("accompaniment:mine"),
            text=text,
        )
    elif patient.email:
        body = _("Bonjour,\n\n%(text)s\n\nVotre équipe de soins (%(structure)s).") % {
            "text": text,
            "structure": accompaniment.structure.name,
        }
        transaction.on_commit(
            lambda: send_mail(
                _("Votre accompagnement par un patient partenaire"),
                body,
                None,
                [patient.email],
                fail_silently=True,
            )
        )


def mark_read(notifications, *, now=None):
    """Notifications shown to their recipient are read (the product's rule: opened = read).
    The one state a page changes when it is displayed; nothing else is written on a GET."""
    mark_read_pks([n.pk for n in notifications if n.read_at is None], now=now)


def mark_read_pks(pks, *, now=None):
    """``mark_read`` for notifications read as rows (the partner's day)."""
    if pks:
        Notification.objects.filter(pk__in=pks, read_at__isnull=True).update(
            read_at=now or timezone.now()
        )
