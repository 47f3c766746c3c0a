"""Data for the dashboards' tests, built with the same generator code as the national data set."""

import datetime as dt
from decimal import Decimal

from assessments.models import Assessment, IndicatorScore
from dashboards.national import compute_totals, ensure_framework
from measures.models import Measure, Plan, ProgressEntry, Round, Status
from measures.progress import refresh_unit_year

TODAY = dt.date(2025, 11, 15)  # FY 2569 has begun; both rounds of FY 2568 are due.


def assess(unit, fiscal_year, scores_by_number):
    """An assessment with indicator scores and its stored computed totals."""
    info = ensure_framework(fiscal_year)
    by_id = {ind.id: Decimal(str(scores_by_number[ind.number])) for ind in info.indicators if ind.number in scores_by_number}
    assessment = Assessment.objects.create(
        unit=unit, fiscal_year=fiscal_year, framework=info.framework, **compute_totals(info, by_id)
    )
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=assessment, indicator_id=ind_id, score=value) for ind_id, value in by_id.items()
    )
    return assessment


def make_plan(unit, fiscal_year, measures, indicator_year=None):
    """A plan with `measures` measures: owners cycle through the unit's departments, indicators 1–10,
    statuses cycle done / in progress / not started, every third measure ended before TODAY."""
    plan = Plan.objects.create(unit=unit, fiscal_year=fiscal_year)
    indicators = {ind.number: ind for ind in ensure_framework(indicator_year or fiscal_year - 1).indicators}
    departments = list(unit.departments.all())
    statuses = [Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED]
    for index in range(measures):
        end = dt.date(2025, 3, 31) if index % 3 == 2 else dt.date(2025, 9, 30)
        measure = Measure.objects.create(
            plan=plan, number=str(index + 1), title=f"มาตรการที่ {index + 1}", start=dt.date(2024, 10, 1), end=end
        )
        measure.owners.add(departments[index % len(departments)])
        measure.indicators.add(indicators[index % 10 + 1])
        ProgressEntry.objects.create(
            measure=measure,
            round=Round.H1,
            status=statuses[index % 3],
            review_state=ProgressEntry.Review.APPROVED if index % 2 == 0 else ProgressEntry.Review.SUBMITTED,
        )
    refresh_unit_year(unit.pk, fiscal_year)  # written row by row like a bulk writer: refreshed once
    return plan


SCORES_2567 = {1: 90, 2: 80, 3: 85, 4: 70, 5: 88, 6: 91, 7: 86, 8: 84, 9: 60, 10: 75}
SCORES_2568 = {1: 95, 2: 88, 3: 90, 4: 78, 5: 92, 6: 93, 7: 90, 8: 89, 9: 72, 10: 65}
