"""The ACI annual report as a PDF (WeasyPrint) and a spreadsheet (openpyxl).

Both are built from the same ``AciReport`` as the screen, so their figures agree.
"""

from django.utils.translation import gettext as _

from binome.core.pdf import render_pdf
from binome.core.spreadsheets import Spreadsheet


def fr_number(value) -> str:
    """1234.5 -> '1 234,50' (French formatting for documents)."""
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return text.replace(" ", "\u00a0")


def report_pdf(report) -> bytes:
    return render_pdf("involvement/aci_report_pdf.html", {"report": report})


def report_xlsx(report) -> bytes:
    from openpyxl.styles import Font

    book = Spreadsheet()
    ws = book.sheet("Indicateur", widths=[34, 40])
    rows = [
        (_("Indicateur ACI « implication des usagers »"), ""),
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
            (_("Total des points"), float(report.total_points)),
            ("Valeur du point (€)", float(report.parameters.point_value_eur)),
            ("Montant (€)", float(report.amount_eur)),
            (_("Règles applicables depuis"), report.parameters.valid_from.strftime("%d/%m/%Y")),
            (_("Source des règles"), report.parameters.source),
        ]
    else:
        rows.append(("Sans points", report.why_no_points))
    for action, missing in report.result.to_complete:
        rows.append((_("À compléter"), f"{action.title} — {' ; '.join(missing)}"))
    for row in rows:
        ws.append(row)
    for cell in ws["A"][1:]:
        cell.font = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=14)

    actions = book.sheet(
        "Actions",
        widths=[40, 30, 18, 10, 12, 12, 10, 30, 40, 40],
        header=[
            "Action",
            "Type",
            "Niveau du continuum",
            "Niveau ACI",
            "Début",
            "Fin",
            "Usagers",
            "Professions",
            _("Pièces justificatives"),
            _("Pièces à compléter"),
        ],
    )
    for a in report.actions:
        actions.append(
            [
                a.title,
                a.get_kind_display(),
                a.get_level_display(),
                a.aci_level,
                a.start_date.strftime("%d/%m/%Y"),
                a.end_date.strftime("%d/%m/%Y") if a.end_date else "",
                a.users_count,
                ", ".join(a.profession_labels()),
                ", ".join(e.original_name for e in a.evidence.all()),
                " ; ".join(
                    label for label, present in getattr(a, "evidence_checklist", []) if not present
                ),
            ]
        )
    book.wrap(actions)
    return book.to_bytes()
