"""Selectors of the overview: every unit a user may oversee, with one fiscal year's figures, and the
aggregates above the table (dashboards/overview_page.py turns them into the page).

Each row's figures are joins on unique (unit, year) keys: the year's assessment and the unit's stored progress
summary (measures.models.UnitYearProgress), so filtering, sorting and aggregating stay in SQL and cheap
whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal
from functools import reduce

from django.core.cache import cache
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assessments.models import Assessment, Framework, IndicatorScore, LevelBand
from measures import rounds
from measures.lateness import late_to_report_q
from measures.models import Plan
from measures.rounds import Round
from reports.models import Kind, PublishedReport
from units.models import Unit
from units.permissions import visible_provinces

NATIONAL_CACHE_SECONDS = 15 * 60


class Completeness:
    COMPLETE = "complete"
    LATE = "late"
    ON_TIME = "not_due"
    NO_PLAN = "no_plan"


def overview_units(user) -> QuerySet[Unit] | None:
    """Units whose overview the user may see, or None when the user may see no overview at all."""
    provinces = visible_provinces(user)
    if provinces is None:
        return Unit.objects.all()
    if not provinces:
        return None
    return Unit.objects.filter(province__in=provinces)


def available_years(current: int) -> list[int]:
    """Fiscal years with a framework or with plans, and the current one, latest first (one query)."""
    frameworks = Framework.objects.order_by().values_list("fiscal_year", flat=True)
    plans = Plan.objects.order_by().values_list("fiscal_year", flat=True).distinct()
    return sorted(set(frameworks.union(plans)) | {current}, reverse=True)


def latest_assessed_year() -> int | None:
    """The latest fiscal year with assessments: the overview opens on it (an index-only MAX)."""
    return Assessment.objects.aggregate(latest=Max("fiscal_year"))["latest"]


def annotate_year(units: QuerySet[Unit], fiscal_year: int, today: dt.date) -> QuerySet[Unit]:
    """Annotate each unit with the year's assessment figures, plan size and reporting progress.

    Two LEFT JOINs on unique (unit, year) keys: the year's assessment and the unit's UnitYearProgress row.
    """
    units = units.annotate(
        year_assessment=FilteredRelation("assessments", condition=Q(assessments__fiscal_year=fiscal_year)),
        year_progress_row=FilteredRelation("year_progress", condition=Q(year_progress__fiscal_year=fiscal_year)),
        total=F("year_assessment__total"),
        level=F("year_assessment__level"),
        passes=F("year_assessment__passes"),
        measure_count=Coalesce(F("year_progress_row__measure_count"), Value(0)),
    )
    late_rounds = []
    for code in rounds.REPORTING:
        key = code.lower()
        units = units.annotate(
            **{
                f"{key}_approved": Coalesce(F(f"year_progress_row__{key}_approved"), Value(0)),
                f"{key}_due": Coalesce(
                    F(f"year_progress_row__{key}_due"),
                    Value(rounds.default_due_date(fiscal_year, code), output_field=DateField()),
                ),
            }
        )
        late_rounds.append(
            late_to_report_q(today, due=f"{key}_due", approved=f"{key}_approved", measures="measure_count")
        )
    approved_sum = sum((F(f"{code.lower()}_approved") for code in rounds.REPORTING), Value(0))
    return units.annotate(
        is_late=Case(
            When(reduce(operator.or_, late_rounds), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        # Approved entries over all rounds' expected entries, in per cent (None when there is no plan).
        completeness=Case(
            When(
                measure_count__gt=0,
                then=ExpressionWrapper(
                    approved_sum * 100 / (F("measure_count") * len(rounds.REPORTING)), output_field=IntegerField()
                ),
            ),
            default=Value(None),
            output_field=IntegerField(),
        ),
    )


def filter_completeness(units: QuerySet[Unit], value: str) -> QuerySet[Unit]:
    if value == Completeness.NO_PLAN:
        return units.filter(measure_count=0)
    if value == Completeness.LATE:
        return units.filter(is_late=True)
    if value == Completeness.COMPLETE:
        return units.filter(measure_count__gt=0, completeness__gte=100)
    if value == Completeness.ON_TIME:
        return units.filter(measure_count__gt=0, is_late=False)
    return units


def aggregates(units: QuerySet[Unit], fiscal_year: int, every_unit: bool = False) -> dict:
    """The figures above the table, over exactly the filtered units (three or four aggregate queries).

    `every_unit`: the rows are all units of the country, so per-score figures need not join to the units
    (the national page's heaviest aggregate then reads only the year's scores through their index).
    """
    # One pass over the filtered units, grouped by level, gives both the counts and the levels chart.
    by_level = list(
        units.order_by()
        .values("level")
        .annotate(
            units=Count("pk"),
            late=Count("pk", filter=Q(is_late=True)),
            with_plan=Count("pk", filter=Q(measure_count__gt=0)),
            assessed=Count("pk", filter=Q(total__isnull=False)),
            passing=Count("pk", filter=Q(passes=True)),
            floor=Avg("total"),
        )
    )
    summary = {key: sum(row[key] for row in by_level) for key in ("units", "late", "with_plan", "assessed", "passing")}
    levels = sorted(
        ({"level": row["level"], "n": row["units"], "floor": row["floor"]} for row in by_level if row["level"]),
        key=lambda row: row["floor"] or 0,
        reverse=True,
    )
    if every_unit:
        indicator_means = national_indicator_means(fiscal_year)
        unit_filter = {}
    else:
        # Subqueries, not id lists: the database joins the filter once, and Python need not prepare
        # thousands of literal ids.
        indicator_means = _indicator_means(
            IndicatorScore.objects.filter(assessment__in=units.order_by().values("year_assessment__pk"))
        )
        unit_filter = {"unit__in": units.order_by().values("pk")}
    return {
        **summary,
        "late_share": _share(summary["late"], summary["units"]),
        "levels": levels,
        "indicator_means": indicator_means,
        "published": published_per_round(fiscal_year, unit_filter, summary["units"]),
    }


def published_per_round(fiscal_year: int, unit_filter: dict, units: int) -> list[dict]:
    """How many of the units published each reporting round's results report (one query)."""
    reports = PublishedReport.objects.filter(
        fiscal_year=fiscal_year, kind=Kind.RESULTS, round__in=rounds.REPORTING, **unit_filter
    )
    counted = dict(reports.order_by().values_list("round").annotate(n=Count("unit", distinct=True)))
    return [
        {"round": code, "label": Round(code).label, "units": counted.get(code, 0), "share": _share(counted.get(code, 0), units)}
        for code in rounds.REPORTING
    ]


def _indicator_means(scores) -> list[dict]:
    return list(
        scores.order_by()
        .values("indicator__number", "indicator__name")
        .annotate(mean=Avg("score"), n=Count("id"))
        .order_by("indicator__number")
    )


def national_indicator_means(fiscal_year: int) -> list[dict]:
    """Mean score per indicator over every unit of the country (about 80,000 scores a year).

    Cached under a key that changes whenever an assessment of the year is added, removed or rescored
    (assessments.services saves the assessment, bumping updated_at, whenever its scores change), so the
    figures are never stale; the key itself costs one small aggregate.
    """
    # A year's scores are scores on that year's framework's indicators.
    stamp = Assessment.objects.filter(fiscal_year=fiscal_year).aggregate(n=Count("id"), last=Max("updated_at"))
    key = f"dashboards:indicator-means:{fiscal_year}:{stamp['n']}:{stamp['last'].isoformat() if stamp['last'] else '-'}"
    means = cache.get(key)
    if means is None:
        means = _indicator_means(IndicatorScore.objects.filter(indicator__framework__fiscal_year=fiscal_year))
        cache.set(key, means, NATIONAL_CACHE_SECONDS)
    return means


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part * 100) / whole if whole else Decimal(0)


def level_labels(fiscal_year: int) -> list[str]:
    """The year's level labels, best first (the framework's level bands)."""
    return list(
        LevelBand.objects.filter(framework__fiscal_year=fiscal_year).order_by("-lower_bound").values_list("label", flat=True)
    )
