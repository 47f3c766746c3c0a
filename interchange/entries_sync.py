"""Progress entries of an import: matched by (measure, round), their review and evidence files kept.

- An entry the file leaves as it is keeps its review state, history and evidence files (nothing written).
- An entry whose `review` the file gives (v1.1) takes that state and comment; history rows the file
  carries that the entry lacks are added; the import records a row of its own when it changes anything.
- An entry without `review` whose content the file changes goes back to draft, with an `import` row.
- A new entry without `review` comes in approved (the file is the unit's own record), or as a draft
  when the import is asked to (`drafts`), with an `import` row.
- Evidence files are only ever added: each listed file is already the entry's (same SHA-256) or comes
  from the bundle; otherwise the import stops with the path.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from interchange.evidence import fill_sha256
from interchange.messages import DocumentError
from measures.bulk import update_rows
from measures.models import EvidenceFile, EvidenceLink, ProgressEntry, ReviewEvent
from measures.review import RULES

# The state each recorded action leads to (the import's own rows say theirs).
TARGETS = {action: rule.target for action, rule in RULES.items()}
CONTENT = ["status", "percent", "result", "outcome", "problems", "suggestions", "reported_on"]
Review = ProgressEntry.Review


def event_key(action, at, by_name, username) -> tuple:
    return (action, at, by_name or username or "")


class EntrySync:
    def __init__(self, opts, summary):
        self.opts, self.summary, self.user = opts, summary, opts.user
        self.existing: dict[int, dict[str, ProgressEntry]] = {}
        self.links: dict[int, list[str]] = {}
        self.new: list[tuple] = []  # (entry, spec, label, path)
        self.changed: list[tuple] = []  # (entry, spec, label, path, links rewritten)
        self.removed: list[int] = []
        self.touched = False
        self.pending: list[tuple] = []  # (entry, spec, label, path, old entry or None)

    def load(self, measure_ids) -> None:
        entries = ProgressEntry.objects.filter(measure_id__in=measure_ids).order_by().select_for_update() if measure_ids else []
        for entry in entries:
            self.existing.setdefault(entry.measure_id, {})[entry.round] = entry
        ids = [e.pk for rounds in self.existing.values() for e in rounds.values()]
        for entry_id, url in EvidenceLink.objects.filter(entry_id__in=ids).order_by("order", "id").values_list("entry_id", "url") if ids else ():
            self.links.setdefault(entry_id, []).append(url)

    def add(self, measure, specs, label, path, *, new: bool) -> None:
        existing = {} if new else self.existing.pop(measure.pk, {})
        for k, spec in enumerate(specs):
            self.summary.entries += 1
            self.pending.append((measure, spec, label, f"{path}.progress[{k}]", existing.pop(spec.round, None)))
        for entry in existing.values():  # rounds the file no longer lists
            self.removed.append(entry.pk)
            self.summary.entries_removed.append((*label[:2], entry.round))

    def write(self) -> None:
        """After the measures are written (new ones have ids): decide, then write in bulk."""
        self.removed += [e.pk for rounds in self.existing.values() for e in rounds.values()]  # removed measures
        old = [o for *_rest, o in self.pending if o is not None]
        events = self._events([o.pk for o in old])
        files = self._files([o.pk for o in old] + self.removed)
        users = self._users()
        writer = _Writer(self, users)
        for measure, spec, label, path, entry in self.pending:
            if entry is None:
                writer.new(measure, spec, label, path)
            else:
                writer.existing(entry, spec, label, path, events.get(entry.pk, set()), files.get(entry.pk, {}))
        writer.flush()
        self.touched = writer.touched

    def _events(self, ids) -> dict[int, set]:
        """What each entry's history holds, when the file carries histories to compare with."""
        found: dict[int, set] = {}
        if not ids or not any(getattr(spec, "review", None) for _m, spec, *_rest in self.pending):
            return found
        rows = ReviewEvent.objects.filter(entry_id__in=ids).values_list("entry_id", "action", "at", "by_name", "by__username")
        for entry_id, action, at, by_name, username in rows:
            found.setdefault(entry_id, set()).add(event_key(action, at, by_name, username))
        return found

    def _files(self, ids) -> dict[int, dict[str, str]]:
        """SHA-256 → name of the files of these entries (filled first where missing), when the file lists
        evidence files or removes entries."""
        listed = any(getattr(spec, "evidence_files", None) for _m, spec, *_rest in self.pending)
        if not ids or not (listed or self.removed):
            return {}
        rows = EvidenceFile.objects.filter(entry_id__in=ids).order_by("id")
        if listed:
            fill_sha256(rows.filter(sha256=""))
        found: dict[int, dict[str, str]] = {}
        removed = set(self.removed)
        for entry_id, sha, name, number, round_code, year in rows.values_list(
            "entry_id", "sha256", "original_name", "entry__measure__number", "entry__round", "entry__measure__plan__fiscal_year"
        ):
            found.setdefault(entry_id, {})[sha] = name
            if entry_id in removed:
                self.summary.files_removed.append((year, number, round_code, name))
        return found

    def _users(self) -> dict:
        names = {h.by for _m, spec, *_rest in self.pending for h in (getattr(spec, "review", None) or _NoReview).history}
        if not names:
            return {}
        return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


class _NoReview:
    history = ()


class _Writer:
    """Builds the rows of the entries' changes and writes them in a handful of bulk queries."""

    def __init__(self, sync: EntrySync, users):
        self.sync, self.opts, self.summary, self.users = sync, sync.opts, sync.summary, users
        self.now = timezone.now()
        self.created, self.updated, self.events, self.links, self.files = [], [], [], [], []
        self.rewrite_links: list[int] = []
        self.touched = False

    def _history(self, entry, spec, known: set) -> list[ReviewEvent]:
        """The file's history rows the entry lacks. The file does not carry each row's states: they are
        read from the state machine (measures.review) and the row before it."""
        review = getattr(spec, "review", None)
        rows, before = [], ""
        for h in review.history if review else ():
            after = TARGETS.get(h.action, before)
            if event_key(h.action, h.at, h.by, None) not in known:
                rows.append(ReviewEvent(entry=entry, action=h.action, from_state=before, to_state=after, by=self.users.get(h.by),
                                        by_name=h.by, at=h.at, comment=h.comment, version=h.version))
            before = after
        return rows

    def _import_row(self, entry, before: str) -> ReviewEvent:
        return ReviewEvent(entry=entry, action=ReviewEvent.Action.IMPORT, from_state=before, to_state=entry.review_state,
                           by=self.opts.user, by_name=self.opts.by_name, at=self.now, comment=self.opts.source, version=entry.version)

    def new(self, measure, spec, label, path) -> None:
        review = getattr(spec, "review", None)
        state = review.state if review else (Review.DRAFT if self.opts.drafts else Review.APPROVED)
        entry = ProgressEntry(measure=measure, round=spec.round, review_state=state, review_comment=review.comment if review else "",
                              **{name: getattr(spec, name) for name in CONTENT})
        self.created.append(entry)
        self.links += [(entry, spec.evidence)]
        self.events += [*self._history(entry, spec, set()), self._import_row(entry, "")]
        self._add_files(entry, spec, {}, label, path)

    def existing(self, entry, spec, label, path, known: set, files: dict) -> None:
        links_changed = self.sync.links.get(entry.pk, []) != list(spec.evidence)
        content_changed = links_changed or any(getattr(entry, name) != getattr(spec, name) for name in CONTENT)
        added_files = self._add_files(entry, spec, files, label, path)
        review = getattr(spec, "review", None)
        history = self._history(entry, spec, known)
        if review:
            state, comment = review.state, review.comment
            touched = content_changed or added_files or history or (state, comment) != (entry.review_state, entry.review_comment)
        else:
            touched = content_changed or added_files
            state, comment = (Review.DRAFT if touched else entry.review_state), entry.review_comment
        if not touched:
            return
        before = entry.review_state
        if state != before:
            self.summary.states_changed.append((*label[:2], entry.round, before, state))
        for name in CONTENT:
            setattr(entry, name, getattr(spec, name))
        entry.review_state, entry.review_comment = state, comment
        entry.version, entry.updated_at = entry.version + 1, self.now
        self.updated.append(entry)
        self.events += [*history, self._import_row(entry, before)]
        if links_changed:
            self.rewrite_links.append(entry.pk)
            self.links.append((entry, spec.evidence))

    def _add_files(self, entry, spec, files: dict, label, path) -> bool:
        added = False
        for n, listed in enumerate(getattr(spec, "evidence_files", ())):
            if listed.sha256 in files:
                continue
            data = self.opts.files.get(listed.sha256)
            if data is None:
                raise DocumentError(f"{path}.evidence_files[{n}]", "ไม่มีไฟล์นี้ทั้งในรายงานและในชุดข้อมูล (.zip)",
                                    "the file is neither the entry's nor in the bundle")
            if len(data) != listed.size:
                raise DocumentError(f"{path}.evidence_files[{n}].size", "ขนาดไม่ตรงกับไฟล์ในชุดข้อมูล", "not the size of the bundle's file")
            self.files.append((entry, listed, data))
            self.summary.files_added.append((*label[:2], spec.round, listed.name))
            added = True
        return added

    def flush(self) -> None:
        user = self.opts.user
        bulk_create_with_history(self.created, ProgressEntry, default_user=user)
        if self.updated:
            update_rows(ProgressEntry, self.updated, [*CONTENT, "review_state", "review_comment", "version", "updated_at"], user=user)
        if self.rewrite_links:
            EvidenceLink.objects.filter(entry_id__in=self.rewrite_links).delete()
        EvidenceLink.objects.bulk_create(EvidenceLink(entry=e, url=url, order=i) for e, urls in self.links for i, url in enumerate(urls))
        for event in self.events:
            event.entry_id = event.entry.pk
        ReviewEvent.objects.bulk_create(self.events)
        if self.files and not self.opts.dry_run:
            EvidenceFile.objects.bulk_create(self._stored_files())
        self.touched = bool(self.created or self.updated)

    def _stored_files(self) -> list[EvidenceFile]:
        rows = []
        for entry, listed, data in self.files:
            row = EvidenceFile(entry=entry, original_name=listed.name, content_type=listed.content_type, size=listed.size,
                               sha256=listed.sha256, uploaded_by=self.opts.user)
            row.file.save(listed.name, ContentFile(data), save=False)
            self.opts.written.append(row.file.name)
            rows.append(row)
        return rows
