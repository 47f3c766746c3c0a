"""Every write to plans, measures, progress entries, OIT item progress and due dates.

Each function checks the person's role (units.permissions), the version the person saw (optimistic
locking: `Conflict`), validates, writes in one transaction and then refreshes the dashboards' per
unit-year figures explicitly (measures.progress). Views parse a form, call one of these, and render.
The review transitions live beside this module, in measures/review.py, and are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments.models import Framework
from ita_portal.text import normalise_text
from measures import progress
from measures.models import (
    EvidenceFile,
    EvidenceLink,
    Measure,
    MeasureStep,
    OitProgress,
    Plan,
    ProgressEntry,
    RoundDue,
    content_sha256,
)
from measures.review import (  # noqa: F401 - the review transitions, re-exported for callers
    EDITABLE,
    Refused,
    Stale,
    approve_entry,
    check_access,
    record,
    record_withdrawal,
    reopen_entry,
    return_entry,
    set_states_in_bulk,
    submit_entry,
)
from measures.status import ReviewState, entry_problems
from units.permissions import Action, UnitAccess

MEASURE_FIELDS = ["number", "title", "issue", "owner_text", "start", "end", "period_text", "expected_outcome", "follow_up"]
ENTRY_FIELDS = ["status", "percent", "result", "outcome", "problems", "suggestions", "reported_on"]
OIT_FIELDS = ["status", "note", "url"]
EVIDENCE_NAME_BYTES = 255  # original_name's column: names are cut on a character boundary within it


@dataclass
class Conflict(Exception):
    """Someone saved the object after this form was opened (or created it first)."""

    current: object
    changes: list[tuple[str, str, str]]  # (field label, value when the form was opened, value now)


class StorageFailed(Exception):
    """An evidence file could not be stored; nothing was saved."""


def _shown(value) -> str:
    return "" if value is None else str(value)


def _diff(model, old, new, fields) -> list[tuple[str, str, str]]:
    changes = []
    for name in fields:
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after:
            label = str(model._meta.get_field(name).verbose_name)
            changes.append((label, _shown(before), _shown(after)))
    return changes


def _opened(instance, version):
    """The object as it was at `version` (its history row), or None."""
    return instance.history.filter(version=version).order_by("-history_date").first()


def _lock_and_check(model, pk, expected_version, fields, extra_changes=None):
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != expected_version:
        opened = _opened(current, expected_version)
        changes = _diff(model, opened, current, fields) if opened else _diff(model, None, current, fields)
        if extra_changes is not None and opened is not None:
            changes += extra_changes(current, opened)
        raise Conflict(current, changes)
    return current


def save_versioned(instance, expected_version: int, fields: list[str], after_save=None):
    """Save `instance` only if nobody saved it since `expected_version`; raise Conflict otherwise.

    The row is locked for the check (PostgreSQL); SQLite serialises writers anyway.
    """
    with transaction.atomic():
        current = _lock_and_check(type(instance), instance.pk, expected_version, fields)
        instance.version = current.version + 1
        instance.save()
        if after_save is not None:
            after_save(instance)
    return instance


def clean_texts(data: dict, names) -> dict:
    """Word's \\x0b, NUL, BOM … removed from every free-text field (ita_portal.text.normalise_text)."""
    return {key: normalise_text(value) if key in names else value for key, value in data.items()}


def _refresh(plan: Plan) -> None:
    progress.refresh_unit_year(plan.unit_id, plan.fiscal_year)


# --- plans --------------------------------------------------------------------------------------------


class FrameworkMissing(LookupError):
    def __init__(self, year: int):
        super().__init__(_("Fiscal year: there is no ITA framework for %(year)s.") % {"year": year})
        self.year = year


def create_plan(access: UnitAccess, year: int) -> Plan:
    if not access.may(Action.EDIT_PLAN):
        raise PermissionDenied
    framework = Framework.objects.filter(fiscal_year=year).first()
    if framework is None:
        raise FrameworkMissing(year)
    plan, created = Plan.objects.get_or_create(
        unit=access.unit, fiscal_year=year, defaults={"framework": framework, "based_on_assessment": year - 1}
    )
    if created:
        _refresh(plan)
    return plan


@dataclass
class CopyPreview:
    """What copying a plan to the next year would create (shown before the person confirms)."""

    year: int
    framework: Framework | None
    exists: bool
    measures: list[dict] = field(default_factory=list)  # number, title, steps, owners, lost links

    @property
    def blocked(self) -> str:
        if self.exists:
            return _("The plan of %(year)s exists already.") % {"year": self.year}
        if self.framework is None:
            return str(FrameworkMissing(self.year))
        return ""


def copy_preview(plan: Plan) -> CopyPreview:
    year = plan.fiscal_year + 1
    framework = Framework.objects.filter(fiscal_year=year).first()
    preview = CopyPreview(year, framework, Plan.objects.filter(unit=plan.unit, fiscal_year=year).exists())
    numbers = set(framework.indicators.values_list("number", flat=True)) if framework else set()
    codes = set(framework.oit_items.values_list("code", flat=True)) if framework else set()
    for measure in plan.measures.prefetch_related("steps", "owners", "indicators", "oit_items"):
        lost = [str(i.number) for i in measure.indicators.all() if i.number not in numbers]
        lost += [o.code for o in measure.oit_items.all() if o.code not in codes]
        preview.measures.append({
            "number": measure.number, "title": measure.title, "steps": len(measure.steps.all()),
            "owners": [d.name for d in measure.owners.all()], "lost": lost,
        })
    return preview


@transaction.atomic
def copy_plan_to_next_year(plan: Plan, access: UnitAccess) -> Plan:
    """Measures, steps, owners, and indicators/OIT items mapped to the next year's framework by number
    and code; no progress. Refuses (ValueError) when the next year's plan exists or has no framework."""
    if not access.may(Action.EDIT_PLAN):
        raise PermissionDenied
    preview = copy_preview(plan)
    if preview.blocked:
        raise ValueError(preview.blocked)
    framework, year = preview.framework, preview.year
    new_plan = Plan.objects.create(unit=plan.unit, fiscal_year=year, based_on_assessment=plan.fiscal_year, framework=framework)
    indicators = {i.number: i for i in framework.indicators.all()}
    items = {o.code: o for o in framework.oit_items.all()}
    for measure in plan.measures.prefetch_related("steps", "owners", "indicators", "oit_items"):
        copy = Measure.objects.create(
            plan=new_plan, number=measure.number, title=measure.title, issue=measure.issue,
            owner_text=measure.owner_text, period_text="", expected_outcome=measure.expected_outcome,
            follow_up=measure.follow_up,
        )
        copy.owners.set(measure.owners.all())
        copy.indicators.set([indicators[i.number] for i in measure.indicators.all() if i.number in indicators])
        copy.oit_items.set([items[o.code] for o in measure.oit_items.all() if o.code in items])
        MeasureStep.objects.bulk_create(MeasureStep(measure=copy, order=s.order, text=s.text) for s in measure.steps.all())
    _refresh(new_plan)
    return new_plan


# --- measures -----------------------------------------------------------------------------------------


def _steps_changes(current: Measure, opened) -> list[tuple[str, str, str]]:
    """The steps as they were when the form was opened against the steps now."""
    # Steps are rewritten after the measure row in each save: the steps the person saw are those in
    # place when the next save began.
    following = current.history.filter(version__gt=opened.version).order_by("history_date").first()
    when = following.history_date if following else timezone.now()
    then = MeasureStep.history.as_of(when).filter(measure_id=current.pk).order_by("order", "id")
    before = "\n".join(step.text for step in then)
    after = "\n".join(current.steps.order_by("order", "id").values_list("text", flat=True))
    return [(str(_("Steps")), before, after)] if before != after else []


def save_measure(access: UnitAccess, plan: Plan, measure: Measure, m2m: dict, steps: list[str], version) -> Measure:
    """Create (`measure.pk` None: administrators) or update a measure with its owners, indicators, OIT
    items and ordered steps. Raises PermissionDenied, Refused (owners taken away) or Conflict."""
    for name in ("title", "issue", "owner_text", "period_text", "expected_outcome", "follow_up", "number"):
        setattr(measure, name, normalise_text(getattr(measure, name)))
    steps = [normalise_text(text).strip() for text in steps if normalise_text(text).strip()]
    new_owners = [d.id for d in m2m["owners"]]
    with transaction.atomic():
        if measure.pk is None:
            if not access.may(Action.EDIT_PLAN):
                raise PermissionDenied
        else:
            before = list(Measure.objects.get(pk=measure.pk).owners.values_list("id", flat=True))
            if not access.may(Action.EDIT_MEASURE, before):
                raise PermissionDenied
            if not access.may_set_owners(before, new_owners):
                raise Refused(_("Responsible departments: only the unit administrator can take a department away from a measure."))
            current = _lock_and_check(Measure, measure.pk, int(version or 0), MEASURE_FIELDS, _steps_changes)
            measure.version = current.version + 1
        if measure.pk is None and access.is_limited and not access.may(Action.EDIT_MEASURE, new_owners):
            raise Refused(_("Responsible departments: choose at least one of your own departments."))
        measure.plan = plan
        measure.save()
        measure.owners.set(m2m["owners"])
        measure.indicators.set(m2m["indicators"])
        measure.oit_items.set(m2m["oit_items"])
        measure.steps.all().delete()
        bulk_create_with_history([MeasureStep(measure=measure, order=i, text=text) for i, text in enumerate(steps)],
                                 MeasureStep, default_user=access.user)
        _refresh(plan)
    return measure


# --- progress entries ---------------------------------------------------------------------------------


def evidence_name(name: str) -> str:
    """The person's file name cut to the column's bytes (UTF-8) on a character boundary: a Thai name
    of 100 characters is 300 bytes."""
    name = normalise_text(name or "").replace("/", "_").replace("\\", "_").strip() or "file"
    encoded = name.encode("utf-8")
    if len(encoded) <= EVIDENCE_NAME_BYTES:
        return name
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix}" if dot and len(suffix.encode()) <= 10 else ""
    room = EVIDENCE_NAME_BYTES - len(suffix.encode())
    return (stem if suffix else name).encode("utf-8")[:room].decode("utf-8", "ignore") + suffix


def _store_evidence(entry: ProgressEntry, links: list[str], files, user, written: list) -> None:
    entry.links.all().delete()
    EvidenceLink.objects.bulk_create(EvidenceLink(entry=entry, url=url, order=i) for i, url in enumerate(links))
    for upload in files:
        evidence = EvidenceFile(
            entry=entry, original_name=evidence_name(upload.name), content_type=upload.detected_type,
            size=upload.size, sha256=content_sha256(upload), uploaded_by=user,
        )
        try:
            evidence.file.save(upload.name, upload, save=False)
        except OSError as exc:
            raise StorageFailed(upload.name) from exc
        written.append((evidence.file.storage, evidence.file.name))
        evidence.save()


def _entry_for_write(measure, round_code, values, version) -> tuple[ProgressEntry, bool]:
    """The locked entry to write, or a new one; Conflict when the person's page is out of date. The
    first save of an entry racing another's: the unique constraint decides, the loser gets Conflict."""
    if version in (None, "", 0):
        try:
            entry, created = ProgressEntry.objects.get_or_create(measure=measure, round=round_code, defaults=values)
        except IntegrityError:  # SQLite, or a constraint get_or_create does not re-read
            entry, created = ProgressEntry.objects.get(measure=measure, round=round_code), False
        if not created:
            raise Conflict(entry, _diff(ProgressEntry, None, entry, ENTRY_FIELDS))
        return entry, True
    entry = ProgressEntry.objects.filter(measure=measure, round=round_code).first()
    if entry is None:
        raise Conflict(ProgressEntry(measure=measure, round=round_code), [])
    entry = _lock_and_check(ProgressEntry, entry.pk, int(version), ENTRY_FIELDS)
    return entry, False


def save_entry(access: UnitAccess, measure: Measure, round_code: str, values: dict, version, *,
               links=(), files=(), submit: bool = False) -> ProgressEntry:
    """Write a round's progress entry (and its evidence); `submit` sends it for approval too.

    An approved entry is refused (it must be reopened first); a submitted one goes back to draft, with
    an event saying so. Raises PermissionDenied, Refused, Conflict, StorageFailed; nothing is half-written
    (stored files of a failed save are removed again)."""
    owners = list(measure.owners.values_list("id", flat=True))
    if not access.may(Action.REPORT, owners):
        raise PermissionDenied
    values = clean_texts(values, ("result", "outcome", "problems", "suggestions"))
    problems = entry_problems(values.get("status"), values.get("percent"), values.get("result", ""), submit,
                              values.get("reported_on"), measure.plan.fiscal_year, timezone.localdate())
    if problems:
        raise Refused(str(next(iter(problems.values()))))
    values["reported_by"] = access.user
    written: list = []
    try:
        with transaction.atomic():
            entry, created = _entry_for_write(measure, round_code, values, version)
            if not created:
                if entry.review_state not in EDITABLE:
                    raise Refused(_("This entry is approved: the unit administrator must reopen it, with a reason, before it can be changed."))
                for name, value in values.items():
                    setattr(entry, name, value)
                before, entry.version = entry.review_state, entry.version + 1
                if before == ReviewState.SUBMITTED:
                    entry.review_state = ReviewState.DRAFT
                entry.save()
                if before != entry.review_state:
                    record_withdrawal(entry, before, access.user)
            _store_evidence(entry, list(links), files, access.user, written)
            if submit:
                entry = submit_entry(entry, access, version=entry.version)
            _refresh(measure.plan)
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    return entry


# --- OIT item progress --------------------------------------------------------------------------------


@dataclass
class OitConflicts(Exception):
    """Rows someone else saved after the page was opened: [(item, Conflict)]. Nothing was saved."""

    rows: list


def _save_oit_row(access, plan, item, data, version) -> OitProgress:
    values = {"status": data["status"], "note": normalise_text(data["note"]), "url": data["url"], "order": item.order}
    after = [d.id for d in data["owners"]]
    if version in (None, "", 0):
        if not access.may(Action.REPORT, after if access.is_limited else []):
            raise PermissionDenied
        try:
            row, created = OitProgress.objects.get_or_create(plan=plan, item=item, defaults=values)
        except IntegrityError:
            row, created = OitProgress.objects.get(plan=plan, item=item), False
        if not created:
            raise Conflict(row, _diff(OitProgress, None, row, OIT_FIELDS))
    else:
        row = OitProgress.objects.filter(plan=plan, item=item).first()
        if row is None:
            raise Conflict(OitProgress(plan=plan, item=item), [])
        row = _lock_and_check(OitProgress, row.pk, int(version), OIT_FIELDS)
        before = list(row.owners.values_list("id", flat=True))
        if not access.may(Action.REPORT, before) or not access.may_set_owners(before, after):
            raise PermissionDenied
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        row.save()
    row.owners.set(data["owners"])
    return row


def save_oit_rows(access: UnitAccess, plan: Plan, rows: list[tuple]) -> int:
    """Save changed OIT rows [(item, cleaned data, version seen)] together, or none of them."""
    if access.read_only:
        raise PermissionDenied
    conflicts = []
    with transaction.atomic():
        for item, data, version in rows:
            try:
                with transaction.atomic():
                    _save_oit_row(access, plan, item, data, version)
            except Conflict as exc:
                conflicts.append((item, exc))
        if conflicts:
            raise OitConflicts(conflicts)
    return len(rows)


# --- due dates ----------------------------------------------------------------------------------------


@transaction.atomic
def save_round_dues(access: UnitAccess, fiscal_year: int, dues: dict) -> None:
    """{round: date or None}; None removes the unit's own date (the default applies again)."""
    if not access.may(Action.DUE_DATES):
        raise PermissionDenied
    for code, due in dues.items():
        if due is None:
            RoundDue.objects.filter(unit=access.unit, fiscal_year=fiscal_year, round=code).delete()
        else:
            RoundDue.objects.update_or_create(
                unit=access.unit, fiscal_year=fiscal_year, round=code, defaults={"due_date": due}
            )
    progress.refresh_unit_year(access.unit.pk, fiscal_year)
