"""The SVG charts: accessible markup, figures in the table beside them, values escaped."""

import re
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from ita_portal.charts import bar_chart, line_chart, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent


def parse(chart):
    return ElementTree.fromstring(str(chart.svg))


def test_line_chart_is_accessible_and_tabulated():
    chart = line_chart(
        "trend", "คะแนนรวม", "คะแนนรวมรายปี",
        [("2566", Decimal("81.5"), "ผ่าน"), ("2567", None, ""), ("2568", Decimal("92.345"), "ผ่านดี")],
        reference=(Decimal("85"), "เกณฑ์ผ่าน 85"), label_header="ปี", value_header="คะแนน", note_header="ระดับ",
    )  # fmt: skip
    root = parse(chart)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "trend-title trend-desc"
    assert root.find(f"{SVG}title").text == "คะแนนรวม"
    assert root.find(f"{SVG}desc").get("id") == "trend-desc"
    assert len(root.findall(f"{SVG}circle")) == 2  # no point for the year without a score
    assert chart.rows == [["2566", "81.50", "ผ่าน"], ["2567", "–", "–"], ["2568", "92.35", "ผ่านดี"]]
    assert chart.headers == ["ปี", "คะแนน", "ระดับ"]


def test_bar_chart_heights_follow_values():
    chart = bar_chart("ind", "ตัวชี้วัด", "เทียบปี", ["1", "2"], [("2567", [Decimal(50), Decimal(100)]), ("2568", [None, Decimal(25)])])
    rects = [r for r in parse(chart).iter(f"{SVG}rect") if r.get("height") not in ("14",)]
    heights = sorted(float(r.get("height")) for r in rects)
    assert len(heights) == 3
    assert heights[2] == 2 * heights[1] == 4 * heights[0]
    assert chart.rows == [["1", "50.00", "–"], ["2", "100.00", "25.00"]]


def test_stacked_bars_shares_and_escaping():
    chart = stacked_bars(
        "st", "สถานะ <b>", "desc & more", [("กอง<ช่าง>", [1, 3]), ("ว่าง", [0, 0])],
        [("done", "เสร็จ"), ("in_progress", "กำลังทำ")], row_header="กอง", total_header="รวม",
        row_links=["/a", None],
    )  # fmt: skip
    text = str(chart.svg)
    assert "<b>" not in text and "&lt;b&gt;" in text and "กอง&lt;ช่าง&gt;" in text
    parse(chart)  # well-formed XML
    assert chart.rows[0] == ["กอง<ช่าง>", "1 (25%)", "3 (75%)", "4"]
    assert chart.rows[1] == ["ว่าง", "0", "0", "0"]
    assert [link for _, link in chart.table_rows] == ["/a", None]


def test_charts_need_no_inline_style_under_the_content_security_policy():
    """style-src 'self' blocks <style> blocks and style="" attributes on the pages: every line and the
    figures on the bars carry a class that the portal's stylesheet styles, so axes, grid and the pass-mark
    line stay visible."""
    charts = [
        line_chart("t", "T", "d", [("2567", Decimal(80), "")], reference=(Decimal(85), "เกณฑ์ผ่าน 85")),
        bar_chart("b", "B", "d", ["1"], [("2568", [Decimal(60)])]),
        stacked_bars("s", "S", "d", [("ก", [2, 5]), ("ข", [0, 0])], [("done", "เสร็จ"), ("in_progress", "กำลังทำ")]),
    ]
    stylesheet = (ROOT / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    used = set()
    for chart in charts:
        text = str(chart.svg)
        assert "<style" not in text and "style=" not in text, chart.chart_id
        root = parse(chart)
        assert root.get("class") == "ita-chart"
        for line in root.iter(f"{SVG}line"):
            used.add(line.get("class"))
        used |= {t.get("class") for t in root.iter(f"{SVG}text") if t.get("class")}
    assert used == {"axis", "grid", "ref", "on-bar"}
    for name in used:
        assert re.search(rf"svg\.ita-chart (text)?\.{name} \{{[^}}]*(stroke|fill):", stylesheet), name
    dashed = [line for line in parse(charts[0]).iter(f"{SVG}line") if line.get("class") == "ref"]
    assert len(dashed) == 2  # the pass mark and its legend
    labels = [t for t in parse(charts[2]).iter(f"{SVG}text") if t.get("class") == "on-bar"]
    assert [t.text for t in labels] == ["2", "5"]
