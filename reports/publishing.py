"""Publishing: the completeness check, then HTML, PDF and JSON frozen as an immutable version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from interchange.exporter import build_document
from measures.models import Measure, Plan
from measures.status import ReviewState
from reports import data, render
from reports.models import KINDS_WITH_ROUND, Kind, PublishedReport, ReportSettings
from reports.text import missing_characters


class Problem(str):
    """A completeness problem: its Thai text, and the page (and field) where it is fixed, for the link the
    publish page puts on it. A str, so that joining and printing problems stay as they were."""

    link: str = ""

    @classmethod
    def at(cls, text: str, link: str) -> Problem:
        problem = cls(text)
        problem.link = link
        return problem


def _measure_field(unit, measure, field_id: str) -> str:
    return reverse("measures:measure_edit", args=[unit.slug, measure.pk]) + f"#{field_id}"


def _entry_field(unit, measure, round_code: str, field_id: str = "") -> str:
    url = reverse("measures:entry", args=[unit.slug, measure.pk, round_code])
    return url + (f"#{field_id}" if field_id else "")


@dataclass
class Check:
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.blockers


# Free-text fields a report prints, with the Thai name the completeness check gives them.
MEASURE_FIELDS = {
    "title": _lazy("measure"), "issue": _lazy("issue to improve"), "owner_text": _lazy("responsible (as printed)"),
    "period_text": _lazy("period (as printed)"), "expected_outcome": _lazy("expected outcome"),
    "follow_up": _lazy("follow-up"),
}  # fmt: skip
ENTRY_FIELDS = {
    "result": _lazy("result"), "outcome": _lazy("outcome"), "problems": _lazy("problems"), "suggestions": _lazy("suggestions"),
}  # fmt: skip
SETTINGS_FIELDS = (
    "introduction", "signatory_rank", "signatory_name", "signatory_position", "memo_office", "memo_reference",
    "memo_subject", "memo_to", "memo_body", "title_note", "footnote",
)  # fmt: skip
JSON_SETTINGS_FIELDS = ("headings", "signatures", "recommendations", "memo_comment_chain")


def _problem(where: str, field_name, value) -> str | None:
    missing = missing_characters(value)
    if not missing:
        return None
    shown = " ".join(f"{char} (U+{ord(char):04X})" for char in missing)
    return _("%(where)s, %(field)s: no font of the report has %(chars)s; replace or remove it.") % {
        "where": where, "field": field_name, "chars": shown,
    }  # fmt: skip


def _measure_problems(plan, round_code: str) -> list[str]:
    problems = []
    measures = Measure.objects.filter(plan=plan).order_by("sort_key", "id").prefetch_related("steps", "entries")
    for measure in measures:
        label = _("Measure %(number)s") % {"number": measure.number}
        values = [(MEASURE_FIELDS[name], getattr(measure, name)) for name in MEASURE_FIELDS]
        values += [(_("step %(number)s") % {"number": i}, step.text) for i, step in enumerate(measure.steps.all(), 1)]
        for entry in measure.entries.all():
            if not round_code or entry.round == round_code:
                values += [(ENTRY_FIELDS[name], getattr(entry, name)) for name in ENTRY_FIELDS]
        problems += [p for name, value in values if (p := _problem(label, name, value))]
    return problems


def unprintable(unit, kind: str, fiscal_year: int, round_code: str = "") -> list[str]:
    """A message per field holding a character that no shipped font draws, naming measure and field."""
    plan = Plan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    problems = []
    if plan is not None and kind in (Kind.RESULTS, Kind.PLAN, Kind.MEMO):
        problems += _measure_problems(plan, round_code if kind != Kind.PLAN else "")
    if plan is not None and kind == Kind.OIT:
        for row in plan.oit_progress.select_related("item"):
            problems += [p for p in [_problem(row.item.code, _("progress note"), row.note)] if p]
    settings = data.settings_for(unit, kind, fiscal_year, round_code)
    for name in SETTINGS_FIELDS + JSON_SETTINGS_FIELDS:
        field_name = ReportSettings._meta.get_field(name).verbose_name
        value = getattr(settings, name)
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        problems += [p for p in [_problem(_("Report settings"), field_name, text)] if p]
    return problems


def _check_analysis(unit, fiscal_year: int, check: Check) -> None:
    from reports.analysis import assessment_year

    year = assessment_year(fiscal_year)
    assessment = unit.assessments.filter(fiscal_year=year).first()
    if assessment is None:
        check.blockers.append(_("There is no ITA result for fiscal year %(year)s.") % {"year": year})
    elif not assessment.scores.exists():
        check.blockers.append(
            _("The ITA result of fiscal year %(year)s has no indicator scores to analyse.") % {"year": year}
        )


def _check_entries(unit, measure, label, round_code: str, check: Check) -> None:
    entry = next((e for e in measure.entries.all() if e.round == round_code), None)
    names = {"measure": label}
    if entry is None:
        text = _("%(measure)s has no progress entry for this round.") % names
        check.blockers.append(Problem.at(text, _entry_field(unit, measure, round_code)))
    elif entry.review_state != ReviewState.APPROVED:
        text = _("%(measure)s: the entry for this round is not approved yet.") % names
        check.blockers.append(Problem.at(text, reverse("measures:detail", args=[unit.slug, measure.pk])))
    elif not entry.result.strip():
        text = _("%(measure)s: the entry for this round has no result.") % names
        check.blockers.append(Problem.at(text, _entry_field(unit, measure, round_code, "id_result")))
    elif not entry.outcome.strip():
        text = _("%(measure)s: the entry for this round has no outcome.") % names
        check.warnings.append(Problem.at(text, _entry_field(unit, measure, round_code, "id_outcome")))


def _check_memo(unit, fiscal_year: int, round_code: str, check: Check) -> None:
    settings = data.settings_for(unit, Kind.MEMO, fiscal_year, round_code)
    if not settings.memo_date:
        check.warnings.append(_("The memo has no date (วันที่): it is printed blank for the office to fill in."))
    if not settings.memo_reference.strip():
        check.warnings.append(_("The memo has no reference number (ที่): it is printed blank."))


def check_completeness(unit, kind: str, fiscal_year: int, round_code: str = "") -> Check:
    """Blockers stop publishing; warnings are shown. Every measure needs owners and a period, and for
    a round's results an approved entry with a status and a result. A character no font of the report
    has is a blocker naming the measure and field (instead of a failed render)."""
    check = Check()
    check.blockers += unprintable(unit, kind, fiscal_year, round_code)
    if kind == Kind.ANALYSIS:
        _check_analysis(unit, fiscal_year, check)
        return check
    plan = Plan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if plan is None:
        check.blockers.append(_("There is no plan for fiscal year %(year)s.") % {"year": fiscal_year})
        return check
    if kind == Kind.MEMO:
        _check_memo(unit, fiscal_year, round_code, check)
    if kind == Kind.OIT:
        if not plan.oit_progress.exists():
            check.blockers.append(_("No OIT item progress has been entered."))
        return check
    measures = list(
        Measure.objects.filter(plan=plan).order_by("sort_key", "id").prefetch_related("owners", "entries")
    )
    if not measures:
        check.blockers.append(_("The plan has no measures."))
    for measure in measures:
        label = _("Measure %(number)s") % {"number": measure.number}
        if not measure.owner_text and not measure.owners.all():
            text = _("%(measure)s has no responsible department.") % {"measure": label}
            check.blockers.append(Problem.at(text, _measure_field(unit, measure, "id_owners_0")))
        if not measure.period_text and not (measure.start and measure.end):
            text = _("%(measure)s has no period.") % {"measure": label}
            check.blockers.append(Problem.at(text, _measure_field(unit, measure, "id_start")))
        if kind in (Kind.RESULTS, Kind.MEMO):
            _check_entries(unit, measure, label, round_code, check)
    return check


def next_version(unit, kind: str, fiscal_year: int, round_code: str) -> int:
    latest = PublishedReport.objects.filter(
        unit=unit, kind=kind, fiscal_year=fiscal_year, round=round_code
    ).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


def open_data_document(unit, fiscal_year: int) -> dict:
    """What the public may read as data: the unit-year document with approved entries only."""
    return build_document(unit, years=[fiscal_year], approved_only=True)


def publish(unit, kind: str, fiscal_year: int, round_code: str, user) -> PublishedReport:
    """Render once and freeze. Raises ValueError when the completeness check has blockers."""
    if kind not in KINDS_WITH_ROUND:
        round_code = ""
    check = check_completeness(unit, kind, fiscal_year, round_code)
    if not check.ok:
        raise ValueError("; ".join(check.blockers))
    document = data.build(kind, unit, fiscal_year, round_code)
    html = render.render_html(document)
    pdf, pages = render.render_pdf(document)
    payload = json.dumps(open_data_document(unit, fiscal_year), ensure_ascii=False, indent=2).encode()
    written = []  # stored file names, removed again if the version is not saved
    try:
        with transaction.atomic():
            # Lock the unit's row so two administrators publishing at once get versions 1 and 2.
            type(unit).objects.select_for_update().get(pk=unit.pk)
            report = PublishedReport(
                unit=unit,
                kind=kind,
                fiscal_year=fiscal_year,
                round=round_code,
                version=next_version(unit, kind, fiscal_year, round_code),
                title=document.title[:500],
                checksum=hashlib.sha256(pdf).hexdigest(),
                pages=pages,
                published_by=user,
            )
            for field, name, content in (("html", "report.html", html.encode()), ("pdf", "report.pdf", pdf), ("json", "data.json", payload)):
                file = getattr(report, field)
                file.save(name, ContentFile(content), save=False)
                written.append((file.storage, file.name))
            report.save()
    except BaseException:
        # Files are not transactional: without this a failed save would leave them in storage, unreferenced.
        for storage, name in written:
            storage.delete(name)
        raise
    return report
