"""Each report kind as plain data, HTML, PDF (text, fonts, page size read back) and DOCX."""

import io
import re
import shutil
import subprocess
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Framework
from measures.models import ProgressEntry, ReviewEvent
from reports import data, render
from reports.models import ReportSettings
from tests import factories

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
SHIPPED_FONTS = ("Laksaman", "DejaVu-Sans-Report", "Symbola-Report")


@pytest.fixture
def unit_with_data(unit_a):
    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)} | {3: "80.50", 9: "70.25"})
    factories.plan(unit_a, 2568, measures=3)
    return unit_a


def non_space(text):
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes, tmp_path, *args) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-raw", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_fonts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    return [line for line in lines if line.strip()]


def document_strings(doc) -> list[str]:
    strings = [*doc.title_lines, doc.introduction, *(heading for _, heading in doc.columns)]
    for row in doc.rows:
        if "group" in row:
            strings.append(row["group"])
            continue
        for _, value in row["cells"]:
            strings.extend(value if isinstance(value, list) else [value])
    return [s for s in strings if s]


def test_results_data_uses_approved_entries_and_thai_digits(unit_with_data):
    doc = data.build_results(unit_with_data, 2568, "FY")
    assert doc.title_lines[0].endswith("พ.ศ. ๒๕๖๘")
    assert "รอบ ๑๒ เดือน" in doc.title_lines[1]
    assert len(doc.rows) == 3
    cells = dict(doc.rows[0]["cells"])
    assert cells["steps"][0].startswith("๑. ")
    assert "ดำเนินการแล้ว จำนวน ๑ โครงการ" in cells["result"]
    # The H1 round has no approved entries: its result columns are empty in every row, so they are left out.
    h1 = data.build_results(unit_with_data, 2568, "H1")
    assert "result" not in [key for key, _ in h1.columns] and len(h1.rows) == 3


def test_one_digit_style_for_the_office_text_too_codes_and_urls_kept(unit_with_data):
    measure = unit_with_data.plans.get().measures.order_by("sort_key").first()
    measure.title = "ตรวจสอบ O12 และ e-GP รอบ 6 เดือน ม.ค. 65 ดู https://example.go.th/a1"
    measure.save()
    title = dict(data.build_results(unit_with_data, 2568, "FY").rows[0]["cells"])["title"]
    assert title == "ตรวจสอบ O12 และ e-GP รอบ ๖ เดือน ม.ค. ๖๕ ดู https://example.go.th/a1"
    settings = ReportSettings(unit=unit_with_data, kind="results", fiscal_year=2568, round="FY", thai_digits=False)
    arabic = data.build_results(unit_with_data, 2568, "FY", settings)
    assert dict(arabic.rows[0]["cells"])["title"] == "ตรวจสอบ O12 และ e-GP รอบ 6 เดือน ม.ค. 65 ดู https://example.go.th/a1"
    assert arabic.title_lines[0].endswith("พ.ศ. 2568")
    assert not re.search("[๐-๙]", " ".join(document_strings(arabic)))


def test_columns_chosen_ordered_retitled_and_kept(unit_with_data):
    settings = ReportSettings(
        unit=unit_with_data, kind="results", fiscal_year=2568, round="FY",
        columns=["title", "result", "status", "problems"], headings={"result": "ผลการดำเนินการ"},
    )  # fmt: skip
    doc = data.build_results(unit_with_data, 2568, "FY", settings)
    # problems is empty in every row: left out unless kept.
    assert doc.columns == [("title", "มาตรการ/แนวทาง"), ("result", "ผลการดำเนินการ"), ("status", "สถานะ")]
    assert dict(doc.rows[0]["cells"])["status"] == "ดำเนินการแล้ว"
    settings.keep_columns = ["problems"]
    assert [k for k, _ in data.build_results(unit_with_data, 2568, "FY", settings).columns][-1] == "problems"
    # Whole per cents in the columns' proportions, as classes (no style attribute: a strict CSP is coming).
    widths = dict(doc.column_widths)
    assert sum(widths.values()) == 100 and widths["result"] > widths["status"]
    html = render.render_html(doc)
    assert 'class="col-result w-' in html and "style=" not in html and "<style" not in html


def test_introduction_cites_the_latest_assessment(unit_with_data):
    doc = data.build_results(unit_with_data, 2568, "FY")
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗" in doc.introduction


@needs_poppler
def test_results_pdf_reads_back_exactly_in_the_shipped_fonts_on_a4_with_margins(unit_with_data, tmp_path):
    doc = data.build_results(unit_with_data, 2568, "FY")
    pdf, pages = render.render_pdf(doc)
    text = non_space(pdf_text(pdf, tmp_path))
    expected = "".join(non_space(s) for s in document_strings(doc))
    assert pages >= 1
    missing = Counter(expected) - Counter(text)
    assert not missing, f"characters lost in the PDF text layer: {missing}"
    pages_text = [non_space(page) for page in pdf_text(pdf, tmp_path).split("\f")]
    for string in map(non_space, document_strings(doc)):
        # Whole on a page, or split where its row continues on the next page.
        assert string in text or any(
            string[:k] in before and string[k:] in after
            for before, after in zip(pages_text, pages_text[1:], strict=False)
            for k in range(1, len(string))
        ), string
    fonts = pdf_fonts(pdf, tmp_path)
    assert any("Laksaman-Bold" in line for line in fonts) and any("+Laksaman " in line for line in fonts)
    assert all(any(name in line for name in SHIPPED_FONTS) and " yes yes " in line for line in fonts), fonts
    info = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts" in info or "841.89 x 595.28 pts" in info  # A4 landscape
    # Text starts at the left margin (20 mm = 56.7 pt on a landscape page), not before it.
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    left = min(float(x) for x in re.findall(r'xMin="([0-9.]+)"', boxes))
    assert 56.6 <= left <= 56.7 + 12, left


@needs_poppler
@pytest.mark.parametrize("kind", ["plan", "analysis", "oit", "memo"])
def test_every_kind_renders_html_and_pdf(kind, unit_with_data, tmp_path):
    doc = data.build(kind, unit_with_data, 2568, "FY" if kind in ("oit", "memo") else "")
    html = render.render_html(doc)
    assert doc.title_lines[0] in html
    pdf, pages = render.render_pdf(doc)
    text = non_space(pdf_text(pdf, tmp_path))
    assert non_space(doc.title_lines[0]) in text
    assert pages >= 1
    assert all(any(name in line for name in SHIPPED_FONTS) for line in pdf_fonts(pdf, tmp_path))
    if kind == "analysis":
        assert "๘๐.๕๐" in text and "๗๐.๒๕" in text  # points to develop, Thai digits
    if kind == "oit":
        assert "☑ดำเนินการ" in text and "☐ยังไม่ได้ดำเนินการ" in text
    if kind == "memo":
        assert "ความเห็นของหัวหน้าสำนักปลัด" in text and "ลงชื่อ" not in text


def test_html_escapes_text(unit_with_data):
    measure = unit_with_data.plans.get().measures.first()
    measure.title = "<script>alert(1)</script>"
    measure.save()
    html = render.render_html(data.build_results(unit_with_data, 2568, "FY"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_names_and_years_stay_on_one_line(unit_with_data):
    measure = unit_with_data.plans.get().measures.first()
    measure.title = "ส่งรายงาน รอบ 6 เดือน ภายใน พ.ศ. 2568 ที่กองคลัง ดอนเจดีย์"
    measure.save()
    html = render.render_html(data.build_results(unit_with_data, 2568, "FY"))
    for phrase in ("๖\u00a0เดือน", "พ.ศ.\u00a0๒๕๖๘"):  # a no-break space
        assert phrase in html
    for name in ("กองคลัง", "ดอนเจดีย์"):  # the unit's own names in no-break spans
        assert f'<span class="nb">{name}</span>' in html


@pytest.mark.parametrize("kind", ["results", "plan", "analysis", "oit", "memo"])
def test_docx_of_every_kind_has_the_pdf_layout(kind, unit_with_data):
    from docx import Document

    doc = data.build(kind, unit_with_data, 2568, "FY" if kind in ("results", "oit", "memo") else "")
    word = Document(io.BytesIO(render.render_docx(doc)))
    section = word.sections[0]
    top, right, bottom, left = doc.options.margins
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(m.mm) for m in margins] == [top, right, bottom, left]
    assert word.styles["Normal"].font.name == "TH SarabunPSK" and word.styles["Normal"].font.size.pt == 16
    xml = (section.header if kind == "memo" else section.footer)._element.xml
    assert "PAGE \\* ThaiArabic" in xml
    body = "\n".join(p.text for p in word.paragraphs)
    if kind in ("results", "plan", "oit"):
        table = word.tables[0]
        assert [c.text for c in table.rows[0].cells] == [heading for _, heading in doc.columns]
        assert "w:tblHeader" in table.rows[0]._tr.xml
        usable = section.page_width - section.left_margin - section.right_margin
        widths = [c.width for c in table.rows[0].cells]
        expected = [usable * percent // 100 for _, percent in doc.column_widths]  # proportions, not equal
        assert all(abs(w - e) < 2000 for w, e in zip(widths, expected, strict=True)), (widths, expected)
    if kind == "memo":
        assert "บันทึกข้อความ" in body and "ลงชื่อ" not in body and section.different_first_page_header_footer
    if kind == "results":
        assert "ลงชื่อ" in body and "ผู้อนุมัติ" in body


def test_signatures_come_from_the_review_record(unit_with_data, alice, bob):
    from units.models import Membership

    Membership.objects.filter(user=bob).update(position="นักจัดการงานทั่วไปชำนาญการ")
    Membership.objects.filter(user=alice).update(position="ปลัดองค์การบริหารส่วนตำบลเอ")
    for entry in ProgressEntry.objects.filter(measure__plan__unit=unit_with_data):
        ReviewEvent.objects.create(entry=entry, action=ReviewEvent.Action.SUBMIT, by=bob)
        ReviewEvent.objects.create(entry=entry, action=ReviewEvent.Action.APPROVE, by=alice)
    reporter, approver = data.build_results(unit_with_data, 2568, "FY").signatures
    assert (reporter.label, reporter.name, reporter.position_lines) == ("ผู้รายงาน", bob.get_full_name(), ["นักจัดการงานทั่วไปชำนาญการ"])
    assert (approver.label, approver.position_lines) == ("ผู้อนุมัติ", ["ปลัดองค์การบริหารส่วนตำบลเอ"])
    # What the office types wins over the record.
    settings = ReportSettings(
        unit=unit_with_data, kind="results", fiscal_year=2568, round="FY",
        signatures=[{"label": "ผู้รายงาน", "name": ""}, {"label": "ผู้ตรวจ", "name": "นายตรวจ ดี", "position": "หัวหน้า\nสำนักปลัด"},
                    {"label": "ผู้รับรอง", "rank": "ว่าที่ ร.ต.", "name": "ปริญญา", "position": "ปลัด"}],
    )  # fmt: skip
    blocks = data.build_results(unit_with_data, 2568, "FY", settings).signatures
    assert [b.name for b in blocks] == [bob.get_full_name(), "นายตรวจ ดี", "ปริญญา"]
    assert blocks[1].position_lines == ["หัวหน้า", "สำนักปลัด"] and blocks[2].rank == "ว่าที่ ร.ต."


def test_analysis_is_titled_by_the_plan_year_and_written_out(unit_with_data):
    doc = data.build("analysis", unit_with_data, 2568)
    assert doc.title_lines[1] == "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
    opening = doc.introduction
    assert "องค์การบริหารส่วนตำบลเอ" in opening and "พ.ศ. ๒๕๖๗" in opening and "พ.ศ. ๒๕๖๘" in opening
    assert [s["tool"].split()[0] for s in doc.sections] == ["IIT", "EIT", "OIT"]
    assert "ตัวชี้วัดที่ ๓ การใช้อำนาจ ได้คะแนน ๘๐.๕๐" in doc.sections[0]["paragraph"]
    assert "จำนวน ๘ ตัวชี้วัด" in doc.extra["strengths_intro"] and len(doc.extra["to_develop"]) == 2
    assert all(s["recommendation"] for s in doc.sections)
    settings = ReportSettings(unit=unit_with_data, kind="analysis", fiscal_year=2568, title_note="(ครึ่งปีแรก)",
                              recommendations={"IIT": "จัดอบรม 2 ครั้ง"})  # fmt: skip
    doc = data.build("analysis", unit_with_data, 2568, settings=settings)
    assert doc.title_lines[1].endswith("(ครึ่งปีแรก)") and doc.sections[0]["recommendation"] == "จัดอบรม ๒ ครั้ง"


def test_analysis_pass_mark_is_the_frameworks(unit_with_data):
    Framework.objects.filter(fiscal_year=2567).update(pass_mark=80)
    doc = data.build("analysis", unit_with_data, 2568)
    assert len(doc.extra["to_develop"]) == 1  # 80.50 reaches a pass mark of 80
    assert "๘๐.๐๐" in doc.extra["develop_intro"]


def test_render_report_command(unit_with_data, tmp_path):
    output = tmp_path / "plan.html"
    call_command("render_report", unit="unit-a", year=2568, kind="plan", fmt="html", output=str(output))
    assert "มาตรการส่งเสริมคุณธรรม" in output.read_text()
    call_command("render_report", unit="unit-a", year=2568, kind="analysis", fmt="docx", output=str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match="no ITA result for fiscal year 2568 .plan year 2569."):
        call_command("render_report", unit="unit-a", year=2569, kind="analysis", fmt="html", output=str(output))
    with pytest.raises(CommandError, match="no plan"):
        call_command("render_report", unit="unit-a", year=2560, kind="plan", fmt="html", output=str(output))
    with pytest.raises(CommandError, match="no unit"):
        call_command("render_report", unit="nope", year=2568, kind="plan", fmt="html", output=str(output))
    with pytest.raises(CommandError, match="--round"):
        call_command("render_report", unit="unit-a", year=2568, kind="results", fmt="pdf", output=str(output))
