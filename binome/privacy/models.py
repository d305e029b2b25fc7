"""The structure's data-protection documents: processing register entry and DPIA (AIPD)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.people.scoping import StructureScopedManager


class ProcessingDocument(models.Model):
    """An editable document, pre-filled from the structure's configuration, exported as PDF.

    ``sections`` is a list of ``{"key": ..., "title": ..., "body": ...}``: the keys and titles
    come from the template (binome/privacy/documents.py); the bodies are the team's text.
    """

    class Kind(models.TextChoices):
        REGISTER = "register", _("Fiche du registre des traitements (article 30 du RGPD)")
        DPIA = "dpia", _("Analyse d'impact relative à la protection des données (AIPD)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "people.Structure", on_delete=models.CASCADE, related_name="processing_documents"
    )
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    sections = models.JSONField(_("contenu"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = StructureScopedManager()

    class Meta:
        verbose_name = _("document de protection des données")
        verbose_name_plural = _("documents de protection des données")
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "kind"], name="processing_document_unique_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.structure}"
