"""Lateness has one home (measures/lateness.py): its database and Python forms give the same answers, and
the pages that show it — the plan's "overdue" filter, the unit dashboard, the overview — agree."""

import datetime as dt
import itertools

import pytest
from django.db.models import DateField, IntegerField, Value
from django.urls import reverse

from measures.lateness import is_late_to_report, is_overdue, late_to_report_q, overdue_q
from measures.models import Measure, ProgressEntry, RoundDue
from measures.progress import refresh_years
from measures.rounds import Round
from measures.status import with_current_status
from tests.dashboards_fixtures import TODAY, make_plan
from units.models import Unit


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    for where in ("dashboards.views", "measures.filters", "measures.views"):
        monkeypatch.setattr(f"{where}.timezone.localdate", lambda: TODAY)


def test_late_to_report_database_and_python_agree(db, unit_a):
    dues = (TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=1))
    for due, approved, measures in itertools.product(dues, (0, 2, 3), (0, 3)):
        row = Unit.objects.filter(pk=unit_a.pk).annotate(
            due=Value(due, output_field=DateField()),
            approved=Value(approved, output_field=IntegerField()),
            measures=Value(measures, output_field=IntegerField()),
        )
        in_sql = row.filter(late_to_report_q(TODAY, due="due", approved="approved", measures="measures")).exists()
        assert in_sql == is_late_to_report(due, approved, measures, TODAY), (due, approved, measures)


def test_overdue_database_and_python_agree(db, unit_a):
    make_plan(unit_a, 2568, measures=9)
    plan = make_plan(unit_a, 2570, measures=0)  # a later plan, its measures not ended yet
    Measure.objects.create(plan=plan, number="1", title="ยังไม่ถึงกำหนด", end=TODAY + dt.timedelta(days=30))
    Measure.objects.create(plan=plan, number="2", title="ไม่มีวันสิ้นสุด", end=None)
    measures = with_current_status(Measure.objects.filter(plan__unit=unit_a))
    in_sql = set(measures.filter(overdue_q(TODAY)).values_list("pk", flat=True))
    in_python = {m.pk for m in measures if is_overdue(m.end, m.current_status, TODAY)}
    assert in_sql == in_python and len(in_sql) == 6


def test_the_plan_filter_lists_what_the_dashboard_counts_overdue(login, alice, unit_a):
    make_plan(unit_a, 2568, measures=9)
    client = login(alice)
    dashboard = client.get(reverse("dashboards:unit", args=[unit_a.slug]) + "?year=2568").context
    listed = client.get(dashboard["overdue_url"]).context["table"].data.data
    assert sorted(m.number for m in listed) == sorted(m["number"] for m in dashboard["overdue"])
    assert len(listed) == dashboard["overdue_count"] == 6
    not_overdue = client.get(reverse("measures:plan", args=[unit_a.slug, 2568]) + "?overdue=0").context
    assert len(not_overdue["table"].data.data) == dashboard["measure_count"] - dashboard["overdue_count"]


def _approve_everything(plan):
    for measure in plan.measures.all():
        measure.entries.update(review_state=ProgressEntry.Review.APPROVED)
        ProgressEntry.objects.create(
            measure=measure, round=Round.FY, status="done", review_state=ProgressEntry.Review.APPROVED
        )


def test_the_overview_and_the_unit_dashboard_agree_on_who_is_late(login, root, unit_a, unit_b):
    """Late (both rounds of 2568 due by TODAY, entries missing); complete; own due dates still ahead;
    no plan: the overview's column and each unit's dashboard say the same."""
    make_plan(unit_a, 2568, measures=6)
    _approve_everything(make_plan(unit_b, 2568, measures=4))
    later = Unit.objects.create(slug="later", name="อบต.ส่งช้ากว่า", kind=Unit.Kind.SAO, province="สุพรรณบุรี")
    later.departments.create(name="สำนักปลัด", order=0)
    make_plan(later, 2568, measures=3)
    for code in (Round.H1, Round.FY):
        RoundDue.objects.create(unit=later, fiscal_year=2568, round=code, due_date=TODAY + dt.timedelta(days=10))
    Unit.objects.create(slug="no-plan", name="อบต.ไม่มีแผน", kind=Unit.Kind.SAO, province="สุพรรณบุรี")
    # Written straight to the tables above (not through the services): refresh the per unit-year figures
    # explicitly, as the services and the importer do.
    refresh_years([2568])
    client = login(root)
    rows = client.get(reverse("overview:index") + "?year=2568").context["table"].data.data
    in_overview = {row.slug: row.is_late for row in rows}
    on_dashboards = {}
    for slug in in_overview:
        context = client.get(reverse("dashboards:unit", args=[slug]) + "?year=2568").context
        on_dashboards[slug] = any(item.late for item in context["rounds"])
    assert in_overview == on_dashboards == {"unit-a": True, "unit-b": False, "later": False, "no-plan": False}


def test_a_late_rounds_link_lists_the_measures_it_still_lacks(login, alice, unit_a):
    make_plan(unit_a, 2568, measures=9)  # H1: 5 approved, 4 submitted; FY: nothing
    client = login(alice)
    rounds = client.get(reverse("dashboards:unit", args=[unit_a.slug]) + "?year=2568").context["rounds"]
    for item in rounds:
        assert item.late
        listed = client.get(item.late_url).context["table"].data.data
        assert len(listed) == item.measures - item.approved
        assert not ProgressEntry.objects.filter(
            measure__in=list(listed), round=item.code, review_state=ProgressEntry.Review.APPROVED
        ).exists()
    assert [item.measures - item.approved for item in rounds] == [4, 9]
