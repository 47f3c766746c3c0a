"""Import `ita-portal/unit-year` documents: whole file or nothing (one transaction)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from assessments import services as assessment_services
from assessments.models import Assessment, Framework, IndicatorScore, ToolTotal
from dashboards.progress import refresh_unit_year
from interchange.schema import DocumentError, validate
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


def _frameworks(doc) -> dict[int, Framework]:
    years = {a["fiscal_year"] for a in doc.get("assessments", [])} | {p["fiscal_year"] for p in doc.get("plans", [])}
    found = {
        f.fiscal_year: f
        for f in Framework.objects.filter(fiscal_year__in=years).prefetch_related("indicators", "oit_items", "tools")
    }
    return found


def check_against_database(doc, frameworks) -> None:
    """The rules that need the year's framework."""
    for i, item in enumerate(doc.get("assessments", [])):
        framework = frameworks.get(item["fiscal_year"])
        if framework is None:
            raise DocumentError(f"assessments[{i}].fiscal_year", "ไม่มีกรอบการประเมินของปีนี้", "no ITA framework for this year")
        numbers = {str(ind.number) for ind in framework.indicators.all()}
        for key in item.get("scores", {}):
            if key not in numbers:
                raise DocumentError(f"assessments[{i}].scores.{key}", "ไม่มีตัวชี้วัดนี้ในกรอบการประเมินของปีนี้", "indicator not in that year's framework")
    for i, plan in enumerate(doc.get("plans", [])):
        framework = frameworks.get(plan["fiscal_year"])
        if framework is None:
            raise DocumentError(f"plans[{i}].fiscal_year", "ไม่มีกรอบการประเมินของปีนี้", "no ITA framework for this year")
        numbers = {str(ind.number) for ind in framework.indicators.all()}
        codes = {o.code for o in framework.oit_items.all()}
        for j, measure in enumerate(plan["measures"]):
            for k, number in enumerate(measure.get("indicators", [])):
                if number not in numbers:
                    raise DocumentError(f"plans[{i}].measures[{j}].indicators[{k}]", "ไม่มีตัวชี้วัดนี้ในกรอบการประเมินของปีนี้", "indicator not in that year's framework")
            for k, code in enumerate(measure.get("oit_items", [])):
                if code not in codes:
                    raise DocumentError(f"plans[{i}].measures[{j}].oit_items[{k}]", "ไม่มีข้อมูล OIT นี้ในกรอบการประเมินของปีนี้", "OIT item not in that year's framework")
        for j, item in enumerate(plan.get("oit_items", [])):
            if item["code"] not in codes:
                raise DocumentError(f"plans[{i}].oit_items[{j}].code", "ไม่มีข้อมูล OIT นี้ในกรอบการประเมินของปีนี้", "OIT item not in that year's framework")


def validate_document(doc) -> dict[int, Framework]:
    validate(doc)
    frameworks = _frameworks(doc)
    check_against_database(doc, frameworks)
    return frameworks


def _link_in_order(descriptor, instance, target: str, objects) -> None:
    """Many-to-many rows written in the file's order (manager.set() takes a set and loses it), so that
    the export gives the lists back as they were."""
    through = descriptor.through
    source = type(instance)._meta.model_name
    through.objects.bulk_create(through(**{f"{source}_id": instance.pk, f"{target}_id": obj.pk}) for obj in objects)


def _date(value):
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def import_document(doc, *, replace: bool = False, expected_slug: str | None = None) -> Summary:
    frameworks = validate_document(doc)
    spec = doc["unit"]
    if expected_slug is not None and spec["slug"] != expected_slug:
        raise DocumentError("unit.slug", f"ไฟล์นี้เป็นของหน่วยงาน {spec['slug']} ไม่ใช่ {expected_slug}", "the file is for another unit")
    unit, created = Unit.objects.get_or_create(
        slug=spec["slug"], defaults={"name": spec["name"], "kind": spec["kind"]}
    )
    unit.name, unit.kind = spec["name"], spec["kind"]
    unit.district, unit.province = spec.get("district", ""), spec.get("province", "")
    unit.save()
    summary = Summary(unit.slug, created_unit=created)
    departments = {d.name: d for d in unit.departments.all()}
    for order, name in enumerate(spec.get("departments", [])):
        if name in departments:
            if departments[name].order != order:
                Department.objects.filter(pk=departments[name].pk).update(order=order)
        else:
            departments[name] = Department.objects.create(unit=unit, name=name, order=order)

    assessment_years = [a["fiscal_year"] for a in doc.get("assessments", [])]
    plan_years = [p["fiscal_year"] for p in doc.get("plans", [])]
    existing = set(Assessment.objects.filter(unit=unit, fiscal_year__in=assessment_years).values_list("fiscal_year", flat=True))
    existing |= set(Plan.objects.filter(unit=unit, fiscal_year__in=plan_years).values_list("fiscal_year", flat=True))
    if existing and not replace:
        years = ", ".join(map(str, sorted(existing)))
        raise DocumentError("unit.slug", f"มีข้อมูลปี {years} ของหน่วยงานนี้อยู่แล้ว ใช้ --replace เพื่อแทนที่", f"data for {years} exists: use --replace")
    summary.replaced = sorted(existing)
    Assessment.objects.filter(unit=unit, fiscal_year__in=assessment_years).delete()
    Plan.objects.filter(unit=unit, fiscal_year__in=plan_years).delete()

    rules = {}
    for item in doc.get("assessments", []):
        framework = frameworks[item["fiscal_year"]]
        indicators = {str(i.number): i for i in framework.indicators.all()}
        tools = {t.code: t for t in framework.tools.all()}
        assessment = Assessment.objects.create(
            unit=unit, fiscal_year=item["fiscal_year"], framework=framework,
            official_total=item.get("official_total"), official_level=item.get("official_level", ""),
        )
        IndicatorScore.objects.bulk_create(
            IndicatorScore(assessment=assessment, indicator=indicators[k], score=Decimal(v)) for k, v in item.get("scores", {}).items()
        )
        ToolTotal.objects.bulk_create(
            ToolTotal(assessment=assessment, tool=tools[k], score=Decimal(v)) for k, v in item.get("tool_totals", {}).items()
        )
        if framework.pk not in rules:
            rules[framework.pk] = assessment_services.rules_for(framework)
        assessment_services.recompute(assessment, rules[framework.pk])
        summary.years.append(item["fiscal_year"])

    for spec_plan in doc.get("plans", []):
        framework = frameworks[spec_plan["fiscal_year"]]
        indicators = {str(i.number): i for i in framework.indicators.all()}
        items = {o.code: o for o in framework.oit_items.all()}
        plan = Plan.objects.create(
            unit=unit, fiscal_year=spec_plan["fiscal_year"], framework=framework,
            based_on_assessment=spec_plan.get("based_on_assessment"),
        )
        summary.years.append(plan.fiscal_year)
        _write_measures(plan, spec_plan["measures"], indicators, items, departments, summary)
        for order, o in enumerate(spec_plan.get("oit_items", [])):
            row = OitProgress.objects.create(
                plan=plan, item=items[o["code"]], status=o["status"], note=o.get("note", ""), url=o.get("url", ""), order=order
            )
            _link_in_order(OitProgress.owners, row, "department", [departments[n] for n in o.get("owners", [])])
    for year in {p["fiscal_year"] for p in doc.get("plans", [])}:
        # Bulk writes send no signals: bring the dashboards' per unit-year figures up to date once.
        refresh_unit_year(unit.pk, year)
    return summary


def _write_measures(plan, specs, indicators, items, departments, summary) -> None:
    """A plan's measures in a handful of bulk queries (history rows in bulk too), in the file's order."""
    measures = bulk_create_with_history(
        [
            Measure(
                plan=plan, number=m["number"], sort_key=number_sort_key(m["number"]), title=m["title"],
                issue=m.get("issue", ""), owner_text=m.get("owner_text", ""), start=_date(m.get("start")),
                end=_date(m.get("end")), period_text=m.get("period_text", ""),
                expected_outcome=m.get("expected_outcome", ""), follow_up=m.get("follow_up", ""),
            )
            for m in specs
        ],
        Measure,
    )
    if any(m.pk is None for m in measures):  # databases that return no ids from bulk inserts
        measures = list(Measure.objects.filter(plan=plan).order_by("id"))
    links = {"indicator": [], "oititem": [], "department": []}
    steps, entries, evidence = [], [], []
    for measure, m in zip(measures, specs, strict=True):
        links["indicator"] += [(measure.pk, indicators[n].pk) for n in m.get("indicators", [])]
        links["oititem"] += [(measure.pk, items[c].pk) for c in m.get("oit_items", [])]
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
        through = getattr(Measure, relation).through
        through.objects.bulk_create(through(**{"measure_id": a, f"{target}_id": b}) for a, b in links[target])
    bulk_create_with_history(steps, MeasureStep)
    entries = bulk_create_with_history(entries, ProgressEntry)
    if any(e.pk is None for e in entries):
        entries = list(ProgressEntry.objects.filter(measure__plan=plan).order_by("id"))
    EvidenceLink.objects.bulk_create(
        EvidenceLink(entry=entry, url=url, order=i) for entry, urls in zip(entries, evidence, strict=True) for i, url in enumerate(urls)
    )
    summary.measures += len(measures)
    summary.entries += len(entries)
