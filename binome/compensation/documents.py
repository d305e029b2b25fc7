"""Statement, yearly summary and participation certificate as PDF (WeasyPrint) and XLSX (openpyxl)."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _


def _weasyprint_html():
    import warnings

    with warnings.catch_warnings():
        # Debian's Pango build lacks HarfBuzz-Subset: WeasyPrint warns at import, output is fine.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML
    return HTML


def pdf(template, context) -> bytes:
    HTML = _weasyprint_html()  # noqa: N806

    html = render_to_string(template, {**context, "generated_on": timezone.localdate()})
    return HTML(string=html).write_pdf()


def _hours(minutes):
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}"


def statement_xlsx(statement, times, expenses, totals) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Relevé")
    bold = Font(bold=True)
    partner = statement.partner
    ws.append([_("Relevé"), statement.number])
    ws.append([_("Structure"), statement.structure.name])
    ws.append([_("Patient partenaire"), f"{partner.first_name} {partner.last_name}".strip()])
    ws.append([_("Période"), statement.period_start, statement.period_end])
    ws.append([])
    ws.append([_("Date"), _("Mission"), _("Financement"), _("Nature"), _("Détail"), _("Durée (min)"), _("Montant (€)")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    from binome.compensation.services import _funding_label

    for t in times:
        ws.append([t.date, t.mission.title, _funding_label(t.mission), t.get_activity_display(), t.note, t.duration_minutes,
                   t.amount if t.amount is not None else None])
    for e in expenses:
        detail = f"{e.kilometres} km × {e.km_rate} €" if e.kilometres else e.description
        ws.append([e.date, e.mission.title, _funding_label(e.mission), e.get_kind_display(), detail, None, e.amount])
    for row in ws.iter_rows(min_row=7, min_col=1, max_col=1):
        row[0].number_format = "DD/MM/YYYY"
    for row in ws.iter_rows(min_row=7, min_col=7, max_col=7):
        row[0].number_format = "#,##0.00"
    ws.append([])
    ws.append([_("Temps total"), _hours(totals["minutes"])])
    ws.append([_("Rémunération ou forfaits (€)"), totals["time"]])
    ws.append([_("Frais remboursés (€)"), totals["expenses"]])
    ws.append([_("Total (€)"), totals["total"]])
    ws[ws.max_row][0].font = bold

    by_mission = wb.create_sheet(_("Par mission"))
    by_mission.append([_("Mission"), _("Financement"), _("Durée (min)"), _("Rémunération (€)"), _("Frais (€)"), _("Total (€)")])
    for r in totals["by_mission"]:
        by_mission.append([r["mission"].title, r["funding"], r["minutes"], r["time"], r["expenses"], r["total"]])
    by_funding = wb.create_sheet(_("Par financement"))
    by_funding.append([_("Financement"), _("Rémunération (€)"), _("Frais (€)"), _("Total (€)")])
    for r in totals["by_funding"]:
        by_funding.append([r["funding"], r["time"], r["expenses"], r["total"]])
    for sheet in wb.worksheets:
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 32
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
