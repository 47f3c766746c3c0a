"""Selectors of the unit dashboard: its figures, each gathered by one database query whatever the number
of rows. They return plain values; dashboards/unit_page.py turns them into the page's rows and charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from assessments.models import Assessment, IndicatorScore
from ita_portal.thai import fiscal_year_of
from measures import rounds
from measures.lateness import is_late_to_report, overdue_q
from measures.models import Measure, Plan, ProgressEntry, RoundDue, Status
from measures.rounds import Round
from measures.status import REPORTED, ReviewState, with_current_status

WEAKEST_COUNT = 3
OVERDUE_LIST_LIMIT = 10


@dataclass
class RoundProgress:
    code: str
    label: str
    due_date: dt.date
    measures: int
    approved: int
    reported: int  # submitted or approved

    @property
    def percent(self) -> Decimal:
        return Decimal(self.approved * 100) / self.measures if self.measures else Decimal(0)

    def is_late(self, today: dt.date) -> bool:
        return is_late_to_report(self.due_date, self.approved, self.measures, today)


@dataclass
class WeakIndicator:
    number: int
    name: str
    score: Decimal
    previous: Decimal | None
    measures: list[dict] = field(default_factory=list)


def choose_year(unit, requested: int | None, today: dt.date) -> tuple[int, list[int]]:
    """The fiscal year shown and the years offered (every plan's year and the current one), one query.

    Shown: the year asked for; else the latest year up to the current one whose plan has progress
    reported (a plan just copied to a new year has none yet); else the latest plan up to the current
    year; else the current year.
    """
    reported = ProgressEntry.objects.filter(measure__plan=OuterRef("pk"))
    plans = dict(
        Plan.objects.filter(unit=unit).annotate(has_data=Exists(reported)).values_list("fiscal_year", "has_data")
    )
    current = fiscal_year_of(today)
    years = sorted(set(plans) | {current}, reverse=True)
    if requested in years:
        return requested, years
    past = [year for year in years if year in plans and year <= current]
    with_data = [year for year in past if plans[year]]
    return (with_data or past or [current])[0], years


def plan_of(unit, fiscal_year: int) -> Plan | None:
    return Plan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()


def status_counts(plan: Plan | None, today: dt.date) -> tuple[dict[str, int], int]:
    """Measures of the plan per current status, and how many are overdue (one query)."""
    counts = dict.fromkeys(Status.values, 0)
    if plan is None:
        return counts, 0
    rows = (
        with_current_status(Measure.objects.filter(plan=plan))
        .order_by()
        .values("current_status")
        .annotate(n=Count("id"), overdue=Count("id", filter=overdue_q(today)))
    )
    overdue = 0
    for row in rows:
        counts[row["current_status"]] = row["n"]
        overdue += row["overdue"]
    return counts, overdue


def department_status_counts(plan: Plan | None) -> list[dict]:
    """[{id, name, counts: {status: n}}] per owning department, plus measures with no owner (one query)."""
    if plan is None:
        return []
    rows = (
        with_current_status(Measure.objects.filter(plan=plan))
        .order_by()
        .values("owners__id", "owners__name", "owners__order", "current_status")
        .annotate(n=Count("id"))
    )
    departments: dict = {}
    for row in rows:
        key = row["owners__id"]
        entry = departments.setdefault(
            key,
            {"id": key, "name": row["owners__name"], "order": row["owners__order"], "counts": dict.fromkeys(Status.values, 0)},
        )
        entry["counts"][row["current_status"]] += row["n"]
    return sorted(departments.values(), key=lambda d: (d["id"] is None, d["order"] or 0, d["name"] or ""))


def overdue_measures(plan: Plan | None, today: dt.date) -> list[dict]:
    if plan is None:
        return []
    return list(
        with_current_status(Measure.objects.filter(plan=plan))
        .filter(overdue_q(today))
        .order_by("end", "sort_key")
        .values("id", "number", "title", "end", "current_status")[:OVERDUE_LIST_LIMIT]
    )


def due_dates(unit, fiscal_year: int) -> dict[str, dt.date]:
    """Each reporting round's due date for the unit: its own dates over the defaults (one query)."""
    own = RoundDue.objects.filter(unit=unit, fiscal_year=fiscal_year).values_list("round", "due_date")
    return rounds.due_dates(fiscal_year, own)


def round_progress(unit, plan: Plan | None, measure_count: int) -> list[RoundProgress]:
    """Each reporting round: entries approved (and reported) against the plan's measures, with its due date."""
    if plan is None:
        return []
    dues = due_dates(unit, plan.fiscal_year)
    rows = (
        ProgressEntry.objects.filter(measure__plan=plan, round__in=rounds.REPORTING)
        .order_by()
        .values("round")
        .annotate(
            approved=Count("id", filter=Q(review_state=ReviewState.APPROVED)),
            reported=Count("id", filter=Q(review_state__in=REPORTED)),
        )
    )
    tallies = {row["round"]: row for row in rows}
    return [
        RoundProgress(
            code=code,
            label=str(Round(code).label),
            due_date=dues[code],
            measures=measure_count,
            approved=tallies.get(code, {}).get("approved", 0),
            reported=tallies.get(code, {}).get("reported", 0),
        )
        for code in rounds.REPORTING
    ]


def assessment_history(unit) -> list[dict]:
    return list(
        Assessment.objects.filter(unit=unit)
        .order_by("fiscal_year")
        .values("fiscal_year", "total", "level", "passes", "framework__pass_mark")
    )


def indicator_comparison(unit, history: list[dict], fiscal_year: int):
    """This year's and last year's indicator scores: the latest assessment up to the year and the one before.

    Returns (this_year, last_year, [{number, name, score, previous}]) from one query.
    """
    years = [row["fiscal_year"] for row in history if row["fiscal_year"] <= fiscal_year]
    if not years:
        return None, None, []
    this_year = years[-1]
    last_year = years[-2] if len(years) > 1 else None
    rows = IndicatorScore.objects.filter(
        assessment__unit=unit, assessment__fiscal_year__in=[y for y in (this_year, last_year) if y]
    ).values("assessment__fiscal_year", "indicator__number", "indicator__name", "score")
    by_number: dict[int, dict] = {}
    for row in rows:
        entry = by_number.setdefault(
            row["indicator__number"], {"number": row["indicator__number"], "name": "", "score": None, "previous": None}
        )
        if row["assessment__fiscal_year"] == this_year:
            entry["score"] = row["score"]
            entry["name"] = row["indicator__name"]
        else:
            entry["previous"] = row["score"]
            entry["name"] = entry["name"] or row["indicator__name"]
    return this_year, last_year, [by_number[n] for n in sorted(by_number)]


def weakest_indicators(plan: Plan | None, comparison: list[dict]) -> list[WeakIndicator]:
    """The lowest-scoring indicators of the latest assessment, each with the plan's measures answering it.

    Measures are matched by indicator number, so a plan linked to its own year's framework still matches
    the previous year's assessment (one query for all of them).
    """
    scored = sorted((row for row in comparison if row["score"] is not None), key=lambda r: (r["score"], r["number"]))
    weakest = [
        WeakIndicator(row["number"], row["name"], row["score"], row["previous"]) for row in scored[:WEAKEST_COUNT]
    ]
    if plan is None or not weakest:
        return weakest
    by_number = {item.number: item for item in weakest}
    rows = (
        with_current_status(Measure.objects.filter(plan=plan, indicators__number__in=list(by_number)))
        .order_by("sort_key", "id")
        .values("id", "number", "title", "current_status", "indicators__number")
    )
    for row in rows:
        by_number[row["indicators__number"]].measures.append(row)
    return weakest
