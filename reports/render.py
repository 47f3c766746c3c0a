"""Documents → HTML, PDF and DOCX. The HTML page and the PDF come from the same template."""

from __future__ import annotations

import io

from django.template.loader import render_to_string

from reports.data import Document
from reports.models import Kind


def render_html(doc: Document) -> str:
    return render_to_string(f"reports/documents/{doc.kind}.html", {"doc": doc})


def render_pdf(doc: Document) -> tuple[bytes, int]:
    """(PDF bytes, page count). Imported lazily: WeasyPrint is heavy and only PDFs need it."""
    from reports.pdf import render_pdf_document

    return render_pdf_document(render_html(doc))


DOCX_KINDS = {Kind.RESULTS, Kind.PLAN}


def render_docx(doc: Document) -> bytes:
    """An editable Word file of the results or plan table, A4, Thai font named, for offices that edit
    before signing."""
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    if doc.kind not in DOCX_KINDS:
        raise ValueError(f"DOCX is made for {', '.join(sorted(DOCX_KINDS))} only")
    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if doc.options.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(15))
    style = word.styles["Normal"]
    style.font.name = "TH Sarabun New"
    style.font.size = Pt(14)
    # Word picks the complex-script font for Thai from the cs attribute.
    fonts = style.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "TH Sarabun New")
    size_cs = style.element.rPr.makeelement(qn("w:szCs"), {qn("w:val"): "28"})
    style.element.rPr.append(size_cs)

    for line in doc.title_lines:
        if line:
            paragraph = word.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(line).bold = True
    for text in (doc.introduction or "").splitlines():
        if text.strip():
            word.add_paragraph(text)
    table = word.add_table(rows=1, cols=len(doc.columns))
    table.style = "Table Grid"
    for cell, (_, heading) in zip(table.rows[0].cells, doc.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    # The header row repeats on every page in Word too.
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = header_properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    header_properties.append(repeat)
    for row in doc.rows:
        cells = table.add_row().cells
        for cell, (_, value) in zip(cells, row["cells"], strict=True):
            cell.text = "\n".join(value) if isinstance(value, list) else value
    if doc.signatory is not None:
        for text in (
            "ลงชื่อ ........................................ ผู้รายงาน",
            f"({doc.signatory.name or '........................................'})",
            doc.signatory.position,
        ):
            if text:
                paragraph = word.add_paragraph(text)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
