"""Statuses and review states of measures, with their Thai labels, and their rules: the one home.

Forms, reports, dashboards and the interchange schema import the choices from here (the model fields
keep the same stored values).

- A measure's current status is the status of its entry for the latest round (rounds.ORDER);
  no entry yet means not started.
- Overdue and late: measures/lateness.py.
- Percent follows the status (done = 100, not started = 0) unless someone entered a figure.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ita_portal import thai
from measures.rounds import ORDER, period


class Status(models.TextChoices):
    """A measure's status in a round (ProgressEntry.status)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewState(models.TextChoices):
    """Where a progress entry stands in its review (transitions: measures/review.py)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


class OitStatus(models.TextChoices):
    """An OIT item's progress (OitProgress.status)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


CLOSED = (Status.DONE, Status.CANCELLED)
# Statuses that need no written result when submitted.
NO_RESULT_NEEDED = (Status.NOT_STARTED, Status.CANCELLED)
REPORTED = (ReviewState.SUBMITTED, ReviewState.APPROVED)


def current_status(entries) -> str:
    """From a measure's entries (any iterable of objects with .round and .status)."""
    latest = max(entries, key=lambda e: ORDER[e.round], default=None)
    return latest.status if latest else Status.NOT_STARTED


def effective_percent(status: str, percent: int | None) -> int | None:
    if percent is not None:
        return percent
    return {Status.DONE: 100, Status.NOT_STARTED: 0}.get(status)


def entry_problems(status: str | None, percent: int | None, result: str, submitting: bool,
                   reported_on: dt.date | None = None, fiscal_year: int | None = None,
                   today: dt.date | None = None) -> dict[str, str]:
    """What is wrong with a progress entry, as {field name: Thai message naming the field}.

    Done means 100 % (or blank), not started 0 % (or blank); submitting needs a status and, unless the
    measure is not started or cancelled, a result; the report date is neither after `today` nor before the
    plan's fiscal year starts. Forms and the service functions both ask this one function.
    """
    problems = {}
    if status == Status.DONE and percent not in (None, 100):
        problems["percent"] = _("Percent done: a measure that is done is at 100 % (or leave it blank).")
    if status == Status.NOT_STARTED and percent not in (None, 0):
        problems["percent"] = _("Percent done: a measure that has not started is at 0 % (or leave it blank).")
    if submitting and not status:
        problems["status"] = _("Status: choose the measure's status before submitting.")
    elif submitting and status not in NO_RESULT_NEEDED and not (result or "").strip():
        problems["result"] = _("Result: write what was done before submitting.")
    if reported_on is not None and today is not None and reported_on > today:
        problems["reported_on"] = _("Reported on: the date cannot be later than today.")
    elif reported_on is not None and fiscal_year is not None and reported_on < period(fiscal_year, "FY")[0]:
        problems["reported_on"] = _("Reported on: the date cannot be before the plan year starts (%(date)s).") % {
            "date": thai.format_date(period(fiscal_year, "FY")[0])
        }
    return problems


def _round_rank():
    return Case(*[When(round=code, then=Value(rank)) for code, rank in ORDER.items()], default=Value(0))


def with_current_status(measures: QuerySet) -> QuerySet:
    """Annotate `current_status` in the database (one subquery), for lists, filters and counts."""
    entries = measures.model._meta.get_field("entries").related_model  # ProgressEntry, without an import cycle
    latest = (
        entries.objects.filter(measure=OuterRef("pk")).annotate(rank=_round_rank()).order_by("-rank").values("status")[:1]
    )
    return measures.annotate(
        current_status=Coalesce(Subquery(latest, output_field=CharField()), Value(Status.NOT_STARTED))
    )
