from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("compensation.time_logged", _("Temps saisi"), "change"),
    Kind("compensation.expense_logged", _("Frais saisis"), "change"),
    Kind("compensation.entry_updated", _("Saisie de temps ou de frais corrigée"), "change"),
    Kind("compensation.entry_withdrawn", _("Saisie de temps ou de frais retirée"), "change"),
    Kind("compensation.entry_approved", _("Saisie validée"), "change"),
    Kind("compensation.entry_returned", _("Saisie renvoyée pour correction"), "change"),
    Kind("compensation.receipt_read", _("Consultation d'un justificatif de frais"), "read"),
    Kind("compensation.statement_issued", _("Relevé établi"), "change"),
    Kind("compensation.statement_exported", _("Export d'un relevé (PDF ou tableur)"), "export"),
    Kind("compensation.yearly_exported", _("Export d'un bilan annuel"), "export"),
    Kind(
        "compensation.certificate_exported",
        _("Export d'une attestation de participation"),
        "export",
    ),
    Kind("compensation.funding_saved", _("Source de financement enregistrée"), "change"),
    Kind("compensation.budget_saved", _("Budget de mission enregistré"), "change"),
    Kind("compensation.rates_saved", _("Barème des frais enregistré"), "change"),
]
