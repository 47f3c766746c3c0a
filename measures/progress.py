"""Recompute UnitYearProgress rows from plans, measures, entries and due dates (set-based queries).

Nothing runs behind the caller's back: the service functions (measures/services.py, measures/review.py)
and bulk writers (the importer, the national data generator) call these functions when they are done.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from measures.models import Measure, Round, RoundDue, UnitYearProgress
from measures.status import REPORTED, ReviewState

APPROVED = ReviewState.APPROVED
FIELDS = ["measure_count", "h1_approved", "fy_approved", "h1_reported", "fy_reported", "h1_due", "fy_due"]


def _tallies(measures):
    return (
        measures.order_by()
        .values("plan__unit_id", "plan__fiscal_year")
        .annotate(
            measure_count=Count("id", distinct=True),
            h1_approved=Count("entries", filter=Q(entries__round=Round.H1, entries__review_state=APPROVED)),
            fy_approved=Count("entries", filter=Q(entries__round=Round.FY, entries__review_state=APPROVED)),
            h1_reported=Count("entries", filter=Q(entries__round=Round.H1, entries__review_state__in=REPORTED)),
            fy_reported=Count("entries", filter=Q(entries__round=Round.FY, entries__review_state__in=REPORTED)),
        )
    )


def _rows(measures, dues) -> list[UnitYearProgress]:
    rows = []
    for tally in _tallies(measures):
        key = (tally["plan__unit_id"], tally["plan__fiscal_year"])
        own = dues.get(key, {})
        rows.append(
            UnitYearProgress(
                unit_id=key[0],
                fiscal_year=key[1],
                measure_count=tally["measure_count"],
                h1_approved=tally["h1_approved"],
                fy_approved=tally["fy_approved"],
                h1_reported=tally["h1_reported"],
                fy_reported=tally["fy_reported"],
                h1_due=own.get(Round.H1),
                fy_due=own.get(Round.FY),
            )
        )
    return rows


def _dues(round_dues) -> dict:
    dues: dict = {}
    for unit_id, year, code, due in round_dues.values_list("unit_id", "fiscal_year", "round", "due_date"):
        dues.setdefault((unit_id, year), {})[code] = due
    return dues


def refresh_unit_years(unit_id: int, fiscal_years: Iterable[int]) -> None:
    """Recompute one unit's rows for some years in three or four queries, whatever their number."""
    years = sorted(set(fiscal_years))
    measures = Measure.objects.filter(plan__unit_id=unit_id, plan__fiscal_year__in=years)
    rows = _rows(measures, _dues(RoundDue.objects.filter(unit_id=unit_id, fiscal_year__in=years)))
    with transaction.atomic():
        kept = [row.fiscal_year for row in rows]
        if len(kept) < len(years):
            UnitYearProgress.objects.filter(unit_id=unit_id, fiscal_year__in=years).exclude(fiscal_year__in=kept).delete()
        UnitYearProgress.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["unit", "fiscal_year"],
            update_fields=[*FIELDS, "refreshed_at"],
        )


def refresh_unit_year(unit_id: int, fiscal_year: int) -> None:
    """Recompute one unit's row for one year (after a single write by a service function)."""
    refresh_unit_years(unit_id, [fiscal_year])


def refresh_years(fiscal_years: Iterable[int], batch_size: int = 2000) -> int:
    """Recompute every unit's rows for whole fiscal years (after bulk writes). Returns rows written."""
    written = 0
    for year in fiscal_years:
        measures = Measure.objects.filter(plan__fiscal_year=year)
        rows = _rows(measures, _dues(RoundDue.objects.filter(fiscal_year=year)))
        with transaction.atomic():
            UnitYearProgress.objects.filter(fiscal_year=year).delete()
            UnitYearProgress.objects.bulk_create(rows, batch_size=batch_size)
        written += len(rows)
    return written
