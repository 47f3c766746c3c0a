"""Spreadsheets that are safe and open right: formula cells neutralised, a BOM in every CSV, typed XLSX
cells, Thai file names; and query-string integers that never raise."""

import csv
import datetime as dt
import io
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse

from dashboards.tables import OverviewTable
from ita_portal import exports
from ita_portal.params import parse_int
from measures.models import Measure
from tests import factories
from tests.dashboards_fixtures import SCORES_2568, assess

ATTACKS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_text_gets_a_leading_apostrophe(text):
    assert exports.neutralise(text) == "'" + text
    assert exports.neutralise("ปกติ =1") == "ปกติ =1"
    assert exports.neutralise(-5) == -5 and exports.neutralise(Decimal("-1.5")) == Decimal("-1.5")


def test_csv_has_a_bom_neutralised_text_and_plain_numbers():
    content = exports.csv_bytes(["ชื่อ", "=h"], [["=1+1", -3], [None, Decimal("94.43")]])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["ชื่อ", "'=h"], ["'=1+1", "-3"], ["", "94.43"]]


def test_xlsx_cells_keep_their_types():
    content = exports.xlsx_bytes(
        ["a", "b", "c", "d", "e"],
        [[Decimal("94.43"), 7, dt.date(2025, 10, 1), "=HYPERLINK(\"x\")", dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)]],
        title="แผน/2568",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    number, integer, date, text, moment = (cell for cell in sheet[2])
    assert number.data_type == "n" and number.value == pytest.approx(94.43)
    assert integer.data_type == "n" and integer.value == 7
    assert date.is_date and date.value.date() == dt.date(2025, 10, 1)
    assert text.data_type == "s" and text.value == "'=HYPERLINK(\"x\")"
    assert moment.is_date
    assert sheet.title == "แผน 2568"


def test_thai_file_names_have_an_ascii_fallback_and_rfc5987_name():
    header = exports.attachment("ภาพรวม ITA 2568.csv")
    fallback, encoded = header.split("; ")[1:]
    assert fallback.startswith('filename="') and fallback.endswith('.csv"') and fallback.isascii()
    assert encoded.startswith("filename*=UTF-8''") and unquote(encoded.split("''", 1)[1]) == "ภาพรวม ITA 2568.csv"
    assert exports.attachment('a"b.csv').split("; ")[1] == 'filename="a_b.csv"'


@pytest.fixture
def hostile_plan(unit_a):
    plan = factories.plan(unit_a, 2568, measures=2)
    measure = Measure.objects.get(plan=plan, number="1")
    measure.title = '=HYPERLINK("http://evil.example","คลิก")'
    measure.start, measure.end, measure.period_text = dt.date(2024, 10, 1), dt.date(2025, 9, 30), ""
    measure.save()
    return plan


def test_plan_exports_are_neutralised_typed_and_named(login, charlie, hostile_plan):
    client = login(charlie)
    url = reverse("measures:plan", args=["unit-a", 2568])
    response = client.get(url, {"_export": "csv"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "filename*=UTF-8''unit-a-plan-2568.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\",\"คลิก\")" in titles

    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url, {"_export": "xlsx"}).content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[-2:] == ["เริ่มต้น", "สิ้นสุด"] or len(header) == 9, header
    hostile = [row for row in sheet.iter_rows(min_row=2) if str(row[1].value).startswith("'=")]
    assert len(hostile) == 1 and hostile[0][1].data_type == "s"
    start, end = hostile[0][-2:]
    assert start.is_date and start.value.date() == dt.date(2024, 10, 1)
    assert end.is_date and end.value.date() == dt.date(2025, 9, 30)


def test_overview_exports_neutralise_unit_names_and_keep_scores_numeric(login, root, unit_a):
    unit_a.name = "=cmd|' /C calc'!A0"
    unit_a.save()
    assess(unit_a, 2568, SCORES_2568)
    client = login(root)
    response = client.get(reverse("overview:index"), {"year": 2568, "_export": "csv"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("overview:index"), {"year": 2568, "_export": "xlsx"}).content)
    ).active
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    total = row[header.index(str(OverviewTable.base_columns["total"].verbose_name))]
    assert total.data_type == "n" and 0 < total.value <= 100
    assert row[header.index("หน่วยงาน")].value.startswith("'=")


# --- strict query-string integers --------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["²", "๒๕๖๘", " 12", "1_000", "-1", "+3", "1e3", "", None, "9" * 40, "0x10", "１２"])
def test_parse_int_refuses_what_is_not_ascii_digits_in_bounds(raw):
    assert parse_int(raw, minimum=1, maximum=10_000) is None


def test_parse_int_takes_ascii_digits_in_bounds():
    assert parse_int("2568", minimum=1000, maximum=9999) == 2568
    assert parse_int("0007", minimum=1, maximum=10) == 7
    assert parse_int("11", minimum=1, maximum=10, default=1) == 1


@pytest.mark.parametrize("query", ["?page=²", "?year=²", "?year=๒๕๖๘", "?page=99999999999999999999", "?year=-1&page=0"])
def test_no_page_answers_500_to_odd_numbers(login, root, unit_a, query):
    factories.plan(unit_a, 2568, measures=1)
    client = login(root)
    for url in (
        reverse("measures:plans", args=["unit-a"]),
        reverse("measures:plan", args=["unit-a", 2568]),
        reverse("overview:index"),
        reverse("dashboards:unit", args=["unit-a"]),
        reverse("assessments:new", args=["unit-a"]),
    ):
        assert client.get(url + query).status_code == 200, url + query
    assert client.get(reverse("interchange:export", args=["unit-a"]) + query).status_code in (200, 404)


@pytest.mark.parametrize("owner", ["²", "๒", "9" * 40, "1_0", " 1"])
def test_odd_ids_in_a_form_are_a_field_error_not_a_500(login, alice, unit_a, owner):
    """Found by the fuzzer: `"²".isdigit()` is true, so the measure form's owners field took "²" for an id
    and `int()` raised."""
    plan = factories.plan(unit_a, 2568, measures=1)
    response = login(alice).post(
        reverse("measures:measure_create", args=["unit-a", 2568]),
        {"number": "9", "title": "มาตรการใหม่", "owners": [owner], "steps-TOTAL_FORMS": "0", "steps-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert plan.measures.count() == 1
