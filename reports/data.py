"""Plain data for each report kind: one function per kind, no HTML.

Every string a document prints is made here in the report's one digit style (reports.text: the office's
own text included, codes and URLs kept) and cleaned of pasted control characters; the templates only lay
it out. Only approved progress entries go into a report. Rules come from their one home: round labels and
periods from measures.rounds, status labels from measures.models.Status, the analysis from
assessments.services.analyse (reports/analysis.py), the columns from reports/columns.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import translation

from assessments.models import Assessment
from ita_portal import thai
from measures import rounds
from measures.models import Measure, MeasureStep, OitProgress, Plan, ProgressEntry
from measures.status import OitStatus, ReviewState, Status
from reports import columns as report_columns
from reports import signatures as sign
from reports.models import Kind, ReportSettings
from reports.text import document_digits, protected_words
from units.models import Unit

# Portrait margins in mm (top, right, bottom, left) as ระเบียบงานสารบรรณ lays out a report; a landscape page
# is the portrait page turned with its top to the binding edge.
PORTRAIT_MARGINS = (25, 20, 20, 30)
LANDSCAPE_MARGINS = (30, 25, 20, 20)
SUGGESTION_PREFIX = "ข้อเสนอแนะ:"


@dataclass
class Options:
    thai_digits: bool = True
    abbreviated_dates: bool = False
    landscape: bool = True
    columns: list[str] = field(default_factory=list)
    table_font_size: int = 16
    margins: tuple[int, int, int, int] = PORTRAIT_MARGINS
    words: tuple[str, ...] = ()  # kept on one line (reports.text.keep_together)

    @property
    def digit_style(self) -> str:
        return thai.DIGITS_THAI if self.thai_digits else thai.DIGITS_ARABIC

    @property
    def date_style(self) -> str:
        return thai.DATE_ABBR if self.abbreviated_dates else thai.DATE_FULL

    def digits(self, value) -> str:
        return thai.digits(value, self.digit_style)

    def text(self, value) -> str:
        """Text from the office or the system, in the document's digit style."""
        return document_digits(value, self.digit_style)

    def date(self, value: dt.date | None) -> str:
        return thai.format_date(value, self.date_style, self.digit_style)

    def score(self, value) -> str:
        return thai.format_decimal(value, 2, self.digit_style) if value is not None else "ไม่มีข้อมูล"


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
    rows: list[dict] = field(default_factory=list)  # {"cells": [(key, value)], "title": …} or {"group": …}
    sections: list[dict] = field(default_factory=list)
    signatures: list[sign.Signature] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    footnote: str = ""  # the source's หมายเหตุ, printed as typed below the table

    @property
    def title(self) -> str:
        return " ".join(line for line in self.title_lines if line)

    @property
    def title_key(self) -> str:
        """The column a row continued on the next page repeats with "(ต่อ)"."""
        keys = [key for key, _heading in self.columns]
        return next((k for k in ("title", "issue", "issue_steps") if k in keys), keys[0] if keys else "")

    @property
    def column_widths(self) -> list[tuple[str, int]]:
        """(key, whole per cent) of each column, together 100 (CSS classes w-N in print.css)."""
        keys = [key for key, _heading in self.columns]
        return list(zip(keys, report_columns.widths(self.kind, keys), strict=True))


def settings_for(unit: Unit, kind: str, fiscal_year: int, round_code: str = "") -> ReportSettings:
    """The saved settings, or unsaved defaults."""
    found = ReportSettings.objects.filter(unit=unit, kind=kind, fiscal_year=fiscal_year, round=round_code).first()
    if found is not None:
        return found
    # Tables are printed landscape as the seeds do; the memo and the analysis are portrait documents.
    landscape = kind in (Kind.RESULTS, Kind.PLAN, Kind.OIT)
    return ReportSettings(unit=unit, kind=kind, fiscal_year=fiscal_year, round=round_code, landscape=landscape)


def options_from(settings: ReportSettings, unit: Unit | None = None, extra_words=()) -> Options:
    default = LANDSCAPE_MARGINS if settings.landscape else PORTRAIT_MARGINS
    chosen = (settings.margin_top, settings.margin_right, settings.margin_bottom, settings.margin_left)
    return Options(
        thai_digits=settings.thai_digits,
        abbreviated_dates=settings.abbreviated_dates,
        landscape=settings.landscape,
        columns=list(settings.columns or []),
        table_font_size=settings.table_font_size or 16,
        margins=tuple(c if c else d for c, d in zip(chosen, default, strict=True)),
        words=tuple(protected_words(unit, extra_words)) if unit is not None else (),
    )


def round_label(code: str, options: Options) -> str:
    return rounds.label(code, options.digit_style) if code in rounds.LABELS else ""


def round_period(fiscal_year: int, code: str, options: Options) -> str:
    if code not in rounds.MONTHS:
        return ""
    return rounds.period_text(fiscal_year, code, options.digit_style, abbreviated=options.abbreviated_dates)


def status_label(code: str) -> str:
    with translation.override("th"):
        return str(Status(code).label) if code in Status.values else ""


def _plan(unit: Unit, fiscal_year: int) -> Plan | None:
    return Plan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()


def _measures(plan: Plan, round_code: str | None):
    prefetches = [Prefetch("steps", queryset=MeasureStep.objects.order_by("order", "id")), "owners", "indicators__tool"]
    if round_code:
        approved = ProgressEntry.objects.filter(round=round_code, review_state=ReviewState.APPROVED)
        prefetches.append(Prefetch("entries", queryset=approved.select_related("reported_by"), to_attr="approved_entries"))
    return Measure.objects.filter(plan=plan).order_by("sort_key", "id").prefetch_related(*prefetches)


# A step the office numbered itself ("๑.", "1)", "(1)", "-") keeps its own numbering.
_NUMBERED = re.compile(r"^\s*(?:[0-9๐-๙]+[.)]|\([0-9๐-๙]+\)|-)")


def _steps(measure: Measure, options: Options) -> list[str]:
    return [
        options.text(step.text if _NUMBERED.match(step.text) else f"{i}. {step.text}")
        for i, step in enumerate(measure.steps.all(), 1)
    ]


def _owners(measure: Measure, options: Options) -> str:
    return options.text(measure.owner_text or " ".join(d.name for d in measure.owners.all()))


def _period(measure: Measure, options: Options) -> str:
    if measure.period_text:
        return options.text(measure.period_text)
    return thai.format_period(measure.start, measure.end, options.date_style, options.digit_style)


def split_suggestions(follow_up: str) -> tuple[str, str]:
    """(follow-up, suggestions): lines starting "ข้อเสนอแนะ:" are the plan's ข้อเสนอแนะ column (seed 002)."""
    kept, suggestions = [], []
    for line in (follow_up or "").splitlines():
        if line.strip().startswith(SUGGESTION_PREFIX):
            suggestions.append(line.strip()[len(SUGGESTION_PREFIX) :].strip())
        else:
            kept.append(line)
    return "\n".join(kept).strip(), "\n".join(suggestions)


def issue_parts(measure: Measure, options: Options) -> tuple[str, str]:
    """(group heading, issue): seed 003 files each issue under "เครื่องมือการประเมิน OIT ตัวชี้วัดที่ …";
    an issue typed as "heading: issue" keeps the office's heading, else the measure's first indicator names it."""
    issue = measure.issue or ""
    if issue.startswith("เครื่องมือการประเมิน") and ": " in issue:
        heading, issue = issue.split(": ", 1)
        return options.text(heading), options.text(issue)
    indicator = next(iter(measure.indicators.all()), None)
    if indicator is None:
        return "", options.text(issue)
    return options.text(f"เครื่องมือการประเมิน {indicator.tool.code} ตัวชี้วัดที่ {indicator.number} {indicator.name}"), options.text(issue)


def _measure_cells(measure: Measure, options: Options, entry: ProgressEntry | None) -> dict:
    follow_up, suggestions = split_suggestions(measure.follow_up)
    steps = _steps(measure, options)
    issue = issue_parts(measure, options)[1]
    return {
        "number": options.text(measure.number),
        "title": options.text(measure.title),
        "issue": issue,
        "steps": steps,
        "issue_steps": ([issue] if issue else []) + steps,
        "owners": _owners(measure, options),
        "period": _period(measure, options),
        "follow_up": options.text(follow_up),
        "expected_outcome": options.text(measure.expected_outcome),
        "result": options.text(entry.result) if entry else "",
        "outcome": options.text(entry.outcome) if entry else "",
        "problems": options.text(entry.problems) if entry else "",
        "suggestions": options.text(entry.suggestions if entry else suggestions),
        "status": status_label(entry.status) if entry else "",
    }


def _is_empty(value) -> bool:
    return not any(v.strip() for v in value) if isinstance(value, list) else not (value or "").strip()


def table_rows(kind, settings, cells_per_row: list[tuple[dict, str]], groups: list[str] | None = None):
    """(columns, rows): the chosen columns, those empty in every row left out unless kept; rows carry the
    title a continued row repeats with "(ต่อ)", and group heading rows where the group changes."""
    chosen = report_columns.chosen_columns(kind, settings.preset, settings.columns, settings.headings)
    keep = set(settings.keep_columns or [])
    chosen = [(k, h) for k, h in chosen if k in keep or not all(_is_empty(c[k]) for c, _t in cells_per_row)] or chosen
    rows, previous = [], None
    for index, (cells, title) in enumerate(cells_per_row):
        group = groups[index] if groups else None
        if group and group != previous:
            rows.append({"group": group})
        previous = group
        rows.append({"cells": [(k, cells[k]) for k, _h in chosen], "title": title, "group_member": bool(group)})
    return chosen, rows


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
    text = ""
    if assessment is not None:
        total, level = assessment_figures(assessment)
        text = (
            f"จากการประเมินผลคุณธรรมและความโปร่งใสในการดำเนินงาน ของ {unit.name} ประจำปีงบประมาณ พ.ศ. "
            f"{assessment.fiscal_year} โดยภาพรวม ได้คะแนน {options.score(total)}"
            + (f" อยู่ในระดับ {level}" if level else "")
            + " "
        )
    return options.text(
        text + f"{unit.name} ได้รายงานผลการดำเนินงานตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสในหน่วยงานภาครัฐ "
        f"ประจำปีงบประมาณ พ.ศ. {fiscal_year} และได้แสดงมาตรการ กิจกรรมที่ดำเนินการ การสรุปผลการดำเนินการ "
        "และผลลัพธ์การดำเนินการ กำหนดผู้รับผิดชอบหรือผู้ที่เกี่ยวข้อง ดังนี้"
    )


def unit_heading(unit: Unit, options: Options) -> str:
    return options.text(f"{unit.name} {unit.place}".strip())


def build_results(unit: Unit, fiscal_year: int, round_code: str, settings: ReportSettings | None = None) -> Document:
    settings = settings or settings_for(unit, Kind.RESULTS, fiscal_year, round_code)
    options = options_from(settings, unit)
    preset = report_columns.preset_for(Kind.RESULTS, settings.preset)
    plan = _plan(unit, fiscal_year)
    measures = list(_measures(plan, round_code)) if plan else []
    entries = [m.approved_entries[0] if m.approved_entries else None for m in measures]
    cells = [(_measure_cells(m, options, e), options.text(m.title or m.issue)) for m, e in zip(measures, entries, strict=True)]
    groups = [issue_parts(m, options)[0] for m in measures] if preset and preset.group_by_indicator else None
    columns, rows = table_rows(Kind.RESULTS, settings, cells, groups)
    title = f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {options.digits(fiscal_year)}"
    people = sign.people_of_round(unit, [e for e in entries if e])
    return Document(
        kind=Kind.RESULTS, unit=unit, fiscal_year=fiscal_year, round=round_code, options=options,
        title_lines=[title, f"{round_label(round_code, options)} {round_period(fiscal_year, round_code, options)}".strip(),
                     unit_heading(unit, options)],
        introduction=options.text(settings.introduction) or default_results_introduction(unit, fiscal_year, options),
        columns=columns, rows=rows, signatures=sign.blocks(settings, unit, people, options.text),
        footnote=options.text(settings.footnote),
    )  # fmt: skip


def build_plan(unit: Unit, fiscal_year: int, settings: ReportSettings | None = None) -> Document:
    settings = settings or settings_for(unit, Kind.PLAN, fiscal_year)
    options = options_from(settings, unit)
    plan = _plan(unit, fiscal_year)
    measures = list(_measures(plan, None)) if plan else []
    cells = []
    for measure in measures:
        row = _measure_cells(measure, options, None)
        row["title"] = options.text(f"{measure.number}. {measure.title}")
        cells.append((row, row["title"]))
    columns, rows = table_rows(Kind.PLAN, settings, cells)
    introduction = options.text(settings.introduction)
    if not introduction and plan is not None and plan.based_on_assessment:
        introduction = options.text(
            f"จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสของ {unit.name} ประจำปีงบประมาณ พ.ศ. "
            f"{plan.based_on_assessment} {unit.name} ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
            f"ภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {fiscal_year} ดังนี้"
        )
    title = f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {options.digits(fiscal_year)}"
    return Document(
        kind=Kind.PLAN, unit=unit, fiscal_year=fiscal_year, round="", options=options,
        title_lines=[title, unit_heading(unit, options)], introduction=introduction, columns=columns, rows=rows,
        signatures=sign.blocks(settings, unit, {}, options.text) if settings.signatures else [],
        footnote=options.text(settings.footnote),
    )  # fmt: skip


def oit_status_boxes(status: str) -> list[str]:
    """The form's two boxes, one per line, the one that holds ticked (seed 004)."""
    done = status == OitStatus.DONE
    return [f"{'☐' if done else '☑'} ยังไม่ได้ดำเนินการ", f"{'☑' if done else '☐'} ดำเนินการ"]


def _oit_rows(plan: Plan | None, options: Options) -> tuple[list[tuple[dict, str]], list[str]]:
    progress = (
        OitProgress.objects.filter(plan=plan).select_related("item__sub_indicator")
        .prefetch_related("owners").order_by("item__order", "order", "id")
        if plan else []
    )  # fmt: skip
    cells, groups = [], []
    for row in progress:
        sub = row.item.sub_indicator
        groups.append(options.text(f"ตัวชี้วัดย่อยที่ {sub.code} {sub.name}") if sub else "")
        note = options.text(row.note)
        cells.append(({
            "code": row.item.code,  # OIT codes are printed as the NACC writes them (O1)
            "title": options.text(row.item.title),
            "components": options.text(row.item.components),
            "owners": options.text(" ".join(d.name for d in row.owners.all())),
            "progress": oit_status_boxes(row.status) + ([f"- {note}"] if note else []),
            "url": row.url,
        }, options.text(row.item.title)))  # fmt: skip
    return cells, groups


def _oit_people(plan: Plan | None) -> dict:
    """The reporter of OIT progress is whoever last changed it (its history)."""
    if plan is None:
        return {}
    last = OitProgress.history.filter(plan_id=plan.pk, history_user__isnull=False).order_by("-history_date").first()
    return {sign.REPORTER: last.history_user} if last else {}


def build_oit(unit: Unit, fiscal_year: int, round_code: str, settings: ReportSettings | None = None) -> Document:
    """OIT items grouped by sub-indicator, with ☐/☑ status (seed 004)."""
    settings = settings or settings_for(unit, Kind.OIT, fiscal_year, round_code)
    options = options_from(settings, unit)
    plan = _plan(unit, fiscal_year)
    cells, groups = _oit_rows(plan, options)
    columns, rows = table_rows(Kind.OIT, settings, cells, groups)
    return Document(
        kind=Kind.OIT, unit=unit, fiscal_year=fiscal_year, round=round_code, options=options,
        title_lines=[
            "รายงานความก้าวหน้าการดำเนินการตามแบบวัดการเปิดเผยข้อมูลสาธารณะ (OIT)",
            f"ประจำปีงบประมาณ พ.ศ. {options.digits(fiscal_year)} {round_label(round_code, options)}".strip(),
            unit_heading(unit, options),
        ],
        introduction=options.text(settings.introduction), columns=columns, rows=rows,
        signatures=sign.blocks(settings, unit, _oit_people(plan), options.text),
        footnote=options.text(settings.footnote),
    )  # fmt: skip


def build(kind: str, unit: Unit, fiscal_year: int, round_code: str = "", settings: ReportSettings | None = None) -> Document:
    from reports.analysis import build_analysis
    from reports.memo import build_memo

    builders = {
        Kind.RESULTS: lambda: build_results(unit, fiscal_year, round_code, settings),
        Kind.PLAN: lambda: build_plan(unit, fiscal_year, settings),
        Kind.ANALYSIS: lambda: build_analysis(unit, fiscal_year, settings),
        Kind.OIT: lambda: build_oit(unit, fiscal_year, round_code, settings),
        Kind.MEMO: lambda: build_memo(unit, fiscal_year, round_code, settings),
    }
    if kind not in builders:
        raise ValueError(f"unknown report kind {kind!r}")
    return builders[kind]()
