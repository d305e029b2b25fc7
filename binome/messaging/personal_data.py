"""A person's way of being reminded (their mobile number, their agreement to SMS) and the SMS
sent to them; the SMS log goes after 90 days (retention kind "sms_log")."""

from binome.messaging.models import ContactPreference, OutgoingSms
from binome.privacy.registry import register
from binome.privacy.retention import retention_hook


def _own(model, field):
    def subject(person):
        if person.user is None:
            return model.objects.none()
        return model.objects.filter(**{field: person.user})

    return subject


# A preference without an account (a committee member reached by SMS) goes with that
# member's erasure (binome.voice.personal_data) and with the SMS log's retention.
register(
    ContactPreference,
    fields=["channel", "phone", "sms_opt_in_at", "sms_opt_in_method", "sms_stopped_at"],
    subject=_own(ContactPreference, "user"),
    erase="delete",
    structure_path=None,
    order=300,
)
register(
    OutgoingSms,
    fields=["phone", "body", "status", "created_at", "sent_at"],
    subject=_own(OutgoingSms, "recipient"),
    erase="delete",
    structure_path=None,
    order=300,
)


@retention_hook("sms_log")
def forget_sms(cutoff, now) -> int:
    deleted, _per_model = OutgoingSms._base_manager.filter(created_at__lt=cutoff).delete()
    return deleted
