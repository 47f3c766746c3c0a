"""HTML → PDF with WeasyPrint, strictly.

- Fonts and images come only from the project's static files (no network, no system lookups for
  resources): `/static/…` URLs are resolved through Django's staticfiles finders.
- A resource that fails to load makes the render fail. WeasyPrint itself only logs "cannot be loaded"
  and falls back to another font (boxes for Thai) or drops the image; an office must never publish that.
- The Thai text layer is made right in every viewer by reports/pdf_text.py, which reports/apps.py installs
  at start-up; a render refuses to run without it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
import weasyprint.urls
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.text.ffi import ffi, fontconfig, gobject, pangoft2
from weasyprint.text.fonts import FontConfiguration

from reports import pdf_text

# FcConfigCreate is not among the functions WeasyPrint declares to cffi; ctypes reaches the same library.
_fontconfig_c = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
_fontconfig_c.FcConfigCreate.restype = ctypes.c_void_p

# WeasyPrint's warnings that mean something the document needs was not used.
_FATAL_WARNINGS = ("cannot be loaded", "failed to load", "notdef glyph", "no glyph")


class PdfRenderError(RuntimeError):
    """The PDF could not be rendered as written (a missing font, image or stylesheet)."""


class _WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _failing_on_warnings():
    """Raise PdfRenderError when WeasyPrint, inside the block, warns that something the document needs was
    not used (a font or image that did not load, a glyph no font has)."""
    collector = _WarningCollector()
    logger = logging.getLogger("weasyprint")
    previous_level = logger.level
    logger.addHandler(collector)
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
    fatal = [m for m in collector.messages if any(word in m.lower() for word in _FATAL_WARNINGS)]
    if fatal:
        raise PdfRenderError("; ".join(fatal))


def static_path(url: str) -> Path | None:
    """The file behind a `/static/…` URL (or a file:// URL inside a static directory), or None."""
    parsed = urlparse(url)
    path = unquote(parsed.path)
    if parsed.scheme in ("", "http", "https") and path.startswith(settings.STATIC_URL):
        name = path[len(settings.STATIC_URL) :]
        found = finders.find(name)
        if not found:
            # In production templates link collectstatic's hashed names (print.2e883c2d233e.css), which
            # only STATIC_ROOT holds.
            root = Path(settings.STATIC_ROOT).resolve()
            candidate = (root / name).resolve()
            found = candidate if candidate.is_relative_to(root) and candidate.is_file() else None
        return Path(found) if found else None
    if parsed.scheme == "file":
        candidate = Path(path).resolve()
        roots = [Path(root).resolve() for root in settings.STATICFILES_DIRS]
        if any(candidate.is_relative_to(root) for root in roots) and candidate.is_file():
            return candidate
    return None


class StaticOnlyURLFetcher(weasyprint.urls.URLFetcher):
    """Serves static files only; anything else is refused, and every failure stops the render."""

    def __init__(self):
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise PdfRenderError(f"resource not found or not allowed in a report: {url}")
        mime_type, _ = mimetypes.guess_type(path.name)
        return weasyprint.urls.URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": mime_type or "application/octet-stream"}
        )


class ShippedFontsOnly(FontConfiguration):
    """A font configuration without the system's fonts: only the @font-face fonts of the document (from
    static/fonts) can draw a glyph. With the system's configuration, fontconfig sends emoji to whatever emoji
    font the server has (its "emoji" alias and und-zsye language rules beat the CSS font list)."""

    def __init__(self):
        address = _fontconfig_c.FcConfigCreate()
        if not address:
            raise PdfRenderError("fontconfig could not create an empty configuration")
        self._config = ffi.cast("FcConfig *", address)
        self.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
        pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", self.font_map), self._config)
        fontconfig.FcConfigDestroy(self._config)  # the font map keeps its own reference
        self._folder = None
        self.strut_layouts = {}
        self.font_features = {}


# Font families the report stylesheet (static/css/print.css) declares with @font-face from static/fonts.
SHIPPED_FAMILIES = {"Laksaman", "DejaVu Sans Report", "Symbola Report"}


# The report stylesheet: the report templates link it for browsers and leave it out of the HTML given to
# WeasyPrint, which takes it parsed (reports.render.render_html(for_pdf=True)).
REPORT_STYLESHEET = "css/print.css"

_kept = threading.local()


class _ReportStyles:
    """A thread's font configuration and parsed report stylesheet, kept from one report to the next: loading
    the 4.5 MB of shipped fonts and parsing print.css cost each render about 5 % of its time. Only report
    documents use them (a font another document declared would stay in the configuration as a fallback).
    WeasyPrint's copy of the fonts stays in a temporary folder while the thread lives; memory stays flat
    (54 renders of nine reports: 117 → 124 MB)."""

    def __init__(self):
        self.fonts = ShippedFontsOnly()
        self.stylesheet = None
        self.signature = None

    def css(self) -> weasyprint.CSS:
        path = static_path(settings.STATIC_URL + REPORT_STYLESHEET)
        if path is None:
            raise PdfRenderError(f"the report stylesheet {REPORT_STYLESHEET} is not among the static files")
        stat = path.stat()
        signature = (path, stat.st_mtime_ns, stat.st_size)  # parsed again when the file changes (development)
        if signature != self.signature:
            self.signature = None
            with _failing_on_warnings():  # a font that failed to load is never kept
                self.stylesheet = weasyprint.CSS(
                    string=path.read_text(encoding="utf-8"), url_fetcher=StaticOnlyURLFetcher(),
                    base_url=f"http://report.invalid{settings.STATIC_URL}{REPORT_STYLESHEET}", font_config=self.fonts,
                )  # fmt: skip
            self.signature = signature
        return self.stylesheet


def _report_styles() -> _ReportStyles:
    styles = getattr(_kept, "styles", None)
    if styles is None:
        styles = _kept.styles = _ReportStyles()
    return styles


def layout(html: str, *, base_url: str | None = None, stylesheets=(), report: bool = False) -> weasyprint.Document:
    """Lay the document out (fonts and images from static files only); raises PdfRenderError. A *report*
    (HTML without its stylesheet link) is laid out with the thread's kept fonts and print.css before
    *stylesheets*; any other document loads what it links."""
    pdf_text.ensure_installed()
    try:
        if report:
            styles = _report_styles()
            font_config, css = styles.fonts, [styles.css()]
        else:
            font_config, css = ShippedFontsOnly(), []
        css += [weasyprint.CSS(string=text, font_config=font_config) for text in stylesheets]
        return weasyprint.HTML(
            string=html, base_url=base_url or "http://report.invalid/", url_fetcher=StaticOnlyURLFetcher()
        ).render(stylesheets=css, font_config=font_config)
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise PdfRenderError(f"{exc}: {exc.__cause__}") from exc


def render_pdf_document(
    html: str, *, base_url: str | None = None, stylesheets=(), after_layout=None, report=False
) -> tuple[bytes, int]:
    """Render an HTML document (stylesheets and fonts linked as /static/… URLs): (PDF bytes, pages).

    *stylesheets* are CSS texts added to the document's own (the report's page size and margins);
    *after_layout(document)* may adjust the laid-out pages before they are drawn (reports/layout.py);
    a *report* (see layout) fails when a glyph is drawn from any font but the report's own."""
    with _failing_on_warnings():
        document = layout(html, base_url=base_url, stylesheets=stylesheets, report=report)
        if after_layout is not None:
            after_layout(document)
        pdf = document.write_pdf()
    if report:
        foreign = sorted({font.family for font in document.fonts.values()} - SHIPPED_FAMILIES)
        if foreign:
            raise PdfRenderError(f"glyphs drawn from fonts that are not shipped with the portal: {', '.join(foreign)}")
    return pdf, len(document.pages)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    return render_pdf_document(html, base_url=base_url)[0]
