"""Every character prints: pasted Word text (\\x0b, NUL), ✅ and emoji in every free-text field render in PDF
and DOCX from the shipped fonts; a character no shipped font has is named by the completeness check (measure
and field) instead of failing with a 500."""

import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.urls import reverse

from measures.models import Measure, MeasureStep, OitProgress, ProgressEntry
from reports import data, publishing, render
from reports.models import ReportSettings
from reports.text import document_digits, keep_together, missing_characters
from tests import factories

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

# NUL cannot be stored in PostgreSQL (the portal's forms and importer drop it on input, ita_portal.text): in
# the database it is tested on SQLite; the report settings below carry it on every database.
NUL = "\x00" if connection.vendor == "sqlite" else ""
PASTED = f"ผล ✅ สำเร็จ 😀👍 ★{NUL} บรรทัด\x0bใหม่ ⚠️ O12 6 เดือน"
UNPRINTABLE = "🥰"  # Unicode 11: neither Laksaman, DejaVu Sans nor Symbola 2.60 has it

MEASURE_FIELDS = ["title", "issue", "owner_text", "period_text", "expected_outcome", "follow_up"]
ENTRY_FIELDS = ["result", "outcome", "problems", "suggestions"]
# Every column that prints a free-text field, kept even when empty.
COLUMNS = {
    "results": ["title", "issue", "steps", "owners", "period", "follow_up", "result", "outcome", "problems", "suggestions"],
    "plan": ["title", "issue", "steps", "owners", "period", "follow_up", "suggestions", "expected_outcome"],
    "oit": ["code", "title", "components", "owners", "progress", "url"],
}


@pytest.fixture
def pasted_everywhere(unit_a):
    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    plan = factories.plan(unit_a, 2568, measures=2)
    Measure.objects.filter(plan=plan).update(**{name: PASTED for name in MEASURE_FIELDS})
    MeasureStep.objects.filter(measure__plan=plan).update(text=PASTED)
    ProgressEntry.objects.filter(measure__plan=plan).update(**{name: PASTED for name in ENTRY_FIELDS})
    OitProgress.objects.filter(plan=plan).update(note=PASTED)
    return unit_a


def settings_with_pasted_text(unit, kind, round_code):
    text = PASTED + "\x00"
    return ReportSettings(
        unit=unit, kind=kind, fiscal_year=2568, round=round_code, introduction=text, title_note=text,
        signatures=[{"label": "ผู้รายงาน", "rank": text, "name": text, "position": text}],
        signatory_rank=text, signatory_name=text, signatory_position=text, memo_office=text, memo_reference=text,
        memo_subject=text, memo_to=text, memo_body=text, recommendations={"IIT": text},
        memo_comment_chain=[{"heading": text, "rank": text, "name": text, "position": text}],
        columns=COLUMNS.get(kind, []), keep_columns=COLUMNS.get(kind, []),
    )  # fmt: skip


@needs_poppler
@pytest.mark.parametrize("kind", ["results", "plan", "analysis", "oit", "memo"])
def test_pasted_characters_render_in_pdf_and_docx(kind, pasted_everywhere, tmp_path):
    from docx import Document

    round_code = "FY" if kind in ("results", "oit", "memo") else ""
    doc = data.build(kind, pasted_everywhere, 2568, round_code, settings_with_pasted_text(pasted_everywhere, kind, round_code))
    pdf, pages = render.render_pdf(doc)  # fails on a notdef glyph or a font from the system
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "✅" in text and "😀" in text and "\x0b" not in text and "\x00" not in text
    assert "บรรทัด\nใหม่" in text or "บรรทัด ใหม่" in text.replace("\n", " ")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Symbola-Report" in fonts
    word = Document(io.BytesIO(render.render_docx(doc)))
    body = "\n".join(p.text for p in word.paragraphs) + "".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "✅" in body and "\x0b" not in body and "\x00" not in body


def test_digits_follow_the_document_and_control_characters_are_cleaned():
    assert document_digits("รอบ 6 เดือน\x0bO12 e-GP www.x.go.th/6 a@b.th 2566\x00", "thai") == (
        "รอบ ๖ เดือน\nO12 e-GP www.x.go.th/6 a@b.th ๒๕๖๖"
    )
    assert document_digits("พ.ศ. ๒๕๖๖ ข้อ O1", "arabic") == "พ.ศ. 2566 ข้อ O1"


def test_keep_together_escapes_and_wraps():
    html = keep_together("<b> พ.ศ. ๒๕๖๖ ๖ เดือน โพธิ์ทอง", ("โพธิ์ทอง",))
    assert html == '&lt;b&gt; พ.ศ.\u00a0๒๕๖๖ ๖\u00a0เดือน <span class="nb">โพธิ์ทอง</span>'


def test_the_completeness_check_names_measure_and_field_of_an_unprintable_character(pasted_everywhere, login, alice):
    assert missing_characters(PASTED) == []
    measure = Measure.objects.filter(plan__unit=pasted_everywhere).order_by("sort_key").first()
    Measure.objects.filter(pk=measure.pk).update(follow_up=f"ติดตาม {UNPRINTABLE}")
    ProgressEntry.objects.filter(measure=measure).update(outcome=f"ผลลัพธ์ {UNPRINTABLE}")
    check = publishing.check_completeness(pasted_everywhere, "results", 2568, "FY")
    named = [b for b in check.blockers if "U+1F970" in b]
    assert len(named) == 2
    assert any(f"มาตรการที่ {measure.number}" in b and "การติดตามผล" in b for b in named)
    assert any(f"มาตรการที่ {measure.number}" in b and "ผลลัพธ์" in b for b in named)
    # The preview answers with the same names instead of a 500; publishing refuses.
    response = login(alice).get(reverse("reports:preview_pdf", args=["unit-a", "results", 2568, "FY"]))
    assert response.status_code == 422 and "U+1F970" in response.content.decode()
    assert login(alice).post(reverse("reports:publish", args=["unit-a", "results", 2568, "FY"])).status_code == 200


def test_a_name_inside_another_word_keeps_its_marks():
    # "ลอย" (อบต.ลอย) inside "ข้อมูลอย่างน้อย": cutting it out would strand the tone mark.
    html = keep_together("ให้มีข้อมูลอย่างน้อย อบต.ลอย", ("ลอย", "โพธิ์ทอง"))
    assert "ข้อมูลอย่างน้อย" in html and '<span class="nb">' not in html
    assert keep_together("ข้อมูลโพธิ์ทองดี", ("โพธิ์ทอง",)) == 'ข้อมูล<span class="nb">โพธิ์ทอง</span>ดี'
