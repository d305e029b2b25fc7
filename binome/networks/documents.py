"""The campaign report as PDF (WeasyPrint) and spreadsheet (openpyxl): aggregates only."""

from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.pdf import render_pdf
from binome.core.spreadsheets import Spreadsheet
from binome.networks import questionnaire as q
from binome.networks.reports import MIN_GROUP


def report_pdf(campaign, report, request=None) -> bytes:
    return render_pdf(
        "networks/report_pdf.html",
        {
            "campaign": campaign,
            "report": report,
            "questions": q.BY_CODE,
            "min_group": MIN_GROUP,
            "level_labels": [label for _c, label in q.LEVELS],
            "generated_on": timezone.localdate(),
        },
        request=request,
    )


def report_xlsx(campaign, report) -> bytes:
    from openpyxl.styles import Font

    book = Spreadsheet()
    ws = book.sheet(_("Synthèse"))

    def header(*cells):
        book.header(ws, cells)

    ws.append([campaign.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("Réseau"), campaign.network.name])
    ws.append([_("Période"), campaign.opens_on, campaign.closes_on])
    ws.append([_("Structures invitées"), report.invited])
    ws.append([_("Réponses"), report.responded])
    ws.append([_("Taux de réponse (%)"), report.response_rate])
    for row in ws.iter_rows(min_row=3, max_row=3, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"
    if report.withheld:
        ws.append([])
        ws.append(
            [
                _(
                    "Moins de %(n)s réponses : les résultats ne sont pas affichés, pour qu'aucune équipe ne soit identifiable."
                )
                % {"n": MIN_GROUP}
            ]
        )
    else:
        ws.append([])
        header(_("Niveau sur le continuum"), _("Équipes"), _("Part (%)"))
        for s in report.levels:
            ws.append([s.label, s.count, s.percent])
        ws.append([])
        header(_("Question"), _("Oui"), _("Oui (%)"), _("Non"), _("Non (%)"), _("Sans réponse"))
        for _code, label, yes, no, blank in report.yes_no:
            ws.append([str(label), yes.count, yes.percent, no.count, no.percent, blank.count])
        for code, shares in report.frequencies.items():
            sheet = book.sheet(
                str(q.BY_CODE[code].label)[:28].replace("?", "").replace("/", "-").replace(":", ""),
                header=[q.BY_CODE[code].label, _("Équipes"), _("Part (%)")],
            )
            for s in shares:
                sheet.append([s.label, s.count, s.percent])
        if report.departments:
            sheet = book.sheet(
                _("Par département"),
                header=[_("Département"), _("Réponses"), *[label for _c, label in q.LEVELS]],
            )
            for row in report.departments:
                sheet.append([str(row["label"]), row["count"], *(row["levels"] or [])])
        if report.keywords:
            sheet = book.sheet(_("Mots fréquents"), header=[_("Mot"), _("Réponses")])
            for word, n in report.keywords:
                sheet.append([word, n])
    return book.to_bytes()
