"""Read a PDF's text layer back as the viewers people use do, and score it against the text it should hold.

Four engines: poppler (`pdftotext`: Linux viewers, and the text the portal's own tests read), PDFium
(`pypdfium2`: Chrome, Edge), MuPDF (`pymupdf`: SumatraPDF, many mobile readers) and pdf.js (`pdfjs-dist`
run by node from tools/pdfjs: Firefox and the web viewers). PDFium and MuPDF are development dependencies
and pdf.js a local npm package (`npm ci --prefix tools/pdfjs`), so they are imported when used; the app
never needs them. Used by tests/test_pdf_text.py and `manage.py measure_pdf_text`.

The scores (docs/pdf-text-layer.md), all on the texts without white space (line breaks are layout):
- SARA AM: each ำ of the source with the consonant (and tone mark) it sits on, ดำ, น้ำ, ค่ำ, must come back
  as often as the source has it. Exact for poppler, PDFium and MuPDF; for pdf.js after Unicode NFKC on both
  sides, which turns ำ into ํา as Firefox's search does.
- pieces: the source cut into 12-character pieces; a piece is lost when it is not found in the text read.
- extra: how much more text than poppler an engine reads (MuPDF used to read the lines twice).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

ENGINES = ("poppler", "pdfium", "mupdf", "pdfjs")
ENGINE_NAMES = {
    "poppler": "poppler (`pdftotext`, Linux viewers)",
    "pdfium": "PDFium (Chrome, Edge)",
    "mupdf": "MuPDF (SumatraPDF, mobile readers)",
    "pdfjs": "pdf.js (Firefox, web viewers)",
}
PIECE = 12
PDFJS_DIR = Path(settings.BASE_DIR) / "tools" / "pdfjs"
_SPACE = re.compile(r"\s+")
# A consonant (or vowel letter) with the tone marks on it, then SARA AM.
_SARA_AM = re.compile("[\u0e01-\u0e2e][\u0e48-\u0e4c]*\u0e33")


def missing_engines() -> list[str]:
    """Why an engine cannot be run here (empty when all four can)."""
    reasons = []
    if shutil.which("pdftotext") is None:
        reasons.append("poppler's pdftotext is not installed (apt-get install poppler-utils)")
    for module, package in (("pypdfium2", "pypdfium2"), ("pymupdf", "pymupdf")):
        if importlib.util.find_spec(module) is None:
            reasons.append(f"{package} is not installed (pip install -e '.[dev]')")
    if shutil.which("node") is None:
        reasons.append("node is not installed")
    elif not (PDFJS_DIR / "node_modules" / "pdfjs-dist").is_dir():
        reasons.append("pdfjs-dist is not installed (npm ci --prefix tools/pdfjs)")
    return reasons


def read_poppler(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def read_pdfium(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\f".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def read_mupdf(path: Path) -> str:
    import pymupdf

    with pymupdf.open(str(path)) as document:
        return "\f".join(page.get_text() for page in document)


def read_pdfjs(path: Path) -> str:
    return subprocess.run(
        ["node", str(PDFJS_DIR / "pdftext.mjs"), str(path)], check=True, capture_output=True, text=True
    ).stdout


READERS = {"poppler": read_poppler, "pdfium": read_pdfium, "mupdf": read_mupdf, "pdfjs": read_pdfjs}


def read_all(pdf: bytes) -> dict[str, str]:
    """The text of the PDF as each engine reads it."""
    with tempfile.TemporaryDirectory(prefix="pdf-readback-") as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        return {engine: READERS[engine](path) for engine in ENGINES}


def non_space(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class Score:
    sara_am: int  # places with ำ in the source
    sara_am_wrong: int
    pieces: int
    pieces_lost: int
    characters: int  # characters read, white space left out, after NFKC

    def cell(self) -> str:
        return f"{self.sara_am_wrong}/{self.sara_am} ำ wrong, {self.pieces_lost}/{self.pieces} lost"


def score(expected: str, read: str, *, nfkc: bool = False) -> Score:
    source, text = non_space(expected), non_space(read)
    if nfkc:
        source, text = unicodedata.normalize("NFKC", source), unicodedata.normalize("NFKC", text)
    places = _SARA_AM.findall(non_space(expected))
    wrong = 0
    for place in set(places):
        wanted = unicodedata.normalize("NFKC", place) if nfkc else place
        wrong += max(0, places.count(place) - text.count(wanted))
    pieces = [source[i : i + PIECE] for i in range(0, len(source) - PIECE + 1, PIECE)]
    lost = sum(piece not in text for piece in pieces)
    # Counted after NFKC for every engine, so that pdf.js's ํา weighs what the others' ำ does.
    return Score(len(places), wrong, len(pieces), lost, len(unicodedata.normalize("NFKC", non_space(read))))


def score_all(expected: str, texts: dict[str, str]) -> dict[str, Score]:
    return {engine: score(expected, text, nfkc=engine == "pdfjs") for engine, text in texts.items()}


def extra_over_poppler(scores: dict[str, Score]) -> dict[str, float]:
    """How much more text each engine reads than poppler, as a fraction (0.11 = 11 % more)."""
    base = scores["poppler"].characters or 1
    return {engine: s.characters / base - 1 for engine, s in scores.items()}


def chromium_pdf(html: str) -> bytes:
    """The same HTML printed by Chromium (Debian's /usr/bin/chromium through Playwright), for comparison:
    /static/… resources are served from the static files, as WeasyPrint gets them."""
    from playwright.sync_api import sync_playwright

    from reports.pdf import static_path

    origin = "http://report.invalid"

    def serve(route):
        url = route.request.url
        if url.rstrip("/") == origin:
            return route.fulfill(body=html, content_type="text/html; charset=utf-8")
        path = static_path(url)
        if path is None:
            return route.abort()
        return route.fulfill(path=str(path))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.route("**/*", serve)
            page.goto(origin + "/", wait_until="networkidle")
            page.evaluate("document.fonts.ready")
            return page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()


CORPUS = Path(settings.BASE_DIR) / "tests" / "test_pdf_text_corpus.txt"
# The shipped Thai fonts: Laksaman (TH SarabunPSK's metrics) and Sarabun, each in its four faces.
FONTS = {
    "Laksaman": (
        "laksaman/Laksaman",
        "laksaman/Laksaman-Bold",
        "laksaman/Laksaman-Italic",
        "laksaman/Laksaman-BoldItalic",
    ),
    "Sarabun": ("Sarabun-Regular", "Sarabun-Bold", "Sarabun-Italic", "Sarabun-BoldItalic"),
}


def corpus_lines() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def font_document(font: str, body: str) -> str:
    """An HTML document of `body` set in one of the shipped fonts (its four faces), A4 landscape."""
    faces = "".join(
        f'@font-face {{ font-family: "Test {font}"; src: url("/static/fonts/{name}.ttf"); '
        f"font-weight: {700 if 'Bold' in name else 400}; font-style: {'italic' if 'Italic' in name else 'normal'}; }}"
        for name in FONTS[font]
    )
    css = (
        f'{faces} @page {{ size: A4 landscape; margin: 15mm; }} html {{ font-family: "Test {font}"; '
        "font-size: 15pt; line-height: 1.3; } table { border-collapse: collapse; width: 100%; } "
        "td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; width: 33%; }"
    )
    return f'<!doctype html><html lang="th"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'


def corpus_document(font: str) -> tuple[str, str]:
    """(HTML, its text): the corpus as a report would set it, a title, a table, paragraphs, bold and italic."""
    from django.utils.html import escape

    lines = corpus_lines()
    title, rows, paragraphs = lines[0], lines[1:22], lines[22:]
    cells = [rows[i : i + 3] for i in range(0, len(rows), 3)]
    table = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in cells)
    styles = {1: "<p><b>{}</b></p>", 3: "<p><i>{}</i></p>"}
    body = "".join(styles.get(n % 5, "<p>{}</p>").format(escape(p)) for n, p in enumerate(paragraphs))
    html = font_document(font, f"<h1>{escape(title)}</h1><table>{table}</table>{body}")
    return html, "\n".join([title, *(c for row in cells for c in row), *paragraphs])


class _TextCollector(HTMLParser):
    _SKIPPED = {"head", "style", "script", "title"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        self._skipping += tag in self._SKIPPED

    def handle_endtag(self, tag):
        self._skipping -= tag in self._SKIPPED and self._skipping > 0

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text an HTML document shows (what its PDF must hold), one piece per line."""
    collector = _TextCollector()
    collector.feed(html)
    return "\n".join(part.strip() for part in collector.parts if part.strip())
