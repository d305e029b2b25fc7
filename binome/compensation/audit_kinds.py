from binome.audit.kinds import Kind

KINDS = [
    Kind("compensation.time_logged", "Temps saisi", "change"),
    Kind("compensation.expense_logged", "Frais saisis", "change"),
    Kind("compensation.entry_updated", "Saisie de temps ou de frais corrigée", "change"),
    Kind("compensation.entry_withdrawn", "Saisie de temps ou de frais retirée", "change"),
    Kind("compensation.entry_approved", "Saisie validée", "change"),
    Kind("compensation.entry_returned", "Saisie renvoyée pour correction", "change"),
    Kind("compensation.receipt_read", "Consultation d'un justificatif de frais", "read"),
    Kind("compensation.statement_issued", "Relevé établi", "change"),
    Kind("compensation.statement_exported", "Export d'un relevé (PDF ou tableur)", "export"),
    Kind("compensation.yearly_exported", "Export d'un bilan annuel", "export"),
    Kind("compensation.certificate_exported", "Export d'une attestation de participation", "export"),
    Kind("compensation.funding_saved", "Source de financement enregistrée", "change"),
    Kind("compensation.budget_saved", "Budget de mission enregistré", "change"),
    Kind("compensation.rates_saved", "Barème des frais enregistré", "change"),
]
