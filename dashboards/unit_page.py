"""Builder of the unit dashboard: turns the selectors' figures (dashboards/unit_data.py) into plain rows,
links and charts for the template. No query of its own beyond the selectors it calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboards import unit_data
from dashboards.links import assessment_url, measure_url, plan_url
from ita_portal.charts import Chart, bar_chart, line_chart, stacked_bars
from ita_portal.thai import DIGITS_ARABIC, format_decimal, format_integer
from measures.filters import NOT_APPROVED
from measures.models import Status


def build(unit, fiscal_year: int, today: dt.date) -> dict:
    """Everything the dashboard shows for one unit and fiscal year."""
    plan = unit_data.plan_of(unit, fiscal_year)
    counts, overdue_count = unit_data.status_counts(plan, today)
    measure_count = sum(counts.values())
    history = unit_data.assessment_history(unit)
    this_year, last_year, comparison = unit_data.indicator_comparison(unit, history, fiscal_year)
    links = Links(unit.slug, fiscal_year)
    rows = status_rows(counts, links)
    return {
        "plan": plan,
        "measure_count": measure_count,
        "status_rows": rows,
        "kpis": kpis(measure_count, rows, overdue_count, links),
        "overdue_count": overdue_count,
        "overdue": [links.measure(row) for row in unit_data.overdue_measures(plan, today)],
        "overdue_url": links.plan(overdue=1),
        "rounds": round_rows(unit_data.round_progress(unit, plan, measure_count), links, today),
        "charts": {
            "status": status_chart(counts, fiscal_year, links),
            "departments": department_chart(unit_data.department_status_counts(plan), fiscal_year, links),
            "trend": trend_chart(history, links),
            "indicators": indicator_chart(this_year, last_year, comparison, links),
        },
        "weakest": weakest(unit_data.weakest_indicators(plan, comparison), links),
        "this_year": this_year,
        "last_year": last_year,
        "plan_link": links.plan(),
    }


class Links:
    """The pages behind the figures of one unit's year: its filtered plan, its measures, its assessments."""

    def __init__(self, slug: str, fiscal_year: int):
        self.slug, self.fiscal_year = slug, fiscal_year

    def plan(self, **filters) -> str:
        return plan_url(self.slug, self.fiscal_year, **filters)

    def measure(self, row: dict) -> dict:
        """A measure's row with its page and its status's label."""
        return {**row, "url": measure_url(self.slug, row["id"]), "status_label": Status(row["current_status"]).label}

    def assessment(self, fiscal_year: int) -> str:
        return assessment_url(self.slug, fiscal_year)


@dataclass
class Kpi:
    """A key figure above the charts, linked to the list behind it."""

    label: str
    value: str
    url: str | None = None
    note: str = ""
    swatch: str = ""  # a status's colour
    late: bool = False


def kpis(measure_count: int, rows: list[dict], overdue_count: int, links: Links) -> list[Kpi]:
    return [
        Kpi(_("Measures"), format_integer(measure_count, DIGITS_ARABIC), links.plan()),
        *(
            Kpi(row["label"], format_integer(row["count"], DIGITS_ARABIC), row["url"], f"{score(row['share'])}%", row["code"])
            for row in rows
        ),
        Kpi(_("Overdue"), format_integer(overdue_count, DIGITS_ARABIC), links.plan(overdue=1), late=overdue_count > 0),
    ]


def score(value) -> str:
    """A share or a score as pages print them: two decimals, Arabic digits."""
    return format_decimal(value, 2, DIGITS_ARABIC)


def status_rows(counts: dict[str, int], links: Links) -> list[dict]:
    total = sum(counts.values())
    return [
        {
            "code": code,
            "label": label,
            "count": counts[code],
            "share": (counts[code] * 100 / total) if total else 0,
            "url": links.plan(status=code),
        }
        for code, label in Status.choices
    ]


def _segments() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in Status.choices]


def status_chart(counts: dict[str, int], fiscal_year: int, links: Links) -> Chart:
    return stacked_bars(
        "chart-status",
        _("Measures by status"),
        _("How many of the %(count)s measures of fiscal year %(year)s are in each status.")
        % {"count": sum(counts.values()), "year": fiscal_year},
        [(_("All measures"), [counts[code] for code in Status.values])],
        _segments(),
        row_header=_("Measures"),
        total_header=_("Measures in all"),
        row_links=[links.plan()],
    )


def department_chart(departments: list[dict], fiscal_year: int, links: Links) -> Chart:
    return stacked_bars(
        "chart-departments",
        _("Measures by department and status"),
        _("For each department, how many of its measures of fiscal year %(year)s are in each status.")
        % {"year": fiscal_year},
        [(d["name"] or _("No department named"), [d["counts"][code] for code in Status.values]) for d in departments],
        _segments(),
        row_header=_("Department"),
        total_header=_("Measures in all"),
        row_links=[links.plan(department=d["id"]) if d["id"] else None for d in departments],
    )


def trend_chart(history: list[dict], links: Links) -> Chart:
    """Total score per assessed year, against the latest year's framework's pass mark."""
    pass_mark = history[-1]["framework__pass_mark"] if history else None
    reference = None
    if pass_mark is not None:
        reference = (pass_mark, _("Pass mark %(mark)s") % {"mark": format_decimal(pass_mark, 0, DIGITS_ARABIC)})
    chart = line_chart(
        "chart-trend",
        _("ITA total score over the years"),
        _("The unit's ITA total score and level for each assessed fiscal year, against the pass mark."),
        [(str(row["fiscal_year"]), row["total"], row["level"]) for row in history],
        reference=reference,
        label_header=_("Fiscal year"),
        value_header=_("Total score"),
        note_header=_("Level"),
    )
    chart.row_links = [links.assessment(row["fiscal_year"]) for row in history]
    return chart


def indicator_chart(this_year, last_year, comparison: list[dict], links: Links) -> Chart:
    series = [(str(this_year), [row["score"] for row in comparison])] if this_year else []
    if last_year:
        series.insert(0, (str(last_year), [row["previous"] for row in comparison]))
    chart = bar_chart(
        "chart-indicators",
        _("Indicator scores: this year against last year"),
        _("Score of each ITA indicator in %(this)s compared with %(last)s.")
        % {"this": this_year or "–", "last": last_year or "–"},
        [str(row["number"]) for row in comparison],
        series,
        category_header=_("Indicator"),
        category_names=[f"{row['number']}. {row['name']}" for row in comparison],
    )
    chart.row_links = [links.plan(indicator=row["number"]) for row in comparison]
    return chart


def weakest(items: list[unit_data.WeakIndicator], links: Links) -> list[unit_data.WeakIndicator]:
    for item in items:
        item.url = links.plan(indicator=item.number)
        item.measures = [links.measure(row) for row in item.measures]
    return items


def round_rows(rounds: list[unit_data.RoundProgress], links: Links, today: dt.date) -> list[unit_data.RoundProgress]:
    """Each round links to its approved entries; a late round's "late" to the measures it still lacks."""
    for item in rounds:
        item.url = links.plan(round=item.code, review="approved")
        item.late = item.is_late(today)
        item.late_url = links.plan(round=item.code, review=NOT_APPROVED) if item.late else None
    return rounds
