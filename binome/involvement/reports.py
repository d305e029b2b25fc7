"""The ACI annual report as a PDF (WeasyPrint) and a spreadsheet (openpyxl).

Both are built from the same ``AciReport`` as the screen, so their figures agree.
"""

from io import BytesIO

from django.template.loader import render_to_string


def fr_number(value) -> str:
    """1234.5 -> '1 234,50' (French formatting for documents)."""
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return text.replace(" ", "\u00a0")


def weasyprint_html():
    """WeasyPrint's HTML class; its import warns when HarfBuzz-Subset is missing (harmless)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import HTML
    return HTML


def report_pdf(report) -> bytes:
    HTML = weasyprint_html()  # noqa: N806
    html = render_to_string("involvement/aci_report_pdf.html", {"report": report})
    return HTML(string=html).write_pdf()


def report_xlsx(report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Indicateur"
    bold = Font(bold=True)
    rows = [
        ("Indicateur ACI « implication des usagers »", ""),
        ("Structure", report.structure.name),
        ("Année", report.year),
        ("Accord", report.agreement_label),
    ]
    if report.applies:
        rows += [
            ("Niveau atteint", report.level_label),
            ("Patientèle", report.patient_count or 0),
            ("Points fixes (niveau 1)", float(report.fixed_points)),
            ("Points variables (niveau 2)", float(report.variable_points)),
            ("Total des points", float(report.total_points)),
            ("Valeur du point (€)", float(report.parameters.point_value_eur)),
            ("Montant (€)", float(report.amount_eur)),
            ("Règles applicables depuis", report.parameters.valid_from.strftime("%d/%m/%Y")),
            ("Source des règles", report.parameters.source),
        ]
    else:
        rows.append(("Sans points", report.why_no_points))
    for action, missing in report.result.to_complete:
        rows.append(("À compléter", f"{action.title} — {' ; '.join(missing)}"))
    for row in rows:
        ws.append(row)
    for cell in ws["A"][1:]:
        cell.font = bold
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40

    actions = wb.create_sheet("Actions")
    header = ["Action", "Type", "Niveau du continuum", "Niveau ACI", "Début", "Fin", "Usagers", "Professions", "Pièces justificatives",
              "Pièces à compléter"]
    actions.append(header)
    for cell in actions[1]:
        cell.font = bold
    for a in report.actions:
        actions.append([
            a.title,
            a.get_kind_display(),
            a.get_level_display(),
            a.aci_level,
            a.start_date.strftime("%d/%m/%Y"),
            a.end_date.strftime("%d/%m/%Y") if a.end_date else "",
            a.users_count,
            ", ".join(a.profession_labels()),
            ", ".join(e.original_name for e in a.evidence.all()),
            " ; ".join(label for label, present in getattr(a, "evidence_checklist", []) if not present),
        ])
    for col, width in zip("ABCDEFGHIJ", [40, 30, 18, 10, 12, 12, 10, 30, 40, 40], strict=True):
        actions.column_dimensions[col].width = width
    for row in actions.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
