"""Each seed's preset reproduces its tables: the units' own documents (../shared/seeds) are typed into the
portal cell by cell as the office typed them, rendered with the seed's preset, and read back with
pdftotext: every cell is there verbatim in the seed's digit style, under the seed's headings; the fonts
are the shipped ones, pages are A4 landscape within the margins, and no page starts with a continued row
whose title cell is blank without "(ต่อ)"."""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from assessments.models import Framework, OitItem
from ita_portal import thai
from measures.models import Measure, MeasureStep, OitProgress, Plan, ProgressEntry
from reports import data, layout, render
from reports.columns import PRESETS
from reports.models import ReportSettings
from reports.pdf import layout as lay_out
from tests import factories

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
if not SEEDS.exists():
    SEEDS = Path("/work/shared/seeds")
pytestmark = [
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
    pytest.mark.skipif(not SEEDS.exists(), reason="the seeds (../shared/seeds) are not checked out"),
]
SHIPPED_FONTS = ("Laksaman", "DejaVu-Sans-Report", "Symbola-Report")
_TAGS = re.compile(r"</?(?:p|ol|li)[^>]*>")
# A step numbered by the office: "๑. ", "1. ", "๑." at the start or after a space.
_STEP = re.compile(r"(?:^|\s)(?=[0-9๐-๙]{1,2}\.\s?\S)")


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def clean(cell: str) -> str:
    return re.sub(r"\s+", " ", _TAGS.sub(" ", cell)).strip()


def non_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def steps_of(cell: str) -> list[str]:
    parts = [p.strip() for p in _STEP.split(clean(cell)) if p.strip()]
    return parts or [""]


def table_rows(text: str, columns: int, header: str) -> list[list[str]]:
    """The seed's table lines with *columns* cells that are not the header (which starts with *header*)."""
    rows = []
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) == columns and not non_space(cells[0]).startswith(non_space(header)):
            rows.append([clean(c) for c in cells])
    return rows


def new_plan(unit, year) -> Plan:
    return Plan.objects.create(unit=unit, fiscal_year=year, based_on_assessment=year - 1, framework=factories.framework(year))


def add_measure(plan, number, *, title="", issue="", steps=(), owner_text="", period_text="", follow_up="", result="", outcome="", round_code="FY"):
    measure = Measure.objects.create(
        plan=plan, number=str(number), title=title, issue=issue, owner_text=owner_text, period_text=period_text,
        follow_up=follow_up, start=dt.date(2022, 10, 1), end=dt.date(2023, 9, 30),
    )  # fmt: skip
    for order, text in enumerate(steps):
        MeasureStep.objects.create(measure=measure, order=order, text=text)
    if result or outcome:
        ProgressEntry.objects.create(
            measure=measure, round=round_code, status="done", result=result, outcome=outcome,
            review_state=ProgressEntry.Review.APPROVED,
        )  # fmt: skip
    return measure


def render_with_preset(unit, kind, year, round_code, preset, footnote=""):
    settings = ReportSettings(
        unit=unit, kind=kind, fiscal_year=year, round=round_code, preset=preset, landscape=True,
        thai_digits=PRESETS[preset].thai_digits, footnote=footnote,
    )  # fmt: skip
    doc = data.build(kind, unit, year, round_code, settings)
    pdf, _pages = render.render_pdf(doc)
    return doc, pdf


def _longest_prefix(text: str, page: str) -> int:
    low, high = 0, len(text)
    while low < high:  # prefixes found in a page form a run from 0: bisect on the length
        middle = (low + high + 1) // 2
        low, high = (middle, high) if text[:middle] in page else (low, middle - 1)
    return low


def across_pages(expected: str, pages: list[str]) -> bool:
    """A long cell continued over several pages: a prefix on one page, the next part on the next, …"""
    for start in range(len(pages)):
        rest, number = expected, start
        while rest and number < len(pages):
            taken = _longest_prefix(rest, pages[number])
            if taken == 0:
                break
            rest, number = rest[taken:], number + 1
        if not rest:
            return True
    return False


def check_pdf(doc, pdf, tmp_path, cells: list[str], style: str):
    """Cells verbatim (digits in the seed's style), headings, fonts, A4 landscape, margins, (ต่อ)."""
    path = tmp_path / "seed.pdf"
    path.write_bytes(pdf)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = [non_space(page) for page in raw.split("\f")]
    text = "".join(pages)
    for cell in [heading for _, heading in doc.columns] + cells:
        expected = non_space(thai.digits(cell, style))
        if not expected:
            continue
        assert expected in text or across_pages(expected, pages), f"not in the PDF: {cell}"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(any(name in line for name in SHIPPED_FONTS) for line in fonts if line.strip()), fonts
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.89 x 595\.2\d* pts", info), info
    check_margins(path, doc)
    return check_continued_rows(doc, pages)


def check_margins(path, doc):
    top, right, bottom, left = (mm * 72 / 25.4 for mm in doc.options.margins)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for page in boxes.split("<page ")[1:]:
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)
        body = [w for w in words if float(w[1]) < 595.28 - bottom + 1]  # the page number sits in the bottom margin
        assert min(float(w[0]) for w in body) >= left - 0.5
        assert max(float(w[2]) for w in body) <= 841.89 - right + 0.5
        assert min(float(w[1]) for w in body) >= top - 6  # a Thai line box reaches above its glyphs


def check_continued_rows(doc, pages_text):
    """Lay the document out again and find the rows continued from the page before: each shows "(ต่อ)"."""
    document = lay_out(render.render_html(doc, for_pdf=True), stylesheets=[render.page_css(doc)], report=True)
    repeated = layout.repeat_continued_titles(document)
    previous = None
    for number, page in enumerate(document.pages):
        rows = layout._rows(page)
        if rows and previous is not None and rows[0].element is previous.element:
            cell = layout._cont_cell(rows[0])
            # The title is repeated (or, split by the page, shown whole or its rest) with (ต่อ).
            shown = layout._text_of(cell) if cell is not None else ""
            assert shown.strip().endswith("(ต่อ)"), f"page {number + 1} starts a continued row without (ต่อ)"
            assert "(ต่อ)" in pages_text[number]
        previous = rows[-1] if rows else previous
    return repeated


def test_seed_000_results(unit_a, tmp_path):
    rows = table_rows(seed("000"), 6, "มาตรการ/")
    assert len(rows) == 9
    plan = new_plan(unit_a, 2568)
    for number, (title, steps, owners, period, result, outcome) in enumerate(rows, 1):
        add_measure(plan, number, title=title, steps=steps_of(steps), owner_text=owners, period_text=period, result=result, outcome=outcome)
    doc, pdf = render_with_preset(unit_a, "results", 2568, "FY", "results-000")
    assert [h for _, h in doc.columns] == ["มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลา",
                                        "สรุปผลการดำเนินการตามมาตรการ/กิจกรรม", "ผลลัพธ์หรือความสำเร็จของการดำเนินการ"]  # fmt: skip
    repeated = check_pdf(doc, pdf, tmp_path, [c for row in rows for c in row], thai.DIGITS_THAI)
    assert repeated >= 1  # seed 000's long rows run over pages: their titles are repeated with (ต่อ)


def test_seed_003_results_grouped_under_oit_indicators(unit_a, tmp_path):
    text = seed("003")
    plan = new_plan(unit_a, 2566)
    group, cells = "", []
    for line in text.splitlines():
        parts = [clean(p) for p in line.split("\t")]
        if len(parts) != 5 or parts[0].startswith("ประเด็นที่ต้องปรับปรุง"):
            continue
        if not any(parts[1:]):
            group = parts[0]
            cells.append(group)
            continue
        issue, owners, steps, follow_up, period = parts
        add_measure(plan, len(cells) + 1, title=issue, issue=f"{group}: {issue}", steps=steps_of(steps), owner_text=owners,
                    period_text=period, follow_up=follow_up, result="ดำเนินการ", round_code="H1")  # fmt: skip
        cells += parts
    doc, pdf = render_with_preset(unit_a, "results", 2566, "H1", "results-003")
    assert [h for _, h in doc.columns] == ["ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา", "ผู้รับผิดชอบ",
        "ขั้นตอนหรือวิธีการ/มาตรการ", "การรายงานผลและการกำกับติดตามกำหนดเวลาแล้วเสร็จ", "การดำเนินการ"]  # fmt: skip
    assert [row["group"] for row in doc.rows if "group" in row] == [
        "เครื่องมือการประเมิน OIT ตัวชี้วัดที่ ๔ การเปิดเผยข้อมูล",
        "เครื่องมือการประเมิน OIT ตัวชี้วัดที่ ๑๐ การดำเนินการ เพื่อป้องกันการทุจริต",
    ]
    check_pdf(doc, pdf, tmp_path, cells, thai.DIGITS_THAI)


# Seed 002's rows as the office typed them (its Word table comes out of the text extraction cell per line).
SEED_002 = [
    ("1. มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
     ["1. เผยแพร่ข้อมูลในเว็ปไซต์ของหน่วยงาน", "2. ปรับปรุงและพัฒนาเว็ปไซต์ของหน่วยงานให้มีความทันสมัย  เป็นปัจจุบัน  โดยคำนึงถึงความเหมาะสมกับสถานการณ์  และความพร้อมของบุคลากร/ทรัพยากรในหน่วยงาน"],
     "ตลอดปีงบประมาณ", "แต่งตั้งคณะทำงานหรือมอบหมายเจ้าหน้าที่ของหน่วยงานในการดูแลเว็ปไซต์",
     "ควรมอบหมายงานให้ นางสาวกาญจนา ผลขาวดำเนินการเว็ปไซต์ให้เป็นปัจจุบัน", "สำนักปลัด"),
    ("4. มาตรการจัดการเรื่องร้องเรียนการทุจริต",
     ["1. กำหนดให้หน่วยงานมีช่องทางการร้องเรียนการทุจริตในการปฏิบัติงานของ  เจ้าหน้าที่ผ่านช่องทางต่าง ๆ ที่เหมาะสมและอำนวยความสะดวก  เข้าถึงง่าย  แก่ประชาชนในการแจ้งเรื่องร้องเรียน",
      "2. จัดทำคู่มือและแนวปฏิบัติเกี่ยวกับการจัดการเรื่องร้องเรียนการทุจริต ที่โปร่งใสเป็นธรรม  และตรวจสอบได้",
      "3. สรุปผลและข้อมูลเชิงสถิติเรื่องร้องเรียนประจำปีเสนอผู้บังคับบัญชา  และเผยแพร่ใสเว็ปไซด์ของหน่วยงานภายในสิ้นปีงบประมาณนั้น ๆ"],
     "ตลอดปีงบประมาณ", "การปฏิบัติหน้าที่ของเจ้าหน้าที่ที่อยู่ใต้บังคับบัญชาของหัวหน้า",
     "หัวหน้าหน่วยงานต้องกำกับ  ดูแล การปฏิบัติหน้าที่", "สำนักปลัด"),
]  # fmt: skip


def test_seed_002_plan_with_suggestions(unit_a, tmp_path):
    plan = new_plan(unit_a, 2566)
    cells = []
    for title, steps, period, follow_up, suggestion, owners in SEED_002:
        # The office numbers its measures in the title ("1. มาตรการ…"): the plan prints number and title.
        add_measure(plan, title.split(".")[0], title=title.split(". ", 1)[1], steps=steps, period_text=period,
                    follow_up=f"{follow_up}\nข้อเสนอแนะ: {suggestion}", owner_text=owners)  # fmt: skip
        cells += [title, *steps, period, follow_up, suggestion, owners]
    assert non_space("ควรมอบหมายงานให้ นางสาวกาญจนา ผลขาวดำเนินการเว็ปไซต์ให้เป็นปัจจุบัน") in non_space(seed("002"))
    footnote = "หมายเหตุ  หาก อปท. มีการจัดทำรายงานดังกล่าว  จะสามารถนำไปตอบแบบประเมินฯ (OIT) ข้อ O41  O42 และ O43"
    assert footnote in seed("002")
    cells.append(footnote)
    doc, pdf = render_with_preset(unit_a, "plan", 2566, "", "plan-002", footnote=footnote)
    assert [h for _, h in doc.columns] == ["มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ระยะเวลาดำเนินการ",
                                        "การติดตามผลการดำเนินการ", "ข้อเสนอแนะ", "ผู้รับผิดชอบ"]  # fmt: skip
    check_pdf(doc, pdf, tmp_path, cells, thai.DIGITS_ARABIC)


def _oit_notes(text: str) -> dict[str, str]:
    """O-code → the progress note seed 004 gives it ("- …" lines after "ดำเนินการ")."""
    section = text[text.index("ประเด็นการประเมิน  OIT") :]
    parts = re.split(r"\n\t(O1|0\d{1,2}) ?\s*\n", section)
    notes = {}
    for code, body in zip(parts[1::2], parts[2::2], strict=True):
        key = "O1" if code == "O1" else f"O{int(code[1:])}"
        after = body.split("ดำเนินการ\n", 1)[-1] if "  ดำเนินการ\n" in body else ""
        lines = [line.strip() for line in after.splitlines() if line.strip().startswith("-")]
        notes.setdefault(key, lines[0][1:].strip() if lines else "")
    return notes


def test_seed_004_oit_with_components(unit_a, tmp_path):
    framework = Framework.objects.get(fiscal_year=2567)
    plan = Plan.objects.create(unit=unit_a, fiscal_year=2567, framework=framework)
    department = unit_a.departments.get(name="สำนักปลัด")
    notes = _oit_notes(seed("004"))
    cells = []
    for order, item in enumerate(OitItem.objects.filter(framework=framework, code__in=["O1", "O2", "O4", "O8", "O17", "O35"]).order_by("order")):
        row = OitProgress.objects.create(plan=plan, item=item, status="done", note=notes[item.code], order=order)
        row.owners.add(department)
        cells += [notes[item.code], "สำนักปลัด"]
    doc, pdf = render_with_preset(unit_a, "oit", 2567, "FY", "oit-004")
    assert [h for _, h in doc.columns] == ["ข้อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "ผู้รับผิดชอบ", "ความก้าวหน้าผลการดำเนินการ"]
    components = [cell for row in doc.rows if "cells" in row for key, cell in row["cells"] if key == "components"]
    seed_text = non_space(seed("004"))
    assert len(components) == 6 and all(non_space(c) in seed_text for c in components)  # the NACC form's words
    check_pdf(doc, pdf, tmp_path, cells + components + ["ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน", "☑ ดำเนินการ"], thai.DIGITS_ARABIC)
