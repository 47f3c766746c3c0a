"""Lateness, in one place: every page that says "overdue" or "late" asks this module.

- A measure is **overdue** when its end date has passed and it is neither done nor cancelled (the plan
  page's "overdue" filter and column, the unit dashboard's overdue count and list).
- A unit is **late to report** a round when the round's due date has passed and fewer of its measures'
  entries for the round are approved than it has measures (the unit dashboard's reporting rounds, the
  overview's "late" column, filter and count).

Each rule comes as a database filter (for lists, counts and the overview's SQL) and as a test on values
already loaded; tests/test_lateness.py holds each pair to the same answers.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from measures.status import CLOSED


def is_overdue(end: dt.date | None, status: str, today: dt.date) -> bool:
    return end is not None and end < today and status not in CLOSED


def overdue_q(today: dt.date) -> Q:
    """Over measures annotated with `current_status` (measures.status.with_current_status)."""
    return Q(end__lt=today) & ~Q(current_status__in=CLOSED)


def is_late_to_report(due: dt.date, approved: int, measures: int, today: dt.date) -> bool:
    return measures > 0 and due < today and approved < measures


def late_to_report_q(today: dt.date, *, due: str, approved: str, measures: str) -> Q:
    """The same rule over annotated fields, named by `due`, `approved` and `measures`."""
    return Q(**{f"{measures}__gt": 0, f"{due}__lt": today, f"{approved}__lt": F(measures)})
