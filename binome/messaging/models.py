import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Par e-mail")
    SMS = "sms", _("Par SMS")
    BOTH = "both", _("Par e-mail et par SMS")


class ContactPreference(models.Model):
    """How a person wants to be reminded. SMS only with their recorded agreement, and never
    again after they answered STOP (until they agree again on their page)."""

    class OptIn(models.TextChoices):
        ONLINE = "online", _("En ligne, par la personne")
        PAPER = "paper", _("Sur papier, saisi par la coordination")
        ORAL = "oral", _("À l'oral, saisi par la coordination")

    # Empty for a person without an account (a committee member reached by SMS), whose
    # agreement the coordination recorded on paper or orally.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_preference",
        null=True,
        blank=True,
    )
    channel = models.CharField(
        _("comment vous prévenir"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    phone = models.CharField(_("téléphone portable"), max_length=30, blank=True)
    sms_opt_in_at = models.DateTimeField(_("accord pour les SMS donné le"), null=True, blank=True)
    sms_opt_in_method = models.CharField(max_length=10, choices=OptIn.choices, blank=True)
    sms_stopped_at = models.DateTimeField(_("STOP reçu le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("moyen de rappel")
        verbose_name_plural = _("moyens de rappel")
        indexes = [models.Index(fields=["phone"], name="contact_pref_phone")]

    def __str__(self):
        return f"{self.user or self.phone} · {self.get_channel_display()}"

    @property
    def sms_allowed(self) -> bool:
        return (
            self.channel in (Channel.SMS, Channel.BOTH)
            and bool(self.phone)
            and self.sms_opt_in_at is not None
            and self.sms_stopped_at is None
        )

    @property
    def email_allowed(self) -> bool:
        # E-mail stays the way when SMS is not possible (no agreement, STOP): nothing is lost.
        return self.channel in (Channel.EMAIL, Channel.BOTH) or not self.sms_allowed


class OutgoingSms(models.Model):
    """One SMS, kept with its delivery attempts: sent once, retried on a provider's failure."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("À envoyer")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec, nouvel essai prévu")
        GAVE_UP = "gave_up", _("Non remis")
        CANCELLED = "cancelled", _("Annulé (STOP)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    phone = models.CharField(max_length=30)
    body = models.CharField(max_length=320)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SMS envoyé")
        verbose_name_plural = _("SMS envoyés")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["status", "next_try_at"],
                name="sms_status_next_try",
                condition=Q(status__in=["queued", "failed"]),
            ),
        ]

    def __str__(self):
        return f"SMS {self.public_id} · {self.get_status_display()}"
