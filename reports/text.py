"""Text as a report prints it: one digit style for the whole document, names kept on one line, and the
characters the shipped fonts can draw.

- Digits: every number of a document follows the report's setting, the office's own text included
  ("ม.ค. 65" becomes "ม.ค. ๖๕"), except codes and addresses written with Latin letters (O12, e-GP, URLs,
  e-mail addresses), which stay as the NACC and the web write them.
- Keep-together: "พ.ศ. ๒๕๖๖", "๖ เดือน" and the unit's own names (its name, district, province,
  departments, people's positions) are never broken across lines; Thai has no spaces between words and
  the line breaker does not know proper names ("โพธิ์|ทอง", "กอง|คลัง").
- Coverage: the characters of the fonts in static/fonts (Laksaman, then DejaVu Sans, then Symbola). A
  character none of them has would come from whatever the server has installed, or not print at all.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ita_portal import thai
from ita_portal.text import normalise_text

# The fonts of print.css, in the order they are tried for a character.
FONT_FILES = ("fonts/laksaman/Laksaman.ttf", "fonts/dejavu/DejaVuSans.ttf", "fonts/symbola/Symbola.ttf")

# A token with a Latin letter, "://", "www." or "@" is a code or an address: its digits stay.
_KEEP_TOKEN = re.compile(r"\S*(?:[A-Za-z]|://|www\.|@)\S*")
_DIGIT = re.compile(r"[0-9๐-๙]")

# Units a number is read with; the number and its unit stay on one line.
NUMBER_UNITS = (
    "เดือน", "วัน", "ปี", "ครั้ง", "คน", "ราย", "โครงการ", "กิจกรรม", "คะแนน", "งาน", "บาท", "คู่มือ",
    "ขั้นตอน", "ชั่วโมง", "ภารกิจงาน", "เรื่อง", "ข้อ",
)  # fmt: skip
# Words the line breaker splits although offices never do.
PROTECTED_WORDS = ("ผลสัมฤทธิ์", "กองคลัง", "กองช่าง", "สำนักปลัด", "อบต.")
MIN_WORD = 4  # shorter names are found inside other words more often than alone
SHORT_NAME = 10  # characters (with vowel and tone marks): about a narrow column's width at 16 pt
UNIT_KIND_PREFIXES = (
    "องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร",
)  # fmt: skip


def document_digits(value, style: str) -> str:
    """*value* (cleaned of pasted control characters) with every digit in *style*, codes and URLs kept."""
    text = normalise_text("" if value is None else str(value))
    if style != thai.DIGITS_THAI:
        return thai.arabic_digits(text)
    parts, last = [], 0
    for match in _KEEP_TOKEN.finditer(text):
        parts.append(thai.thai_digits(text[last : match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(thai.thai_digits(text[last:]))
    return "".join(parts)


def has_digits(text: str) -> bool:
    return bool(_DIGIT.search(text or ""))


def protected_words(unit, extra=()) -> list[str]:
    """The unit's own names and the fixed list: what keep_together() keeps on one line."""
    words = set(PROTECTED_WORDS)
    name = unit.name or ""
    for prefix in UNIT_KIND_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            words.add(name[len(prefix) :])
    words.update(filter(None, (unit.district, unit.province, getattr(unit, "short_name", ""))))
    # Longer names may be wider than a narrow column: they keep the line breaker's breaks.
    words.update(d.name for d in unit.departments.all() if len(d.name) <= SHORT_NAME)
    words.update(w for w in extra if w and len(w) <= 40)
    return sorted(words, key=len, reverse=True)


_NUMBER = r"[0-9๐-๙][0-9๐-๙.,]*"
# "พ.ศ. ๒๕๖๖" and "๖ เดือน": the space becomes a no-break space (cheaper to lay out than a span).
_NUMBER_PHRASE = re.compile(rf"(พ\.ศ\.)\s+(?={_NUMBER})|({_NUMBER})\s+(?=(?:{'|'.join(map(re.escape, NUMBER_UNITS))}))")


# Thai vowel and tone marks that belong to the consonant before them: a name is never cut off from them
# ("ลอย" inside "ข้อมูลอย่าง" would leave ่ on its own, drawn on a dotted circle).
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"


@functools.lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern | None:
    words = tuple(word for word in words if len(word) >= MIN_WORD)
    if not words:
        return None
    return re.compile(f"(?:{'|'.join(re.escape(word) for word in words)})(?![{_MARKS}])")


def keep_together(value, words: tuple[str, ...] = ()) -> SafeString:
    """HTML-escaped *value*, "พ.ศ. ๒๕๖๖" and "๖ เดือน" joined by no-break spaces, the protected names in
    no-break spans (the cell's text stays as typed)."""
    text = _NUMBER_PHRASE.sub(lambda m: f"{m.group(1) or m.group(2)}\u00a0", "" if value is None else str(value))
    pattern = _pattern(tuple(words))
    if pattern is None:
        return mark_safe(escape(text))
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f'<span class="nb">{escape(match.group())}</span>')
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


@functools.lru_cache(maxsize=1)
def covered_characters() -> frozenset[int]:
    """Code points drawn by one of the shipped report fonts."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for name in FONT_FILES:
        path = finders.find(name) or str(Path(settings.BASE_DIR) / "static" / name)
        font = TTFont(path, lazy=True)
        covered.update(font.getBestCmap().keys())
        font.close()
    return frozenset(covered)


# Characters that are layout, not glyphs: line ends, tabs, joiners and variation selectors.
_LAYOUT = {0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x200B, 0x200C, 0x200D, 0x2060} | set(range(0xFE00, 0xFE10))


def missing_characters(value) -> list[str]:
    """Characters of *value* that no shipped font draws (after cleaning), in order of first appearance."""
    covered = covered_characters()
    seen: list[str] = []
    for char in normalise_text(value or ""):
        code = ord(char)
        if code not in covered and code not in _LAYOUT and char not in seen:
            seen.append(char)
    return seen
