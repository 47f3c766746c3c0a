"""The stored per unit-year progress summary follows the service functions' writes (they refresh it
explicitly; there are no signals) and bulk refreshes."""

import datetime as dt

from measures import services
from measures.models import Measure, ProgressEntry, Round, UnitYearProgress
from measures.progress import refresh_years
from tests.dashboards_fixtures import make_plan
from units.permissions import get_unit_access


def row(unit, year=2568):
    return UnitYearProgress.objects.filter(unit=unit, fiscal_year=year).first()


def test_services_refresh_the_summary(unit_a, alice):
    plan = make_plan(unit_a, 2568, measures=4)
    Measure.objects.create(plan=plan, number="99", title="ไม่ผ่านบริการ")
    assert row(unit_a).measure_count == 4  # a plain model write refreshes nothing: no signals
    Measure.objects.filter(number="99").delete()
    progress = row(unit_a)
    assert (progress.measure_count, progress.h1_approved, progress.h1_reported, progress.fy_approved) == (4, 2, 4, 0)
    access = get_unit_access(alice, unit_a)
    entry = ProgressEntry.objects.filter(measure__plan=plan, review_state=ProgressEntry.Review.SUBMITTED).order_by("pk").first()
    entry.result = "ดำเนินการแล้ว"
    entry.save()
    services.approve_entry(entry, access, version=entry.version)
    assert row(unit_a).h1_approved == 3
    services.save_entry(access, entry.measure, Round.FY, {"status": "in_progress", "percent": 50, "result": "ผล", "outcome": "",
                                                         "problems": "", "suggestions": "", "reported_on": None}, None, submit=True)
    assert row(unit_a).fy_reported == 1
    services.save_round_dues(access, 2568, {Round.H1: dt.date(2025, 5, 15)})
    assert row(unit_a).h1_due == dt.date(2025, 5, 15)
    services.save_round_dues(access, 2568, {Round.H1: None})
    assert row(unit_a).h1_due is None


def test_bulk_refresh(unit_a, unit_b):
    make_plan(unit_a, 2568, measures=5)
    make_plan(unit_b, 2568, measures=2)
    Measure.objects.bulk_create([Measure(plan=unit_b.plans.get(), number="9", title="เพิ่มเติม")])
    assert refresh_years([2568]) == 2
    counts = {r.unit_id: (r.measure_count, r.h1_approved, r.h1_reported) for r in UnitYearProgress.objects.all()}
    assert counts == {unit_a.id: (5, 3, 5), unit_b.id: (3, 1, 2)}
