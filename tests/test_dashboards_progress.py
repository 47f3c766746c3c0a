"""The stored per unit-year progress summary follows single writes (signals) and bulk refreshes."""

import datetime as dt

from dashboards.models import UnitYearProgress
from dashboards.progress import refresh_years
from measures.models import Measure, ProgressEntry, Round, RoundDue
from tests.dashboards_fixtures import make_plan


def row(unit, year=2568):
    return UnitYearProgress.objects.filter(unit=unit, fiscal_year=year).first()


def test_signals_follow_measures_entries_and_dues(unit_a):
    plan = make_plan(unit_a, 2568, measures=4)
    progress = row(unit_a)
    assert (progress.measure_count, progress.h1_approved, progress.h1_reported, progress.fy_approved) == (4, 2, 4, 0)
    entry = ProgressEntry.objects.filter(measure__plan=plan, review_state=ProgressEntry.Review.SUBMITTED).first()
    entry.review_state = ProgressEntry.Review.APPROVED
    entry.save()
    assert row(unit_a).h1_approved == 3
    ProgressEntry.objects.create(measure=entry.measure, round=Round.FY, review_state=ProgressEntry.Review.APPROVED)
    assert row(unit_a).fy_approved == 1
    RoundDue.objects.create(unit=unit_a, fiscal_year=2568, round=Round.H1, due_date=dt.date(2025, 5, 15))
    assert row(unit_a).h1_due == dt.date(2025, 5, 15)
    entry.measure.delete()  # its two entries go with it
    progress = row(unit_a)
    assert (progress.measure_count, progress.h1_approved, progress.fy_approved) == (3, 2, 0)
    plan.delete()
    assert row(unit_a) is None


def test_bulk_refresh_matches_signals(unit_a, unit_b):
    make_plan(unit_a, 2568, measures=5)
    make_plan(unit_b, 2568, measures=2)
    expected = {(r.unit_id, r.measure_count, r.h1_approved, r.h1_reported) for r in UnitYearProgress.objects.all()}
    # A bulk write sends no signal: the summary is stale until refreshed.
    Measure.objects.bulk_create([Measure(plan=unit_b.plans.get(), number="9", title="เพิ่มเติม")])
    assert row(unit_b).measure_count == 2
    UnitYearProgress.objects.all().delete()
    assert refresh_years([2568]) == 2
    refreshed = {(r.unit_id, r.measure_count, r.h1_approved, r.h1_reported) for r in UnitYearProgress.objects.all()}
    assert refreshed == {e if e[0] != unit_b.id else (unit_b.id, 3, e[2], e[3]) for e in expected}
