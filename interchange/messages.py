"""Refusals of a unit-year file: one error naming the JSON path, in Thai and in English.

Pydantic's error types are mapped to Thai words here (in the manner of healthchecks' `format_first_error`):
the first error of a validation is reported, with its location written as a JSON path
(`plans[0].measures[3].progress[0].status`).
"""

from __future__ import annotations


class DocumentError(ValueError):
    def __init__(self, path: str, thai: str, english: str):
        super().__init__(f"{path}: {thai} ({english})")
        self.path, self.thai, self.english = path, thai, english


def json_path(loc) -> str:
    path = ""
    for part in loc:
        if part == "[key]":
            continue  # pydantic marks an error in a dict's key after the key itself
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


class _Values(dict):
    def __missing__(self, key):
        return ""


def _expected(ctx: dict) -> str:
    return str(ctx.get("expected", "")).replace("'", "")


# pydantic's error type → (Thai, English); {name} are filled from the error's context.
MESSAGES = {
    "missing": ("ต้องมีคีย์นี้", "required key is missing"),
    "extra_forbidden": ("ไม่รู้จักคีย์นี้", "unknown key"),
    "model_type": ("ต้องเป็นออบเจกต์", "expected an object"),
    "model_attributes_type": ("ต้องเป็นออบเจกต์", "expected an object"),
    "dict_type": ("ต้องเป็นออบเจกต์", "expected an object"),
    "list_type": ("ต้องเป็นรายการ", "expected a list"),
    "string_type": ("ต้องเป็นข้อความ", "expected a string"),
    "int_type": ("ต้องเป็นจำนวนเต็ม", "expected an integer"),
    "int_from_float": ("ต้องเป็นจำนวนเต็ม", "expected an integer"),
    "literal_error": ("ต้องเป็นหนึ่งใน {expected}", "expected one of {expected}"),
    "enum": ("ต้องเป็นหนึ่งใน {expected}", "expected one of {expected}"),
    "greater_than_equal": ("ต้องไม่น้อยกว่า {ge}", "expected at least {ge}"),
    "less_than_equal": ("ต้องไม่เกิน {le}", "expected at most {le}"),
    "string_too_long": ("ยาวเกิน {max_length} ตัวอักษร", "longer than {max_length} characters"),
    "too_long": ("ยาวเกิน {max_length} ตัวอักษร", "longer than {max_length} characters"),
    "string_too_short": ("ต้องไม่ว่าง", "must not be empty"),
    "string_pattern_mismatch": ("ไม่ตรงรูปแบบ {pattern}", "expected the pattern {pattern}"),
    "ita_blank": ("ต้องไม่ว่าง", "must not be blank"),
    "ita_date": ("ต้องเป็นวันที่แบบ YYYY-MM-DD (ค.ศ.)", "expected an ISO date YYYY-MM-DD"),
    "ita_datetime": ("ต้องเป็นวันเวลาแบบ ISO 8601 ที่มีเขตเวลา", "expected an ISO 8601 date and time with offset"),
    "ita_number": ("ต้องเป็นตัวเลข", "expected a number"),
    "ita_score": ("คะแนนต้องอยู่ระหว่าง 0 ถึง 100", "expected a score from 0 to 100"),
    "ita_score_places": ("คะแนนมีทศนิยมได้ไม่เกินสองตำแหน่ง", "expected at most two decimals"),
    "ita_duplicate": ("ซ้ำกับรายการก่อนหน้าในรายการเดียวกัน", "duplicate of an earlier entry of this list"),
    "ita_duplicate_fiscal_year": ("มีข้อมูลของปีนี้ซ้ำ", "one per fiscal year"),
    "ita_duplicate_round": ("มีรายงานของรอบนี้ซ้ำ", "at most one entry per round"),
    "ita_duplicate_code": ("มีข้อมูล OIT นี้ซ้ำ", "one entry per OIT item"),
    "ita_duplicate_sha256": ("มีไฟล์นี้ซ้ำ", "each file once"),
    "ita_end_before_start": ("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น", "end must not be before start"),
}

# More precise words for some paths' pattern errors.
PATTERNS = {
    "slug": ("ต้องเป็นอักษร a-z ตัวเลข หรือ - ยาว 2–50 ตัว", "expected [a-z0-9-]{2,50}"),
    "number": ("ต้องเป็นหมายเลข เช่น 1 หรือ 2.1", 'expected a number such as "1" or "2.1"'),
    "url": ("ต้องเป็นที่อยู่เว็บ http(s)", "expected an http(s) URL"),
    "evidence": ("ต้องเป็นที่อยู่เว็บ http(s)", "expected an http(s) URL"),
    "start": ("ต้องเป็นวันที่แบบ YYYY-MM-DD (ค.ศ.)", "expected an ISO date YYYY-MM-DD"),
    "end": ("ต้องเป็นวันที่แบบ YYYY-MM-DD (ค.ศ.)", "expected an ISO date YYYY-MM-DD"),
    "reported_on": ("ต้องเป็นวันที่แบบ YYYY-MM-DD (ค.ศ.)", "expected an ISO date YYYY-MM-DD"),
    "scores": ("ต้องเป็นหมายเลขตัวชี้วัด", "expected an indicator number"),
    "indicators": ("ต้องเป็นหมายเลขตัวชี้วัด", "expected an indicator number"),
    "sha256": ("ต้องเป็นเลขฐานสิบหก 64 ตัว", "expected 64 hexadecimal digits"),
}


def _pattern_words(loc, ctx: dict) -> tuple[str, str] | None:
    if ctx.get("pattern") == r"\S":
        return MESSAGES["ita_blank"]
    for part in reversed(loc):
        if isinstance(part, str) and part in PATTERNS:
            return PATTERNS[part]
    return None


def error_from_pydantic(errors: list[dict]) -> DocumentError:
    """The first error, with its JSON path and Thai words (the English beside them)."""
    error = errors[0]
    loc, kind, ctx = list(error["loc"]), error["type"], dict(error.get("ctx") or {})
    if "index" in ctx:  # a list-level rule naming one of its items (and that item's key)
        loc.append(ctx["index"])
        if "key" in ctx:
            loc.append(ctx["key"])
    elif "key" in ctx:
        loc.append(ctx["key"])
    words = _pattern_words(loc, ctx) if kind == "string_pattern_mismatch" else None
    if words is None:
        thai, english = MESSAGES.get(kind, ("ค่าไม่ถูกต้อง: {message}", "{message}"))
        ctx["expected"] = _expected(ctx)
        ctx["message"] = error.get("msg", "")
        values = _Values(ctx)
        words = (thai.format_map(values), english.format_map(values))
    return DocumentError(json_path(loc), *words)
