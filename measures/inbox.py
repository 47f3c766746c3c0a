"""What waits for a person ("งานของฉัน"), and which rounds are due when: queries shared by the inbox page,
the count in the navigation and the reminders (measures/management/commands/send_reminders.py).

- Waiting for my review: submitted entries of the units I administer.
- Returned to me: entries I reported that came back for correction.
- Due soon: rounds of my units due within DUE_SOON_DAYS (or overdue by up to OVERDUE_DAYS) with the
  measures I may report on that have no submitted or approved entry for the round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import timezone

from ita_portal import thai
from measures import rounds
from measures.models import Measure, Plan, ProgressEntry, Round, RoundDue
from units.models import Membership

REPORTING_ROUNDS = (Round.H1, Round.FY)
# An entry counts as reported for a round once it is submitted (approved stays reported).
REPORTED = (ProgressEntry.Review.SUBMITTED, ProgressEntry.Review.APPROVED)
DUE_SOON_DAYS = 14
OVERDUE_DAYS = 30


@dataclass
class RoundDueSoon:
    plan: Plan
    round: str
    due: dt.date
    measures: list[Measure] = field(default_factory=list)

    @property
    def round_label(self) -> str:
        return Round(self.round).label

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


@dataclass
class Inbox:
    to_review: list[ProgressEntry]
    returned: list[ProgressEntry]
    due: list[RoundDueSoon]

    @property
    def count(self) -> int:
        return len(self.to_review) + len(self.returned) + sum(len(d.measures) for d in self.due)


def due_dates(plans) -> dict[tuple[int, str], dt.date]:
    """(plan id, round) → due date: the unit's own RoundDue over the default of measures.rounds."""
    plans = list(plans)
    own = {
        (unit_id, year, code): due
        for unit_id, year, code, due in RoundDue.objects.filter(
            unit_id__in={p.unit_id for p in plans}, fiscal_year__in={p.fiscal_year for p in plans}
        ).values_list("unit_id", "fiscal_year", "round", "due_date")
    }
    return {
        (plan.pk, code): own.get((plan.unit_id, plan.fiscal_year, code)) or rounds.default_due_date(plan.fiscal_year, code)
        for plan in plans
        for code in REPORTING_ROUNDS
    }


def plans_due_between(first: dt.date, last: dt.date, unit_ids=None) -> list[tuple[Plan, str, dt.date]]:
    """(plan, round, due date) of every reporting round due from `first` to `last` (inclusive)."""
    # Default due dates fall in the year of the round or the next; a unit's own dates may fall anywhere.
    years = set(range(thai.fiscal_year_of(first) - 1, thai.fiscal_year_of(last) + 1))
    own = RoundDue.objects.filter(due_date__range=(first, last), round__in=REPORTING_ROUNDS)
    if unit_ids is not None:
        own = own.filter(unit_id__in=unit_ids)
    plans = Plan.objects.filter(unit__is_active=True).select_related("unit")
    if unit_ids is not None:
        plans = plans.filter(unit_id__in=unit_ids)
    plans = plans.filter(
        Q(fiscal_year__in=years) | Q(pk__in=Plan.objects.filter(unit__round_dues__in=own, fiscal_year=F("unit__round_dues__fiscal_year")).values("pk"))
    )
    plans = list(plans)
    dues = due_dates(plans)
    found = [(plan, code, dues[plan.pk, code]) for plan in plans for code in REPORTING_ROUNDS]
    return sorted((row for row in found if first <= row[2] <= last), key=lambda row: (row[2], row[0].unit.name))


def unreported(plan: Plan, round_code: str, department_ids=None) -> list[Measure]:
    """Measures of the plan with no submitted or approved entry for the round; with `department_ids`,
    only those measures owned by one of those departments (an editor limited to departments)."""
    reported = ProgressEntry.objects.filter(measure__plan=plan, round=round_code, review_state__in=REPORTED)
    measures = plan.measures.exclude(pk__in=reported.values("measure_id"))
    if department_ids is not None:
        measures = measures.filter(owners__in=department_ids).distinct()
    return list(measures.order_by("sort_key", "id"))


def _department_limits(memberships) -> dict[int, frozenset[int] | None]:
    limits = {}
    for membership in memberships:
        limited = frozenset(d.pk for d in membership.departments.all())
        # Editors limited to departments report on those; administrators and unlimited editors on all.
        limits[membership.unit_id] = limited if membership.role == Membership.Role.EDITOR and limited else None
    return limits


def inbox(user, today: dt.date) -> Inbox:
    memberships = list(
        Membership.objects.filter(user=user, unit__is_active=True).select_related("unit").prefetch_related("departments")
    )
    admin_units = [m.unit_id for m in memberships if m.role == Membership.Role.ADMIN]
    reporting = {m.unit_id: m for m in memberships if m.role in (Membership.Role.ADMIN, Membership.Role.EDITOR)}
    entries = ProgressEntry.objects.select_related("measure__plan__unit").order_by("-updated_at")
    to_review = list(entries.filter(review_state=ProgressEntry.Review.SUBMITTED, measure__plan__unit_id__in=admin_units))
    returned = list(
        entries.filter(review_state=ProgressEntry.Review.RETURNED, reported_by=user, measure__plan__unit_id__in=list(reporting))
    )
    limits = _department_limits(reporting.values())
    due = []
    if reporting:
        window = plans_due_between(today - dt.timedelta(days=OVERDUE_DAYS), today + dt.timedelta(days=DUE_SOON_DAYS), list(reporting))
        for plan, code, day in window:
            measures = unreported(plan, code, limits[plan.unit_id])
            if measures:
                due.append(RoundDueSoon(plan, code, day, measures))
    return Inbox(to_review, returned, due)


# --- the count in the navigation: cached, so that pages pay no query for it --------------------------

COUNT_SECONDS = 60  # the count may lag this long behind changes made on other app servers


def _count_key(user) -> str:
    return f"inbox-count:{user.pk}"


def cached_count(user, today: dt.date) -> int:
    count = cache.get(_count_key(user))
    if count is None:
        count = inbox(user, today).count
        remember_count(user, count)
    return count


def remember_count(user, count: int) -> None:
    cache.set(_count_key(user), count, COUNT_SECONDS)


def forget_counts(*users) -> None:
    """After a change that alters what waits for these people (a transition, a notice)."""
    cache.delete_many([_count_key(user) for user in users if user is not None])


@receiver(user_logged_in)
def _count_at_login(sender, request, user, **kwargs):
    """Each login counts afresh (and the pages that follow read the count from the cache)."""
    remember_count(user, inbox(user, timezone.localdate()).count)
