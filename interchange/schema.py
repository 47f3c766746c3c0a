"""Validation of `ita-portal/unit-year` v1 documents (../shared/formats/unit-year-v1.md).

Each error names the JSON path and what was expected, in Thai and in English. Structural rules are
checked here without the database; rules that need it (the year's framework, the unit's departments)
are checked by interchange.importer with the same error type.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

SLUG = re.compile(r"^[a-z0-9-]{2,50}$")
KINDS = ("sao", "subdistrict_municipality", "town_municipality", "city_municipality", "pao", "other")
ROUNDS = ("H1", "FY", "Q1", "Q2", "Q3", "Q4")
STATUSES = ("not_started", "in_progress", "done", "cancelled")
ITEM_STATUSES = ("not_started", "in_progress", "done")
TOOLS = ("IIT", "EIT", "OIT")


class DocumentError(ValueError):
    def __init__(self, path: str, thai: str, english: str):
        super().__init__(f"{path}: {thai} ({english})")
        self.path, self.thai, self.english = path, thai, english


def _type(path, value, kind, thai, english):
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is Decimal:
        ok = isinstance(value, int | Decimal) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise DocumentError(path, f"ต้องเป็น{thai}", f"expected {english}")


def _keys(path, obj, required, optional):
    _type(path, obj, dict, "ออบเจกต์", "an object")
    for key in obj:
        if key not in required and key not in optional:
            raise DocumentError(f"{path}.{key}" if path else key, "ไม่รู้จักคีย์นี้", "unknown key")
    for key in required:
        if key not in obj:
            raise DocumentError(f"{path}.{key}" if path else key, "ต้องมีคีย์นี้", "required key is missing")


def _text(path, value):
    _type(path, value, str, "ข้อความ", "a string")


def _texts(path, value):
    _type(path, value, list, "รายการข้อความ", "a list of strings")
    for i, item in enumerate(value):
        _text(f"{path}[{i}]", item)


def _score(path, value):
    _type(path, value, Decimal, "ตัวเลข", "a number")
    value = Decimal(value)
    if not value.is_finite() or value < 0 or value > 100:
        raise DocumentError(path, "คะแนนต้องอยู่ระหว่าง 0 ถึง 100", "expected a score from 0 to 100")
    if value.as_tuple().exponent < -2:
        raise DocumentError(path, "คะแนนมีทศนิยมได้ไม่เกินสองตำแหน่ง", "expected at most two decimals")


def _date(path, value) -> dt.date:
    _text(path, value)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DocumentError(path, "ต้องเป็นวันที่แบบ YYYY-MM-DD (ค.ศ.)", "expected an ISO date YYYY-MM-DD") from exc


def _url(path, value):
    _text(path, value)
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise DocumentError(path, "ต้องเป็นที่อยู่เว็บ http(s)", "expected an http(s) URL")


def _year(path, value):
    _type(path, value, int, "จำนวนเต็ม", "an integer")
    if not 2400 <= value <= 2800:
        raise DocumentError(path, "ต้องเป็นปีงบประมาณ พ.ศ.", "expected a B.E. fiscal year")


def _choice(path, value, choices):
    if value not in choices:
        raise DocumentError(path, f"ต้องเป็นหนึ่งใน {', '.join(choices)}", f"expected one of {', '.join(choices)}")


def validate(doc) -> None:
    """Raise DocumentError on the first rule the document breaks."""
    _keys("", doc, ("format", "version", "unit"), ("assessments", "plans"))
    if doc["format"] != "ita-portal/unit-year":
        raise DocumentError("format", 'ต้องเป็น "ita-portal/unit-year"', 'expected "ita-portal/unit-year"')
    if doc["version"] != 1 or isinstance(doc["version"], bool):
        raise DocumentError("version", "ต้องเป็น 1", "expected 1")
    unit = doc["unit"]
    _keys("unit", unit, ("slug", "name", "kind"), ("district", "province", "departments"))
    _text("unit.slug", unit["slug"])
    if not SLUG.match(unit["slug"]):
        raise DocumentError("unit.slug", "ต้องเป็นอักษร a-z ตัวเลข หรือ - ยาว 2–50 ตัว", "expected [a-z0-9-]{2,50}")
    _text("unit.name", unit["name"])
    if not unit["name"].strip():
        raise DocumentError("unit.name", "ต้องไม่ว่าง", "expected a non-empty name")
    _choice("unit.kind", unit["kind"], KINDS)
    for key in ("district", "province"):
        if key in unit:
            _text(f"unit.{key}", unit[key])
    departments = unit.get("departments", [])
    _texts("unit.departments", departments)
    if len(set(departments)) != len(departments):
        raise DocumentError("unit.departments", "มีชื่อส่วนราชการซ้ำ", "department names must be unique")

    assessments = doc.get("assessments", [])
    _type("assessments", assessments, list, "รายการ", "a list")
    seen = set()
    for i, item in enumerate(assessments):
        path = f"assessments[{i}]"
        _keys(path, item, ("fiscal_year",), ("scores", "official_total", "official_level", "tool_totals"))
        _year(f"{path}.fiscal_year", item["fiscal_year"])
        if item["fiscal_year"] in seen:
            raise DocumentError(f"{path}.fiscal_year", "มีผลการประเมินของปีนี้ซ้ำ", "one assessment per fiscal year")
        seen.add(item["fiscal_year"])
        scores = item.get("scores", {})
        _type(f"{path}.scores", scores, dict, "ออบเจกต์", "an object")
        for key, value in scores.items():
            if not re.fullmatch(r"[1-9][0-9]?", key):
                raise DocumentError(f"{path}.scores.{key}", "ต้องเป็นหมายเลขตัวชี้วัด", "expected an indicator number")
            _score(f"{path}.scores.{key}", value)
        if "official_total" in item:
            _score(f"{path}.official_total", item["official_total"])
        if "official_level" in item:
            _text(f"{path}.official_level", item["official_level"])
        totals = item.get("tool_totals", {})
        _type(f"{path}.tool_totals", totals, dict, "ออบเจกต์", "an object")
        for key, value in totals.items():
            _choice(f"{path}.tool_totals.{key}", key, TOOLS)
            _score(f"{path}.tool_totals.{key}", value)

    plans = doc.get("plans", [])
    _type("plans", plans, list, "รายการ", "a list")
    seen = set()
    for i, plan in enumerate(plans):
        path = f"plans[{i}]"
        _keys(path, plan, ("fiscal_year", "measures"), ("based_on_assessment", "oit_items"))
        _year(f"{path}.fiscal_year", plan["fiscal_year"])
        if plan["fiscal_year"] in seen:
            raise DocumentError(f"{path}.fiscal_year", "มีแผนของปีนี้ซ้ำ", "one plan per fiscal year")
        seen.add(plan["fiscal_year"])
        if "based_on_assessment" in plan:
            _year(f"{path}.based_on_assessment", plan["based_on_assessment"])
        _type(f"{path}.measures", plan["measures"], list, "รายการ", "a list")
        for j, measure in enumerate(plan["measures"]):
            _measure(f"{path}.measures[{j}]", measure, departments)
        items = plan.get("oit_items", [])
        _type(f"{path}.oit_items", items, list, "รายการ", "a list")
        codes = set()
        for j, item in enumerate(items):
            ipath = f"{path}.oit_items[{j}]"
            _keys(ipath, item, ("code", "status"), ("owners", "note", "url"))
            _text(f"{ipath}.code", item["code"])
            if item["code"] in codes:
                raise DocumentError(f"{ipath}.code", "มีข้อมูล OIT นี้ซ้ำ", "one entry per OIT item")
            codes.add(item["code"])
            _choice(f"{ipath}.status", item["status"], ITEM_STATUSES)
            _owners(f"{ipath}.owners", item.get("owners", []), departments)
            if "note" in item:
                _text(f"{ipath}.note", item["note"])
            if "url" in item:
                _url(f"{ipath}.url", item["url"])


def _distinct(path, values):
    """Lists the database keeps as links (indicators, OIT items, owners) name each thing once: a
    second link could not be stored, nor given back by the export."""
    seen = set()
    for k, value in enumerate(values):
        if value in seen:
            raise DocumentError(f"{path}[{k}]", "ซ้ำกับรายการก่อนหน้าในรายการเดียวกัน", "duplicate of an earlier entry of this list")
        seen.add(value)


def _owners(path, owners, departments):
    _texts(path, owners)
    for k, name in enumerate(owners):
        if name not in departments:
            raise DocumentError(f"{path}[{k}]", "ต้องเป็นชื่อใน unit.departments", "expected a name from unit.departments")
    _distinct(path, owners)


MEASURE_TEXT = ("issue", "owner_text", "period_text", "expected_outcome", "follow_up")
ENTRY_TEXT = ("result", "outcome", "problems", "suggestions")


def _measure(path, measure, departments):
    optional = ("indicators", "oit_items", "steps", "owners", "start", "end", "progress", *MEASURE_TEXT)
    _keys(path, measure, ("number", "title"), optional)
    _text(f"{path}.number", measure["number"])
    if not re.fullmatch(r"[0-9A-Za-z.\-]{1,20}", measure["number"]):
        raise DocumentError(f"{path}.number", "ต้องเป็นหมายเลข เช่น 1 หรือ 2.1", 'expected a number such as "1" or "2.1"')
    _text(f"{path}.title", measure["title"])
    if not measure["title"].strip():
        raise DocumentError(f"{path}.title", "ต้องไม่ว่าง", "expected a non-empty title")
    for key in MEASURE_TEXT:
        if key in measure:
            _text(f"{path}.{key}", measure[key])
    _texts(f"{path}.indicators", measure.get("indicators", []))
    _distinct(f"{path}.indicators", measure.get("indicators", []))
    _texts(f"{path}.oit_items", measure.get("oit_items", []))
    _distinct(f"{path}.oit_items", measure.get("oit_items", []))
    _texts(f"{path}.steps", measure.get("steps", []))
    _owners(f"{path}.owners", measure.get("owners", []), departments)
    start = _date(f"{path}.start", measure["start"]) if "start" in measure else None
    end = _date(f"{path}.end", measure["end"]) if "end" in measure else None
    if start and end and end < start:
        raise DocumentError(f"{path}.end", "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น", "end must not be before start")
    progress = measure.get("progress", [])
    _type(f"{path}.progress", progress, list, "รายการ", "a list")
    rounds = set()
    for k, entry in enumerate(progress):
        epath = f"{path}.progress[{k}]"
        _keys(epath, entry, ("round", "status"), ("percent", "evidence", "reported_on", *ENTRY_TEXT))
        _choice(f"{epath}.round", entry["round"], ROUNDS)
        if entry["round"] in rounds:
            raise DocumentError(f"{epath}.round", "มีรายงานของรอบนี้ซ้ำ", "at most one entry per round")
        rounds.add(entry["round"])
        _choice(f"{epath}.status", entry["status"], STATUSES)
        if "percent" in entry:
            _type(f"{epath}.percent", entry["percent"], int, "จำนวนเต็ม", "an integer")
            if not 0 <= entry["percent"] <= 100:
                raise DocumentError(f"{epath}.percent", "ต้องอยู่ระหว่าง 0 ถึง 100", "expected 0 to 100")
        for key in ENTRY_TEXT:
            if key in entry:
                _text(f"{epath}.{key}", entry[key])
        evidence = entry.get("evidence", [])
        _type(f"{epath}.evidence", evidence, list, "รายการ", "a list")
        for m, url in enumerate(evidence):
            _url(f"{epath}.evidence[{m}]", url)
        if "reported_on" in entry:
            _date(f"{epath}.reported_on", entry["reported_on"])
