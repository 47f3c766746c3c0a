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

from interchange.exporter import build_document
from measures.models import Measure, Plan, ProgressEntry
from reports import data, render
from reports.models import KINDS_WITH_ROUND, Kind, PublishedReport


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


def check_completeness(unit, kind: str, fiscal_year: int, round_code: str = "") -> Check:
    """Blockers stop publishing; warnings are shown. Every measure needs owners and a period, and for
    a round's results an approved entry with a status and a result."""
    check = Check()
    plan = Plan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if kind == Kind.ANALYSIS:
        if not unit.assessments.filter(fiscal_year=fiscal_year).exists():
            check.blockers.append(_("There is no ITA result for fiscal year %(year)s.") % {"year": fiscal_year})
        return check
    if plan is None:
        check.blockers.append(_("There is no plan for fiscal year %(year)s.") % {"year": fiscal_year})
        return check
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
            entry = next((e for e in measure.entries.all() if e.round == round_code), None)
            if entry is None:
                text = _("%(measure)s has no progress entry for this round.") % {"measure": label}
                check.blockers.append(Problem.at(text, _entry_field(unit, measure, round_code)))
            elif entry.review_state != ProgressEntry.Review.APPROVED:
                text = _("%(measure)s: the entry for this round is not approved yet.") % {"measure": label}
                check.blockers.append(Problem.at(text, reverse("measures:detail", args=[unit.slug, measure.pk])))
            elif not entry.result.strip():
                text = _("%(measure)s: the entry for this round has no result.") % {"measure": label}
                check.blockers.append(Problem.at(text, _entry_field(unit, measure, round_code, "id_result")))
            elif not entry.outcome.strip():
                text = _("%(measure)s: the entry for this round has no outcome.") % {"measure": label}
                check.warnings.append(Problem.at(text, _entry_field(unit, measure, round_code, "id_outcome")))
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
