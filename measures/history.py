"""Field-level history (old → new, who, when) of measures, entries and OIT item progress, from
django-simple-history's records, with Thai field labels and values as people read them."""

from __future__ import annotations

import datetime as dt

from django.db import models

from ita_portal import thai

HIDDEN = {"version", "sort_key", "updated_at", "order", "reported_by"}


def _names(field, rows) -> str:
    """A many-to-many value (through rows as dicts) as the related objects' names."""
    key = field.m2m_reverse_field_name()
    ids = [row[key] for row in rows or []]
    objects = field.related_model.objects.in_bulk(ids)
    return ", ".join(str(objects[i]) if i in objects else f"#{i}" for i in ids)


def display(field, value) -> str:
    if isinstance(field, models.ManyToManyField):
        return _names(field, value) or "—"
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return thai.format_date(value.date())
    if isinstance(value, dt.date):
        return thai.format_date(value)
    return str(value)


def changes(record, model) -> list[tuple[str, str, str]]:
    """[(Thai field label, old, new)] of one history record against the one before it."""
    previous = record.prev_record
    if previous is None:
        return []
    rows = []
    for change in record.diff_against(previous).changes:
        if change.field in HIDDEN:
            continue
        field = model._meta.get_field(change.field)
        rows.append((str(field.verbose_name), display(field, change.old), display(field, change.new)))
    return rows


def timeline(instance, limit: int = 50, title: str = "") -> list[dict]:
    """Newest first: {record, title, changes}. Records that changed nothing shown are left out, except
    the creation and deletion."""
    model = type(instance)
    items = []
    for record in instance.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]:
        rows = changes(record, model)
        if rows or record.history_type in ("+", "-"):
            items.append({"record": record, "title": title, "changes": rows})
    return items
