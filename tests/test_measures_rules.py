import datetime as dt
from types import SimpleNamespace as E

from measures import lateness, rounds, status


def test_round_periods_and_due_dates():
    assert rounds.period(2566, "H1") == (dt.date(2022, 10, 1), dt.date(2023, 3, 31))
    assert rounds.period(2568, "FY") == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    assert rounds.period(2568, "Q2") == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert rounds.default_due_date(2568, "H1") == dt.date(2025, 4, 30)
    assert rounds.default_due_date(2568, "FY") == dt.date(2025, 10, 31)
    assert rounds.period_text(2566, "H1") == "(เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)"
    assert rounds.label("H1") == "รอบ ๖ เดือน"


def test_current_status_is_the_latest_rounds():
    assert status.current_status([]) == "not_started"
    entries = [E(round="FY", status="done"), E(round="H1", status="in_progress")]
    assert status.current_status(entries) == "done"
    assert status.current_status([E(round="Q1", status="done"), E(round="H1", status="in_progress")]) == "in_progress"


def test_overdue_and_percent():
    today = dt.date(2025, 10, 1)
    assert lateness.is_overdue(dt.date(2025, 9, 30), "in_progress", today)
    assert not lateness.is_overdue(dt.date(2025, 9, 30), "done", today)
    assert not lateness.is_overdue(dt.date(2025, 9, 30), "cancelled", today)
    assert not lateness.is_overdue(None, "in_progress", today)
    assert status.effective_percent("done", None) == 100
    assert status.effective_percent("done", 80) == 80
    assert status.effective_percent("in_progress", None) is None
