"""Export a unit's data as an `ita-portal/unit-year` document: version 1.1 for the unit's own record
(with each entry's review and evidence files, docs/unit-year-v1.1.md), version 1 for what the public may
read (approved entries only, no review history, no files: open data).

Every optional key is written, with its default when empty ("" for text, [] for lists, {} for objects);
numbers and dates without a value are left out, since the format has no null.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import Assessment
from interchange.evidence import fill_sha256
from interchange.plans_sync import LIST_VALUES, ordered_lists
from measures.models import EvidenceFile, Measure, MeasureStep, OitProgress, Plan, ProgressEntry, ReviewEvent
from units.models import Unit

FORMAT = "ita-portal/unit-year"
VERSION = 1.1
PUBLIC_VERSION = 1


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
    `approved_only` gives what a unit may publish: approved entries only, as a version 1 document."""
    full = not approved_only
    departments = list(unit.departments.order_by("order", "name").values_list("name", flat=True))
    return {
        "format": FORMAT,
        "version": VERSION if full else PUBLIC_VERSION,
        "unit": {
            "slug": unit.slug,
            "name": unit.name,
            "kind": unit.kind,
            "district": unit.district,
            "province": unit.province,
            "departments": departments,
        },
        "assessments": [_assessment(a) for a in _assessments(unit, years)],
        "plans": [_plan(plan, full) for plan in _plans(unit, years, full)],
    }


def _assessments(unit, years):
    assessments = Assessment.objects.filter(unit=unit).prefetch_related("scores__indicator", "tool_totals__tool").order_by("fiscal_year")
    return assessments if years is None else assessments.filter(fiscal_year__in=years)


def _assessment(assessment) -> dict:
    item = {
        "fiscal_year": assessment.fiscal_year,
        "scores": {str(s.indicator.number): number(s.score) for s in sorted(assessment.scores.all(), key=lambda s: s.indicator.number)},
    }
    _put(item, "official_total", number(assessment.official_total))
    item["official_level"] = assessment.official_level
    item["tool_totals"] = {t.tool.code: number(t.score) for t in sorted(assessment.tool_totals.all(), key=lambda t: t.tool.order)}
    return item


def _plans(unit, years, full: bool):
    entries = ProgressEntry.objects.prefetch_related("links").order_by("id")
    if full:
        fill_sha256(EvidenceFile.objects.filter(entry__measure__plan__unit=unit, sha256=""))
        entries = entries.prefetch_related(
            Prefetch("review_events", queryset=ReviewEvent.objects.select_related("by").order_by("at", "id")),
            Prefetch("files", queryset=EvidenceFile.objects.order_by("uploaded_at", "id")),
        )
    else:
        entries = entries.filter(review_state=ProgressEntry.Review.APPROVED)
    plans = Plan.objects.filter(unit=unit).order_by("fiscal_year").prefetch_related(
        Prefetch(
            "measures",
            queryset=Measure.objects.order_by("sort_key", "id").prefetch_related(
                Prefetch("steps", queryset=MeasureStep.objects.order_by("order", "id")),
                Prefetch("entries", queryset=entries),
            ),
        ),
        Prefetch("oit_progress", queryset=OitProgress.objects.select_related("item").order_by("order", "id")),
    )
    return plans if years is None else plans.filter(fiscal_year__in=years)


def _plan(plan, full: bool) -> dict:
    measures = list(plan.measures.all())
    lists = ordered_lists(Measure, LIST_VALUES, "measure", [m.pk for m in measures])
    rows = list(plan.oit_progress.all())
    owners = ordered_lists(OitProgress, {"owners": "department__name"}, "oitprogress", [r.pk for r in rows])["owners"]
    item = {"fiscal_year": plan.fiscal_year}
    _put(item, "based_on_assessment", plan.based_on_assessment)
    item["measures"] = [_measure(m, {name: found.get(m.pk, []) for name, found in lists.items()}, full) for m in measures]
    item["oit_items"] = [
        {"code": row.item.code, "owners": owners.get(row.pk, []), "status": row.status, "note": row.note,
         **({"url": row.url} if row.url else {})}
        for row in rows
    ]
    return item


def _measure(measure: Measure, lists: dict, full: bool) -> dict:
    item = {
        "number": measure.number,
        "title": measure.title,
        "issue": measure.issue,
        "indicators": lists["indicators"],
        "oit_items": lists["oit_items"],
        "steps": [step.text for step in measure.steps.all()],
        "owners": lists["owners"],
        "owner_text": measure.owner_text,
    }
    _put(item, "start", measure.start.isoformat() if measure.start else None)
    _put(item, "end", measure.end.isoformat() if measure.end else None)
    item["period_text"] = measure.period_text
    item["expected_outcome"] = measure.expected_outcome
    item["follow_up"] = measure.follow_up
    item["progress"] = [_entry(entry, full) for entry in sorted(measure.entries.all(), key=lambda e: e.id)]
    return item


def _entry(entry: ProgressEntry, full: bool) -> dict:
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
    if full:
        progress["review"] = {
            "state": entry.review_state,
            "comment": entry.review_comment,
            "history": [_event(event) for event in entry.review_events.all()],
        }
        progress["evidence_files"] = [
            {"name": f.original_name, "sha256": f.sha256, "size": f.size, "content_type": f.content_type} for f in entry.files.all()
        ]
    return progress


def _event(event: ReviewEvent) -> dict:
    item = {
        "action": event.action,
        "by": event.by_name or (event.by.username if event.by else ""),
        "at": timezone.localtime(event.at).isoformat(),
        "comment": event.comment,
    }
    _put(item, "version", event.version)
    return item
