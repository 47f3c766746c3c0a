"""Reporting rounds of a B.E. fiscal year (pure).

H1 = รอบ ๖ เดือน (1 Oct – 31 Mar), FY = รอบ ๑๒ เดือน (the whole year), Q1–Q4 the quarters.
Default due dates: a month after the round ends (H1 by 30 April, Q1 by 31 January, …, FY and Q4 by
31 October after the year), which is when units report to the NACC's e-plan system; each unit can set
its own per year (RoundDue).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from ita_portal import thai

# First and last month of each round, counted from October (0) of the fiscal year.
MONTHS = {"Q1": (0, 2), "Q2": (3, 5), "H1": (0, 5), "Q3": (6, 8), "Q4": (9, 11), "FY": (0, 11)}
LABELS = {
    "H1": "รอบ 6 เดือน",
    "FY": "รอบ 12 เดือน",
    "Q1": "ไตรมาสที่ 1",
    "Q2": "ไตรมาสที่ 2",
    "Q3": "ไตรมาสที่ 3",
    "Q4": "ไตรมาสที่ 4",
}
# Later rounds end later in the year; the latest entry gives a measure's current status.
ORDER = {"Q1": 1, "Q2": 2, "H1": 3, "Q3": 4, "Q4": 5, "FY": 6}


def _month(fiscal_year: int, offset: int) -> tuple[int, int]:
    """(A.D. year, month) of the offset-th month of a fiscal year (0 = October of the year before)."""
    year_ad = thai.ad_year(fiscal_year) - 1
    month = 10 + offset
    return (year_ad + (month - 1) // 12, (month - 1) % 12 + 1)


def period(fiscal_year: int, round_code: str) -> tuple[dt.date, dt.date]:
    first, last = MONTHS[round_code]
    start_year, start_month = _month(fiscal_year, first)
    end_year, end_month = _month(fiscal_year, last)
    return dt.date(start_year, start_month, 1), dt.date(end_year, end_month, monthrange(end_year, end_month)[1])


def default_due_date(fiscal_year: int, round_code: str) -> dt.date:
    end = period(fiscal_year, round_code)[1]
    following = end + dt.timedelta(days=1)
    return dt.date(following.year, following.month, monthrange(following.year, following.month)[1])


def label(round_code: str, digit_style: str = thai.DIGITS_THAI) -> str:
    return thai.digits(LABELS[round_code], digit_style)


def period_text(fiscal_year: int, round_code: str, digit_style: str = thai.DIGITS_THAI) -> str:
    """"(เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)" as seed 003 prints the 6-month round of 2566."""
    start, end = period(fiscal_year, round_code)
    text = (
        f"(เดือน{thai.MONTHS_FULL[start.month - 1]} {thai.be_year(start.year)} - "
        f"{thai.MONTHS_FULL[end.month - 1]} {thai.be_year(end.year)})"
    )
    return thai.digits(text, digit_style)
