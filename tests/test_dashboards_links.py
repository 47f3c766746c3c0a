"""Every figure links to the filtered list behind it, through whatever URL names the measures app defines.

This module is its own URLconf: the real one plus a stand-in `measures:plan`/`measures:detail` taking a
year, so the links can be checked before (and whatever way) the measures app names its pages.
"""

import pytest
from django.http import HttpResponse
from django.urls import include, path

from dashboards.links import measure_url, plan_url
from tests.dashboards_fixtures import SCORES_2567, SCORES_2568, TODAY, assess, make_plan


def _stub(request, **kwargs):
    return HttpResponse("stub")


stub_measures = (
    [
        path("<int:year>/", _stub, name="plan"),
        path("<int:year>/measures/<int:pk>/", _stub, name="detail"),
    ],
    "measures",
)
urlpatterns = [
    path("u/<slug:slug>/plans/", include(stub_measures)),
    path("", include("ita_portal.urls")),
]


def test_no_page_no_link():
    assert plan_url("unit-a", 2568, status="done") is None  # the real URLconf has no measures:plan yet
    assert measure_url("unit-a", 1, 2568) is None


@pytest.mark.urls(__name__)
def test_plan_links_carry_filters():
    assert plan_url("unit-a", 2568, status="done") == "/u/unit-a/plans/2568/?status=done"
    assert plan_url("unit-a", 2568, overdue=1, department=None) == "/u/unit-a/plans/2568/?overdue=1"
    assert measure_url("unit-a", 7, 2568) == "/u/unit-a/plans/2568/measures/7/"


@pytest.mark.urls(__name__)
def test_dashboard_figures_link_to_filtered_lists(login, alice, unit_a, monkeypatch):
    monkeypatch.setattr("dashboards.views.timezone.localdate", lambda: TODAY)
    assess(unit_a, 2567, SCORES_2567)
    assess(unit_a, 2568, SCORES_2568)
    plan = make_plan(unit_a, 2568, measures=9)
    html = login(alice).get("/u/unit-a/dashboard/?year=2568").content.decode()
    base = "/u/unit-a/plans/2568/"
    for query in ("status=done", "status=not_started", "overdue=1", "indicator=9", "round=H1&amp;review=approved"):
        assert f'href="{base}?{query}"' in html, query
    department = unit_a.departments.get(name="กองช่าง")
    assert f'href="{base}?department={department.id}"' in html
    measure = plan.measures.get(number="9")
    assert f'href="{base}measures/{measure.id}/"' in html
