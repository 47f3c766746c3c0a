"""Thai dates, digits and numbers: the one formatter used by pages, PDFs and exports alike.

Pure functions, no Django. Dates are Gregorian `datetime.date` inside the portal; people read and type
them in the Buddhist Era (B.E. = A.D. + 543). Fiscal years are B.E. and start on 1 October of the
previous year: fiscal year 2568 = 2024-10-01 .. 2025-09-30.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

BE_OFFSET = 543

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip

DIGITS_THAI = "thai"
DIGITS_ARABIC = "arabic"
DATE_FULL = "full"
DATE_ABBR = "abbr"


def thai_digits(value) -> str:
    """Arabic digits in any text become Thai digits (๐–๙)."""
    return str(value).translate(_TO_THAI)


def arabic_digits(value) -> str:
    """Thai digits in any text become Arabic digits (0–9)."""
    return str(value).translate(_TO_ARABIC)


def digits(value, style: str = DIGITS_THAI) -> str:
    text = "" if value is None else str(value)
    return thai_digits(text) if style == DIGITS_THAI else arabic_digits(text)


def be_year(year_ad: int) -> int:
    return year_ad + BE_OFFSET


def ad_year(year_be: int) -> int:
    return year_be - BE_OFFSET


def format_date(value: dt.date | None, style: str = DATE_FULL, digit_style: str = DIGITS_THAI) -> str:
    """1 October 2024 → "๑ ตุลาคม ๒๕๖๗" (full) or "๑ ต.ค. ๖๗" (abbr)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    year = be_year(value.year)
    if style == DATE_ABBR:
        text = f"{value.day} {MONTHS_ABBR[value.month - 1]} {year % 100:02d}"
    else:
        text = f"{value.day} {MONTHS_FULL[value.month - 1]} {year}"
    return digits(text, digit_style)


def format_period(
    start: dt.date | None, end: dt.date | None, style: str = DATE_FULL, digit_style: str = DIGITS_THAI
) -> str:
    """A period as Thai offices print it: "๑ - ๓๑ กรกฎาคม ๒๕๖๘", "๑ ตุลาคม ๒๕๖๗ - ๓๐ กันยายน ๒๕๖๘"."""
    if start is None and end is None:
        return ""
    if start is None or end is None:
        return format_date(start or end, style, digit_style)
    if start == end:
        return format_date(start, style, digit_style)
    if (start.year, start.month) == (end.year, end.month):
        return digits(f"{start.day} - ", digit_style) + format_date(end, style, digit_style)
    return f"{format_date(start, style, digit_style)} - {format_date(end, style, digit_style)}"


def format_datetime(value: dt.datetime | None, digit_style: str = DIGITS_THAI) -> str:
    """"๑ ตุลาคม ๒๕๖๗ เวลา ๑๓.๐๕ น." — the caller passes a local (Asia/Bangkok) datetime."""
    if value is None:
        return ""
    return format_date(value.date(), DATE_FULL, digit_style) + digits(
        f" เวลา {value.hour:02d}.{value.minute:02d} น.", digit_style
    )


def format_decimal(value, places: int = 2, digit_style: str = DIGITS_THAI, grouping: bool = True) -> str:
    """Decimal → text rounded half up (as the NACC rounds), e.g. 94.425 → "๙๔.๔๓"."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    quantum = Decimal(1).scaleb(-places) if places else Decimal(1)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"
    return digits(text, digit_style)


def format_integer(value, digit_style: str = DIGITS_THAI, grouping: bool = True) -> str:
    if value is None or value == "":
        return ""
    return digits(f"{int(value):,}" if grouping else str(int(value)), digit_style)


class BEDateError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_DATE_INPUT = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")


def parse_be_date(text: str) -> dt.date:
    """"1/10/2567" (day/month/B.E. year, Thai or Arabic digits) → date(2024, 10, 1).

    Raises BEDateError whose `code` says why ("format", "not_be", "no_such_date"); forms turn the code
    into a translated message.
    """
    match = _DATE_INPUT.match(arabic_digits(text or ""))
    if not match:
        raise BEDateError("format")
    day, month, year_be = (int(part) for part in match.groups())
    if year_be < 2400:
        # 2024 typed where 2567 was meant: refuse rather than store a date 543 years off.
        raise BEDateError("not_be")
    try:
        return dt.date(ad_year(year_be), month, day)
    except ValueError as exc:
        raise BEDateError("no_such_date") from exc


def format_be_date_input(value: dt.date | None) -> str:
    """The inverse of parse_be_date, for form inputs: date(2024, 10, 1) → "1/10/2567"."""
    if value is None:
        return ""
    return f"{value.day}/{value.month}/{be_year(value.year)}"


def fiscal_year_of(value: dt.date) -> int:
    """The B.E. fiscal year a date falls in: 2024-10-01 → 2568."""
    return be_year(value.year + 1 if value.month >= 10 else value.year)


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[dt.date, dt.date]:
    """2568 → (2024-10-01, 2025-09-30)."""
    year_ad = ad_year(fiscal_year_be)
    return dt.date(year_ad - 1, 10, 1), dt.date(year_ad, 9, 30)
