"""Writes to measures and entries: optimistic locking, the review workflow, copying a plan."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from measures.models import Measure, MeasureStep, Plan, ProgressEntry, ReviewEvent


@dataclass
class Conflict(Exception):
    """Someone saved the object after this form was opened."""

    current: object
    changes: list[tuple[str, str, str]]  # (field label, value when the form was opened, value now)


def _diff(model, old, new, fields) -> list[tuple[str, str, str]]:
    changes = []
    for name in fields:
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after:
            label = str(model._meta.get_field(name).verbose_name)
            changes.append((label, "" if before is None else str(before), "" if after is None else str(after)))
    return changes


def save_versioned(instance, expected_version: int, fields: list[str], after_save=None):
    """Save `instance` only if nobody saved it since `expected_version`; raise Conflict otherwise.

    The row is locked for the check (PostgreSQL); SQLite serialises writers anyway.
    """
    model = type(instance)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            opened = instance.history.filter(version=expected_version).order_by("-history_date").first()
            raise Conflict(current, _diff(model, opened, current, fields) if opened else [])
        instance.version = current.version + 1
        instance.save()
        if after_save is not None:
            after_save(instance)
    return instance


def _record(entry: ProgressEntry, action: str, user, comment: str = ""):
    ReviewEvent.objects.create(entry=entry, action=action, by=user, comment=comment)


@transaction.atomic
def submit_entry(entry: ProgressEntry, user) -> ProgressEntry:
    entry.review_state = ProgressEntry.Review.SUBMITTED
    entry.version += 1
    entry.save(update_fields=["review_state", "version", "updated_at"])
    _record(entry, ReviewEvent.Action.SUBMIT, user)
    return entry


@transaction.atomic
def approve_entry(entry: ProgressEntry, user) -> ProgressEntry:
    entry.review_state = ProgressEntry.Review.APPROVED
    entry.review_comment = ""
    entry.version += 1
    entry.save(update_fields=["review_state", "review_comment", "version", "updated_at"])
    _record(entry, ReviewEvent.Action.APPROVE, user)
    return entry


@transaction.atomic
def return_entry(entry: ProgressEntry, user, comment: str) -> ProgressEntry:
    entry.review_state = ProgressEntry.Review.RETURNED
    entry.review_comment = comment
    entry.version += 1
    entry.save(update_fields=["review_state", "review_comment", "version", "updated_at"])
    _record(entry, ReviewEvent.Action.RETURN, user, comment)
    return entry


@transaction.atomic
def copy_plan_to_next_year(plan: Plan) -> Plan:
    """Measures, steps, owners, and indicators/OIT items mapped to the next year's framework by number
    and code; no progress. Refuses when the next year's plan exists."""
    from assessments.models import Framework

    year = plan.fiscal_year + 1
    if Plan.objects.filter(unit=plan.unit, fiscal_year=year).exists():
        raise ValueError(year)
    framework = Framework.objects.filter(fiscal_year=year).first()
    new_plan = Plan.objects.create(unit=plan.unit, fiscal_year=year, based_on_assessment=plan.fiscal_year, framework=framework)
    indicators = {i.number: i for i in framework.indicators.all()} if framework else {}
    items = {o.code: o for o in framework.oit_items.all()} if framework else {}
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
    return new_plan

