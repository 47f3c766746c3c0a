"""Every CSV and XLSX download of the portal is written here.

- Formula injection (OWASP "CSV Injection"): a text cell beginning with =, +, -, @, a tab or a carriage
  return is written with a leading apostrophe, so that no spreadsheet program evaluates it.
- CSV: UTF-8 with a byte-order mark (Excel reads Thai text as UTF-8 only then).
- XLSX: numbers as numbers, dates as dates (with a date format), text as text.
- File names: an ASCII fallback and the Thai name as RFC 5987 `filename*`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_NUMBERS = (int, float, Decimal)


def neutralise(value):
    """A cell's value, safe from formula injection: text beginning with a formula character gets a
    leading apostrophe; numbers, dates and booleans are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def csv_bytes(headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(_text(value)) for value in headers])
    for row in rows:
        writer.writerow([_text(value) if _is_number(value) else neutralise(_text(value)) for value in row])
    return buffer.getvalue().encode("utf-8")


def _is_number(value) -> bool:
    return isinstance(value, _NUMBERS) and not isinstance(value, bool)


def _xlsx_value(value):
    if value is None or isinstance(value, bool) or _is_number(value):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return value
    return neutralise(str(value))


def xlsx_bytes(headers: Sequence, rows: Iterable[Sequence], title: str = "Sheet") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([neutralise(_text(value)) for value in headers])
    for row in rows:
        cells = []
        for value in row:
            value = _xlsx_value(value)
            cell = _cell(sheet, value)
            if isinstance(value, str):
                cell.data_type = TYPE_STRING  # text, never a formula, whatever it begins with
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return cleaned[:31] or "Sheet"


def export_response(export_format: str, headers: Sequence, rows: Iterable[Sequence], filename: str,
                    title: str | None = None) -> HttpResponse:
    """A CSV or XLSX download of these rows; `filename` without its extension (Thai is fine)."""
    if export_format == "csv":
        content = csv_bytes(headers, rows)
    elif export_format == "xlsx":
        content = xlsx_bytes(headers, rows, title or filename)
    else:
        raise ValueError(f"unknown export format {export_format!r}")
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = attachment(f"{filename}.{export_format}")
    return response


def attachment(filename: str, inline: bool = False) -> str:
    """Content-Disposition with an ASCII `filename` for old clients and the exact name (Thai is fine) as
    RFC 5987 `filename*`, which browsers prefer."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", unicodedata.normalize("NFKD", stem)).strip("._") or "download"
    fallback = ascii_stem + (f".{re.sub(r'[^A-Za-z0-9]+', '', extension)}" if extension else "")
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def table_export(table, export_format: str, filename: str) -> HttpResponse:
    """A django-tables2 table's rows as the table would show them, with the values' own types (its
    `value_<column>` methods may return numbers and dates)."""
    values = table.as_values()
    headers = next(values)
    return export_response(export_format, headers, values, filename, title=filename)
