"""Import `ita-portal/unit-year` documents (v1 and v1.1): whole file or nothing (one transaction), losing
nothing the file does not carry.

Rows are matched and updated in place, keeping their ids: the unit by slug, assessments and plans by
fiscal year, measures by (plan, number), progress entries by (measure, round), OIT rows by (plan, code).
What the file leaves as it is stays as it is, with its review state, history and evidence files; with
`replace`, what the file no longer lists in one of its years is removed. Every change is collected in
the `Summary`, which is also what the browser's preview shows: a preview is the same import run in a
transaction that is rolled back (`dry_run`), so that preview and import cannot disagree.

A document is written in a fixed number of bulk queries whatever its number of years, so that provinces
can load thousands of files: see `bench_import` and the README's performance section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from assessments import scoring
from assessments import services as assessment_services
from assessments.models import Assessment, Framework, IndicatorScore, ToolTotal
from interchange.evidence import remove_stored
from interchange.messages import DocumentError
from interchange.plans_sync import PlanSync
from interchange.reading import parse  # noqa: F401  (the importer's entry point for bytes, kept here)
from interchange.schema import DocumentSpec, validate
from measures import progress
from measures.bulk import update_rows
from measures.models import Plan, ProgressEntry
from units.models import Department, Unit

IDENTITY = ("name", "kind", "district", "province")


@dataclass
class Summary:
    unit: str
    created_unit: bool = False
    years: list[int] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    measures: int = 0
    entries: int = 0
    # What changed, as (year, measure number, title) or (year, number, round, …) for the preview.
    measures_added: list[tuple] = field(default_factory=list)
    measures_changed: list[tuple] = field(default_factory=list)
    measures_removed: list[tuple] = field(default_factory=list)
    entries_removed: list[tuple] = field(default_factory=list)
    states_changed: list[tuple] = field(default_factory=list)  # (year, number, round, from, to)
    files_added: list[tuple] = field(default_factory=list)  # (year, number, round, name)
    files_removed: list[tuple] = field(default_factory=list)
    changed: bool = False

    @property
    def state_rows(self) -> list[tuple]:
        labels = dict(ProgressEntry.Review.choices)
        return [(year, number, code, labels.get(a, a), labels.get(b, b)) for year, number, code, a, b in self.states_changed]

    def line(self) -> str:
        replaced = f", replaced {', '.join(map(str, self.replaced))}" if self.replaced else ""
        return (
            f"{self.unit}: years {', '.join(map(str, sorted(set(self.years)))) or '-'}{replaced}; "
            f"{self.measures} measures, {self.entries} progress entries"
        )


@dataclass
class Options:
    replace: bool = False
    expected_slug: str | None = None
    user: object = None
    by_name: str = ""  # who imports, when no user (the command line)
    identity: bool = False  # may change an existing unit's name, kind, district, province
    drafts: bool = False  # new entries without a review come in as drafts, not approved
    files: dict = field(default_factory=dict)  # a bundle's evidence files by SHA-256
    source: str = ""  # the file's name, recorded in the history rows the import writes
    dry_run: bool = False
    written: list = field(default_factory=list)  # evidence files stored so far (removed again on failure)


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


def _document_years(spec: DocumentSpec) -> set[int]:
    return {a.fiscal_year for a in spec.assessments} | {p.fiscal_year for p in spec.plans}


NOT_IN_FRAMEWORK = ("ไม่มี{what}นี้ในกรอบการประเมินของปีนี้", "{what_en} not in that year's framework")


def _not_in_framework(path, what, what_en) -> DocumentError:
    return DocumentError(path, NOT_IN_FRAMEWORK[0].format(what=what), NOT_IN_FRAMEWORK[1].format(what_en=what_en))


def _framework_of(path: str, year: int, frameworks) -> YearFramework:
    if year not in frameworks:
        raise DocumentError(path, "ไม่มีกรอบการประเมินของปีนี้", "no ITA framework for this year")
    return frameworks[year]


def check_against_database(spec: DocumentSpec, frameworks: dict[int, YearFramework]) -> None:
    """The rules that need the year's framework."""
    for i, item in enumerate(spec.assessments):
        framework = _framework_of(f"assessments[{i}].fiscal_year", item.fiscal_year, frameworks)
        for key in item.scores:
            if key not in framework.indicators:
                raise _not_in_framework(f"assessments[{i}].scores.{key}", "ตัวชี้วัด", "indicator")
    for i, plan in enumerate(spec.plans):
        framework = _framework_of(f"plans[{i}].fiscal_year", plan.fiscal_year, frameworks)
        for j, measure in enumerate(plan.measures):
            for k, number in enumerate(measure.indicators):
                if number not in framework.indicators:
                    raise _not_in_framework(f"plans[{i}].measures[{j}].indicators[{k}]", "ตัวชี้วัด", "indicator")
            for k, code in enumerate(measure.oit_items):
                if code not in framework.oit_items:
                    raise _not_in_framework(f"plans[{i}].measures[{j}].oit_items[{k}]", "ข้อมูล OIT", "OIT item")
        for j, item in enumerate(plan.oit_items):
            if item.code not in framework.oit_items:
                raise _not_in_framework(f"plans[{i}].oit_items[{j}].code", "ข้อมูล OIT", "OIT item")


def validate_document(doc, frameworks: Frameworks | None = None) -> tuple[DocumentSpec, dict[int, YearFramework]]:
    """One validation path for the preview, the browser's import and the command line."""
    spec = doc if isinstance(doc, DocumentSpec) else validate(doc)
    found = (frameworks or Frameworks()).for_years(_document_years(spec))
    check_against_database(spec, found)
    return spec, found


class _DryRun(Exception):
    pass


def import_document(doc, *, frameworks: Frameworks | None = None, **options) -> Summary:
    """Write one document (a dict as parsed, or a validated DocumentSpec). Options: see `Options`.
    With `dry_run`, everything is done and then rolled back: the summary says what the import would do."""
    opts = Options(**options)
    try:
        with transaction.atomic():
            summary = _import(doc, frameworks, opts)
            if opts.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except BaseException:
        remove_stored(opts.written)  # evidence stored before the database refused: nothing half-written
        raise
    return summary


def _import(doc, frameworks, opts: Options) -> Summary:
    spec, years_frameworks = validate_document(doc, frameworks)
    if opts.expected_slug is not None and spec.unit.slug != opts.expected_slug:
        raise DocumentError("unit.slug", f"ไฟล์นี้เป็นของหน่วยงาน {spec.unit.slug} ไม่ใช่ {opts.expected_slug}", "the file is for another unit")
    unit, created = _write_unit(spec.unit, opts.identity)
    summary = Summary(unit.slug, created_unit=created)
    departments = _write_departments(unit, spec.unit.departments, created)
    assessment_years = [a.fiscal_year for a in spec.assessments]
    plan_years = [p.fiscal_year for p in spec.plans]
    assessments, plans = {}, {}
    if not created:
        assessments = {a.fiscal_year: a for a in Assessment.objects.filter(unit=unit, fiscal_year__in=assessment_years)}
        plans = {p.fiscal_year: p for p in Plan.objects.filter(unit=unit, fiscal_year__in=plan_years).select_for_update()}
    existing = set(assessments) | set(plans)
    if existing and not opts.replace:
        years = ", ".join(map(str, sorted(existing)))
        raise DocumentError("unit.slug", f"มีข้อมูลปี {years} ของหน่วยงานนี้อยู่แล้ว ใช้ --replace เพื่อแทนที่", f"data for {years} exists: use --replace")
    summary.replaced = sorted(existing)
    summary.years = sorted(set(assessment_years + plan_years))
    _write_assessments(unit, spec.assessments, years_frameworks, assessments)
    PlanSync(unit, years_frameworks, departments, opts, summary).run(spec.plans, plans)
    if summary.changed and not opts.dry_run:
        # The dashboards' per unit-year figures, brought up to date once for the years written.
        progress.refresh_unit_years(unit.pk, set(plan_years))
    return summary


def _write_unit(spec, identity: bool) -> tuple[Unit, bool]:
    """The unit by slug. Its identity (name, kind, district, province) is the administrators' of the
    portal: an existing unit's is changed only when `identity` (a superuser's command-line import);
    anyone else's file that differs is refused with the path of the first difference."""
    unit = Unit.objects.filter(slug=spec.slug).first()
    values = {name: getattr(spec, name) for name in IDENTITY}
    if unit is None:
        return Unit.objects.create(slug=spec.slug, **values), True
    different = [name for name in IDENTITY if getattr(unit, name) != values[name]]
    if different and not identity:
        name = different[0]
        raise DocumentError(
            f"unit.{name}",
            f"ข้อมูลประจำตัวของหน่วยงานเปลี่ยนได้เฉพาะผู้ดูแลระบบ (ในระบบ: {getattr(unit, name)!s})",
            f"only the portal's administrators may change a unit's identity (here: {getattr(unit, name)!s})",
        )
    if different:
        for name in different:
            setattr(unit, name, values[name])
        unit.save(update_fields=different)
    return unit, False


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
    departments.update({d.name: d for d in Department.objects.bulk_create(new)})
    return departments


def _assessment(unit, item, year: YearFramework, current: Assessment | None) -> Assessment:
    values = {int(k): v for k, v in item.scores.items()}
    result = scoring.score(year.rules, values, dict(item.tool_totals), item.official_total)
    assessment = current or Assessment(unit=unit, fiscal_year=item.fiscal_year)
    assessment.framework = year.framework
    assessment.official_total, assessment.official_level = item.official_total, item.official_level
    assessment.iit_total = scoring.round_score(result.tool_scores.get("IIT"))
    assessment.eit_total = scoring.round_score(result.tool_scores.get("EIT"))
    assessment.oit_total = scoring.round_score(result.tool_scores.get("OIT"))
    assessment.total = scoring.round_score(result.total)
    assessment.level, assessment.passes = result.level or "", result.passes
    return assessment


ASSESSMENT_FIELDS = ["framework", "official_total", "official_level", "iit_total", "eit_total", "oit_total", "total", "level", "passes"]


def _assessment_state(assessment: Assessment) -> tuple:
    return tuple(getattr(assessment, name if name != "framework" else "framework_id") for name in ASSESSMENT_FIELDS)


def _write_assessments(unit, items, frameworks: dict[int, YearFramework], current: dict[int, Assessment]) -> None:
    """Assessments updated in place (their recommendations and notes stay), their stored totals computed
    before the write (assessments.scoring); scores and announced tool totals rewritten where they differ."""
    scores = _stored_pairs(IndicatorScore, "indicator__number", current.values())
    totals = _stored_pairs(ToolTotal, "tool__code", current.values())
    new, changed, rewrite = [], [], []
    for item in items:
        old = current.get(item.fiscal_year)
        before = _assessment_state(old) if old else None
        assessment = _assessment(unit, item, frameworks[item.fiscal_year], old)
        if old is None:
            new.append((assessment, item))
            continue
        if _assessment_state(assessment) != before:
            changed.append(assessment)
        wanted = ({k: Decimal(v) for k, v in item.scores.items()}, {k: Decimal(v) for k, v in item.tool_totals.items()})
        if wanted != (scores.get(old.pk, {}), totals.get(old.pk, {})):
            rewrite.append((assessment, item))
    Assessment.objects.bulk_create([a for a, _item in new])
    update_rows(Assessment, changed, ASSESSMENT_FIELDS)
    if rewrite:
        ids = [a.pk for a, _item in rewrite]
        IndicatorScore.objects.filter(assessment_id__in=ids).delete()
        ToolTotal.objects.filter(assessment_id__in=ids).delete()
    _insert_scores(new + rewrite, frameworks)


def _stored_pairs(model, key: str, assessments) -> dict[int, dict[str, Decimal]]:
    found: dict[int, dict[str, Decimal]] = {}
    ids = [a.pk for a in assessments]
    if ids:
        for assessment_id, name, score in model.objects.filter(assessment_id__in=ids).values_list("assessment_id", key, "score"):
            found.setdefault(assessment_id, {})[str(name)] = Decimal(score)
    return found


def _insert_scores(pairs, frameworks) -> None:
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=a, indicator=frameworks[a.fiscal_year].indicators[k], score=v)
        for a, item in pairs for k, v in item.scores.items()
    )
    ToolTotal.objects.bulk_create(
        ToolTotal(assessment=a, tool=frameworks[a.fiscal_year].tools[k], score=v)
        for a, item in pairs for k, v in item.tool_totals.items()
    )
