"""The review of a progress entry: its one state machine.

    draft ──submit──▶ submitted ──approve──▶ approved ──reopen (reason, administrator)──▶ draft
                          │  ▲
                    return│  │submit
                          ▼  │
                        returned

Every transition checks, on the locked row: the person's role (units.permissions), the version of the
entry the person saw (a page opened before someone changed the entry is stale: `Stale`, shown as a 409),
and the current state (`Refused`, a Thai message). A refused or stale transition changes nothing. Each
transition is recorded as a ReviewEvent (who, when, from → to, comment, the version acted on) and the
dashboards' per unit-year figures are refreshed explicitly.

Views, admin actions and the importer use only these functions (the importer may use
`set_states_in_bulk`, which records an "import" event per entry).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import notices, progress
from measures.models import ProgressEntry, ReviewEvent
from measures.status import ReviewState, entry_problems
from units.permissions import Action, UnitAccess

DRAFT, SUBMITTED, APPROVED, RETURNED = ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.APPROVED, ReviewState.RETURNED


class Refused(Exception):
    """The transition is not allowed: `message` says why in Thai. `forbidden`: the role does not allow it."""

    def __init__(self, message: str, forbidden: bool = False):
        super().__init__(message)
        self.message = message
        self.forbidden = forbidden


class Stale(Exception):
    """The person acted on a version of the entry that is no longer current."""

    def __init__(self, current: ProgressEntry, seen_version):
        super().__init__(f"entry {current.pk}: version {seen_version} seen, {current.version} current")
        self.current = current
        self.seen_version = seen_version


@dataclass(frozen=True)
class Rule:
    action: str  # ReviewEvent.Action
    sources: tuple[str, ...]
    target: str
    permission: Action
    needs_comment: bool = False


SUBMIT = Rule(ReviewEvent.Action.SUBMIT, (DRAFT, RETURNED), SUBMITTED, Action.SUBMIT)
APPROVE = Rule(ReviewEvent.Action.APPROVE, (SUBMITTED,), APPROVED, Action.REVIEW)
RETURN = Rule(ReviewEvent.Action.RETURN, (SUBMITTED,), RETURNED, Action.REVIEW, needs_comment=True)
REOPEN = Rule(ReviewEvent.Action.REOPEN, (APPROVED,), DRAFT, Action.REVIEW, needs_comment=True)
RULES = {rule.action: rule for rule in (SUBMIT, APPROVE, RETURN, REOPEN)}
# States in which the reporter may still change the entry (approved needs a reopen first).
EDITABLE = (DRAFT, SUBMITTED, RETURNED)


def _state_refusal(rule: Rule, state: str) -> str:
    label = ReviewState(state).label
    messages = {
        ReviewEvent.Action.SUBMIT: _("This entry cannot be submitted: it is %(state)s."),
        ReviewEvent.Action.APPROVE: _("This entry cannot be approved: it is %(state)s, not submitted."),
        ReviewEvent.Action.RETURN: _("This entry cannot be returned: it is %(state)s, not submitted."),
        ReviewEvent.Action.REOPEN: _("Only an approved entry can be reopened; this one is %(state)s."),
    }
    return messages[rule.action] % {"state": label}


def _comment_refusal(rule: Rule) -> str:
    if rule.action == ReviewEvent.Action.REOPEN:
        return _("Reason for reopening: please write why the approved entry is reopened.")
    return _("Why it is returned: please write a comment.")


def lock(entry: ProgressEntry) -> ProgressEntry:
    return ProgressEntry.objects.select_for_update().select_related("measure__plan").get(pk=entry.pk)


def check_access(access: UnitAccess, entry: ProgressEntry, action: Action) -> None:
    """Refused(forbidden) unless the person may do `action` on this entry's measure."""
    owned = list(entry.measure.owners.values_list("id", flat=True))
    if entry.measure.plan.unit_id != access.unit.pk or not access.may(action, owned):
        raise Refused(_("Your role in this unit does not allow this."), forbidden=True)


def check_version(current: ProgressEntry, seen_version) -> None:
    try:
        seen = int(seen_version)
    except (TypeError, ValueError):
        seen = None
    if seen != current.version:
        raise Stale(current, seen_version)


def record(entry, action, before, after, user, comment="", version=None) -> ReviewEvent:
    return ReviewEvent.objects.create(
        entry=entry, action=action, from_state=before, to_state=after, by=user, comment=comment,
        version=entry.version if version is None else version,
    )


def record_withdrawal(entry: ProgressEntry, before: str, user) -> ReviewEvent:
    """An edit has sent a submitted entry back to draft (measures.services.save_entry): recorded as a reopen
    by its reporter, the unit-year v1.1 contract's action for a return to draft, with a note that says why."""
    note = _("Edited after it was submitted: back to draft.")
    # The version acted on, as for the other transitions: the one the person edited (the save counted one up).
    return record(entry, ReviewEvent.Action.REOPEN, before, entry.review_state, user, note, version=entry.version - 1)


def _transition(rule: Rule, entry: ProgressEntry, access: UnitAccess, version, comment: str = "") -> ProgressEntry:
    comment = (comment or "").strip()
    with transaction.atomic():
        current = lock(entry)
        check_access(access, current, rule.permission)
        check_version(current, version)
        if current.review_state not in rule.sources:
            raise Refused(_state_refusal(rule, current.review_state))
        if rule.needs_comment and not comment:
            raise Refused(_comment_refusal(rule))
        if rule is SUBMIT:
            problems = entry_problems(current.status, current.percent, current.result, submitting=True)
            if problems:
                raise Refused(str(next(iter(problems.values()))))
        before, seen = current.review_state, current.version
        current.review_state = rule.target
        if rule in (RETURN, REOPEN):
            current.review_comment = comment
        elif rule is APPROVE:
            current.review_comment = ""
        current.version += 1
        current.save(update_fields=["review_state", "review_comment", "version", "updated_at"])
        record(current, rule.action, before, rule.target, access.user, comment, version=seen)
        progress.refresh_unit_year(current.measure.plan.unit_id, current.measure.plan.fiscal_year)
        _notify_after_commit(rule, current, access.user, comment)
    return current


def _notify_after_commit(rule: Rule, entry: ProgressEntry, user, comment: str) -> None:
    """The transition's follow-up: who is told, once the change is committed (measures/notices.py)."""
    if rule is SUBMIT:
        notices.on_commit(notices.entry_submitted, entry, user)
    elif rule is APPROVE:
        notices.on_commit(notices.entry_approved, entry, user)
    elif rule is RETURN:
        notices.on_commit(notices.entry_returned, entry, user, comment)


def submit_entry(entry: ProgressEntry, access: UnitAccess, *, version, comment: str = "") -> ProgressEntry:
    """draft or returned → submitted, by a reporter of the measure's departments or an administrator."""
    return _transition(SUBMIT, entry, access, version, comment)


def approve_entry(entry: ProgressEntry, access: UnitAccess, *, version, comment: str = "") -> ProgressEntry:
    """submitted → approved, by an administrator; `version` is the one on the reviewer's page."""
    return _transition(APPROVE, entry, access, version, comment)


def return_entry(entry: ProgressEntry, access: UnitAccess, *, version, comment: str) -> ProgressEntry:
    """submitted → returned with a comment, by an administrator."""
    return _transition(RETURN, entry, access, version, comment)


def reopen_entry(entry: ProgressEntry, access: UnitAccess, *, version, reason: str) -> ProgressEntry:
    """approved → draft with a reason, by an administrator: the only way to change an approved entry."""
    return _transition(REOPEN, entry, access, version, reason)


def allowed_actions(entry: ProgressEntry, access: UnitAccess, owner_ids) -> list[str]:
    """The transitions this person may offer on this entry now (for the buttons; the server checks again)."""
    return [
        rule.action for rule in RULES.values()
        if entry.review_state in rule.sources and access.may(rule.permission, owner_ids)
    ]


def set_states_in_bulk(entries: list[ProgressEntry], state: str, user, comment: str = "") -> int:
    """The bulk path for importers: give many entries a review state at once, each with an "import"
    event naming `comment` (e.g. the file). The caller has checked Action.IMPORT and refreshes the
    dashboards' figures (measures.progress) once at the end. Returns the number of entries changed."""
    changed = [entry for entry in entries if entry.review_state != state]
    now = timezone.now()
    events = [
        ReviewEvent(entry=entry, action=ReviewEvent.Action.IMPORT, from_state=entry.review_state, to_state=state,
                    by=user, comment=comment, version=entry.version + 1, at=now)
        for entry in changed
    ]
    for entry in changed:
        entry.review_state = state
        entry.version += 1
    with transaction.atomic():
        ProgressEntry.objects.bulk_update(changed, ["review_state", "version"], batch_size=500)
        ReviewEvent.objects.bulk_create(events, batch_size=500)
    return len(changed)
