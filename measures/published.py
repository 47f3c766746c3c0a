"""Is a progress entry already in a published report? The reports app answers (it sits above this one in
the layers, so it registers its answer here at start-up instead of being imported)."""

from __future__ import annotations

from collections.abc import Callable

# (unit id, fiscal year, round) → published versions showing that round: [(version, published_at)].
_finders: list[Callable[[int, int, str], list]] = []


def register(finder: Callable[[int, int, str], list]) -> None:
    if finder not in _finders:
        _finders.append(finder)


def versions_showing(entry) -> list:
    """The published versions that show this entry's round of its plan year (empty when none)."""
    plan = entry.measure.plan
    found = []
    for finder in _finders:
        found.extend(finder(plan.unit_id, plan.fiscal_year, entry.round))
    return found
