"""A Thai text layer that reads right in every PDF viewer (WeasyPrint 70, pydyf 0.13).

The problem. HarfBuzz's Thai shaper splits ำ (SARA AM) into two glyphs of one cluster, NIKHAHIT + SARA AA,
moves the NIKHAHIT before a preceding tone mark (น้ำ is drawn น ํ ้ า), and fonts then swap glyphs for
variants and ligatures (Sarabun draws ํ+้ as one glyph). WeasyPrint maps each glyph to text once per font,
"first seen wins", and gives a cluster's whole text to its last glyph and nothing to the others: the
NIKHAHIT glyph gets an empty entry (pdf.js then shows its glyph id as U+02F8 "˸"), and once a SARA AA has
first been seen inside ำ every later า reads back as ำ.

What this module does, for every line WeasyPrint draws (it wraps `draw_first_line` and its output), on
graphemes: a spacing glyph with the zero-width glyphs drawn after it (ดำ, น้ำ, ปั้, ยู่).

1. Each glyph is mapped in the font's ToUnicode to the character(s) it draws: a glyph in the font's cmap
   to its own character (the NIKHAHIT glyph → U+0E4D, SARA AA → U+0E32); a variant or ligature glyph to
   what is left of the grapheme's text once the cmap glyphs have taken theirs, in text order (Sarabun's
   ํ+้ ligature → "้ํ", Laksaman's low ่ → "่").
2. Zero-width marks of a grapheme are drawn in text order (น ้ ํ า), which changes no pixel: WeasyPrint
   positions every glyph on its own and a zero-width glyph moves nothing. A reader that only follows the
   glyphs (pdf.js) then reads "น้ํา", which is ำ after Unicode NFKC normalisation, as search does.
3. Only a grapheme whose glyphs still do not spell its exact text (every ำ: "ํา" ≠ "ำ"), or with a mark
   raised by a text rise, is wrapped in a marked-content span with its real text,
   `/Span <</ActualText (…)>> BDC … EMC`, as Chromium does: poppler and PDFium then read the exact ำ, and
   MuPDF reads the span's text in place of its glyphs, once (it read whole-line spans twice).

The glyphs are drawn exactly as before. The patch refuses an untested WeasyPrint or pydyf
(`version_problems`, reported by the system check in reports/checks.py); reports/apps.py installs it at
start-up and reports/pdf.py refuses to render without it. tests/test_pdf_text.py reads the result back
with poppler, PDFium, MuPDF and pdf.js; tests/test_pdf_render.py checks that unpatched WeasyPrint is
still wrong, so that an upgrade that fixes it upstream is seen.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, compress, repeat
from operator import eq, not_

import pydyf
import weasyprint
import weasyprint.draw.text as draw_text
from fontTools.ttLib import TTFont
from weasyprint.text.ffi import ffi, pango

# The versions this module was written and tested for: it reads WeasyPrint's Pango glyph strings, font
# objects and content stream items as those versions make them.
TESTED_VERSIONS = {"weasyprint": ("70.0",), "pydyf": ("0.13.0",)}

# Characters HarfBuzz decomposes before shaping (Thai and Lao SARA AM → NIKHAHIT/NIGGAHITA + SARA AA).
_DECOMPOSED = {"\u0e33": "\u0e4d\u0e32", "\u0eb3": "\u0ecd\u0eb2"}
_DECOMPOSE = str.maketrans(_DECOMPOSED)
_EMPTY = pango.PANGO_GLYPH_EMPTY
_IS_ZERO = (0).__eq__
_SARA_AM = "\u0e33".encode()
_GLYPH_INFO_SIZE = ffi.sizeof("PangoGlyphInfo")
_UNKNOWN = pango.PANGO_GLYPH_UNKNOWN_FLAG

logger = logging.getLogger(__name__)
_original_draw_first_line = draw_text.draw_first_line
_enabled = True
_installed = False


def installed_versions() -> dict[str, str]:
    return {"weasyprint": weasyprint.__version__, "pydyf": pydyf.VERSION}


def version_problems() -> list[str]:
    """What makes this patch unsafe to install: each installed library at an untested version."""
    return [
        f"{name} {found} is installed; reports/pdf_text.py was tested with {name} "
        f"{', '.join(TESTED_VERSIONS[name])}: check that the Thai text layer still reads right "
        "(tests/test_pdf_text.py, tests/test_pdf_render.py), then update TESTED_VERSIONS or drop the patch."
        for name, found in installed_versions().items()
        if found not in TESTED_VERSIONS[name]
    ]


def install() -> None:
    """Apply the patch (idempotent). Raises RuntimeError on an untested WeasyPrint or pydyf."""
    global _installed
    problems = version_problems()
    if problems:
        raise RuntimeError(" ".join(problems))
    # weasyprint/svg/text.py imports draw_first_line at call time, so this covers SVG text too.
    draw_text.draw_first_line = _draw_first_line_with_text_layer
    _installed = True


def is_installed() -> bool:
    return _installed and draw_text.draw_first_line is _draw_first_line_with_text_layer


def ensure_installed() -> None:
    """Refuse to render a PDF whose Thai text layer would be wrong."""
    if not is_installed():
        raise RuntimeError(
            "the Thai text layer patch (reports/pdf_text.py) is not installed: "
            + (" ".join(version_problems()) or "the reports app did not start (INSTALLED_APPS?)")
        )


@contextlib.contextmanager
def disabled():
    """Render without the fix (for the test that proves the fix is still needed, and for measuring)."""
    global _enabled
    previous, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = previous


# --- what each glyph draws -------------------------------------------------------------------------------


_cmaps: dict[tuple[bytes, int], dict[int, str]] = {}


def _cmap_characters(content: bytes, index: int) -> dict[int, str]:
    """Glyph id → the characters the font's cmap maps to it (several when codepoints share a glyph)."""
    font = TTFont(io.BytesIO(content), fontNumber=index, lazy=True)
    order = font.getGlyphOrder()
    ids = {name: number for number, name in enumerate(order)}
    characters: dict[int, str] = {}
    for codepoint, name in sorted(font.getBestCmap().items()):
        if 0xE000 <= codepoint <= 0xF8FF:
            # Private use: Thai fonts map the legacy codes of their mark variants there (Laksaman's
            # U+F70A is its low MAI EK). A variant is spelled from the text, like any glyph outside the cmap.
            continue
        glyph = ids.get(name)
        if glyph is not None:
            characters[glyph] = characters.get(glyph, "") + chr(codepoint)
    return characters


def glyph_characters(font) -> dict[int, str]:
    """The cmap of a WeasyPrint font object, read once per font file and process."""
    cached = getattr(font, "_thai_text_layer_cmap", None)
    if cached is None:
        key = (hashlib.blake2b(font.file_content, digest_size=16).digest(), font.index)
        if key not in _cmaps:
            _cmaps[key] = _cmap_characters(font.file_content, font.index)
        cached = font._thai_text_layer_cmap = _cmaps[key]
    return cached


@dataclass
class Line:
    """What WeasyPrint draws for one line: its glyphs in drawing order (empty glyphs left out) and the
    spans that need an ActualText, as (first glyph position, last glyph position, text)."""

    glyphs: list[int] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    rewritable: bool = True  # False when a run draws glyphs in a form the rewriting does not read


Spelling = tuple[str, int | None] | None


def _spell(text: str, glyphs: list[int], cmap: dict[int, str]) -> list[Spelling]:
    """(text, first position in the decomposed text) for each glyph of a grapheme; None where unknown.

    cmap glyphs take their own character; one glyph outside the cmap (a variant or a ligature) takes what
    is left, in text order. With two or more such glyphs their share is unknown: they keep WeasyPrint's
    entries and the grapheme gets an ActualText span."""
    pool = list("".join(_DECOMPOSED.get(c, c) for c in text))
    taken = [False] * len(pool)
    spelled: list[Spelling] = []
    unknown = []
    for number, glyph in enumerate(glyphs):
        own = cmap.get(glyph, "")
        position = next((i for i, c in enumerate(pool) if not taken[i] and c in own), None)
        if position is None:
            # Outside the cmap: its share is found below. In the cmap but not in this text (a dotted
            # circle HarfBuzz added, a glyph shared by other characters): its own character, not sorted.
            spelled.append((own[0], None) if own else None)
            if not own and glyph != pango.PANGO_GLYPH_EMPTY:
                unknown.append(number)
            continue
        taken[position] = True
        spelled.append((pool[position], position))
    if len(unknown) == 1:
        rest = [i for i in range(len(pool)) if not taken[i]]
        if rest:
            spelled[unknown[0]] = ("".join(pool[i] for i in rest), rest[0])
    return spelled


def _text_order(widths: list[int], spelled: list[Spelling]) -> list[int]:
    """The drawing order of a grapheme's glyphs with each run of zero-width glyphs in text order.

    A sort, not a swap: drawing a layout twice gives the same order."""
    order = list(range(len(spelled)))
    number = 0
    while number < len(spelled):
        end = number
        while (
            end < len(spelled)
            and widths[end] == 0
            and spelled[end] is not None
            and spelled[end][1] is not None
        ):
            end += 1
        if end - number > 1:
            order[number:end] = sorted(range(number, end), key=lambda n: spelled[n][1])
        number = max(end, number + 1)
    return order


def _reorder(infos, start: int, order: list[int]) -> None:
    """Rewrite Pango's glyph string in the given order (only zero-width glyphs move, so nothing shifts)."""
    values = [
        (infos[start + n].glyph, infos[start + n].geometry.x_offset, infos[start + n].geometry.y_offset)
        for n in order
    ]
    for offset, (glyph, x_offset, y_offset) in enumerate(values):
        info = infos[start + offset]
        info.glyph, info.geometry.x_offset, info.geometry.y_offset = glyph, x_offset, y_offset


class _Plan:
    """How to draw and map a grapheme of several glyphs, worked out once per font and grapheme: Thai
    repeats the same few hundred (ดำ, ที่, นี้) all through a report."""

    __slots__ = ("text", "order", "sorted_ids", "laid_out", "in_order", "zero_width", "needs_actual_text")

    def __init__(self, font, text: str, ids: list[int], widths: list[int]):
        self.text = text
        self.laid_out = _spell(text, ids, glyph_characters(font))  # spellings of the glyphs as laid out
        self.order = _text_order(widths, self.laid_out)
        # Only a grapheme whose glyphs move depends on which are zero-width (on the layout, not the font).
        self.zero_width = tuple(map(_IS_ZERO, widths)) if self.order != sorted(self.order) else None
        self.sorted_ids = [ids[n] for n in self.order]
        self.in_order = [self.laid_out[n] for n in self.order]
        self.needs_actual_text = None  # known once every glyph of it has its text


def _fix_graphemes(font, graphemes: dict[int, int], ids, widths, clusters, utf8: bytes, infos) -> set[int]:
    """Map the glyphs of each grapheme of several glyphs to what they draw, in text order, and draw them
    in that order (`infos`: Pango's glyph array, None when the line is already drawn). Returns the starts
    of the graphemes that need an ActualText. A glyph keeps the first text it is given, as in WeasyPrint,
    but that text is now the glyph's own."""
    plans = font.__dict__.setdefault("_thai_text_layer_plans", {})
    needed = set()
    for start, end in graphemes.items():
        laid_out = ids[start:end]
        key = (utf8[clusters[start] : clusters[end]], *laid_out)
        plan = plans.get(key)
        if plan is None or (plan.zero_width and plan.zero_width != tuple(map(_IS_ZERO, widths[start:end]))):
            plan = plans[key] = _Plan(font, key[0].decode(), laid_out, widths[start:end])
        if infos is None:  # the line was drawn as laid out (cut for an ellipsis): nothing is cached for it
            if _map_grapheme(font.to_unicode, plan.text, laid_out, plan.laid_out) is not False:
                needed.add(start)
            continue
        if plan.zero_width:
            _reorder(infos, start, plan.order)
            ids[start:end] = plan.sorted_ids
        if plan.needs_actual_text is None:
            plan.needs_actual_text = _map_grapheme(font.to_unicode, plan.text, plan.sorted_ids, plan.in_order)
        if plan.needs_actual_text is not False:
            needed.add(start)
    return needed


def _map_grapheme(to_unicode: dict, text: str, ids: list[int], spelled: list[Spelling]) -> bool | None:
    """Give the glyphs their spellings (where they have none yet); whether the glyphs misspell `text`
    (None while a glyph is still without text: WeasyPrint then gives it one as it draws)."""
    for glyph, spelling in zip(ids, spelled, strict=True):
        if spelling is not None and spelling[0] and glyph not in to_unicode:
            to_unicode[glyph] = spelling[0]
    drawn = [to_unicode.get(glyph) for glyph in ids if glyph != _EMPTY]
    if None in drawn:
        return None
    return "".join(drawn) != text


def _run_arrays(glyph_string) -> tuple[list[int], list[int], list[int], object]:
    """Glyph ids, widths and vertical offsets of a run in one read of Pango's arrays, and its clusters."""
    total = glyph_string.num_glyphs
    flat = memoryview(ffi.buffer(glyph_string.glyphs, total * _GLYPH_INFO_SIZE)).cast("i")
    # PangoGlyphInfo: glyph, width, x offset, y offset, attributes.
    return flat[0::5].tolist(), flat[1::5].tolist(), flat[3::5].tolist(), glyph_string.log_clusters


def _font(stream, pango_font):
    """WeasyPrint's font object for a Pango font, as `stream.add_font` gives it, remembered per page stream:
    add_font describes the Pango font anew on each call, which would double its cost."""
    fonts = stream.__dict__.setdefault("_thai_text_layer_fonts", {})
    font = fonts.get(pango_font)  # cffi pointers hash and compare by address
    if font is None:
        font = fonts[pango_font] = stream.add_font(pango_font)[0]
    return font


def _graphemes(widths: list[int], clusters: list[int]) -> tuple[dict[int, int], set[int]]:
    """The graphemes of several glyphs in a run, first glyph → end, and the glyphs drawn after the first
    of a grapheme (zero-width, or in the same Pango cluster). Found with C-level iteration: most glyphs are
    alone and cost nothing here."""
    total = len(widths)  # clusters has one more: the end of the text
    attached = set(compress(range(total), map(not_, widths)))
    attached.update(compress(range(1, total), map(eq, clusters[1:total], clusters)))
    attached.discard(0)
    graphemes, start, end = {}, -1, -1
    for number in sorted(attached):
        if number != end:
            if start >= 0:
                graphemes[start] = end
            start = number - 1
        end = number + 1
    if start >= 0:
        graphemes[start] = end
    return graphemes, attached


def _add_run(line: Line, stream, glyph_item, utf8: bytes, reorder: bool) -> None:
    """Fix the text of one run's graphemes: a spacing glyph with the zero-width glyphs drawn after it
    (ดำ, น้ำ, ปั้, ยู่). Pango's clusters are too small a unit: HarfBuzz puts ำ in a cluster of its own, and
    Laksaman's substitutions for ู + ่ leave each glyph in the other character's cluster."""
    item, glyph_string = glyph_item.item, glyph_item.glyphs
    font = _font(stream, item.analysis.font)
    ids, widths, rises, clusters = _run_arrays(glyph_string)
    total, offset = len(ids), item.offset
    if font.bitmap or item.analysis.level % 2 or (ids and max(ids) >= _UNKNOWN):
        # Thai is never right to left, its fonts are not bitmaps, and a missing glyph fails the render.
        line.rewritable = False
        line.glyphs.extend(g for g in ids if g != _EMPTY)
        return
    run_utf8 = utf8[offset : offset + item.length]
    to_unicode = font.to_unicode
    spelt_right = _spelt_right(to_unicode, ids, run_utf8)
    if spelt_right and _SARA_AM not in run_utf8 and not any(rises):
        line.glyphs.extend(ids)  # the common case, once a run's glyphs have been seen: nothing to do
        return
    clusters = [*ffi.unpack(clusters, total), item.length]  # and the end of the last grapheme's text
    graphemes, attached = _graphemes(widths, clusters)

    def text(start: int) -> bytes:
        return run_utf8[clusters[start] : clusters[graphemes.get(start, start + 1)]]

    infos = glyph_string.glyphs if reorder else None
    needed = set()
    if not spelt_right:
        # Glyphs seen for the first time in this document: give them their text, then look again.
        firsts = {
            _first_of(number, attached)
            for number in compress(range(total), map(not_, map(to_unicode.__contains__, ids)))
        }
        needed = _fix_graphemes(
            font, {n: graphemes[n] for n in firsts if n in graphemes}, ids, widths, clusters, run_utf8, infos
        )
        for number in firsts:
            if number not in graphemes and ids[number] != _EMPTY:
                _map_alone(font, ids[number], text(number).decode())
        spelt_right = _spelt_right(to_unicode, ids, run_utf8)
    if spelt_right:
        # Every glyph has its text and they spell the run in order (ำ decomposed): only the graphemes
        # with ำ need a span.
        needed |= _with_sara_am(run_utf8, clusters, attached)
    else:
        needed |= _fix_graphemes(font, graphemes, ids, widths, clusters, run_utf8, infos)
        needed.update(_misspelt_alone(to_unicode, ids, run_utf8, graphemes, attached, text))
    # A mark WeasyPrint raises with a text rise (Laksaman's ์ over ธิ) is read by PDFium as a superscript
    # at the end of the line; with a span it also reads the grapheme in place.
    needed.update(_first_of(number, attached) for number in compress(range(total), rises))
    _add_glyphs(line, ids, needed, graphemes, text)


def _first_of(number: int, attached: set[int]) -> int:
    """The first glyph of the grapheme that glyph `number` belongs to."""
    while number in attached:
        number -= 1
    return number


def _spelt_right(to_unicode: dict, ids: list[int], run_text: bytes) -> bool:
    """Whether the glyphs, as they are now, spell the run's text with ำ decomposed (at C speed)."""
    if _EMPTY in ids:
        return False
    try:
        return "".join(map(to_unicode.__getitem__, ids)) == run_text.decode().translate(_DECOMPOSE)
    except KeyError:  # a glyph not seen yet
        return False


def _with_sara_am(run_text: bytes, clusters: list[int], attached: set[int]) -> set[int]:
    """The first glyphs of the graphemes whose text has ำ."""
    starts, found = set(), run_text.find(_SARA_AM)
    while found >= 0:
        number = bisect_right(clusters, found) - 1  # the glyph whose cluster holds the ำ
        while number in attached:
            number -= 1
        starts.add(number)
        found = run_text.find(_SARA_AM, found + 1)
    return starts


def _misspelt_alone(
    to_unicode: dict, ids: list[int], run_text: bytes, graphemes, attached, text
) -> list[int]:
    """The glyphs drawn alone whose text is not theirs. None when the glyphs spell the run's text with ำ
    decomposed (the common case, checked at C speed); else each is compared."""
    if _EMPTY not in ids:
        try:
            if "".join(map(to_unicode.__getitem__, ids)) == run_text.decode().translate(_DECOMPOSE):
                return []
        except KeyError:  # a glyph WeasyPrint will name as it draws
            pass
    return [
        number
        for number, glyph in enumerate(ids)
        if number not in attached
        and number not in graphemes
        and glyph != _EMPTY
        and to_unicode.get(glyph) != text(number).decode()
    ]


def _add_glyphs(line: Line, ids: list[int], needed: set[int], graphemes: dict[int, int], text) -> None:
    base = len(line.glyphs)
    empty = _EMPTY in ids
    line.glyphs.extend([g for g in ids if g != _EMPTY] if empty else ids)
    if needed:
        positions = _positions(ids, base) if empty else range(base, base + len(ids) + 1)
        for start in sorted(needed):
            end = graphemes.get(start, start + 1)
            if positions[end] > positions[start]:
                line.spans.append((positions[start], positions[end] - 1, text(start).decode()))


def _positions(ids: list[int], base: int) -> list[int]:
    """The line position of each glyph of a run (and one past the end): empty glyphs are not drawn."""
    positions, position = [], base
    for glyph in ids:
        positions.append(position)
        position += glyph != _EMPTY
    return [*positions, position]


def _map_alone(font, glyph: int, text: str) -> str:
    """The text of a glyph drawn alone (ก, า, a space): its first text, its cmap character if it has one."""
    to_unicode = font.to_unicode
    if glyph not in to_unicode:
        own = glyph_characters(font).get(glyph, "")
        to_unicode[glyph] = own[0] if own and (len(text) != 1 or text not in own) else text
    return to_unicode[glyph]


def read_line(stream, textbox, reorder: bool) -> Line:
    """The glyphs and ActualText spans of the line WeasyPrint draws for `textbox`, its text fixed."""
    # draw_first_line lays the line out in this mode first; setting it to the same value again lays nothing
    # out anew, so the glyph order sorted here is the one drawn.
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    first_line, _ = textbox.pango_layout.get_first_line()
    return _read_runs(stream, first_line.runs[0], textbox.pango_layout.text.encode(), reorder)


def _read_runs(stream, run, utf8: bytes, reorder: bool) -> Line:
    line = Line()
    while run != ffi.NULL:
        _add_run(line, stream, run.data, utf8, reorder)
        run = run.next
    return line


# --- the content stream ----------------------------------------------------------------------------------


def _events(line: Line) -> list[tuple[int, str | None]]:
    """(glyph position, ActualText to open there, or None to close the span that ends before it)."""
    events: list[tuple[int, str | None]] = []
    for first, last, text in line.spans:
        events += [(first, text), (last + 1, None)]
    return events  # in order: spans follow the line and never overlap


def _split_text_arrays(items: list, line: Line) -> list | None:
    """The line's content stream items with each span's glyphs in a marked-content sequence.

    A TJ array is cut between glyphs: its numbers only move the text position, so the glyphs land where
    they did. None when the items do not hold the line's glyphs as expected (then nothing is changed)."""
    events, glyphs = _events(line), line.glyphs
    out: list = []
    position = event = 0
    for item in items:
        if not (isinstance(item, bytes) and item.startswith(b"[") and item.endswith(b"] TJ")):
            out.append(item)
            continue
        body = item[1:-4]
        # WeasyPrint writes an array as [numbers<glyphs>numbers<glyphs>…]: split at "<", each piece is
        # "glyphs>numbers" (the first one only numbers), and the glyphs are 4 hex digits each.
        pieces = body.split(b"<")
        ends = list(accumulate(map(bytes.find, pieces[1:], repeat(b">"))))  # hex digits up to each piece
        count = ends[-1] // 4 if ends else 0
        cuts, offsets = [], None
        while event < len(events) and events[event][0] < position + count:
            at, text = events[event]
            offsets = offsets or list(accumulate(len(piece) + 1 for piece in pieces))  # after each "<"
            cut = _cut(pieces, ends, offsets, (at - position) * 4)
            if cut is None or int(body[cut[1] : cut[1] + 4], 16) != glyphs[at]:
                return None
            cuts.append((cut, text))
            event += 1
        out.extend(_cut_array(body, cuts))
        position += count
    if position != len(glyphs) or any(at != position or text is not None for at, text in events[event:]):
        return None
    out.extend(b"EMC" for _ in events[event:])
    return out


def _cut(
    pieces: list[bytes], ends: list[int], offsets: list[int], digit: int
) -> tuple[int, int, bool] | None:
    """Where to cut the array before the glyph starting at hex digit `digit` of its glyphs: (byte offset,
    offset of the glyph's hex digits, whether the cut splits a <…> string). Between strings the cut goes
    after the previous string, so that the numbers before the glyph (its offset) go with it: pdf.js
    starts a text item at each span and reads a move just before it as a space."""
    index = bisect_right(ends, digit)  # the piece holding that digit (pieces[index + 1])
    if index >= len(ends) or digit < 0:
        return None
    before = ends[index - 1] if index else 0
    start = offsets[index]  # just after the "<" of the piece
    if digit > before:
        return start + digit - before, start + digit - before, True
    previous = start - 1 - len(pieces[index]) + (pieces[index].find(b">") + 1 if index else 0)
    return previous, start, False


def _cut_array(body: bytes, cuts: list) -> list:
    """The array cut at `cuts`, with a span opened (or closed) at each."""
    out, done, opening = [], 0, b""
    for (offset, _, inside), text in cuts:
        part = opening + body[done:offset] + (b">" if inside else b"")
        if part.strip(b"<>"):
            out.append(b"[" + part + b"] TJ")
        if text is None:
            out.append(b"EMC")
        else:
            # pydyf writes a non-ASCII String as UTF-16BE with a byte order mark, as ActualText requires.
            out.extend(["/Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}), b"BDC"])
        done, opening = offset, (b"<" if inside else b"")
    part = opening + body[done:]
    if part.strip(b"<>"):
        out.append(b"[" + part + b"] TJ")
    return out


def _draw_first_line_with_text_layer(stream, textbox, text_overflow, block_ellipsis, matrix):
    if not _enabled or not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    line = read_line(stream, textbox, reorder=True)
    start = len(stream.stream)
    emojis = _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if text_overflow == "ellipsis" or block_ellipsis != "none":
        line = read_line(stream, textbox, reorder=False)  # the drawn line's text was cut
    if line.spans and line.rewritable:
        rewritten = _split_text_arrays(stream.stream[start:], line)
        if rewritten is None:
            logger.warning("Thai text layer: a line's glyphs were not where expected; drawn without spans")
        else:
            stream.stream[start:] = rewritten
    return emojis


functools.update_wrapper(_draw_first_line_with_text_layer, _original_draw_first_line)
