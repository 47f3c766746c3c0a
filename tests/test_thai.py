import datetime as dt
from decimal import Decimal

import pytest

from ita_portal import thai


def test_digits_round_trip():
    assert thai.thai_digits("2568 ปี 10.5") == "๒๕๖๘ ปี ๑๐.๕"
    assert thai.arabic_digits("๒๕๖๘") == "2568"


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (dt.date(2024, 10, 1), thai.DATE_FULL, "๑ ตุลาคม ๒๕๖๗"),
        (dt.date(2024, 10, 1), thai.DATE_ABBR, "๑ ต.ค. ๖๗"),
        (dt.date(2025, 9, 30), thai.DATE_FULL, "๓๐ กันยายน ๒๕๖๘"),
        (dt.date(2043, 1, 5), thai.DATE_ABBR, "๕ ม.ค. ๘๖"),
    ],
)
def test_format_date(value, style, expected):
    assert thai.format_date(value, style) == expected


def test_format_date_arabic():
    assert thai.format_date(dt.date(2024, 10, 1), digit_style=thai.DIGITS_ARABIC) == "1 ตุลาคม 2567"


def test_format_period_as_offices_print_it():
    assert thai.format_period(dt.date(2025, 7, 1), dt.date(2025, 7, 31)) == "๑ - ๓๑ กรกฎาคม ๒๕๖๘"
    assert thai.format_period(dt.date(2024, 10, 1), dt.date(2025, 9, 30)) == "๑ ตุลาคม ๒๕๖๗ - ๓๐ กันยายน ๒๕๖๘"
    assert thai.format_period(None, None) == ""


def test_format_decimal_rounds_half_up():
    assert thai.format_decimal(Decimal("94.425")) == "๙๔.๔๓"
    assert thai.format_decimal(Decimal("94.425"), digit_style=thai.DIGITS_ARABIC) == "94.43"
    assert thai.format_decimal(Decimal("1234.5"), digit_style=thai.DIGITS_ARABIC) == "1,234.50"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1/10/2567", dt.date(2024, 10, 1)), ("๓๐/๙/๒๕๖๘", dt.date(2025, 9, 30)), (" 01-10-2567 ", dt.date(2024, 10, 1))],
)
def test_parse_be_date(text, expected):
    assert thai.parse_be_date(text) == expected
    assert thai.parse_be_date(thai.format_be_date_input(expected)) == expected


@pytest.mark.parametrize(("text", "code"), [("1/10/2024", "not_be"), ("31/2/2567", "no_such_date"), ("เมื่อวาน", "format")])
def test_parse_be_date_refuses(text, code):
    with pytest.raises(thai.BEDateError) as exc:
        thai.parse_be_date(text)
    assert exc.value.code == code


def test_fiscal_year():
    assert thai.fiscal_year_of(dt.date(2024, 10, 1)) == 2568
    assert thai.fiscal_year_of(dt.date(2024, 9, 30)) == 2567
    assert thai.fiscal_year_bounds(2568) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
