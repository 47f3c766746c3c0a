"""The unit dashboard: who sees it, what it counts, and a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.dashboards_fixtures import SCORES_2567, SCORES_2568, TODAY, assess, make_plan


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("dashboards.views.timezone.localdate", lambda: TODAY)


def url(unit, **query):
    base = reverse("dashboards:unit", args=[unit.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def unit_a_data(unit_a):
    assess(unit_a, 2567, SCORES_2567)
    assess(unit_a, 2568, SCORES_2568)
    return make_plan(unit_a, 2568, measures=9)


def test_anonymous_is_sent_to_login(client, unit_a):
    response = client.get(url(unit_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_unit_is_404(login, dave, unit_a):
    assert login(dave).get(url(unit_a)).status_code == 404


@pytest.mark.parametrize("user", ["alice", "bob", "charlie", "frank", "erin", "root"])
def test_readers_see_it(request, login, unit_a_data, user):
    response = login(request.getfixturevalue(user)).get(url(unit_a_data.unit, year=2568))
    assert response.status_code == 200
    assert response.context["fiscal_year"] == 2568


def test_figures(login, charlie, unit_a_data):
    response = login(charlie).get(url(unit_a_data.unit, year=2568))
    ctx = response.context
    counts = {row["code"]: row["count"] for row in ctx["status_rows"]}
    # 9 measures cycling done / in progress / not started.
    assert counts == {"done": 3, "in_progress": 3, "not_started": 3, "cancelled": 0}
    assert ctx["measure_count"] == 9
    # Every measure has ended by TODAY; the six not done (in progress or not started) are overdue,
    # earliest end first: 3, 6, 9 ended 31 Mar 2025, 2, 5, 8 on 30 Sep 2025.
    assert ctx["overdue_count"] == 6
    assert [m["number"] for m in ctx["overdue"]] == ["3", "6", "9", "2", "5", "8"]
    h1, fy = ctx["rounds"]
    assert (h1.code, h1.approved, h1.reported, h1.measures) == ("H1", 5, 9, 9)
    assert h1.late and fy.late and fy.approved == 0
    departments = {row[0]: row[-1] for row in ctx["charts"]["departments"].rows}
    assert departments == {"สำนักปลัด": "3", "กองคลัง": "3", "กองช่าง": "3"}
    trend = ctx["charts"]["trend"]
    assert [row[0] for row in trend.rows] == ["2567", "2568"]
    # The weakest indicators of 2568 are 10 (65), 9 (72) and 4 (78), each with the measure answering it.
    weakest = ctx["weakest"]
    assert [(w.number, str(w.score), str(w.previous)) for w in weakest] == [
        (10, "65.00", "75.00"), (9, "72.00", "60.00"), (4, "78.00", "70.00"),
    ]  # fmt: skip
    assert weakest[0].measures == []  # nine measures answer indicators 1–9 only
    assert [(m["number"], m["current_status"]) for m in weakest[1].measures] == [("9", "not_started")]
    assert [(m["number"], m["current_status"]) for m in weakest[2].measures] == [("4", "done")]
    html = response.content.decode()
    assert 'role="img"' in html and "aria-labelledby" in html
    assert "ผลคะแนน" in html or "คะแนน" in html  # Thai UI


def test_no_plan_year(login, alice, unit_a):
    response = login(alice).get(url(unit_a))
    assert response.status_code == 200
    assert response.context["plan"] is None
    assert response.context["measure_count"] == 0


def test_department_counts_use_owners(login, alice, unit_a_data):
    response = login(alice).get(url(unit_a_data.unit, year=2568))
    chart = response.context["charts"]["departments"]
    assert [row[0] for row in chart.rows] == ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    # สำนักปลัด owns measures 1, 4, 7: all done (index 0, 3, 6).
    assert chart.rows[0][1:] == ["0", "0", "3 (100%)", "0", "3"]  # not started, in progress, done, cancelled


@pytest.mark.parametrize("measures", [3, 30])
def test_constant_queries(login, alice, unit_a, measures, django_assert_max_num_queries):
    assess(unit_a, 2567, SCORES_2567)
    assess(unit_a, 2568, SCORES_2568)
    make_plan(unit_a, 2568, measures=measures)
    client = login(alice)
    client.get(reverse("home"))  # the navigation's inbox count is cached after a first page: measure the page's own queries
    with django_assert_max_num_queries(16):
        assert client.get(url(unit_a, year=2568)).status_code == 200


def test_opens_on_the_latest_year_with_progress_not_on_a_copied_plan(login, alice, unit_a_data):
    """A plan copied to 2569 has measures but no progress yet: the dashboard opens on 2568 and offers
    2569 and the current fiscal year (TODAY is in 2569)."""
    from measures.services import copy_plan_to_next_year
    from units.permissions import get_unit_access

    copy_plan_to_next_year(unit_a_data, get_unit_access(alice, unit_a_data.unit))
    response = login(alice).get(url(unit_a_data.unit))
    assert response.context["fiscal_year"] == 2568
    assert response.context["years"] == [2569, 2568]
    assert login(alice).get(url(unit_a_data.unit, year=2569)).context["measure_count"] == 9


def test_offers_the_current_fiscal_year_and_opens_on_it_without_a_plan(login, alice, unit_a, monkeypatch):
    monkeypatch.setattr("dashboards.views.timezone.localdate", lambda: dt.date(2026, 11, 27))  # FY 2570
    make_plan(unit_a, 2568, measures=0)  # a plan without measures or progress is still the latest plan
    response = login(alice).get(url(unit_a))
    assert response.context["years"] == [2570, 2568]
    assert response.context["fiscal_year"] == 2568
    unit_a.plans.all().delete()
    assert login(alice).get(url(unit_a)).context["fiscal_year"] == 2570


def test_the_total_column_of_the_measure_charts_is_a_count_of_measures(login, alice, unit_a_data):
    html = login(alice).get(url(unit_a_data.unit, year=2568)).content.decode()
    for chart in ("status", "departments"):
        headers = login(alice).get(url(unit_a_data.unit, year=2568)).context["charts"][chart].headers
        assert headers[-1] == "จำนวนมาตรการรวม"
    assert "คะแนนรวม</th>" not in html.split('id="h-ita"')[0]  # no score header above the ITA results
