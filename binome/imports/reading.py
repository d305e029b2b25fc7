"""Reading a team's spreadsheet (XLSX or CSV as French Excel writes it) into rows of text:
openpyxl reads XLSX, Python's csv module reads CSV (dialect sniffed, UTF-8 or Windows-1252).
Each kind then validates its rows with the domain's rules."""

import csv
import datetime as dt
import io
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000


def normalise_header(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = re.sub(r"\(.*?\)|\*", " ", text.lower())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (
            value.date().isoformat()
            if value.time() == dt.time(0)
            else value.isoformat(timespec="minutes")
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("Le fichier n'est pas un texte lisible : enregistrez-le en CSV (UTF-8) ou en XLSX.")
    )


def _xlsx_rows(content: bytes):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


class _FrenchExcel(csv.excel):
    delimiter = ";"


def _csv_rows(content: bytes):
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:  # one column, or too few separators to tell: French Excel's ";"
        dialect = _FrenchExcel
    return list(csv.reader(io.StringIO(text), dialect))


def read_table(name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of the first sheet; every cell as text, dates in ISO form. Rows
    shorter or longer than the headers (as spreadsheets save them) are padded or cut."""
    if len(content) > MAX_BYTES:
        raise ValidationError(_("Le fichier dépasse 5 Mo : coupez-le en plusieurs fichiers."))
    lower = name.lower()
    if not lower.endswith((".xlsx", ".csv", ".txt")):
        raise ValidationError(_("Déposez un fichier .xlsx (Excel, LibreOffice) ou .csv."))
    try:
        table = _xlsx_rows(content) if lower.endswith(".xlsx") else _csv_rows(content)
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds for a damaged file
        raise ValidationError(
            _(
                "Ce fichier ne se lit pas comme un tableur : ouvrez-le et enregistrez-le à nouveau en .xlsx ou .csv."
            )
        ) from exc
    table = [[_cell(v) for v in row] for row in table]
    table = [row for row in table if any(row)]
    if not table or not any(table[0]):
        raise ValidationError(_("La première ligne du fichier doit porter les noms des colonnes."))
    headers, rows = table[0], table[1:]
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("Le fichier a plus de %(n)s lignes : coupez-le en plusieurs fichiers.")
            % {"n": f"{MAX_ROWS:,}".replace(",", " ")}
        )
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in rows]


# Cell values --------------------------------------------------------------------------------

YES = {"oui", "o", "x", "yes", "vrai", "1"}
NO = {"non", "n", "no", "faux", "0", ""}


def parse_date(text: str, label: str) -> dt.date | None:
    from binome.core.validators import validate_plausible_date

    text = (text or "").strip()
    if not text:
        return None
    value = None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M"):
        try:
            value = dt.datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    if value is None and re.fullmatch(r"\d{5}", text):  # an Excel day number kept as text
        value = dt.date(1899, 12, 30) + dt.timedelta(days=int(text))
    if value is None:
        raise ValidationError(
            _("%(col)s : « %(v)s » n'est pas une date (écrivez-la JJ/MM/AAAA).")
            % {"col": label, "v": text[:30]}
        )
    try:
        validate_plausible_date(value)
    except ValidationError as exc:
        raise ValidationError(
            _("%(col)s : date impossible (%(v)s).") % {"col": label, "v": text[:30]}
        ) from exc
    return value


def parse_int(text: str, label: str, *, low=0, high=10_000) -> int | None:
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
        raise ValidationError(
            _("%(col)s : indiquez un nombre entier entre %(a)s et %(b)s.")
            % {"col": label, "a": low, "b": high}
        )
    return int(text)


def parse_bool(text: str, label: str) -> bool:
    value = normalise_header(text)
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(_("%(col)s : écrivez « oui » ou « non ».") % {"col": label})


def parse_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", text or "") if part.strip()]


def parse_choice(text: str, choices, label: str, default=None):
    """A choice by its key or its French label, accents and case aside."""
    wanted = normalise_header(text)
    if not wanted:
        return default
    for value, display in choices:
        if wanted in (normalise_header(value), normalise_header(display)):
            return value
    for value, display in choices:  # a label's beginning ("Actif" for "Actif·ve")
        if normalise_header(display).startswith(wanted) and len(wanted) >= 4:
            return value
    raise ValidationError(
        _("%(col)s : « %(v)s » n'est pas une valeur prévue (%(list)s).")
        % {"col": label, "v": text[:40], "list": ", ".join(str(d) for _v, d in choices)}
    )
