"""Statement, yearly summary and participation certificate as PDF (WeasyPrint) and XLSX (openpyxl)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.pdf import render_pdf
from binome.core.spreadsheets import Spreadsheet


def pdf(template, context) -> bytes:
    return render_pdf(template, {**context, "generated_on": timezone.localdate()})


def _hours(minutes):
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}"


def statement_xlsx(statement, times, expenses, totals) -> bytes:
    book = Spreadsheet()
    ws = book.sheet(_("Relevé"))
    partner = statement.partner
    ws.append([_("Relevé"), statement.number])
    ws.append([_("Structure"), statement.structure.name])
    ws.append([_("Patient partenaire"), f"{partner.first_name} {partner.last_name}".strip()])
    ws.append([_("Période"), statement.period_start, statement.period_end])
    ws.append([])
    book.header(
        ws,
        [
            _("Date"),
            _("Mission"),
            _("Financement"),
            _("Nature"),
            _("Détail"),
            _("Durée (min)"),
            _("Montant (€)"),
        ],
    )
    from binome.compensation.services import _funding_label

    for t in times:
        ws.append(
            [
                t.date,
                t.mission.title,
                _funding_label(t.mission),
                t.get_activity_display(),
                t.note,
                t.duration_minutes,
                t.amount if t.amount is not None else None,
            ]
        )
    for e in expenses:
        detail = f"{e.kilometres} km × {e.km_rate} €" if e.kilometres else e.description
        ws.append(
            [
                e.date,
                e.mission.title,
                _funding_label(e.mission),
                e.get_kind_display(),
                detail,
                None,
                e.amount,
            ]
        )
    book.number_format(ws, 1, "DD/MM/YYYY", min_row=7)
    book.number_format(ws, 7, "#,##0.00", min_row=7)
    ws.append([])
    ws.append([_("Temps total"), _hours(totals["minutes"])])
    ws.append([_("Rémunération ou forfaits (€)"), totals["time"]])
    ws.append([_("Frais remboursés (€)"), totals["expenses"]])
    book.header(ws, [_("Total (€)"), totals["total"]])

    by_mission = book.sheet(
        _("Par mission"),
        header=[
            _("Mission"),
            _("Financement"),
            _("Durée (min)"),
            _("Rémunération (€)"),
            _("Frais (€)"),
            _("Total (€)"),
        ],
    )
    for r in totals["by_mission"]:
        by_mission.append(
            [r["mission"].title, r["funding"], r["minutes"], r["time"], r["expenses"], r["total"]]
        )
    by_funding = book.sheet(
        _("Par financement"),
        header=[_("Financement"), _("Rémunération (€)"), _("Frais (€)"), _("Total (€)")],
    )
    for r in totals["by_funding"]:
        by_funding.append([r["funding"], r["time"], r["expenses"], r["total"]])
    for sheet in book.book.worksheets:
        book.widths(sheet, [28, 32])
    return book.to_bytes()
