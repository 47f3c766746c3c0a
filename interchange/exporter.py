"""Export a unit's data as an `ita-portal/unit-year` v1 document (../shared/formats/unit-year-v1.md).

Every optional key is written, with its default when empty ("" for text, [] for lists, {} for objects);
numbers and dates without a value are left out, since the format has no null.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch

from assessments.models import Assessment
from measures.models import Measure, MeasureStep, OitProgress, Plan, ProgressEntry
from units.models import Unit

FORMAT = "ita-portal/unit-year"
VERSION = 1


def number(value: Decimal | None):
    """Decimal → int or float for JSON, exactly as typed (94.43 stays 94.43, 100 stays 100)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _put(target: dict, key: str, value):
    if value is not None:
        target[key] = value


def build_document(unit: Unit, *, years=None, approved_only: bool = False) -> dict:
    """The unit's document; `years` limits assessments and plans to those fiscal years;
    `approved_only` keeps only approved progress entries (what a unit may publish)."""
    departments = list(unit.departments.order_by("order", "name").values_list("name", flat=True))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "unit": {
            "slug": unit.slug,
            "name": unit.name,
            "kind": unit.kind,
            "district": unit.district,
            "province": unit.province,
            "departments": departments,
        },
        "assessments": [],
        "plans": [],
    }
    assessments = (
        Assessment.objects.filter(unit=unit)
        .prefetch_related("scores__indicator", "tool_totals__tool")
        .order_by("fiscal_year")
    )
    if years is not None:
        assessments = assessments.filter(fiscal_year__in=years)
    for assessment in assessments:
        item = {
            "fiscal_year": assessment.fiscal_year,
            "scores": {
                str(s.indicator.number): number(s.score)
                for s in sorted(assessment.scores.all(), key=lambda s: s.indicator.number)
            },
        }
        _put(item, "official_total", number(assessment.official_total))
        item["official_level"] = assessment.official_level
        item["tool_totals"] = {t.tool.code: number(t.score) for t in sorted(assessment.tool_totals.all(), key=lambda t: t.tool.order)}
        document["assessments"].append(item)

    entries = ProgressEntry.objects.prefetch_related("links").order_by("id")
    if approved_only:
        entries = entries.filter(review_state=ProgressEntry.Review.APPROVED)
    plans = Plan.objects.filter(unit=unit).order_by("fiscal_year").prefetch_related(
        Prefetch(
            "measures",
            queryset=Measure.objects.order_by("sort_key", "id").prefetch_related(
                Prefetch("steps", queryset=MeasureStep.objects.order_by("order", "id")),
                Prefetch("entries", queryset=entries),
            ),
        ),
        Prefetch(
            "oit_progress",
            queryset=OitProgress.objects.select_related("item").order_by("order", "id"),
        ),
    )
    if years is not None:
        plans = plans.filter(fiscal_year__in=years)
    for plan in plans:
        _prefetch_in_order(plan)
        item = {"fiscal_year": plan.fiscal_year}
        _put(item, "based_on_assessment", plan.based_on_assessment)
        item["measures"] = [_measure(measure) for measure in plan.measures.all()]
        item["oit_items"] = [
            {
                "code": row.item.code,
                "owners": row.ordered_owners,
                "status": row.status,
                "note": row.note,
                **({"url": row.url} if row.url else {}),
            }
            for row in plan.oit_progress.all()
        ]
        document["plans"].append(item)
    return document


def _prefetch_in_order(plan) -> None:
    """Many-to-many lists in the order they were written (the through rows' ids), three queries a plan."""
    measures = list(plan.measures.all())
    ids = [m.pk for m in measures]
    lists = {}
    for name, field in (("owners", "department__name"), ("indicators", "indicator__number"), ("oit_items", "oititem__code")):
        through = getattr(Measure, name).through
        found = {}
        for measure_id, value in through.objects.filter(measure_id__in=ids).order_by("id").values_list("measure_id", field):
            found.setdefault(measure_id, []).append(str(value))
        lists[name] = found
    for measure in measures:
        measure.ordered_owners = lists["owners"].get(measure.pk, [])
        measure.ordered_indicators = lists["indicators"].get(measure.pk, [])
        measure.ordered_oit_items = lists["oit_items"].get(measure.pk, [])
    rows = list(plan.oit_progress.all())
    found = {}
    through = OitProgress.owners.through
    for row_id, name in through.objects.filter(oitprogress_id__in=[r.pk for r in rows]).order_by("id").values_list("oitprogress_id", "department__name"):
        found.setdefault(row_id, []).append(name)
    for row in rows:
        row.ordered_owners = found.get(row.pk, [])


def _measure(measure: Measure) -> dict:
    item = {
        "number": measure.number,
        "title": measure.title,
        "issue": measure.issue,
        "indicators": measure.ordered_indicators,
        "oit_items": measure.ordered_oit_items,
        "steps": [step.text for step in measure.steps.all()],
        "owners": measure.ordered_owners,
        "owner_text": measure.owner_text,
    }
    _put(item, "start", measure.start.isoformat() if measure.start else None)
    _put(item, "end", measure.end.isoformat() if measure.end else None)
    item["period_text"] = measure.period_text
    item["expected_outcome"] = measure.expected_outcome
    item["follow_up"] = measure.follow_up
    item["progress"] = []
    for entry in sorted(measure.entries.all(), key=lambda e: e.id):
        progress = {"round": entry.round, "status": entry.status}
        _put(progress, "percent", entry.percent)
        progress.update(
            result=entry.result,
            outcome=entry.outcome,
            problems=entry.problems,
            suggestions=entry.suggestions,
            evidence=[link.url for link in entry.links.all()],
        )
        _put(progress, "reported_on", entry.reported_on.isoformat() if entry.reported_on else None)
        item["progress"].append(progress)
    return item
