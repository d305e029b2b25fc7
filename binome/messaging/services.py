"""Reminders that reach people (issue 15): each person chooses e-mail, SMS or both; an SMS
leaves only with their recorded agreement, carries no health information (the same neutral
wording as the e-mail: something awaits, sign in to read it), is retried when the provider
fails, and stops for good on the person's STOP."""

import re
from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.messaging import sms
from binome.messaging.models import Channel, ContactPreference, OutgoingSms

MAX_ATTEMPTS = 5
RETRY_MINUTES = [1, 5, 15, 60]
STOP_WORDS = {"stop", "stop sms", "arret", "arreter", "stop binome", "desabonner", "unsubscribe"}
_MOBILE = re.compile(r"^0[67]\d{8}$")


def sms_available() -> bool:
    from django.conf import settings

    return settings.BINOME_SMS_BACKEND != "off"


def preference_of(user) -> ContactPreference:
    return ContactPreference.objects.filter(user=user).first() or ContactPreference(user=user)


def mobile(phone: str) -> str:
    """A French mobile number in the platform's form, or a French error."""
    from binome.core.validators import normalize_french_phone

    value = normalize_french_phone(phone)
    if not _MOBILE.match(value.replace(" ", "")):
        raise ValidationError(_("Indiquez un numéro de portable (06 ou 07) pour recevoir des SMS."))
    return value


@transaction.atomic
def save_preference(
    user,
    *,
    channel,
    phone="",
    agree_sms=False,
    method=ContactPreference.OptIn.ONLINE,
    actor=None,
    request=None,
):
    pref = preference_of(user)
    wants_sms = channel in (Channel.SMS, Channel.BOTH)
    if wants_sms and not sms_available():
        raise ValidationError(
            {"channel": [_("Les SMS ne sont pas encore proposés par votre structure.")]}
        )
    if wants_sms or phone:
        try:
            phone = mobile(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    if wants_sms and not agree_sms:
        raise ValidationError(
            {"agree_sms": [_("Cochez la case pour accepter les SMS, ou choisissez l'e-mail.")]}
        )
    changed_number = pref.phone != phone
    pref.channel, pref.phone = channel, phone
    if wants_sms and (
        pref.sms_opt_in_at is None or pref.sms_stopped_at is not None or changed_number
    ):
        pref.sms_opt_in_at, pref.sms_opt_in_method, pref.sms_stopped_at = (
            timezone.now(),
            method,
            None,
        )
    pref.save()
    record(
        "messaging.preference_changed",
        actor=actor or user,
        subject=user,
        request=request,
        channel=channel,
        sms_agreed=pref.sms_opt_in_at is not None and pref.sms_stopped_at is None,
        method=str(method),
    )
    return pref


@transaction.atomic
def agreement_without_account(phone, *, method, actor=None, request=None) -> ContactPreference:
    """A person without an account agreed (on paper, orally) to receive SMS at this number."""
    phone = mobile(phone)
    pref = ContactPreference.objects.filter(
        user__isnull=True, phone=phone
    ).first() or ContactPreference(phone=phone)
    pref.channel = Channel.SMS
    if pref.sms_opt_in_at is None or pref.sms_stopped_at is not None:
        pref.sms_opt_in_at, pref.sms_opt_in_method, pref.sms_stopped_at = (
            timezone.now(),
            method,
            None,
        )
    pref.save()
    record(
        "messaging.preference_changed",
        actor=actor,
        request=request,
        channel="sms",
        sms_agreed=True,
        method=str(method),
        without_account=True,
    )
    return pref


def sms_to_number(phone, body) -> OutgoingSms | None:
    """An SMS to someone without an account, only while their recorded agreement stands."""
    pref = ContactPreference.objects.filter(user__isnull=True, phone=phone).first()
    if pref is None or not pref.sms_allowed or not sms_available():
        return None
    message = OutgoingSms.objects.create(recipient=None, phone=phone, body=body[:320])
    transaction.on_commit(partial(deliver, message.pk))
    return message


def sms_text(link: str, *, urgent=False) -> str:
    """What an SMS says: no structure (a cancer centre's name would tell too much), no patient,
    nothing clinical; a link that needs signing in; how to stop."""
    lead = (
        _("Binôme : une alerte urgente vous attend.")
        if urgent
        else _("Binôme : une notification vous attend.")
    )
    return _(
        "%(lead)s Connectez-vous pour la lire : %(link)s — Répondez STOP pour ne plus recevoir de SMS."
    ) % {
        "lead": lead,
        "link": link,
    }


def remind(users, *, subject, body, sms_body):
    """Send one neutral reminder to each person by the way they chose (call it inside the
    transaction that decided it: nothing leaves if that transaction rolls back)."""
    users = [u for u in {u.pk: u for u in users if u is not None}.values()]
    if not users:
        return
    prefs = {p.user_id: p for p in ContactPreference.objects.filter(user__in=users)}
    for user in users:
        pref = prefs.get(user.pk) or ContactPreference(user=user)
        if pref.email_allowed and user.email:
            transaction.on_commit(
                lambda to=user.email: send_mail(subject, body, None, [to], fail_silently=True)
            )
        if pref.sms_allowed and sms_available():
            message = OutgoingSms.objects.create(
                recipient=user, phone=pref.phone, body=sms_body[:320]
            )
            transaction.on_commit(lambda pk=message.pk: deliver(pk))


def deliver(pk, now=None) -> bool:
    """Try one SMS once. The row is claimed by a conditional update, so two workers never send
    it twice; a temporary failure plans the next try, a refusal or the last try gives up."""
    now = now or timezone.now()
    claimed = OutgoingSms.objects.filter(
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now),
        pk=pk,
        status__in=[OutgoingSms.Status.QUEUED, OutgoingSms.Status.FAILED],
    ).update(status=OutgoingSms.Status.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return False
    message = OutgoingSms.objects.select_related("recipient").get(pk=pk)
    if message.recipient_id:
        pref = ContactPreference.objects.filter(user_id=message.recipient_id).first()
    else:  # someone without an account: the agreement the coordination recorded for this number
        pref = ContactPreference.objects.filter(user__isnull=True, phone=message.phone).first()
    if pref is None or not pref.sms_allowed or pref.phone != message.phone:
        OutgoingSms.objects.filter(pk=pk).update(status=OutgoingSms.Status.CANCELLED)
        return False
    try:
        provider_id = sms.backend().send(message.phone, message.body)
    except sms.SmsError as exc:
        last = exc.permanent or message.attempts >= MAX_ATTEMPTS
        delay = RETRY_MINUTES[min(message.attempts, len(RETRY_MINUTES)) - 1]
        with transaction.atomic():
            OutgoingSms.objects.filter(pk=pk).update(
                status=OutgoingSms.Status.GAVE_UP if last else OutgoingSms.Status.FAILED,
                last_error=str(exc)[:300],
                next_try_at=None if last else now + timedelta(minutes=delay),
            )
            if last:
                record(
                    "messaging.sms_failed",
                    subject=message.recipient,
                    target=message,
                    attempts=message.attempts,
                )
        return False
    OutgoingSms.objects.filter(pk=pk).update(
        status=OutgoingSms.Status.SENT, sent_at=now, provider_id=provider_id[:100], last_error=""
    )
    return True


def retry_due(now=None) -> int:
    """The periodic job: SMS whose next try is due, and those left behind by a stopped process."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=10)
    OutgoingSms.objects.filter(
        status=OutgoingSms.Status.SENDING, created_at__lt=stale, sent_at__isnull=True
    ).update(status=OutgoingSms.Status.FAILED, next_try_at=now)
    due = OutgoingSms.objects.filter(
        Q(status=OutgoingSms.Status.FAILED, next_try_at__lte=now)
        | Q(status=OutgoingSms.Status.QUEUED, created_at__lt=now - timedelta(minutes=1))
    ).values_list("pk", flat=True)[:500]
    return sum(1 for pk in list(due) if deliver(pk, now))


def _normalise(text):
    import unicodedata

    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z ]", " ", text).split())


@transaction.atomic
def handle_reply(phone: str, text: str) -> int:
    """An answer to one of our SMS: STOP (or ARRÊT…) ends every SMS to that number."""
    if _normalise(text) not in STOP_WORDS:
        return 0
    now = timezone.now()
    stopped = 0
    for pref in ContactPreference.objects.select_for_update().filter(
        phone=sms.french(phone), sms_stopped_at__isnull=True
    ):
        pref.sms_stopped_at = now
        pref.save(update_fields=["sms_stopped_at", "updated_at"])
        waiting = OutgoingSms.objects.filter(
            status__in=[OutgoingSms.Status.QUEUED, OutgoingSms.Status.FAILED]
        )
        waiting = (
            waiting.filter(recipient=pref.user)
            if pref.user_id
            else waiting.filter(recipient__isnull=True, phone=pref.phone)
        )
        waiting.update(status=OutgoingSms.Status.CANCELLED)
        record("messaging.sms_stopped", subject=pref.user)
        stopped += 1
    return stopped
