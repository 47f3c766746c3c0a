"""Pagination like Word at its best (print.css and reports/layout.py), and the memo's page rules."""

import datetime as dt
import shutil
import subprocess

import pytest
from weasyprint.formatting_structure import boxes

from reports import data, layout, publishing, render
from reports.models import ReportSettings
from reports.pdf import layout as lay_out
from tests import factories

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def page(body: str) -> str:
    return f'<html class="landscape"><head><link rel="stylesheet" href="/static/css/print.css"></head><body>{body}</body></html>'


def rows_of(page_box, css_class):
    return [b for b in page_box.descendants() if isinstance(b, boxes.TableRowBox) and layout._has_class(b, css_class)]


@pytest.mark.parametrize("filler", range(9, 15))
def test_signature_block_keeps_with_the_last_rows(filler):
    rows = "".join(f'<tr class="data-row"><td>แถว {i}</td><td>ข้อความ</td></tr>' for i in range(3))
    signature = '<div class="signatures"><div class="signature"><p>ลงชื่อ</p><p>(ชื่อ)</p><p>ตำแหน่ง</p></div></div>'
    document = lay_out(page("<p>ย่อหน้า</p>" * filler + f'<table class="report"><tbody>{rows}</tbody></table>{signature}'))
    assert rows_of(document.pages[-1]._page_box, "data-row"), "the signature block stands alone on the last page"


@pytest.mark.parametrize("filler", range(9, 15))
def test_group_heading_keeps_with_its_first_row(filler):
    rows = '<tr class="group-row"><td colspan="2">ตัวชี้วัดย่อยที่ ๑๐.๒</td></tr>' + "".join(
        f'<tr class="data-row"><td>O{i}</td><td>ข้อความ</td></tr>' for i in range(3)
    )
    document = lay_out(page("<p>ย่อหน้า</p>" * filler + f'<table class="report"><tbody>{rows}</tbody></table>'))
    for number, current in enumerate(document.pages):
        table_rows = [b for b in current._page_box.descendants() if isinstance(b, boxes.TableRowBox)]
        assert not (table_rows and layout._has_class(table_rows[-1], "group-row")), f"heading alone at the foot of page {number + 1}"


@pytest.fixture
def memo_unit(unit_a):
    factories.plan(unit_a, 2568, measures=1)
    return unit_a


def test_a_default_memo_is_not_dated_the_day_it_is_rendered(memo_unit):
    doc = data.build("memo", memo_unit, 2568, "FY")
    assert doc.extra["date"] == "" and doc.extra["reference"] == ""
    warnings = publishing.check_completeness(memo_unit, "memo", 2568, "FY").warnings
    assert any("วันที่" in w for w in warnings) and any("ที่" in w for w in warnings)


@needs_poppler
def test_memo_numbers_pages_from_two_and_notes_the_continuation(memo_unit, tmp_path):
    chain = [
        {"heading": f"ความเห็นของผู้บริหารลำดับที่ {i}", "rank": "ว่าที่ ร.ต." if i == 2 else "", "name": f"ผู้บริหาร {i}",
         "position": f"ตำแหน่งบรรทัดแรก {i}\nบรรทัดที่สอง"}
        for i in range(1, 7)
    ]  # fmt: skip
    settings = ReportSettings(
        unit=memo_unit, kind="memo", fiscal_year=2568, round="FY", landscape=False, memo_date=dt.date(2025, 3, 24),
        memo_reference="สพ ๗๖๒๐๑/", memo_comment_chain=chain, signatory_rank="สืบเอก", signatory_name="สุกิจ มูลศรี",
        signatory_position="นักจัดการงานทั่วไป",
    )  # fmt: skip
    doc = data.build("memo", memo_unit, 2568, "FY", settings)
    pdf, pages = render.render_pdf(doc)
    assert pages >= 2
    path = tmp_path / "memo.pdf"
    path.write_bytes(pdf)
    texts = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    assert "บันทึกข้อความ" in texts[0] and "- ๑ -" not in texts[0]  # no number on page 1
    assert "- ๒ -" in texts[1]
    continued = next(step for step in doc.extra["chain"] if step["continued_from"])
    # "/ความเห็นของ…" at the foot of page 1, after its last block.
    assert texts[0].index(continued["continued_from"]) > texts[0].index("(ผู้บริหาร ๑)")
    assert continued["heading"] in texts[1]
    # The rank on its own line above the name in parentheses, no "ลงชื่อ", the position broken as typed.
    assert "สืบเอก\n(สุกิจ มูลศรี)\nนักจัดการงานทั่วไป" in texts[0] and "ลงชื่อ" not in "".join(texts)
    assert "ว่าที่ ร.ต.\n(ผู้บริหาร ๒)\nตำแหน่งบรรทัดแรก ๒\nบรรทัดที่สอง" in "".join(texts)


TITLE = "มาตรการส่งเสริมการเปิดเผยข้อมูลสาธารณะของหน่วยงาน " * 6


@pytest.mark.parametrize("filler", range(14, 22))
def test_a_continued_row_shows_its_whole_title_and_the_mark_even_when_the_page_splits_the_title(filler):
    title_cell = f'<td class="cont-cell text" style="width: 20%">{TITLE}<div class="cont-mark">(ต่อ)</div></td>'
    row = f'<tr class="data-row">{title_cell}<td class="text">{"ผลการดำเนินการตามมาตรการ " * 160}</td></tr>'
    document = lay_out(page("<p>ย่อหน้า</p>" * filler + f'<table class="report fixed-columns"><tbody>{row}</tbody></table>'))
    starts = [number for number, current in enumerate(document.pages) if layout._rows(current)]
    first = layout._cont_cell(layout._rows(document.pages[starts[0]])[0])
    split = 0 < len(layout._text_of(first).strip()) < len(TITLE.strip())
    assert split or filler >= 18  # the page splits the title with less filler above the table
    assert layout.repeat_continued_titles(document) == len(starts) - 1 >= 1
    for number in starts[1:]:
        cell = layout._cont_cell(layout._rows(document.pages[number])[0])
        shown = layout._text_of(cell)
        assert shown.rstrip().endswith("(ต่อ)"), f"page {number + 1}: {shown}"
        lefts = {round(line.position_x, 1) for line in cell.children}  # title and mark in the cell's column
        assert lefts == {round(cell.content_box_x(), 1)}, lefts
        if split and number == starts[1]:
            assert shown.replace(" ", "").startswith(TITLE.replace(" ", "")), "a split title is shown whole"
