"""A searchable Thai text layer for WeasyPrint PDFs.

WeasyPrint 70 maps each glyph to text once per font ("first seen wins") in the ToUnicode CMap and writes
no ActualText. HarfBuzz shapes ำ (SARA AM) into two glyphs of one cluster (NIKHAHIT + SARA AA), so the
text layer loses or duplicates characters: copying or searching ดำเนินการ, สำนัก, จำนวน fails, and once a
SARA AA glyph has first been seen inside ำ every later า reads back as ำ.

The fix: wrap every drawn line in a marked-content span carrying the line's real text,
`/Span <</ActualText (…)>> BDC … EMC`, as Chromium does for clusters whose glyphs do not map back to
their text. PDF readers (poppler's pdftotext, pdf.js, Acrobat) then copy and search the real text, while
the glyphs are drawn exactly as before. The patch wraps WeasyPrint's `draw_first_line` rather than
copying it, and refuses to load on another WeasyPrint version: tests/test_pdf_render.py checks both that
the fix works and that unpatched WeasyPrint is still wrong, so an upgrade that fixes it upstream is seen.
"""

from __future__ import annotations

import contextlib
import functools

import pydyf
import weasyprint
import weasyprint.draw.text as draw_text

PATCHED_FOR_VERSION = "70.0"

_original_draw_first_line = draw_text.draw_first_line
_enabled = True


def _draw_first_line_with_actual_text(stream, textbox, text_overflow, block_ellipsis, matrix):
    text = textbox.text
    if not _enabled or not text.strip():
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    # pydyf.String writes non-ASCII text as UTF-16BE with a byte order mark, as ActualText requires.
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
    try:
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        stream.end_marked_content()


functools.update_wrapper(_draw_first_line_with_actual_text, _original_draw_first_line)


def install() -> None:
    """Apply the patch (idempotent). Raises RuntimeError on a WeasyPrint it was not written for."""
    if weasyprint.__version__ != PATCHED_FOR_VERSION:
        raise RuntimeError(
            f"reports/pdf_text.py was written for WeasyPrint {PATCHED_FOR_VERSION}, found "
            f"{weasyprint.__version__}: check whether the Thai text layer is fixed upstream "
            "(tests/test_pdf_render.py) and update or drop the patch."
        )
    # weasyprint/svg/text.py imports draw_first_line at call time, so this covers SVG text too.
    draw_text.draw_first_line = _draw_first_line_with_actual_text


@contextlib.contextmanager
def disabled():
    """Render without the fix (for the test that proves the fix is still needed)."""
    global _enabled
    previous, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = previous
