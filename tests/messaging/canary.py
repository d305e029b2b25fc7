"""Plant a person's reminder preference and an SMS sent to them, for the privacy canary test."""


def plant(user, structure, canary):
    from django.utils import timezone

    from binome.messaging.models import ContactPreference, OutgoingSms

    ContactPreference.objects.update_or_create(
        user=user,
        defaults={"channel": "sms", "phone": "0699887766", "sms_opt_in_at": timezone.now()},
    )
    OutgoingSms.objects.create(recipient=user, phone="0699887766", body=canary("sms"))
