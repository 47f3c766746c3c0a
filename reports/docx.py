"""Editable Word files of every report kind, from the same Document as the PDF: the same font (named TH
SarabunPSK, which every Thai government computer has and whose metrics Laksaman, the PDF's font, shares),
sizes, margins, column proportions, repeated table headers, page numbers in the document's digits, and
signature blocks, so an office that must edit in Word starts from the published layout."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from reports.data import Document
from reports.models import Kind
from reports.signatures import Signature

FONT = "TH SarabunPSK"
BODY_PT = 16
MEMO_TITLE_PT = 29


def _setup(word, doc: Document) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if doc.options.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    top, right, bottom, left = doc.options.margins
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    style = word.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    fonts = style.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    # Word sizes Thai (a complex script) by szCs, not sz.
    style.element.rPr.append(style.element.rPr.makeelement(qn("w:szCs"), {qn("w:val"): str(BODY_PT * 2)}))
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    _page_numbers(section, doc)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _page_numbers(section, doc: Document) -> None:
    """PAGE fields in the document's digits (Word's \\* ThaiArabic switch writes ๑ ๒ ๓)."""
    digits = " \\* ThaiArabic" if doc.options.thai_digits else ""
    if doc.kind == Kind.MEMO:
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        paragraph.add_run("- ")
        _field(paragraph, f"PAGE{digits}")
        paragraph.add_run(" -")
    else:
        paragraph = section.footer.paragraphs[0]
        _field(paragraph, f"PAGE{digits}")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _paragraph(word, text: str, *, bold=False, align=None, indent=False, size=None):
    paragraph = word.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
        run._r.get_or_add_rPr().append(run._r.makeelement(qn("w:szCs"), {qn("w:val"): str(size * 2)}))
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(2.5)
    return paragraph


def _heading(word, doc: Document) -> None:
    for line in doc.title_lines:
        if line:
            _paragraph(word, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for text in (doc.introduction or "").splitlines():
        if text.strip():
            _paragraph(word, text, indent=True)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _cell_text(value) -> str:
    return "\n".join(value) if isinstance(value, list) else (value or "")


def _table(word, doc: Document) -> None:
    if not doc.columns:
        return
    section = word.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    widths = [usable * percent // 100 for _key, percent in doc.column_widths]
    table = word.add_table(rows=1, cols=len(doc.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, (_key, heading), width in zip(table.rows[0].cells, doc.columns, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(heading).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _repeat_header(table.rows[0])
    for row in doc.rows:
        cells = table.add_row().cells
        if row.get("group"):
            merged = cells[0].merge(cells[-1])
            merged.text = ""
            merged.paragraphs[0].add_run(row["group"]).bold = True
            continue
        for cell, (_key, value), width in zip(cells, row["cells"], widths, strict=True):
            cell.width = width
            cell.text = _cell_text(value)
    for line in doc.footnote.splitlines():
        if line.strip():
            _paragraph(word, line)


def _signature(word, person: Signature, with_line: bool) -> None:
    align = WD_ALIGN_PARAGRAPH.CENTER
    if with_line:
        _paragraph(word, "")
        _paragraph(word, f"ลงชื่อ ..........................................{(' ' + person.label) if person.label else ''}", align=align)
    if person.rank:
        _paragraph(word, person.rank, align=align)
    _paragraph(word, f"({person.name or '..........................................'})", align=align)
    for line in person.position_lines:
        _paragraph(word, line, align=align)


def _analysis(word, doc: Document) -> None:
    for number, section in enumerate(doc.sections, 1):
        _paragraph(word, f"{doc.options.digits(number)}. {section['tool']}", bold=True)
        _paragraph(word, section["paragraph"], indent=True)
        for indicator in section["indicators"]:
            _paragraph(word, f"{indicator['name']}  {indicator['score']}")
        _paragraph(word, f"คะแนนเฉลี่ยของเครื่องมือ {section['mean']}", bold=True)
    if doc.sections:
        for heading, intro, items in (
            ("จุดแข็ง", doc.extra["strengths_intro"], doc.extra["strengths"]),
            ("ประเด็นที่ต้องพัฒนา", doc.extra["develop_intro"], doc.extra["to_develop"]),
        ):
            _paragraph(word, heading, bold=True)
            for text in [intro, *items]:
                _paragraph(word, text, indent=True)
        _paragraph(word, "ข้อเสนอแนะ", bold=True)
        for section in doc.sections:
            _paragraph(word, f"{section['tool']} {section['recommendation']}", indent=True)


def _memo(word, doc: Document) -> None:
    extra = doc.extra
    _paragraph(word, "บันทึกข้อความ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=MEMO_TITLE_PT)
    dots = "." * 40
    _paragraph(word, f"ส่วนราชการ {extra['office'] or dots}")
    _paragraph(word, f"ที่ {extra['reference'] or dots}\tวันที่ {extra['date'] or dots}")
    _paragraph(word, f"เรื่อง {extra['subject']}")
    _paragraph(word, f"เรียน {extra['to']}")
    for text in extra["paragraphs"]:
        _paragraph(word, text, indent=True)
    for person in doc.signatures:
        _paragraph(word, "")
        _signature(word, person, with_line=False)
    for step in extra["chain"]:
        _paragraph(word, step["heading"], bold=True)
        _paragraph(word, "." * 90)
        _signature(word, step["person"], with_line=False)


def render_docx(doc: Document) -> bytes:
    word = WordDocument()
    _setup(word, doc)
    if doc.kind == Kind.MEMO:
        _memo(word, doc)
    else:
        _heading(word, doc)
        if doc.kind == Kind.ANALYSIS:
            _analysis(word, doc)
        else:
            _table(word, doc)
        for person in doc.signatures:
            _signature(word, person, with_line=True)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
