"""Every figure links to the filtered list behind it: the measures app's plan page with its GET filters
(status, department, indicator, overdue, round, review) and its measure pages."""

from dashboards.links import assessment_url, measure_url, plan_url
from tests.dashboards_fixtures import SCORES_2567, SCORES_2568, TODAY, assess, make_plan


def test_plan_links_carry_filters():
    assert plan_url("unit-a", 2568, status="done") == "/u/unit-a/plans/2568/?status=done"
    assert plan_url("unit-a", 2568, overdue=1, department=None) == "/u/unit-a/plans/2568/?overdue=1"
    assert measure_url("unit-a", 7) == "/u/unit-a/plans/measures/7/"
    assert assessment_url("unit-a", 2568) == "/u/unit-a/assessments/2568/"


def test_dashboard_figures_link_to_filtered_lists(login, alice, unit_a, monkeypatch):
    monkeypatch.setattr("dashboards.views.timezone.localdate", lambda: TODAY)
    assess(unit_a, 2567, SCORES_2567)
    assess(unit_a, 2568, SCORES_2568)
    plan = make_plan(unit_a, 2568, measures=9)
    client = login(alice)
    html = client.get("/u/unit-a/dashboard/?year=2568").content.decode()
    base = "/u/unit-a/plans/2568/"
    for query in ("status=done", "status=not_started", "overdue=1", "indicator=9", "round=H1&amp;review=approved"):
        assert f'href="{base}?{query}"' in html, query
    department = unit_a.departments.get(name="กองช่าง")
    assert f'href="{base}?department={department.id}"' in html
    measure = plan.measures.get(number="9")
    assert f'href="/u/unit-a/plans/measures/{measure.id}/"' in html
    # The links land on working, filtered pages of the measures app.
    for query in ("status=done", "overdue=1", f"department={department.id}", "indicator=9", "round=H1&review=approved"):
        assert client.get(f"{base}?{query}").status_code == 200, query
