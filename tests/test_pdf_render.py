"""The PDF layer: the report font (Laksaman) embedded, strict about missing resources, and a text layer that gives back
Thai text exactly (pdftotext honours the ActualText spans written by reports/pdf_text.py)."""

import re
import shutil
import subprocess
import threading

import pytest

from reports import pdf_text
from reports.pdf import PdfRenderError, render_pdf, render_pdf_document

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

# The first ำ comes before the first า: unpatched WeasyPrint then reads every า back as ำ.
THAI_TEXT = (
    "ดำเนินการ สำนักปลัด จำนวน กำหนด น้ำ ผู้ใหญ่ ไม้โท ก๊ก ก๋วยเตี๋ยว เกี่ยวกับ แผน โครงการ ใน ไป "
    "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. ๒๕๖๘ จำนวน ๕๐ โครงการ ร้อยละ ๑๐๐ "
    "ระบบ OIT ของ ITA ผ่าน E-plannacc รอบ ๖ เดือน และ ๑๒ เดือน ไม่พบการร้องเรียน น้ำท่วม ค่ำ ทำ"
)


def page(body, extra_css=""):
    return f"""<!doctype html><html lang="th"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/css/print.css"><style>{extra_css}</style></head>
<body>{body}</body></html>"""


def pdftotext(pdf: bytes, tmp_path, first=None, last=None) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def non_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def character_errors(expected: str, actual: str) -> int:
    """Edit distance between the texts without white space (line breaks are layout, not content)."""
    a, b = non_space(expected), non_space(actual)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@needs_poppler
def test_thai_text_reads_back_exactly(tmp_path):
    pdf = render_pdf(page(f"<p>{THAI_TEXT}</p><p>{THAI_TEXT}</p>"))
    # "๑" is the page number in the footer.
    assert character_errors(THAI_TEXT * 2 + "๑", pdftotext(pdf, tmp_path)) == 0


@needs_poppler
def test_unpatched_weasyprint_still_breaks_sara_am(tmp_path):
    """When this fails, WeasyPrint writes a right Thai text layer itself: drop reports/pdf_text.py."""
    with pdf_text.disabled():
        pdf = render_pdf(page(f"<p>{THAI_TEXT}</p>"))
    assert character_errors(THAI_TEXT, pdftotext(pdf, tmp_path)) > 0


@needs_poppler
def test_long_table_repeats_header_and_numbers_pages_in_thai(tmp_path):
    rows = "".join(
        f"<tr><td>{i}</td><td>{THAI_TEXT}</td><td>สำนักปลัด</td></tr>" for i in range(1, 41)
    )
    html = page(
        "<table class='report'><thead><tr><th>ลำดับ</th><th>มาตรการ/แนวทาง</th><th>ผู้รับผิดชอบ</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )
    pdf, pages = render_pdf_document(html)
    assert pages >= 3
    thai_numbers = "๑๒๓๔๕๖๗๘๙"
    for number in range(1, pages + 1):
        text = pdftotext(pdf, tmp_path, number)
        assert "มาตรการ/แนวทาง" in text, f"no header on page {number}"
        assert re.search(rf"(^|\s){thai_numbers[number - 1]}\s*$", text.strip()), f"page number {number}"


@needs_poppler
def test_report_font_is_embedded(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(render_pdf(page(f"<p>{THAI_TEXT}</p><p><b>ตัวหนา</b></p>")))
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Laksaman" in fonts
    assert re.search(r"Laksaman\S*-Bold", fonts)
    for line in fonts.splitlines()[2:]:
        assert " yes " in line, f"font not embedded: {line}"


def test_missing_font_fails_the_render():
    css = '@font-face { font-family: "Nope"; src: url("/static/fonts/Missing.ttf"); } p { font-family: "Nope"; }'
    with pytest.raises(PdfRenderError):
        render_pdf(page("<p>ข้อความ</p>", css))


def test_missing_image_fails_the_render():
    with pytest.raises(PdfRenderError):
        render_pdf(page("<p><img src='/static/img/missing-logo.png'></p>"))


def test_network_resources_are_refused():
    with pytest.raises(PdfRenderError):
        render_pdf(page("<p><img src='https://example.org/logo.png'></p>"))


REPORT = '<!doctype html><html lang="th"><head><meta charset="utf-8"></head><body><p>ดำเนินการ ✅</p></body></html>'


@needs_poppler
def test_a_report_keeps_its_fonts_and_stylesheet_from_one_render_to_the_next(tmp_path):
    from reports import pdf

    pdf._kept.__dict__.clear()
    first, _ = render_pdf_document(REPORT, report=True)
    styles = pdf._report_styles()
    kept = styles.stylesheet
    second, _ = render_pdf_document(REPORT, report=True)
    assert styles.stylesheet is kept and pdf._report_styles() is styles
    # ๑: print.css's page number, so the kept stylesheet was applied the second time too.
    assert non_space(pdftotext(second, tmp_path)) == non_space(pdftotext(first, tmp_path)) == "ดำเนินการ✅๑"


@needs_poppler
def test_a_report_stylesheet_whose_font_failed_is_not_kept(monkeypatch, tmp_path):
    from reports import pdf

    pdf._kept.__dict__.clear()
    fetch = pdf.StaticOnlyURLFetcher.fetch

    def losing_laksaman(self, url, headers=None):
        if "Laksaman.ttf" in url:
            raise PdfRenderError("lost")
        return fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyURLFetcher, "fetch", losing_laksaman)
    with pytest.raises(PdfRenderError):
        render_pdf_document(REPORT, report=True)
    assert pdf._report_styles().signature is None  # not kept: the next render parses print.css again
    monkeypatch.setattr(pdf.StaticOnlyURLFetcher, "fetch", fetch)
    # The kept font configuration loads the font it lacks when print.css is parsed again.
    document, pages = render_pdf_document(REPORT, report=True)
    path = tmp_path / "report.pdf"
    path.write_bytes(document)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert pages == 1 and re.search(r"\+Laksaman\s", fonts), fonts


@needs_poppler
def test_reports_rendered_in_several_threads_at_once_come_out_as_rendered_alone(tmp_path):
    """App servers run threads: each keeps its own fonts and stylesheet (reports/pdf.py _ReportStyles)."""
    import concurrent.futures

    documents = [REPORT.replace("ดำเนินการ", word) for word in ("ดำเนินการ", "สำนักปลัด", "น้ำท่วม ค่ำ", "กองคลัง")]

    def text(html):
        path = tmp_path / f"{threading.get_ident()}.pdf"
        path.write_bytes(render_pdf_document(html, report=True)[0])
        return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout

    alone = [text(html) for html in documents]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        assert list(pool.map(text, documents * 3)) == alone * 3
