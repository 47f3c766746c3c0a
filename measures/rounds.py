"""Reporting rounds of a B.E. fiscal year: the one home of their codes, labels, months, order, periods and
default due dates (pure: no database query).

H1 = รอบ ๖ เดือน (1 Oct – 31 Mar), FY = รอบ ๑๒ เดือน (the whole year), Q1–Q4 the quarters.
Default due dates: a month after the round ends (H1 by 30 April, Q1 by 31 January, …, FY and Q4 by
31 October after the year), which is when units report to the NACC's e-plan system; each unit can set
its own per year (measures.models.RoundDue), which `due_dates` lays over the defaults.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from ita_portal import thai


@dataclass(frozen=True)
class RoundRule:
    label: str  # on pages, translated
    document_label: str  # in documents, as the seeds print it whatever the reader's language
    months: tuple[int, int]  # first and last month, counted from October (0) of the fiscal year
    order: int  # later rounds end later; the latest round's entry gives a measure's current status


ROUNDS = {
    "H1": RoundRule(_("6-month round"), "รอบ 6 เดือน", (0, 5), 3),
    "FY": RoundRule(_("12-month round"), "รอบ 12 เดือน", (0, 11), 6),
    "Q1": RoundRule(_("Quarter 1"), "ไตรมาสที่ 1", (0, 2), 1),
    "Q2": RoundRule(_("Quarter 2"), "ไตรมาสที่ 2", (3, 5), 2),
    "Q3": RoundRule(_("Quarter 3"), "ไตรมาสที่ 3", (6, 8), 4),
    "Q4": RoundRule(_("Quarter 4"), "ไตรมาสที่ 4", (9, 11), 5),
}
# The codes stored in the database (Round.H1 …) with their page labels, as model choices.
Round = models.TextChoices("Round", [(code, (code, rule.label)) for code, rule in ROUNDS.items()])
Round.__module__ = __name__

# The two rounds a plan is followed up in (the seed reports: รอบ ๖ เดือน and รอบ ๑๒ เดือน).
REPORTING = (Round.H1, Round.FY)
MONTHS = {code: rule.months for code, rule in ROUNDS.items()}
LABELS = {code: rule.document_label for code, rule in ROUNDS.items()}
ORDER = {code: rule.order for code, rule in ROUNDS.items()}


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


def due_dates(
    fiscal_year: int, own: Iterable[tuple[str, dt.date]] = (), codes: Iterable[str] = REPORTING
) -> dict[str, dt.date]:
    """Each round's due date: a unit's own dates (pairs of round code and date) over the defaults."""
    dues = {code: default_due_date(fiscal_year, code) for code in codes}
    for code, due in own:
        if code in dues:
            dues[code] = due
    return dues


def label(round_code: str, digit_style: str = thai.DIGITS_THAI) -> str:
    """The document label of a round ("รอบ ๖ เดือน"); no round (a plan) has an empty label."""
    return thai.digits(LABELS[round_code], digit_style) if round_code else ""


def period_text(
    fiscal_year: int, round_code: str, digit_style: str = thai.DIGITS_THAI, abbreviated: bool = False
) -> str:
    """"(เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)" as seed 003 prints the 6-month round of 2566."""
    start, end = period(fiscal_year, round_code)
    names = thai.MONTHS_ABBR if abbreviated else thai.MONTHS_FULL
    text = (
        f"(เดือน{names[start.month - 1]} {thai.be_year(start.year)} - "
        f"{names[end.month - 1]} {thai.be_year(end.year)})"
    )
    return thai.digits(text, digit_style)
