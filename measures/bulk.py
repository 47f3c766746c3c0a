"""Deleting whole plans in a handful of queries (an import replacing a unit's years).

Django's deletion collector sends signals for every measure, step and entry, and django-simple-history
answers each with its own insert (the measure's many-to-many history too): replacing a five-year file
cost about 600 queries. Here the history rows saying "deleted" are written in bulk and the rows are
deleted table by table, children first. The tables are listed by hand, so a model that comes to refer to
these ones makes `plan_tables_known()` false and the collector is used instead: slower, never wrong.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from measures.models import (
    EvidenceFile,
    EvidenceLink,
    Measure,
    MeasureStep,
    OitProgress,
    Plan,
    ProgressEntry,
    ReviewEvent,
)

# Each model under a plan, and the models that refer to it (what the collector would cascade to).
REFERRERS = {
    Plan: {Measure, OitProgress},
    Measure: {MeasureStep, ProgressEntry},
    ProgressEntry: {ReviewEvent, EvidenceLink, EvidenceFile},
    OitProgress: set(),
    MeasureStep: set(),
    ReviewEvent: set(),
    EvidenceLink: set(),
    EvidenceFile: set(),
}


def plan_tables_known() -> bool:
    """True when no model beyond REFERRERS refers to a plan or anything under it."""
    for model, referrers in REFERRERS.items():
        found = {rel.related_model for rel in model._meta.related_objects if not rel.many_to_many}
        if found != referrers:
            return False
    return True


def _record_deletion(queryset: QuerySet, user) -> None:
    """django-simple-history's "-" rows, written in one insert (the library writes one row per deleted object)."""
    history = queryset.model.history.model
    now = timezone.now()
    history.objects.bulk_create(
        history(
            history_date=now,
            history_user=user,
            history_type="-",
            history_change_reason="",
            **{field.attname: getattr(obj, field.attname) for field in history.tracked_fields},
        )
        for obj in queryset.order_by()
    )


def delete_plans(plans: QuerySet[Plan], user=None) -> None:
    """Delete the plans with everything under them; send no signals (callers refresh what depends on
    them: the dashboards' figures). Stored evidence files are removed once the transaction commits."""
    if not plan_tables_known():
        plans.delete()
        return
    # order_by(): the models' default orderings would join their parents (up to the unit) to sort ids.
    delete_rows(plan_ids=list(plans.order_by().values_list("pk", flat=True)), user=user)


def _ids(queryset) -> list[int]:
    return list(queryset.order_by().values_list("pk", flat=True))


def delete_rows(*, plan_ids=(), measure_ids=(), entry_ids=(), oit_ids=(), user=None) -> None:
    """Delete plans, measures, progress entries and OIT rows by id, each with everything under it (an
    import removing what its file no longer lists), in a fixed number of queries and without signals."""
    if not plan_tables_known():
        for model, ids in ((ProgressEntry, entry_ids), (OitProgress, oit_ids), (Measure, measure_ids), (Plan, plan_ids)):
            model.objects.filter(pk__in=list(ids)).delete()
        return
    # Ids are resolved level by level and every statement then reads one table by an indexed id list:
    # joins through plan ids let PostgreSQL's estimates (poor after a bulk load) pick whole-table scans.
    plan_ids = list(plan_ids)
    measure_ids = list(measure_ids) + (_ids(Measure.objects.filter(plan_id__in=plan_ids)) if plan_ids else [])
    entry_ids = list(entry_ids) + (_ids(ProgressEntry.objects.filter(measure_id__in=measure_ids)) if measure_ids else [])
    oit_ids = list(oit_ids) + (_ids(OitProgress.objects.filter(plan_id__in=plan_ids)) if plan_ids else [])
    if not (plan_ids or measure_ids or entry_ids or oit_ids):
        return
    # One transaction with the caller's (no savepoint of its own: an importer calls this once per file).
    with transaction.atomic(savepoint=False):
        _delete_ids(plan_ids, measure_ids, entry_ids, oit_ids, user)


def _delete_ids(plan_ids, measure_ids, entry_ids, oit_ids, user) -> None:
    files = EvidenceFile.objects.filter(entry_id__in=entry_ids)
    stored = [name for name in files.order_by().values_list("file", flat=True) if name] if entry_ids else []
    for queryset in (
        ProgressEntry.objects.filter(pk__in=entry_ids),
        MeasureStep.objects.filter(measure_id__in=measure_ids),
        Measure.objects.filter(pk__in=measure_ids),
        OitProgress.objects.filter(pk__in=oit_ids),
        Plan.objects.filter(pk__in=plan_ids),
    ):
        _record_deletion(queryset, user)
    children_first = [
        ReviewEvent.objects.filter(entry_id__in=entry_ids),
        EvidenceLink.objects.filter(entry_id__in=entry_ids),
        files,
        ProgressEntry.objects.filter(pk__in=entry_ids),
        MeasureStep.objects.filter(measure_id__in=measure_ids),
        *[field.remote_field.through.objects.filter(measure_id__in=measure_ids) for field in Measure._meta.many_to_many],
        *[field.remote_field.through.objects.filter(oitprogress_id__in=oit_ids) for field in OitProgress._meta.many_to_many],
        OitProgress.objects.filter(pk__in=oit_ids),
        Measure.objects.filter(pk__in=measure_ids),
        Plan.objects.filter(pk__in=plan_ids),
    ]
    for queryset in children_first:
        # QuerySet._raw_delete is what Collector uses for its fast deletes: one DELETE, no signals.
        queryset._raw_delete(queryset.db)
    if stored:
        storage = EvidenceFile._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in stored])



def delete_steps(measure_ids, user=None) -> None:
    """The steps of these measures (a measure whose steps an import rewrites), with their history rows."""
    steps = MeasureStep.objects.filter(measure_id__in=list(measure_ids))
    _record_deletion(steps, user)
    steps._raw_delete(steps.db)


def update_rows(model, objs, fields: list[str], user=None) -> None:
    """Write `fields` of these saved rows in one statement, with their history rows ("~") in one insert.

    Django's bulk_update builds a CASE WHEN per field and row, which costs more than the rows themselves
    (0.3 s for 50 measures); on PostgreSQL this is one UPDATE … FROM (VALUES …) instead.
    """
    objs = list(objs)
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, fields)
    else:
        _update_from_values(model, objs, fields)
    if hasattr(model, "history"):
        model.history.bulk_history_create(objs, update=True, default_user=user)


def _update_from_values(model, objs, fields: list[str]) -> None:
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    quote = connection.ops.quote_name
    row = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in [pk, *columns]) + ")"
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns)
    names = ", ".join(quote(f.column) for f in [pk, *columns])
    for start in range(0, len(objs), 1000):
        batch = objs[start:start + 1000]
        params = [
            field.get_db_prep_save(getattr(obj, field.attname), connection) for obj in batch for field in [pk, *columns]
        ]
        sql = (
            f"UPDATE {quote(meta.db_table)} SET {assignments} FROM (VALUES {', '.join([row] * len(batch))}) "
            f"AS v({names}) WHERE {quote(meta.db_table)}.{quote(pk.column)} = v.{quote(pk.column)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
