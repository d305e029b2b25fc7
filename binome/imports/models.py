import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.people.scoping import StructureScopedManager


class ImportBatch(models.Model):
    """One file a coordinator brought in. Its rows stay here only until she decides (import
    the valid rows, or nothing); afterwards only the outcome of each line is kept — its
    number, result and messages, and the short name shown on the page — never the cells."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de votre décision")
        IMPORTED = "imported", _("Importé")
        CANCELLED = "cancelled", _("Abandonné, rien n'a été écrit")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="import_batches"
    )
    kind = models.CharField(_("contenu"), max_length=30)
    file_name = models.CharField(_("fichier"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)  # cells keyed by column, cleared once decided
    outcome = models.JSONField(default=list)  # [{line, result, messages, label}]
    ignored_columns = models.JSONField(default=list)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    n_rows = models.PositiveIntegerField(default=0)
    n_valid = models.PositiveIntegerField(default=0)
    n_already = models.PositiveIntegerField(default=0)
    n_errors = models.PositiveIntegerField(default=0)
    n_created = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("import de tableur")
        verbose_name_plural = _("imports de tableurs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["structure", "-created_at"], name="import_struct_created")]

    def __str__(self):
        return f"{self.kind} · {self.file_name}"

    @property
    def kind_def(self):
        from binome.imports.kinds import KINDS

        return KINDS.get(self.kind)
