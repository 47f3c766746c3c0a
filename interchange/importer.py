"""Import `ita-portal/unit-year` documents: whole file or nothing (one transaction).

A document is written in a fixed number of bulk queries whatever its number of years (rows of every
year go in together, with their history), so that provinces can load thousands of files: see
`bench_import` and the README's performance section.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from assessments import scoring
from assessments import services as assessment_services
from assessments.models import Assessment, Framework, IndicatorScore, ToolTotal
from interchange.schema import DocumentError, validate
from measures import progress as dashboard_progress
from measures.bulk import delete_plans
from measures.models import (
    EvidenceLink,
    Measure,
    MeasureStep,
    OitProgress,
    Plan,
    ProgressEntry,
    number_sort_key,
)
from units.models import Department, Unit


@dataclass
class Summary:
    unit: str
    created_unit: bool = False
    years: list[int] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    measures: int = 0
    entries: int = 0

    def line(self) -> str:
        replaced = f", replaced {', '.join(map(str, self.replaced))}" if self.replaced else ""
        return (
            f"{self.unit}: years {', '.join(map(str, sorted(set(self.years)))) or '-'}{replaced}; "
            f"{self.measures} measures, {self.entries} progress entries"
        )


def parse(data: bytes):
    """Bytes → document, refusing what is too big, not UTF-8, not JSON or nested beyond reason."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise DocumentError("", f"ไฟล์ใหญ่เกิน {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB", "file over the size limit")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError("", "ไฟล์ต้องเข้ารหัส UTF-8", "file is not UTF-8") from exc
    try:
        return json.loads(text, parse_float=Decimal)
    except RecursionError as exc:
        raise DocumentError("", "โครงสร้าง JSON ซ้อนกันลึกเกินไป", "JSON nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise DocumentError(f"(line {exc.lineno})", "ไม่ใช่ JSON ที่ถูกต้อง", f"invalid JSON: {exc.msg}") from exc


@dataclass
class YearFramework:
    """A year's framework with what an import looks up in it, read once."""

    framework: Framework
    indicators: dict[str, object]  # "1".."10" → Indicator
    tools: dict[str, object]  # "IIT" → Tool
    oit_items: dict[str, object]  # "O1" → OitItem
    rules: scoring.Rules


class Frameworks:
    """The frameworks of the years documents name, read once per import run (a command or a request):
    a province loading thousands of files would otherwise read the same rows for every file."""

    def __init__(self):
        self._years: dict[int, YearFramework | None] = {}

    def for_years(self, years) -> dict[int, YearFramework]:
        missing = set(years) - set(self._years)
        if missing:
            found = Framework.objects.filter(fiscal_year__in=missing).prefetch_related("indicators", "oit_items", "tools")
            for framework in found:
                self._years[framework.fiscal_year] = YearFramework(
                    framework=framework,
                    indicators={str(i.number): i for i in framework.indicators.all()},
                    tools={t.code: t for t in framework.tools.all()},
                    oit_items={o.code: o for o in framework.oit_items.all()},
                    rules=assessment_services.rules_for(framework),
                )
            for year in missing:
                self._years.setdefault(year, None)
        return {year: self._years[year] for year in years if self._years[year] is not None}


def _document_years(doc) -> set[int]:
    return {a["fiscal_year"] for a in doc.get("assessments", [])} | {p["fiscal_year"] for p in doc.get("plans", [])}


def check_against_database(doc, frameworks: dict[int, YearFramework]) -> None:
    """The rules that need the year's framework."""
    for i, item in enumerate(doc.get("assessments", [])):
        framework = frameworks.get(item["fiscal_year"])
        if framework is None:
            raise DocumentError(f"assessments[{i}].fiscal_year", "ไม่มีกรอบการประเมินของปีนี้", "no ITA framework for this year")
        for key in item.get("scores", {}):
            if key not in framework.indicators:
                raise DocumentError(f"assessments[{i}].scores.{key}", "ไม่มีตัวชี้วัดนี้ในกรอบการประเมินของปีนี้", "indicator not in that year's framework")
    for i, plan in enumerate(doc.get("plans", [])):
        framework = frameworks.get(plan["fiscal_year"])
        if framework is None:
            raise DocumentError(f"plans[{i}].fiscal_year", "ไม่มีกรอบการประเมินของปีนี้", "no ITA framework for this year")
        for j, measure in enumerate(plan["measures"]):
            for k, number in enumerate(measure.get("indicators", [])):
                if number not in framework.indicators:
                    raise DocumentError(f"plans[{i}].measures[{j}].indicators[{k}]", "ไม่มีตัวชี้วัดนี้ในกรอบการประเมินของปีนี้", "indicator not in that year's framework")
            for k, code in enumerate(measure.get("oit_items", [])):
                if code not in framework.oit_items:
                    raise DocumentError(f"plans[{i}].measures[{j}].oit_items[{k}]", "ไม่มีข้อมูล OIT นี้ในกรอบการประเมินของปีนี้", "OIT item not in that year's framework")
        for j, item in enumerate(plan.get("oit_items", [])):
            if item["code"] not in framework.oit_items:
                raise DocumentError(f"plans[{i}].oit_items[{j}].code", "ไม่มีข้อมูล OIT นี้ในกรอบการประเมินของปีนี้", "OIT item not in that year's framework")


def validate_document(doc, frameworks: Frameworks | None = None) -> dict[int, YearFramework]:
    validate(doc)
    found = (frameworks or Frameworks()).for_years(_document_years(doc))
    check_against_database(doc, found)
    return found


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _with_ids(objs, reread):
    """bulk_create gives ids back on PostgreSQL and SQLite ≥ 3.35; on other databases read them again
    (in insertion order)."""
    if objs and any(obj.pk is None for obj in objs):
        return list(reread().order_by("id"))
    return objs


@transaction.atomic
def import_document(
    doc, *, replace: bool = False, expected_slug: str | None = None, user=None, frameworks: Frameworks | None = None
) -> Summary:
    """Write one document, every year in bulk. `user` is recorded as the author of the history rows;
    `frameworks` lets a run of many files share one read of the frameworks."""
    years_frameworks = validate_document(doc, frameworks)
    spec = doc["unit"]
    if expected_slug is not None and spec["slug"] != expected_slug:
        raise DocumentError("unit.slug", f"ไฟล์นี้เป็นของหน่วยงาน {spec['slug']} ไม่ใช่ {expected_slug}", "the file is for another unit")
    unit, created = _write_unit(spec)
    summary = Summary(unit.slug, created_unit=created)
    departments = _write_departments(unit, spec.get("departments", []), created)

    assessment_years = [a["fiscal_year"] for a in doc.get("assessments", [])]
    plan_years = [p["fiscal_year"] for p in doc.get("plans", [])]
    existing = set()
    if not created:
        existing = set(Assessment.objects.filter(unit=unit, fiscal_year__in=assessment_years).order_by().values_list("fiscal_year", flat=True))
        existing |= set(Plan.objects.filter(unit=unit, fiscal_year__in=plan_years).order_by().values_list("fiscal_year", flat=True))
    if existing and not replace:
        years = ", ".join(map(str, sorted(existing)))
        raise DocumentError("unit.slug", f"มีข้อมูลปี {years} ของหน่วยงานนี้อยู่แล้ว ใช้ --replace เพื่อแทนที่", f"data for {years} exists: use --replace")
    summary.replaced = sorted(existing)

    # The dashboards' per unit-year figures are brought up to date once, below, not per deleted row.
    if existing:
        Assessment.objects.filter(unit=unit, fiscal_year__in=assessment_years).delete()
        delete_plans(Plan.objects.filter(unit=unit, fiscal_year__in=plan_years), user=user)
    _write_assessments(unit, doc.get("assessments", []), years_frameworks)
    _write_plans(unit, doc.get("plans", []), years_frameworks, departments, user, summary)
    summary.years = assessment_years + plan_years
    if plan_years or existing:
        dashboard_progress.refresh_unit_years(unit.pk, set(plan_years) | existing)
    return summary


def _write_unit(spec) -> tuple[Unit, bool]:
    unit = Unit.objects.filter(slug=spec["slug"]).first()
    created = unit is None
    if created:
        unit = Unit(slug=spec["slug"])
    values = {"name": spec["name"], "kind": spec["kind"], "district": spec.get("district", ""), "province": spec.get("province", "")}
    if created or any(getattr(unit, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(unit, name, value)
        unit.save()
    return unit, created


def _write_departments(unit, names: list[str], created: bool) -> dict[str, Department]:
    """The file's departments in its order; the unit's other departments are kept."""
    departments = {} if created else {d.name: d for d in unit.departments.order_by()}
    new = []
    for order, name in enumerate(names):
        if name in departments:
            if departments[name].order != order:
                Department.objects.filter(pk=departments[name].pk).update(order=order)
        else:
            new.append(Department(unit=unit, name=name, order=order))
    new = _with_ids(Department.objects.bulk_create(new), lambda: Department.objects.filter(unit=unit, name__in=[d.name for d in new]))
    departments.update({d.name: d for d in new})
    return departments


def _write_assessments(unit, items, frameworks: dict[int, YearFramework]) -> None:
    """Assessments with their stored totals computed before the insert (assessments.scoring), then
    every year's scores and announced tool totals in one insert each."""
    assessments, scores, tool_totals = [], [], []
    for item in items:
        year = frameworks[item["fiscal_year"]]
        values = {int(k): Decimal(v) for k, v in item.get("scores", {}).items()}
        announced = {k: Decimal(v) for k, v in item.get("tool_totals", {}).items()}
        official_total = Decimal(item["official_total"]) if item.get("official_total") is not None else None
        result = scoring.score(year.rules, values, announced, official_total)
        assessments.append(Assessment(
            unit=unit, fiscal_year=item["fiscal_year"], framework=year.framework,
            official_total=official_total, official_level=item.get("official_level", ""),
            iit_total=scoring.round_score(result.tool_scores.get("IIT")),
            eit_total=scoring.round_score(result.tool_scores.get("EIT")),
            oit_total=scoring.round_score(result.tool_scores.get("OIT")),
            total=scoring.round_score(result.total), level=result.level or "", passes=result.passes,
        ))
        scores.append([(year.indicators[k], Decimal(v)) for k, v in item.get("scores", {}).items()])
        tool_totals.append([(year.tools[k], Decimal(v)) for k, v in item.get("tool_totals", {}).items()])
    assessments = _with_ids(Assessment.objects.bulk_create(assessments), lambda: Assessment.objects.filter(unit=unit, fiscal_year__in=[a["fiscal_year"] for a in items]))
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=a, indicator=indicator, score=value)
        for a, pairs in zip(assessments, scores, strict=True) for indicator, value in pairs
    )
    ToolTotal.objects.bulk_create(
        ToolTotal(assessment=a, tool=tool, score=value) for a, pairs in zip(assessments, tool_totals, strict=True) for tool, value in pairs
    )


def _write_plans(unit, specs, frameworks: dict[int, YearFramework], departments, user, summary) -> None:
    plans = bulk_create_with_history(
        [
            Plan(unit=unit, fiscal_year=p["fiscal_year"], framework=frameworks[p["fiscal_year"]].framework,
                 based_on_assessment=p.get("based_on_assessment"))
            for p in specs
        ],
        Plan,
        default_user=user,
    )
    plans = _with_ids(plans, lambda: Plan.objects.filter(unit=unit, fiscal_year__in=[p["fiscal_year"] for p in specs]))
    _write_measures(
        [(plan, frameworks[plan.fiscal_year], p["measures"]) for plan, p in zip(plans, specs, strict=True)],
        departments, user, summary,
    )
    _write_oit_progress(
        [(plan, frameworks[plan.fiscal_year], p.get("oit_items", [])) for plan, p in zip(plans, specs, strict=True)],
        departments, user,
    )


def _link(model, relation: str, target: str, pairs) -> None:
    """Many-to-many rows written in the file's order (manager.set() takes a set and loses it), so that
    the export gives the lists back as they were."""
    through = getattr(model, relation).through
    source = model._meta.model_name
    through.objects.bulk_create(through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in pairs)


def _write_measures(plans, departments, user, summary) -> None:
    """Every plan's measures in a handful of bulk queries (history rows in bulk too), in the file's order."""
    specs = [(plan, year, m) for plan, year, measures in plans for m in measures]
    measures = bulk_create_with_history(
        [
            Measure(
                plan=plan, number=m["number"], sort_key=number_sort_key(m["number"]), title=m["title"],
                issue=m.get("issue", ""), owner_text=m.get("owner_text", ""), start=_date(m.get("start")),
                end=_date(m.get("end")), period_text=m.get("period_text", ""),
                expected_outcome=m.get("expected_outcome", ""), follow_up=m.get("follow_up", ""),
            )
            for plan, _year, m in specs
        ],
        Measure,
        default_user=user,
    )
    measures = _with_ids(measures, lambda: Measure.objects.filter(plan__in=[plan for plan, _y, _m in plans]))
    links = {"indicator": [], "oititem": [], "department": []}
    steps, entries, evidence = [], [], []
    for measure, (_plan, year, m) in zip(measures, specs, strict=True):
        links["indicator"] += [(measure.pk, year.indicators[n].pk) for n in m.get("indicators", [])]
        links["oititem"] += [(measure.pk, year.oit_items[c].pk) for c in m.get("oit_items", [])]
        links["department"] += [(measure.pk, departments[n].pk) for n in m.get("owners", [])]
        steps += [MeasureStep(measure=measure, order=i, text=t) for i, t in enumerate(m.get("steps", []))]
        for p in m.get("progress", []):
            # Imported progress is the unit's own record of what it reported: it counts as approved.
            entries.append(ProgressEntry(
                measure=measure, round=p["round"], status=p["status"], percent=p.get("percent"),
                result=p.get("result", ""), outcome=p.get("outcome", ""), problems=p.get("problems", ""),
                suggestions=p.get("suggestions", ""), reported_on=_date(p.get("reported_on")),
                review_state=ProgressEntry.Review.APPROVED,
            ))
            evidence.append(p.get("evidence", []))
    for relation, target in (("indicators", "indicator"), ("oit_items", "oititem"), ("owners", "department")):
        _link(Measure, relation, target, links[target])
    bulk_create_with_history(steps, MeasureStep, default_user=user)
    entries = bulk_create_with_history(entries, ProgressEntry, default_user=user)
    entries = _with_ids(entries, lambda: ProgressEntry.objects.filter(measure__in=measures))
    EvidenceLink.objects.bulk_create(
        EvidenceLink(entry=entry, url=url, order=i) for entry, urls in zip(entries, evidence, strict=True) for i, url in enumerate(urls)
    )
    summary.measures += len(measures)
    summary.entries += len(entries)


def _write_oit_progress(plans, departments, user) -> None:
    specs = [(plan, year, o, order) for plan, year, items in plans for order, o in enumerate(items)]
    if not specs:
        return
    rows = bulk_create_with_history(
        [
            OitProgress(plan=plan, item=year.oit_items[o["code"]], status=o["status"], note=o.get("note", ""),
                        url=o.get("url", ""), order=order)
            for plan, year, o, order in specs
        ],
        OitProgress,
        default_user=user,
    )
    rows = _with_ids(rows, lambda: OitProgress.objects.filter(plan__in=[plan for plan, _y, _i in plans]))
    _link(OitProgress, "owners", "department", [
        (row.pk, departments[name].pk) for row, (_p, _y, o, _order) in zip(rows, specs, strict=True) for name in o.get("owners", [])
    ])
