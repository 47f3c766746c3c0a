"""Builder of the province/national overview: the year shown, the filtered rows and the charts, as plain
data from the selectors in dashboards/overview_data.py."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dashboards import overview_data
from dashboards.filters import OverviewFilter
from dashboards.unit_page import Kpi, score
from ita_portal.charts import Chart, bar_chart, stacked_bars
from ita_portal.thai import DIGITS_ARABIC, format_integer


def choose_year(requested: int | None, years: list[int]) -> int:
    """The year asked for when offered; else the latest year with assessments; else the latest offered."""
    if requested in years:
        return requested
    return overview_data.latest_assessed_year() or years[0]


def filtered(filterset: OverviewFilter, rows):
    """The rows the filters keep. Bad filter values show their error beside the field and no rows, never
    the unfiltered list."""
    if not filterset.is_bound:
        return rows
    return filterset.qs if filterset.is_valid() else rows.none()


def is_filtering(filterset: OverviewFilter) -> bool:
    return filterset.is_bound and (
        not filterset.is_valid() or any(v not in (None, "") for v in filterset.form.cleaned_data.values())
    )


def kpis(summary: dict, late_url: str) -> list[Kpi]:
    def number(key: str) -> str:
        return format_integer(summary[key], DIGITS_ARABIC)

    return [
        Kpi(_("Units"), number("units")),
        Kpi(_("Assessed / passed"), f"{number('assessed')} / {number('passing')}"),
        Kpi(_("Units with a plan"), number("with_plan")),
        Kpi(_("Units late to report"), number("late"), late_url, f"{score(summary['late_share'])}%", late=True),
    ]


def charts(summary: dict, fiscal_year: int) -> dict[str, Chart]:
    return {"levels": level_chart(summary, fiscal_year), "indicators": indicator_chart(summary, fiscal_year)}


def level_chart(summary: dict, fiscal_year: int) -> Chart:
    return stacked_bars(
        "chart-levels",
        _("Units per level"),
        _("How many of the %(count)s units shown reached each ITA level in %(year)s.")
        % {"count": summary["units"], "year": fiscal_year},
        [(str(fiscal_year), [row["n"] for row in summary["levels"]])],
        [(row["level"], row["level"]) for row in summary["levels"]],
        row_header=_("Fiscal year"),
        total_header=_("Units assessed"),
    )


def indicator_chart(summary: dict, fiscal_year: int) -> Chart:
    means = summary["indicator_means"]
    return bar_chart(
        "chart-indicator-means",
        _("Mean score per indicator"),
        _("The mean score of each ITA indicator in %(year)s over the units shown.") % {"year": fiscal_year},
        [str(row["indicator__number"]) for row in means],
        [(_("Mean score"), [row["mean"] for row in means])],
        category_header=_("Indicator"),
        category_names=[f"{row['indicator__number']}. {row['indicator__name']}" for row in means],
    )
