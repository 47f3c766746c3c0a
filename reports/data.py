"""Plain data for each report kind: one function per kind, no HTML.

Every string a document prints is made here, already formatted with ita_portal.thai according to the
report's options (Thai or Arabic digits, full or abbreviated B.E. dates); the templates only lay it out.
Only approved progress entries go into a report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import Assessment, IndicatorScore
from ita_portal import thai
from measures import rounds
from measures.models import Measure, MeasureStep, OitProgress, Plan, ProgressEntry
from reports.models import Kind, ReportSettings
from units.models import Unit

PASS_MARK = Decimal("85")

STATUS_LABELS = {
    "not_started": "ยังไม่ได้ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้ว",
    "cancelled": "ยกเลิก",
}

# Columns of the results table: key → heading as the seeds print it.
RESULT_COLUMNS = {
    "title": "มาตรการ/แนวทาง",
    "steps": "ขั้นตอนหรือวิธีการ",
    "owners": "ผู้รับผิดชอบ",
    "period": "ระยะเวลา",
    "result": "ผลการดำเนินการ",
    "outcome": "ผลลัพธ์หรือผลสัมฤทธิ์",
    "suggestions": "ข้อเสนอแนะ",
    "problems": "ปัญหา/อุปสรรค",
    "status": "สถานะ",
}
DEFAULT_RESULT_COLUMNS = ["title", "steps", "owners", "period", "result", "outcome"]

# Relative widths of the columns a table may have (the seeds' proportions). Tables are laid out with
# these fixed widths: besides matching the Word originals, it spares WeasyPrint measuring every cell's
# text twice to size columns (a third of a results report's rendering time).
COLUMN_WEIGHTS = {
    "title": 16, "issue": 18, "steps": 24, "owners": 12, "period": 11, "result": 20, "outcome": 17,
    "suggestions": 15, "problems": 15, "status": 10, "follow_up": 14, "code": 6, "note": 44,
}  # fmt: skip


@dataclass
class Options:
    thai_digits: bool = True
    abbreviated_dates: bool = False
    landscape: bool = True
    columns: list[str] = field(default_factory=list)

    @property
    def digit_style(self) -> str:
        return thai.DIGITS_THAI if self.thai_digits else thai.DIGITS_ARABIC

    @property
    def date_style(self) -> str:
        return thai.DATE_ABBR if self.abbreviated_dates else thai.DATE_FULL

    def digits(self, value) -> str:
        return thai.digits(value, self.digit_style)

    def date(self, value: dt.date | None) -> str:
        return thai.format_date(value, self.date_style, self.digit_style)

    def score(self, value) -> str:
        return thai.format_decimal(value, 2, self.digit_style) if value is not None else "ไม่มีข้อมูล"


@dataclass
class Signatory:
    name: str = ""
    position: str = ""


@dataclass
class Document:
    """What every report template receives."""

    kind: str
    unit: Unit
    fiscal_year: int
    round: str
    options: Options
    title_lines: list[str]
    introduction: str = ""
    columns: list[tuple[str, str]] = field(default_factory=list)  # (key, heading)
    rows: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    signatory: Signatory | None = None
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return " ".join(self.title_lines)

    @property
    def column_widths(self) -> list[tuple[str, str]]:
        """(key, CSS width in per cent) of each column, from COLUMN_WEIGHTS, together 100%."""
        weights = [COLUMN_WEIGHTS.get(key, 12) for key, _heading in self.columns]
        total = sum(weights)
        return [(key, f"{weight * 100 / total:.2f}%") for (key, _heading), weight in zip(self.columns, weights, strict=True)]


def round_label(code: str, options: Options) -> str:
    return rounds.label(code, options.digit_style)


def round_period(fiscal_year: int, code: str, options: Options) -> str:
    return rounds.period_text(fiscal_year, code, options.digit_style, abbreviated=options.abbreviated_dates)


def settings_for(unit: Unit, kind: str, fiscal_year: int, round_code: str = "") -> ReportSettings:
    """The saved settings, or unsaved defaults."""
    found = ReportSettings.objects.filter(unit=unit, kind=kind, fiscal_year=fiscal_year, round=round_code).first()
    if found is not None:
        return found
    # Tables are printed landscape as the seeds do; the memo and the analysis are portrait documents.
    landscape = kind in (Kind.RESULTS, Kind.PLAN, Kind.OIT)
    return ReportSettings(unit=unit, kind=kind, fiscal_year=fiscal_year, round=round_code, landscape=landscape)


def options_from(settings: ReportSettings) -> Options:
    return Options(
        thai_digits=settings.thai_digits,
        abbreviated_dates=settings.abbreviated_dates,
        landscape=settings.landscape,
        columns=list(settings.columns or []),
    )


def _plan(unit: Unit, fiscal_year: int) -> Plan | None:
    return Plan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()


def _measures(plan: Plan, round_code: str | None):
    prefetches = [
        Prefetch("steps", queryset=MeasureStep.objects.order_by("order", "id")),
        "owners",
    ]
    if round_code:
        prefetches.append(
            Prefetch(
                "entries",
                queryset=ProgressEntry.objects.filter(round=round_code, review_state=ProgressEntry.Review.APPROVED),
                to_attr="approved_entries",
            )
        )
    return Measure.objects.filter(plan=plan).order_by("sort_key", "id").prefetch_related(*prefetches)


def _steps(measure: Measure, options: Options) -> list[str]:
    return [options.digits(f"{i}. ") + step.text for i, step in enumerate(measure.steps.all(), 1)]


def _owners(measure: Measure) -> str:
    return measure.owner_text or " ".join(d.name for d in measure.owners.all())


def _period(measure: Measure, options: Options) -> str:
    if measure.period_text:
        return measure.period_text
    return thai.format_period(measure.start, measure.end, options.date_style, options.digit_style)


def cited_assessment(unit: Unit, up_to_year: int) -> Assessment | None:
    """The unit's latest assessment up to the plan's year (the one a results report cites)."""
    return Assessment.objects.filter(unit=unit, fiscal_year__lte=up_to_year).order_by("-fiscal_year").first()


def assessment_figures(assessment: Assessment | None) -> tuple[Decimal | None, str]:
    """(total, level) as announced when known, else as computed."""
    if assessment is None:
        return None, ""
    total = assessment.official_total if assessment.official_total is not None else assessment.total
    return total, assessment.official_level or assessment.level


def default_results_introduction(unit: Unit, fiscal_year: int, options: Options) -> str:
    assessment = cited_assessment(unit, fiscal_year)
    year = options.digits(fiscal_year)
    text = ""
    if assessment is not None:
        total, level = assessment_figures(assessment)
        text = (
            f"จากการประเมินผลคุณธรรมและความโปร่งใสในการดำเนินงาน ของ {unit.name} ประจำปีงบประมาณ พ.ศ. "
            f"{options.digits(assessment.fiscal_year)} โดยภาพรวม ได้คะแนน {options.score(total)}"
            + (f" อยู่ในระดับ {level}" if level else "")
            + " "
        )
    return text + (
        f"{unit.name} ได้รายงานผลการดำเนินงานตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสในหน่วยงานภาครัฐ "
        f"ประจำปีงบประมาณ พ.ศ. {year} และได้แสดงมาตรการ กิจกรรมที่ดำเนินการ การสรุปผลการดำเนินการ "
        "และผลลัพธ์การดำเนินการ กำหนดผู้รับผิดชอบหรือผู้ที่เกี่ยวข้อง ดังนี้"
    )


def _unit_heading(unit: Unit) -> str:
    return f"{unit.name} {unit.place}".strip()


def _signatory(settings: ReportSettings) -> Signatory | None:
    if not (settings.signatory_name or settings.signatory_position):
        return Signatory()
    return Signatory(settings.signatory_name, settings.signatory_position)


def build_results(unit: Unit, fiscal_year: int, round_code: str, settings: ReportSettings | None = None) -> Document:
    settings = settings or settings_for(unit, Kind.RESULTS, fiscal_year, round_code)
    options = options_from(settings)
    keys = [k for k in (options.columns or DEFAULT_RESULT_COLUMNS) if k in RESULT_COLUMNS]
    plan = _plan(unit, fiscal_year)
    rows = []
    for measure in _measures(plan, round_code) if plan else []:
        entry = measure.approved_entries[0] if measure.approved_entries else None
        cells = {
            "title": measure.title,
            "steps": _steps(measure, options),
            "owners": _owners(measure),
            "period": _period(measure, options),
            "result": entry.result if entry else "",
            "outcome": entry.outcome if entry else "",
            "suggestions": entry.suggestions if entry else "",
            "problems": entry.problems if entry else "",
            "status": STATUS_LABELS.get(entry.status, "") if entry else "",
        }
        rows.append({"number": options.digits(measure.number), "cells": [(k, cells[k]) for k in keys]})
    title = (
        "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        f"ประจำปีงบประมาณ พ.ศ. {options.digits(fiscal_year)}"
    )
    return Document(
        kind=Kind.RESULTS,
        unit=unit,
        fiscal_year=fiscal_year,
        round=round_code,
        options=options,
        title_lines=[title, f"{round_label(round_code, options)} {round_period(fiscal_year, round_code, options)}", _unit_heading(unit)],
        introduction=settings.introduction or default_results_introduction(unit, fiscal_year, options),
        columns=[(k, RESULT_COLUMNS[k]) for k in keys],
        rows=rows,
        signatory=_signatory(settings),
    )


PLAN_COLUMNS = [
    ("title", "มาตรการ/แนวทาง"),
    ("issue", "ประเด็นที่ต้องปรับปรุงแก้ไข/พัฒนา"),
    ("steps", "ขั้นตอนหรือวิธีการ"),
    ("period", "ระยะเวลาดำเนินการ"),
    ("owners", "ผู้รับผิดชอบ"),
    ("follow_up", "การติดตามผล"),
]


def build_plan(unit: Unit, fiscal_year: int, settings: ReportSettings | None = None) -> Document:
    settings = settings or settings_for(unit, Kind.PLAN, fiscal_year)
    options = options_from(settings)
    plan = _plan(unit, fiscal_year)
    rows = []
    for measure in _measures(plan, None) if plan else []:
        cells = {
            "title": f"{options.digits(measure.number)}. {measure.title}",
            "issue": measure.issue,
            "steps": _steps(measure, options),
            "period": _period(measure, options),
            "owners": _owners(measure),
            "follow_up": measure.follow_up,
        }
        rows.append({"number": options.digits(measure.number), "cells": [(k, cells[k]) for k, _ in PLAN_COLUMNS]})
    introduction = settings.introduction
    if not introduction and plan is not None and plan.based_on_assessment:
        introduction = (
            f"จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสของ {unit.name} ประจำปีงบประมาณ พ.ศ. "
            f"{options.digits(plan.based_on_assessment)} {unit.name} ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
            f"ภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {options.digits(fiscal_year)} ดังนี้"
        )
    return Document(
        kind=Kind.PLAN,
        unit=unit,
        fiscal_year=fiscal_year,
        round="",
        options=options,
        title_lines=[
            f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {options.digits(fiscal_year)}",
            _unit_heading(unit),
        ],
        introduction=introduction,
        columns=PLAN_COLUMNS,
        rows=rows,
        signatory=_signatory(settings),
    )


def build_analysis(unit: Unit, fiscal_year: int, settings: ReportSettings | None = None) -> Document:
    """Per-tool indicator tables, tool means against 85, total, level, strengths and points to develop."""
    settings = settings or settings_for(unit, Kind.ANALYSIS, fiscal_year)
    options = options_from(settings)
    assessment = (
        Assessment.objects.filter(unit=unit, fiscal_year=fiscal_year)
        .select_related("framework")
        .prefetch_related("tool_totals__tool", "recommendations")
        .first()
    )
    sections, strengths, weaknesses = [], [], []
    if assessment is not None:
        scores = {
            s.indicator_id: s.score
            for s in IndicatorScore.objects.filter(assessment=assessment).select_related("indicator")
        }
        announced = {t.tool.code: t.score for t in assessment.tool_totals.all()}
        stored = {"IIT": assessment.iit_total, "EIT": assessment.eit_total, "OIT": assessment.oit_total}
        recommendations = list(assessment.recommendations.all())
        for tool in assessment.framework.tools.order_by("order").prefetch_related("indicators"):
            indicator_rows = []
            known = []
            for indicator in tool.indicators.order_by("number"):
                value = scores.get(indicator.id)
                if value is not None:
                    known.append(value)
                    target = strengths if value >= PASS_MARK else weaknesses
                    target.append(
                        {
                            "name": options.digits(f"ตัวชี้วัดที่ {indicator.number} {indicator.name}"),
                            "score": options.score(value),
                            "description": indicator.description,
                        }
                    )
                indicator_rows.append(
                    {"name": options.digits(f"{indicator.number}. {indicator.name}"), "score": options.score(value)}
                )
            mean = stored.get(tool.code)
            if mean is None and known and len(known) == len(indicator_rows):
                mean = sum(known) / len(known)
            if mean is None:
                mean = announced.get(tool.code)
            sections.append(
                {
                    "tool": f"{tool.code} {tool.name}",
                    "weight": options.digits(f"{tool.weight.normalize():f}"),
                    "indicators": indicator_rows,
                    "mean": options.score(mean),
                    "reaches_mark": None if mean is None else mean >= PASS_MARK,
                    "recommendations": [r.text for r in recommendations if r.tool_id == tool.id],
                }
            )
        total, level = assessment_figures(assessment)
        extra = {
            "total": options.score(total),
            "level": level or "ไม่มีข้อมูล",
            "passes": assessment.passes if assessment.passes is not None else (total is not None and total >= PASS_MARK),
            "strengths": strengths,
            "weaknesses": weaknesses,
            "indicator_recommendations": [r.text for r in recommendations if r.tool_id is None],
        }
    else:
        extra = {"total": "ไม่มีข้อมูล", "level": "ไม่มีข้อมูล", "passes": None, "strengths": [], "weaknesses": []}
    return Document(
        kind=Kind.ANALYSIS,
        unit=unit,
        fiscal_year=fiscal_year,
        round="",
        options=options,
        title_lines=[
            "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
            f"ประจำปีงบประมาณ พ.ศ. {options.digits(fiscal_year)}",
            _unit_heading(unit),
        ],
        introduction=settings.introduction,
        sections=sections,
        signatory=_signatory(settings),
        extra=extra,
    )


def build_oit(unit: Unit, fiscal_year: int, round_code: str, settings: ReportSettings | None = None) -> Document:
    """OIT items grouped by sub-indicator, with ☐/☑ status (seed 004)."""
    settings = settings or settings_for(unit, Kind.OIT, fiscal_year, round_code)
    options = options_from(settings)
    plan = _plan(unit, fiscal_year)
    groups: dict[str, dict] = {}
    progress = (
        OitProgress.objects.filter(plan=plan)
        .select_related("item__sub_indicator")
        .prefetch_related("owners")
        .order_by("item__order", "order", "id")
        if plan
        else []
    )
    for row in progress:
        sub = row.item.sub_indicator
        key = sub.code if sub else ""
        group = groups.setdefault(
            key, {"heading": options.digits(f"ตัวชี้วัดย่อยที่ {sub.code} {sub.name}") if sub else "", "items": []}
        )
        done = row.status == OitProgress.ItemStatus.DONE
        group["items"].append(
            {
                "code": row.item.code,  # OIT codes are printed as the NACC writes them (O1)
                "title": row.item.title,
                "owners": " ".join(d.name for d in row.owners.all()),
                "done": done,
                "status": ("☐ ยังไม่ได้ดำเนินการ  ☑ ดำเนินการ" if done else "☑ ยังไม่ได้ดำเนินการ  ☐ ดำเนินการ"),
                "note": row.note,
                "url": row.url,
            }
        )
    return Document(
        kind=Kind.OIT,
        unit=unit,
        fiscal_year=fiscal_year,
        round=round_code,
        options=options,
        title_lines=[
            "รายงานความก้าวหน้าการดำเนินการตามแบบวัดการเปิดเผยข้อมูลสาธารณะ (OIT)",
            f"ประจำปีงบประมาณ พ.ศ. {options.digits(fiscal_year)} {round_label(round_code, options)}",
            _unit_heading(unit),
        ],
        introduction=settings.introduction,
        columns=[("code", "ข้อ"), ("title", "ข้อมูล"), ("owners", "ผู้รับผิดชอบ"), ("status", "สถานะ"), ("note", "ความก้าวหน้าผลการดำเนินการ")],
        sections=list(groups.values()),
        signatory=_signatory(settings),
    )


def default_comment_chain(unit: Unit) -> list[dict]:
    return [
        {"heading": "ความเห็นของหัวหน้าสำนักปลัด", "name": "", "position": "หัวหน้าสำนักปลัด"},
        {"heading": f"ความเห็นของรองปลัด{unit.name}", "name": "", "position": f"รองปลัด{unit.name}"},
        {"heading": f"ความเห็นของปลัด{unit.name}", "name": "", "position": f"ปลัด{unit.name}"},
        {"heading": f"ความเห็นของนายก{unit.name}", "name": "", "position": f"นายก{unit.name}"},
    ]


def build_memo(unit: Unit, fiscal_year: int, round_code: str, settings: ReportSettings | None = None) -> Document:
    """บันทึกข้อความ cover (seed 003), ready to print and sign."""
    settings = settings or settings_for(unit, Kind.MEMO, fiscal_year, round_code)
    options = options_from(settings)
    year = options.digits(fiscal_year)
    memo_date = settings.memo_date or timezone.localdate()
    body = settings.memo_body or (
        f"ตามที่ได้ดำเนินการวิเคราะห์ผลการประเมิน ITA ของ{unit.name} ปีงบประมาณ พ.ศ. {options.digits(fiscal_year - 1)} "
        "และได้กำหนดประเด็นที่ต้องแก้ไข/ประเด็นที่ต้องพัฒนา ในการส่งเสริมคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่น"
        f"ในปีงบประมาณ พ.ศ. {year} โดยมีการดำเนินการขับเคลื่อนมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
        f"ขององค์กรปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ. {year} {round_label(round_code, options)} ตามสิ่งที่แนบมานี้"
        "\n\nจึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป"
    )
    return Document(
        kind=Kind.MEMO,
        unit=unit,
        fiscal_year=fiscal_year,
        round=round_code,
        options=options,
        title_lines=["บันทึกข้อความ"],
        signatory=_signatory(settings),
        extra={
            "office": settings.memo_office or unit.name,
            "reference": options.digits(settings.memo_reference),
            "date": options.date(memo_date),
            "subject": settings.memo_subject
            or f"รายงานผลการดำเนินมาตรการส่งเสริมคุณธรรมและความโปร่งใสของปีงบประมาณ พ.ศ. {year}",
            "to": settings.memo_to or f"นายก{unit.name}",
            "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
            "chain": settings.memo_comment_chain or default_comment_chain(unit),
        },
    )


def build(kind: str, unit: Unit, fiscal_year: int, round_code: str = "", settings: ReportSettings | None = None) -> Document:
    if kind == Kind.RESULTS:
        return build_results(unit, fiscal_year, round_code, settings)
    if kind == Kind.PLAN:
        return build_plan(unit, fiscal_year, settings)
    if kind == Kind.ANALYSIS:
        return build_analysis(unit, fiscal_year, settings)
    if kind == Kind.OIT:
        return build_oit(unit, fiscal_year, round_code, settings)
    if kind == Kind.MEMO:
        return build_memo(unit, fiscal_year, round_code, settings)
    raise ValueError(f"unknown report kind {kind!r}")
