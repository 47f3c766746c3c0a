"""Keyword search over measures: their title, their steps and the results reported in their entries.

`icontains` on SQLite and PostgreSQL alike. PostgreSQL's full-text search splits words at spaces and
punctuation, and Thai writes a phrase without spaces ("จัดประชุมชี้แจงแล้ว" is one token to it), so a
word typed from the middle of a Thai phrase would never match; a substring search matches it on both
databases. The step and entry conditions are EXISTS subqueries, so a measure matching twice is one row.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from measures.models import MeasureStep, ProgressEntry


def matching(text: str, measure_ref: str = "pk") -> Q:
    """A Q over Measure rows (or, with `measure_ref`, over rows whose OuterRef names the measure)."""
    text = text.strip()
    if not text:
        return Q()
    in_steps = MeasureStep.objects.filter(measure=OuterRef(measure_ref), text__icontains=text)
    in_results = ProgressEntry.objects.filter(measure=OuterRef(measure_ref), result__icontains=text)
    return Q(title__icontains=text) | Exists(in_steps) | Exists(in_results)
