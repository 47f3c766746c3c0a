"""Status rules of measures, in one place.

- A measure's current status is the status of its entry for the latest round (rounds.ORDER);
  no entry yet means not started.
- Overdue and late: measures/lateness.py.
- Percent follows the status (done = 100, not started = 0) unless someone entered a figure.
"""

from __future__ import annotations

from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from measures.models import ProgressEntry, Status
from measures.rounds import ORDER

CLOSED = (Status.DONE, Status.CANCELLED)


def current_status(entries) -> str:
    """From a measure's entries (any iterable of objects with .round and .status)."""
    latest = max(entries, key=lambda e: ORDER[e.round], default=None)
    return latest.status if latest else Status.NOT_STARTED


def effective_percent(status: str, percent: int | None) -> int | None:
    if percent is not None:
        return percent
    return {Status.DONE: 100, Status.NOT_STARTED: 0}.get(status)


def _round_rank():
    return Case(*[When(round=code, then=Value(rank)) for code, rank in ORDER.items()], default=Value(0))


def with_current_status(measures: QuerySet) -> QuerySet:
    """Annotate `current_status` in the database (one subquery), for lists, filters and counts."""
    latest = (
        ProgressEntry.objects.filter(measure=OuterRef("pk")).annotate(rank=_round_rank()).order_by("-rank").values("status")[:1]
    )
    return measures.annotate(
        current_status=Coalesce(Subquery(latest, output_field=CharField()), Value(Status.NOT_STARTED))
    )
