"""Spreadsheet exports (openpyxl): sheets with a bold header, column widths, wrapped text.

Every row goes through ``_cells``, whatever the sheet and however it is written
(``Spreadsheet.row``, ``header`` or the sheet's own ``append``): what people typed (a survey
answer, a partner's name, a mission title) is written as text. A text that begins with "="
would otherwise be stored as a formula that the spreadsheet runs when the coordinator opens
the file (CWE-1236, formula injection); control characters that XLSX cannot hold (pasted
from a word processor, or sent on purpose) made openpyxl refuse the whole export.
"""

from io import BytesIO

from django.utils.functional import Promise


def _plain(value):
    """Lazy translations become text; numbers, dates and amounts keep their type."""
    return str(value) if isinstance(value, Promise) else value


def _cells(ws, values) -> list:
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    cells = []
    for value in values:
        value = _plain(value)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("="):
                cell = (WriteOnlyCell if isinstance(ws, WriteOnlyWorksheet) else Cell)(
                    ws, value=value
                )
                cell.data_type = "s"  # openpyxl made it a formula
                value = cell
        cells.append(value)
    return cells


# What spreadsheet software reads as the start of a formula in a CSV file (OWASP, "CSV
# Injection"): such a text is written with a leading apostrophe, which it shows as text.
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(values) -> list:
    """A row for a CSV export: what people typed cannot become a formula."""
    return [
        f"'{value}" if isinstance(value, str) and value.startswith(_CSV_FORMULA_START) else value
        for value in map(_plain, values)
    ]


class _Sheet:
    """A worksheet whose ``append`` writes its values as ``_cells`` says; the rest is the
    worksheet's own."""

    def __init__(self, ws):
        self.worksheet = ws

    def append(self, values):
        self.worksheet.append(_cells(self.worksheet, values))

    def __getattr__(self, name):
        return getattr(self.worksheet, name)

    def __getitem__(self, key):
        return self.worksheet[key]


class Spreadsheet:
    """One XLSX file. ``sheet()`` adds a worksheet (the first call names the default one).

    With ``streaming=True`` openpyxl's write-only mode keeps memory flat for long exports;
    such sheets only take ``row()`` and ``header()``.
    """

    def __init__(self, *, streaming: bool = False):
        from openpyxl import Workbook

        self.streaming = streaming
        self.book = Workbook(write_only=streaming)
        self._first = not streaming

    def sheet(self, title, *, header=None, widths=None):
        title = str(title)[:31]
        if self._first:
            ws, self._first = self.book.active, False
            ws.title = title
        else:
            ws = self.book.create_sheet(title)
        ws = _Sheet(ws)
        if header is not None:
            self.header(ws, header)
        if widths:
            self.widths(ws, widths)
        return ws

    @staticmethod
    def row(ws, cells):
        """A row of values; translated labels (lazy) become text, other values keep their type."""
        ws.append(cells)

    def header(self, ws, cells):
        """A row in bold (a table's header, or a total)."""
        from openpyxl.styles import Font

        if self.streaming:
            from openpyxl.cell import Cell, WriteOnlyCell

            row = []
            for value in _cells(ws.worksheet, cells):
                cell = value if isinstance(value, Cell) else WriteOnlyCell(ws.worksheet, value)
                cell.font = Font(bold=True)
                row.append(cell)
            ws.worksheet.append(row)
            return
        ws.append(cells)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)

    @staticmethod
    def widths(ws, widths):
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width

    @staticmethod
    def wrap(ws, *, min_row=2):
        """Long texts readable in the cell: wrapped, aligned to the top."""
        from openpyxl.styles import Alignment

        for row in ws.iter_rows(min_row=min_row):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    @staticmethod
    def number_format(ws, column: int, fmt: str, *, min_row=1):
        for (cell,) in ws.iter_rows(min_row=min_row, min_col=column, max_col=column):
            cell.number_format = fmt

    def to_bytes(self) -> bytes:
        out = BytesIO()
        self.book.save(out)
        return out.getvalue()
