"""Documents → HTML, PDF and DOCX. The HTML page and the PDF come from the same template; the page size,
margins and page numbers of each report come from page_css (given to WeasyPrint, so the HTML carries no
inline style)."""

from __future__ import annotations

from django.template.loader import render_to_string

from reports.data import Document
from reports.models import Kind


def render_html(doc: Document, *, for_pdf: bool = False) -> str:
    """The report page; *for_pdf* leaves out the stylesheet link (reports.pdf gives WeasyPrint print.css
    parsed once)."""
    return render_to_string(f"reports/documents/{doc.kind}.html", {"doc": doc, "for_pdf": for_pdf})


def page_number_style(doc: Document) -> str:
    return "thai" if doc.options.thai_digits else "decimal"


def page_css(doc: Document) -> str:
    """@page rules of the document: A4 in its orientation, its margins, page numbers in its digits. A memo
    numbers its pages from page 2 at the top ("- ๒ -"), as ระเบียบงานสารบรรณ does; reports at the foot.
    WeasyPrint takes this and print.css as user stylesheets; !important keeps it winning over print.css
    in browsers too (bench_reports), where print.css is linked."""
    top, right, bottom, left = doc.options.margins
    size = "A4 landscape" if doc.options.landscape else "A4 portrait"
    counter = f"counter(page, {page_number_style(doc)})"
    rules = f"size: {size} !important; margin: {top}mm {right}mm {bottom}mm {left}mm !important;"
    font = 'font-family: "Laksaman" !important;'
    if doc.kind == Kind.MEMO:
        numbers = (
            "@bottom-center { content: none !important; } "
            f'@top-center {{ content: "- " {counter} " -" !important; {font} font-size: 16pt !important; }}'
        )
        first = "@page :first { @top-center { content: none !important; } }"
    else:
        numbers = f"@bottom-center {{ content: {counter} !important; {font} font-size: 14pt !important; }}"
        first = ""
    # In the PDF only the shipped fonts exist (reports.pdf.ShippedFontsOnly), so Laksaman alone is named and
    # fontconfig falls back to DejaVu Sans and Symbola for what it lacks: naming them too made WeasyPrint
    # check every run of text against three fonts. Browsers showing the HTML page keep print.css's list.
    return (
        f"@page {{ {rules} {numbers} }} @page landscape {{ {rules} {numbers} }} {first} "
        'html { font-family: "Laksaman" !important; }'
    )


def render_pdf(doc: Document) -> tuple[bytes, int]:
    """(PDF bytes, page count). Imported lazily: WeasyPrint is heavy and only PDFs need it."""
    from reports import layout
    from reports.pdf import render_pdf_document

    if doc.kind == Kind.MEMO:
        _mark_memo_continuations(doc)
    return render_pdf_document(
        render_html(doc, for_pdf=True), stylesheets=[page_css(doc)], after_layout=layout.repeat_continued_titles,
        report=True,
    )  # fmt: skip


def _mark_memo_continuations(doc: Document) -> None:
    """Lay the memo out once to see which comment begins a new page; that page break is then made explicit
    with "/ความเห็นของ…" at the foot of the page before (seed 003)."""
    from reports import layout
    from reports.pdf import layout as lay_out

    for step in doc.extra["chain"]:
        step["continued_from"] = ""
    for index in layout.chain_page_starts(lay_out(render_html(doc, for_pdf=True), stylesheets=[page_css(doc)], report=True)):
        heading = doc.extra["chain"][index]["heading"].replace(doc.unit.name, "").strip()
        doc.extra["chain"][index]["continued_from"] = f"/{heading}..."


DOCX_KINDS = set(Kind.values)


def render_docx(doc: Document) -> bytes:
    from reports.docx import render_docx as render

    return render(doc)
