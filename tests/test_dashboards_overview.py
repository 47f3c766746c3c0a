"""The overview: who may see it, province scoping, filters, exports of exactly the filtered rows, queries."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment
from dashboards.national import ensure_framework
from tests.dashboards_fixtures import SCORES_2567, SCORES_2568, TODAY, assess, make_plan
from units.models import Unit

URL = reverse("overview:index")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("dashboards.views.timezone.localdate", lambda: TODAY)


def make_units(count, province="สุพรรณบุรี", kind=Unit.Kind.SAO, prefix="x"):
    return Unit.objects.bulk_create(
        Unit(slug=f"{prefix}-{i}", name=f"องค์การบริหารส่วนตำบล{prefix}{i}", kind=kind, province=province, district="เมือง")
        for i in range(count)
    )


@pytest.fixture
def two_provinces(unit_a, unit_b):
    assess(unit_a, 2568, SCORES_2568)  # total ≈ 82.78: does not pass
    assess(unit_b, 2568, {n: 97 for n in range(1, 11)})  # passes, best level
    make_plan(unit_a, 2569, measures=3, indicator_year=2568)
    return unit_a, unit_b


def slugs(response):
    return sorted(row.record.slug for row in response.context["table"].paginated_rows)


def test_anonymous_redirected(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("user", ["alice", "charlie", "dave"])
def test_unit_members_without_grant_are_refused(request, login, user):
    assert login(request.getfixturevalue(user)).get(URL).status_code == 403


def test_province_viewer_sees_only_her_province(login, erin, two_provinces):
    response = login(erin).get(URL + "?year=2568")
    assert response.status_code == 200
    assert slugs(response) == ["unit-a"]
    assert response.context["summary"]["units"] == 1
    # Asking for another province's units gives nothing, not them.
    response = login(erin).get(URL + "?year=2568&province=บุรีรัมย์")
    assert slugs(response) == []
    export = login(erin).get(URL + "?year=2568&_export=csv")
    assert "unit-b" not in export.content.decode() and "องค์การบริหารส่วนตำบลบี" not in export.content.decode()


def test_superuser_sees_all_and_filters(login, root, two_provinces):
    client = login(root)
    assert slugs(client.get(URL + "?year=2568")) == ["unit-a", "unit-b"]
    assert slugs(client.get(URL + "?year=2568&passes=yes")) == ["unit-b"]
    assert slugs(client.get(URL + "?year=2568&passes=no")) == ["unit-a"]
    best = Assessment.objects.get(unit__slug="unit-b").level
    assert slugs(client.get(URL + f"?year=2568&level={best}")) == ["unit-b"]
    assert slugs(client.get(URL + "?year=2568&province=บุรีรัมย์")) == ["unit-b"]
    ensure_framework(2567)  # a year nobody was assessed in
    assert slugs(client.get(URL + "?year=2567&passes=none")) == ["unit-a", "unit-b"]


def test_completeness_filter_and_late_count(login, root, two_provinces):
    client = login(root)
    # Unit A's 2569 plan has H1 entries for its 3 measures, 2 approved; H1 2569 is not due on TODAY.
    response = client.get(URL + "?year=2569")
    rows = {row.record.slug: row.record for row in response.context["table"].paginated_rows}
    assert rows["unit-a"].measure_count == 3 and rows["unit-a"].h1_approved == 2
    assert rows["unit-a"].completeness == 33  # 2 of 6 expected entries
    assert rows["unit-b"].measure_count == 0
    assert slugs(client.get(URL + "?year=2569&completeness=no_plan")) == ["unit-b"]
    assert slugs(client.get(URL + "?year=2569&completeness=not_due")) == ["unit-a"]
    assert slugs(client.get(URL + "?year=2569&completeness=late")) == []
    assert response.context["summary"]["late"] == 0


def test_late_unit(login, root, unit_a):
    make_plan(unit_a, 2568, measures=3)  # both 2568 rounds were due before TODAY
    response = login(root).get(URL + "?year=2568&completeness=late")
    assert slugs(response) == ["unit-a"]
    assert response.context["summary"]["late"] == 1


def test_aggregates(login, root, two_provinces):
    summary = login(root).get(URL + "?year=2568").context["summary"]
    levels = {a.level for a in Assessment.objects.all()}
    assert len(levels) == 2
    assert {row["level"]: row["n"] for row in summary["levels"]} == dict.fromkeys(levels, 1)
    means = {row["indicator__number"]: row["mean"] for row in summary["indicator_means"]}
    assert float(means[1]) == pytest.approx((95 + 97) / 2)
    assert float(means[10]) == pytest.approx((65 + 97) / 2)
    assert summary["assessed"] == 2 and summary["passing"] == 1


def test_csv_export_has_exactly_the_filtered_rows(login, root, two_provinces):
    make_units(60, province="บุรีรัมย์")  # more rows than one page
    response = login(root).get(URL + "?year=2568&province=บุรีรัมย์&_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = sorted(row[0] for row in rows[1:])
    assert len(names) == 61  # unit B and the 60 new units, beyond the page size of 25
    assert "องค์การบริหารส่วนตำบลเอ" not in names
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["องค์การบริหารส่วนตำบลบี"][4] == "97.00"


def test_xlsx_export_has_exactly_the_filtered_rows(login, root, two_provinces):
    response = login(root).get(URL + "?year=2568&passes=yes&_export=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    values = list(workbook.active.values)
    assert len(values) == 2
    assert values[1][0] == "องค์การบริหารส่วนตำบลบี"


def test_pagination_does_not_count(login, root):
    make_units(60)
    with CaptureQueriesContext(connection) as captured:
        response = login(root).get(URL + "?page=2")
    page = response.context["table"].page
    assert len(page.object_list) == 25 and page.has_next()
    # The lazy paginator fetches one row more than a page instead of counting the whole table.
    assert not [q["sql"] for q in captured.captured_queries if '"__count"' in q["sql"]]
    assert any("LIMIT 26 OFFSET 25" in q["sql"] for q in captured.captured_queries)
    # django-tables2 has no Thai catalog; the portal's own translates its pagination links.
    body = response.content.decode()
    assert "ถัดไป" in body and "ก่อนหน้า" in body and ">next" not in body


@pytest.mark.parametrize("extra_units", [5, 80])
def test_constant_queries(login, root, two_provinces, extra_units, django_assert_max_num_queries):
    for unit in make_units(extra_units, prefix=f"q{extra_units}"):
        assess(unit, 2568, SCORES_2567)
    client = login(root)
    with django_assert_max_num_queries(14):
        assert client.get(URL + "?year=2568").status_code == 200


def test_share_of_units_that_published_each_round(login, root, two_provinces):
    from reports.models import PublishedReport

    unit_a, unit_b = two_provinces
    for unit, code, version in [(unit_a, "H1", 1), (unit_a, "H1", 2), (unit_a, "FY", 1), (unit_b, "H1", 1)]:
        PublishedReport.objects.create(
            unit=unit, kind="results", fiscal_year=2568, round=code, version=version, title="รายงาน",
            html="published/x.html", json="published/x.json",
        )  # fmt: skip
    PublishedReport.objects.create(
        unit=unit_b, kind="plan", fiscal_year=2568, round="", version=1, title="แผน", html="p.html", json="p.json"
    )
    summary = login(root).get(URL + "?year=2568").context["summary"]
    shares = {row["round"]: (row["units"], float(row["share"])) for row in summary["published"]}
    assert shares == {"H1": (2, 100.0), "FY": (1, 50.0)}  # two versions of one report count once
    summary = login(root).get(URL + "?year=2568&province=บุรีรัมย์").context["summary"]
    assert {row["round"]: row["units"] for row in summary["published"]} == {"H1": 1, "FY": 0}


def test_national_indicator_means_follow_rescoring(login, root, two_provinces):
    client = login(root)
    means = {r["indicator__number"]: float(r["mean"]) for r in client.get(URL).context["summary"]["indicator_means"]}
    assert means[1] == pytest.approx(96)
    assessment = Assessment.objects.get(unit__slug="unit-b")
    assessment.scores.filter(indicator__number=1).update(score=57)
    assessment.save()  # as assessments.services.recompute does after a score changes
    means = {r["indicator__number"]: float(r["mean"]) for r in client.get(URL).context["summary"]["indicator_means"]}
    assert means[1] == pytest.approx((95 + 57) / 2)


def test_table_rows_line_up_with_headers(login, root, two_provinces):
    response = login(root).get(URL + "?year=2568&province=บุรีรัมย์")
    html = response.content.decode()
    table = html[html.index("overview-table"):]
    table = table[: table.index("</table>")]
    headers = table.count('scope="col"')
    body = table[table.index("<tbody") :]
    first_row = body[body.index("<tr") : body.index("</tr>")]
    assert headers == first_row.count("<td") == len(response.context["table"].columns) == 12
    assert "97.00" in first_row and 'href="/u/unit-b/dashboard/"' in first_row


def test_export_follows_the_table_order_and_labels(login, root, two_provinces):
    client = login(root)
    for sort, first in (("-total", "องค์การบริหารส่วนตำบลบี"), ("total", "องค์การบริหารส่วนตำบลเอ")):
        rows = list(csv.reader(io.StringIO(client.get(URL + f"?year=2568&sort={sort}&_export=csv").content.decode("utf-8-sig"))))
        assert rows[1][0] == first
    header, row = rows[0], rows[1]
    assert header[:5] == ["หน่วยงาน", "จังหวัด", "อำเภอ", "ประเภท", "คะแนนรวม"]
    assert row[3] == str(Unit.Kind.SAO.label) and row[6] in ("ใช่", "ไม่ใช่")


def test_the_year_choices_include_the_current_fiscal_year(login, root, monkeypatch, two_provinces):
    monkeypatch.setattr("dashboards.views.timezone.localdate", lambda: dt.date(2026, 11, 27))  # FY 2570
    response = login(root).get(URL)
    assert response.context["years"][0] == 2570 and 2568 in response.context["years"]
    assert response.context["fiscal_year"] == 2568  # opens on the latest year with assessments
    assert login(root).get(URL + "?year=2570").context["fiscal_year"] == 2570
