"""The measures' notices (in the portal and by e-mail, through notifications.notify), in Thai.

Called after a review transition commits (`on_commit(entry_returned, entry, user, comment)` …) and by
`manage.py send_reminders` (Celery beat runs it daily).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita_portal import thai
from measures import inbox, rounds
from measures.models import ProgressEntry, ReviewEvent
from notifications import kinds
from notifications.services import notify
from units.models import Membership

ENTRY_RETURNED = kinds.register("entry_returned", gettext_lazy("An entry I reported is returned for correction")).code
ENTRY_APPROVED = kinds.register("entry_approved", gettext_lazy("An entry I reported is approved")).code
ENTRY_SUBMITTED = kinds.register(
    "entry_submitted",
    gettext_lazy("Entries are submitted for my review (at most one e-mail an hour)"),
    batched=True,
    digest_subject=gettext_lazy("%(count)s progress entries are waiting for your review"),
).code
ROUND_DUE = kinds.register("round_due", gettext_lazy("A round is due in 7 days or tomorrow and my measures are not reported")).code
ROUND_OVERDUE = kinds.register("round_overdue", gettext_lazy("A round of my unit is overdue (unit administrators)")).code
REMIND_DAYS = (7, 1)  # editors are reminded 7 days and 1 day before a round is due


def on_commit(notice, *args) -> None:
    """Send `notice(*args)` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: notice(*args))


def _notify(user, *args, **kwargs):
    inbox.forget_counts(user)  # what waits for them changed: the navigation's count is recomputed
    return notify(user, *args, **kwargs)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else _("someone")


def _entry_facts(entry: ProgressEntry) -> dict:
    measure = entry.measure
    return {
        "number": measure.number,
        "title": measure.title[:200],
        "round": rounds.label(entry.round, thai.DIGITS_ARABIC),
        "unit": measure.plan.unit.name,
        "year": measure.plan.fiscal_year,
    }


def _reporter(entry: ProgressEntry):
    if entry.reported_by_id:
        return entry.reported_by
    event = entry.review_events.filter(action=ReviewEvent.Action.SUBMIT).select_related("by").order_by("-at", "-id").first()
    return event.by if event else None


def _entry_url(entry: ProgressEntry, edit: bool = False) -> str:
    measure = entry.measure
    if edit:
        return reverse("measures:entry", args=[measure.plan.unit.slug, measure.pk, entry.round])
    return reverse("measures:detail", args=[measure.plan.unit.slug, measure.pk])


def entry_returned(entry: ProgressEntry, by, comment: str) -> None:
    inbox.forget_counts(by)  # the actor's own list changed too
    reporter = _reporter(entry)
    if reporter is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        facts = {**_entry_facts(entry), "reviewer": _name(by), "comment": comment}
        subject = _("Returned for correction: measure %(number)s, %(round)s") % facts
        lead = _('%(reviewer)s returned your progress entry of %(round)s on measure %(number)s "%(title)s" (%(unit)s, fiscal year %(year)s) for correction.') % facts
        label = _("Comment")
        text = f"{lead}\n\n{label}: {comment}"
        html = format_html("<p>{}</p><p><strong>{}:</strong> {}</p>", lead, label, comment)
    _notify(reporter, ENTRY_RETURNED, subject, text, html, _entry_url(entry, edit=True))


def entry_approved(entry: ProgressEntry, by) -> None:
    inbox.forget_counts(by)  # the actor's own list changed too
    reporter = _reporter(entry)
    if reporter is None or reporter == by:
        return
    with translation.override(settings.LANGUAGE_CODE):
        facts = {**_entry_facts(entry), "reviewer": _name(by)}
        subject = _("Approved: measure %(number)s, %(round)s") % facts
        text = _('%(reviewer)s approved your progress entry of %(round)s on measure %(number)s "%(title)s" (%(unit)s, fiscal year %(year)s).') % facts
    _notify(reporter, ENTRY_APPROVED, subject, text, format_html("<p>{}</p>", text), _entry_url(entry))


def reviewers(unit):
    """Who reviews a unit's entries: its administrators (units.permissions: admins review)."""
    return [m.user for m in Membership.objects.filter(unit=unit, role=Membership.Role.ADMIN, user__is_active=True).select_related("user")]


def entry_submitted(entry: ProgressEntry, by) -> None:
    inbox.forget_counts(by)  # the actor's own list changed too
    with translation.override(settings.LANGUAGE_CODE):
        facts = {**_entry_facts(entry), "reporter": _name(by)}
        subject = _("Waiting for your review: measure %(number)s, %(round)s") % facts
        text = _('%(reporter)s submitted the progress entry of %(round)s on measure %(number)s "%(title)s" (%(unit)s, fiscal year %(year)s) for your review.') % facts
    for reviewer in reviewers(entry.measure.plan.unit):
        if reviewer != by:
            _notify(reviewer, ENTRY_SUBMITTED, subject, text, format_html("<p>{}</p>", text), _entry_url(entry))


# --- reminders ------------------------------------------------------------------------------------


def _measure_lines(measures) -> tuple[str, str]:
    text = "\n".join(f"- {m.number} {m.title[:120]}" for m in measures)
    html = format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}</li>", ((m.number, m.title[:120]) for m in measures)))
    return text, html


def _remind_editors(plan, code: str, due: dt.date, days: int) -> int:
    sent = 0
    editors = Membership.objects.filter(unit=plan.unit, role=Membership.Role.EDITOR, user__is_active=True)
    for membership in editors.select_related("user").prefetch_related("departments"):
        limited = frozenset(d.pk for d in membership.departments.all()) or None
        measures = inbox.unreported(plan, code, limited)
        if not measures:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            facts = {"round": rounds.label(code, thai.DIGITS_ARABIC), "year": plan.fiscal_year, "unit": plan.unit.name,
                     "date": thai.format_date(due, digit_style=thai.DIGITS_ARABIC), "count": len(measures)}
            subject = (_("Tomorrow: %(round)s of fiscal year %(year)s is due (%(date)s)") if days == 1
                       else _("In 7 days: %(round)s of fiscal year %(year)s is due (%(date)s)")) % facts
            lead = _("%(unit)s: %(count)s of your measures are not yet submitted for %(round)s of fiscal year %(year)s, due on %(date)s:") % facts
        lines, html = _measure_lines(measures)
        url = reverse("measures:plan", args=[plan.unit.slug, plan.fiscal_year])
        sent += notify(membership.user, ROUND_DUE, subject, f"{lead}\n{lines}", format_html("<p>{}</p>{}", lead, html),
                       url, once_key=f"due:{plan.pk}:{code}:{due.isoformat()}:{days}") is not None
    return sent


def _remind_admins(plan, code: str, due: dt.date) -> int:
    measures = inbox.unreported(plan, code)
    if not measures:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        facts = {"round": rounds.label(code, thai.DIGITS_ARABIC), "year": plan.fiscal_year, "unit": plan.unit.name,
                 "date": thai.format_date(due, digit_style=thai.DIGITS_ARABIC), "count": len(measures)}
        subject = _("Overdue: %(round)s of fiscal year %(year)s (%(unit)s)") % facts
        lead = _("%(round)s of fiscal year %(year)s was due on %(date)s; %(count)s measures of %(unit)s are not yet submitted:") % facts
    lines, html = _measure_lines(measures)
    url = reverse("measures:plan", args=[plan.unit.slug, plan.fiscal_year])
    sent = 0
    for admin in reviewers(plan.unit):
        sent += notify(admin, ROUND_OVERDUE, subject, f"{lead}\n{lines}", format_html("<p>{}</p>{}", lead, html),
                       url, once_key=f"overdue:{plan.pk}:{code}:{due.isoformat()}") is not None
    return sent


def send_reminders(day: dt.date) -> dict[str, int]:
    """Reminders for `day`: editors of rounds due in 7 days and tomorrow, administrators of rounds that
    were due yesterday. Each is recorded once per person (notifications' once_key): running it again, or
    for the same day twice, sends nothing new."""
    counts = {"due_7": 0, "due_1": 0, "overdue": 0}
    for days in REMIND_DAYS:
        target = day + dt.timedelta(days=days)
        for plan, code, due in inbox.plans_due_between(target, target):
            counts[f"due_{days}"] += _remind_editors(plan, code, due, days)
    yesterday = day - dt.timedelta(days=1)
    for plan, code, due in inbox.plans_due_between(yesterday, yesterday):
        counts["overdue"] += _remind_admins(plan, code, due)
    return counts
