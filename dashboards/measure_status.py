"""The current status of measures and the due dates of rounds, as the dashboards need them.

The measures app owns these rules (measures/status.py, measures/rounds.py). This module is the one small seam
through which the dashboards use them: when the measures app provides them they are used as they are;
until then the same rules are applied here as database annotations, so that pages aggregate in SQL.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import ad_year
from measures.models import ProgressEntry, Round, RoundDue, Status

# The two reporting rounds a plan is followed up in (seed reports: รอบ ๖ เดือน and รอบ ๑๒ เดือน).
REPORTING_ROUNDS = (Round.H1, Round.FY)
# Later rounds come later in the year; the latest entry gives a measure's current status.
ROUND_ORDER = {Round.Q1: 1, Round.Q2: 2, Round.H1: 3, Round.Q3: 4, Round.Q4: 5, Round.FY: 6}
CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)
REPORTED_STATES = (ProgressEntry.Review.SUBMITTED, ProgressEntry.Review.APPROVED)

try:  # pragma: no cover - depends on the measures app's progress
    from measures import status as _measures_status
except ImportError:  # pragma: no cover
    _measures_status = None
try:  # pragma: no cover
    from measures import rounds as _measures_rounds
except ImportError:  # pragma: no cover
    _measures_rounds = None


# Labels of the measures app's choices, repeated here so that the dashboards' catalog carries their Thai
# text even before the measures app ships its own.
STATUS_LABELS = {
    Status.NOT_STARTED: _("Not started"),
    Status.IN_PROGRESS: _("In progress"),
    Status.DONE: _("Done"),
    Status.CANCELLED: _("Cancelled"),
}
ROUND_LABELS = {Round.H1: _("6-month round"), Round.FY: _("12-month round")}


def _round_rank():
    return Case(*[When(round=code, then=Value(rank)) for code, rank in ROUND_ORDER.items()], default=Value(0))


def with_current_status(measures: QuerySet) -> QuerySet:
    """Annotate `current_status` on each measure: the status of its latest round's entry, else not started."""
    if _measures_status is not None and hasattr(_measures_status, "with_current_status"):
        return _measures_status.with_current_status(measures)
    latest = (
        ProgressEntry.objects.filter(measure=OuterRef("pk"))
        .annotate(rank=_round_rank())
        .order_by("-rank")
        .values("status")[:1]
    )
    return measures.annotate(
        current_status=Coalesce(Subquery(latest, output_field=CharField()), Value(Status.NOT_STARTED))
    )


def overdue_q(today: dt.date):
    """Filter (over measures annotated with `current_status`) for measures past their end and not closed."""
    from django.db.models import Q

    if _measures_status is not None and hasattr(_measures_status, "overdue_q"):
        return _measures_status.overdue_q(today)
    return Q(end__lt=today) & ~Q(current_status__in=CLOSED_STATUSES)


def default_due_date(fiscal_year: int, round_code: str) -> dt.date:
    """Default due date of a round: the 6-month report by 30 April, the 12-month one by 31 October."""
    if _measures_rounds is not None and hasattr(_measures_rounds, "default_due_date"):
        try:
            return _measures_rounds.default_due_date(fiscal_year, round_code)
        except Exception:  # noqa: BLE001 - signature not as expected: fall back to the rule here
            pass
    year_ad = ad_year(fiscal_year)
    if round_code == Round.H1:
        return dt.date(year_ad, 4, 30)
    return dt.date(year_ad, 10, 31)


def due_dates(unit, fiscal_year: int) -> dict[str, dt.date]:
    """Each reporting round's due date for one unit: its own RoundDue rows over the defaults (one query)."""
    dues = {code: default_due_date(fiscal_year, code) for code in REPORTING_ROUNDS}
    for code, due in RoundDue.objects.filter(unit=unit, fiscal_year=fiscal_year).values_list("round", "due_date"):
        if code in dues:
            dues[code] = due
    return dues
