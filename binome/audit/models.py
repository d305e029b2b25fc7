"""Append-only audit log: enforced here and by database triggers (see migration 0002)."""

import uuid
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


BACKDATING_TOLERANCE = timezone.timedelta(minutes=5)


@lru_cache(maxsize=512)
def _target_label(target_type: str, language: str | None) -> str:
    """A model's name in French ("Saisie de temps"), once per process and language."""
    from django.apps import apps

    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name).capitalize()


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only; use purge_expired().")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def expired(self, now=None):
        now = now or timezone.now()
        return self.filter(
            created_at__lt=now - timezone.timedelta(days=settings.AUDIT_RETENTION_DAYS)
        )

    def purge_expired(self, now=None) -> int:
        """The retention purge: the only deletion the triggers let through."""
        count, _ = models.QuerySet.delete(self.expired(now))
        return count

    def for_target(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=str(target_key(obj)))


def target_key(obj):
    return getattr(obj, "public_id", None) or obj.pk


class AuditEvent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    kind = models.CharField(_("événement"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("auteur"),
    )
    structure = models.ForeignKey(
        "people.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    # Target as a type label and public identifier: never a name (no personal data here).
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # The person whose data was read or exported, when there is one.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events_about",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Coordinator's audit page: events of a structure, newest first (id breaks ties,
            # as in the page's ordering), by kind; sign-ins of its members (no structure).
            models.Index(
                fields=["structure", "-created_at", "-id"], name="audit_structure_date_id"
            ),
            models.Index(fields=["structure", "kind", "-created_at"], name="audit_structure_kind"),
            models.Index(
                fields=["actor", "-created_at"],
                condition=models.Q(structure__isnull=True),
                name="audit_signin_actor_date",
            ),
            # "Who read my data" in exports: events about a target.
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        # No back-dated rows: they would fall under the retention purge at once.
        if self.created_at < timezone.now() - BACKDATING_TOLERANCE:
            raise AppendOnlyError("An audit event cannot be back-dated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    @property
    def target_label(self):
        return self.target_label_of(self.target_type)

    @staticmethod
    def target_label_of(target_type: str) -> str:
        """The target's kind in French ("Saisie de temps"), never its content."""
        if not target_type:
            return ""
        return _target_label(target_type, get_language())

    @property
    def kind_label(self):
        from binome.audit.kinds import label_of

        return label_of(self.kind)
