"""Signature blocks from the record: who reported and who approved a round's entries (ReviewEvent), with
their positions in the unit (Membership.position); what the office typed in the report settings wins."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from measures.models import ReviewEvent
from units.models import Membership

# Where a block's person comes from.
REPORTER, APPROVER, NONE = "reporter", "approver", ""
LABELS = {"ผู้รายงาน": REPORTER, "ผู้ตรวจ": NONE, "ผู้อนุมัติ": APPROVER, "ผู้รับรอง": APPROVER}
DEFAULT_BLOCKS = [{"label": "ผู้รายงาน", "source": REPORTER}, {"label": "ผู้อนุมัติ", "source": APPROVER}]


@dataclass
class Signature:
    label: str = ""  # ผู้รายงาน / ผู้ตรวจ / ผู้อนุมัติ / ผู้รับรอง ("" in a memo)
    rank: str = ""  # สืบเอก, ว่าที่ ร.ต.: printed on its own line above the name
    name: str = ""
    position_lines: list[str] = field(default_factory=list)


def people_of_round(unit, entries) -> dict[str, object]:
    """{REPORTER: user, APPROVER: user}: the people most often recorded submitting and approving the
    given entries (the latest event of each entry counts)."""
    latest: dict[tuple[int, str], object] = {}
    events = ReviewEvent.objects.filter(entry__in=entries, by__isnull=False).select_related("by").order_by("at", "id")
    for event in events:
        latest[(event.entry_id, event.action)] = event.by
    people = {}
    for source, action in ((REPORTER, ReviewEvent.Action.SUBMIT), (APPROVER, ReviewEvent.Action.APPROVE)):
        counts = Counter(user for (_entry, act), user in latest.items() if act == action)
        if counts:
            people[source] = counts.most_common(1)[0][0]
    if REPORTER not in people:
        reporters = Counter(e.reported_by for e in entries if getattr(e, "reported_by", None))
        if reporters:
            people[REPORTER] = reporters.most_common(1)[0][0]
    return people


def position_of(unit, user) -> str:
    membership = Membership.objects.filter(unit=unit, user=user).only("position").first()
    return membership.position if membership else ""


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def blocks(settings, unit, people: dict, text) -> list[Signature]:
    """The blocks the office configured (default: ผู้รายงาน and ผู้อนุมัติ), filled from *people* unless a
    name or position was typed. *text* formats strings in the document's digit style."""
    configured = list(settings.signatures or DEFAULT_BLOCKS)
    result = []
    for index, block in enumerate(configured):
        source = block.get("source", LABELS.get(block.get("label", ""), NONE))
        user = people.get(source)
        name = block.get("name", "")
        position = block.get("position", "")
        if index == 0 and not settings.signatures and (settings.signatory_name or settings.signatory_position):
            name, position = settings.signatory_name, settings.signatory_position
        if user is not None and not name:
            name = user.get_full_name() or user.get_username()
            position = position or position_of(unit, user)
        result.append(
            Signature(block.get("label", ""), text(block.get("rank", "")), text(name), split_lines(text(position)))
        )
    return result
