"""Each report kind as plain data, HTML, PDF (text read back) and DOCX."""

import io
import re
import shutil
import subprocess
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports import data, render
from reports.models import ReportSettings
from tests import factories

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture
def unit_with_data(unit_a):
    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)} | {3: "80.50", 9: "70.25"})
    factories.plan(unit_a, 2568, measures=3)
    return unit_a


def non_space(text):
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout


def document_strings(doc) -> list[str]:
    strings = [*doc.title_lines, doc.introduction, *(heading for _, heading in doc.columns)]
    for row in doc.rows:
        for _, value in row["cells"]:
            strings.extend(value if isinstance(value, list) else [value])
    if doc.signatory:
        strings.append("ลงชื่อ ........................................ ผู้รายงาน")
    return [s for s in strings if s]


def test_results_data_uses_approved_entries_and_thai_digits(unit_with_data):
    doc = data.build_results(unit_with_data, 2568, "FY")
    assert doc.title_lines[0].endswith("พ.ศ. ๒๕๖๘")
    assert "รอบ ๑๒ เดือน" in doc.title_lines[1]
    assert len(doc.rows) == 3
    cells = dict(doc.rows[0]["cells"])
    assert cells["steps"][0].startswith("๑. ")
    assert "ดำเนินการแล้ว" in cells["result"]
    # The H1 round has no approved entries: its report shows the measures with empty results.
    assert all(dict(row["cells"])["result"] == "" for row in data.build_results(unit_with_data, 2568, "H1").rows)


def test_options_switch_digits_and_columns(unit_with_data):
    settings = ReportSettings(
        unit=unit_with_data, kind="results", fiscal_year=2568, round="FY", thai_digits=False,
        columns=["title", "result", "status"],
    )
    doc = data.build_results(unit_with_data, 2568, "FY", settings)
    assert doc.title_lines[0].endswith("พ.ศ. 2568")
    assert [key for key, _ in doc.columns] == ["title", "result", "status"]
    assert dict(doc.rows[0]["cells"])["status"] == "ดำเนินการแล้ว"
    # Whatever columns are chosen, their fixed widths follow the weights and fill the table.
    widths = dict(doc.column_widths)
    assert sum(float(w.rstrip("%")) for w in widths.values()) == pytest.approx(100, abs=0.05)
    assert float(widths["result"].rstrip("%")) > float(widths["status"].rstrip("%"))
    assert 'style="width: ' in render.render_html(doc) and "fixed-columns" in render.render_html(doc)


def test_introduction_cites_the_latest_assessment(unit_with_data):
    doc = data.build_results(unit_with_data, 2568, "FY")
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗" in doc.introduction


@needs_poppler
def test_results_pdf_reads_back_exactly(unit_with_data, tmp_path):
    doc = data.build_results(unit_with_data, 2568, "FY")
    pdf, pages = render.render_pdf(doc)
    text = non_space(pdf_text(pdf, tmp_path))
    expected = "".join(non_space(s) for s in document_strings(doc))
    # Page numbers and repeated table headers are the only additions; every source character is there.
    assert pages >= 1
    missing = Counter(expected) - Counter(text)
    assert not missing, f"characters lost in the PDF text layer: {missing}"
    for string in document_strings(doc):
        assert non_space(string) in text, string


@needs_poppler
@pytest.mark.parametrize("kind", ["plan", "analysis", "oit", "memo"])
def test_every_kind_renders_html_and_pdf(kind, unit_with_data, tmp_path):
    year = 2567 if kind == "analysis" else 2568
    doc = data.build(kind, unit_with_data, year, "FY" if kind in ("oit", "memo") else "")
    html = render.render_html(doc)
    assert doc.title_lines[0] in html
    pdf, pages = render.render_pdf(doc)
    text = non_space(pdf_text(pdf, tmp_path))
    assert non_space(doc.title_lines[0]) in text
    assert pages >= 1
    if kind == "analysis":
        assert "๘๐.๕๐" in text and "๗๐.๒๕" in text  # points to develop, Thai digits
    if kind == "oit":
        assert "☐" in text or "☑" in text
    if kind == "memo":
        assert "ความเห็นของหัวหน้าสำนักปลัด" in text


def test_html_escapes_text(unit_with_data):
    measure = unit_with_data.plans.get().measures.first()
    measure.title = "<script>alert(1)</script>"
    measure.save()
    html = render.render_html(data.build_results(unit_with_data, 2568, "FY"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_docx_has_the_table(unit_with_data):
    from docx import Document

    word = Document(io.BytesIO(render.render_docx(data.build_plan(unit_with_data, 2568))))
    table = word.tables[0]
    assert table.rows[0].cells[0].text == "มาตรการ/แนวทาง"
    assert len(table.rows) == 4
    assert word.styles["Normal"].font.name == "TH Sarabun New"


def test_render_report_command(unit_with_data, tmp_path):
    output = tmp_path / "plan.html"
    call_command("render_report", unit="unit-a", year=2568, kind="plan", fmt="html", output=str(output))
    assert "มาตรการส่งเสริมคุณธรรม" in output.read_text()
    with pytest.raises(CommandError, match="no plan"):
        call_command("render_report", unit="unit-a", year=2560, kind="plan", fmt="html", output=str(output))
    with pytest.raises(CommandError, match="no unit"):
        call_command("render_report", unit="nope", year=2568, kind="plan", fmt="html", output=str(output))
    with pytest.raises(CommandError, match="--round"):
        call_command("render_report", unit="unit-a", year=2568, kind="results", fmt="pdf", output=str(output))
