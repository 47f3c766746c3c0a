"""The unit dashboard and the province/national overview. Figures come from unit_data and overview_data."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from dashboards import overview_data, unit_data
from dashboards.charts import bar_chart, line_chart, stacked_bars
from dashboards.exports import export_response
from dashboards.filters import OverviewFilter
from dashboards.links import assessment_url, measure_url, plan_url
from dashboards.measure_status import STATUS_LABELS
from dashboards.tables import OverviewTable, annotate_kind
from ita_portal.params import query_year
from ita_portal.tables import configure_table
from ita_portal.thai import DIGITS_ARABIC, fiscal_year_of, format_decimal
from measures.models import Plan
from units.permissions import READ, unit_view

OVERVIEW_PER_PAGE = 25
EXPORT_FORMATS = ("csv", "xlsx")


@unit_view(READ)
def unit_dashboard(request, access):
    unit = access.unit
    today = timezone.localdate()
    fiscal_year, years = unit_data.choose_year(unit, query_year(request), today)
    plan = Plan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    counts, overdue_count = unit_data.status_counts(plan, today)
    measure_count = sum(counts.values())
    departments = unit_data.department_status_counts(plan)
    history = unit_data.assessment_history(unit)
    this_year, last_year, comparison = unit_data.indicator_comparison(unit, history, fiscal_year)
    statuses = list(STATUS_LABELS.items())
    slug = unit.slug

    status_rows = [
        {
            "code": code,
            "label": label,
            "count": counts[code],
            "share": (counts[code] * 100 / measure_count) if measure_count else 0,
            "url": plan_url(slug, fiscal_year, status=code),
        }
        for code, label in statuses
    ]
    department_chart = stacked_bars(
        "chart-departments",
        _("Measures by department and status"),
        _("For each department, how many of its measures of fiscal year %(year)s are in each status.")
        % {"year": fiscal_year},
        [(d["name"] or _("No department named"), [d["counts"][code] for code, _l in statuses]) for d in departments],
        [(code, str(label)) for code, label in statuses],
        row_header=_("Department"),
        total_header=_("Total"),
        row_links=[plan_url(slug, fiscal_year, department=d["id"]) if d["id"] else None for d in departments],
    )
    status_chart = stacked_bars(
        "chart-status",
        _("Measures by status"),
        _("How many of the %(count)s measures of fiscal year %(year)s are in each status.")
        % {"count": measure_count, "year": fiscal_year},
        [(_("All measures"), [counts[code] for code, _l in statuses])],
        [(code, str(label)) for code, label in statuses],
        row_header=_("Measures"),
        total_header=_("Total"),
        row_links=[plan_url(slug, fiscal_year)],
    )
    pass_mark = history[-1]["framework__pass_mark"] if history else None
    trend_chart = line_chart(
        "chart-trend",
        _("ITA total score over the years"),
        _("The unit's ITA total score and level for each assessed fiscal year, against the pass mark."),
        [(str(row["fiscal_year"]), row["total"], row["level"]) for row in history],
        reference=(pass_mark, _("Pass mark %(mark)s") % {"mark": format_decimal(pass_mark, 0, DIGITS_ARABIC)})
        if pass_mark
        else None,
        label_header=_("Fiscal year"),
        value_header=_("Total score"),
        note_header=_("Level"),
    )
    trend_chart.row_links = [assessment_url(slug, row["fiscal_year"]) for row in history]
    series = [(str(this_year), [row["score"] for row in comparison])] if this_year else []
    if last_year:
        series.insert(0, (str(last_year), [row["previous"] for row in comparison]))
    indicator_chart = bar_chart(
        "chart-indicators",
        _("Indicator scores: this year against last year"),
        _("Score of each ITA indicator in %(this)s compared with %(last)s.")
        % {"this": this_year or "–", "last": last_year or "–"},
        [str(row["number"]) for row in comparison],
        series,
        category_header=_("Indicator"),
        category_names=[f"{row['number']}. {row['name']}" for row in comparison],
    )
    indicator_chart.row_links = [plan_url(slug, fiscal_year, indicator=row["number"]) for row in comparison]

    weakest = unit_data.weakest_indicators(plan, comparison)
    status_labels = dict(statuses)
    for item in weakest:
        item.url = plan_url(slug, fiscal_year, indicator=item.number)
        for measure in item.measures:
            measure["url"] = measure_url(slug, measure["id"], fiscal_year)
            measure["status_label"] = status_labels.get(measure["current_status"], measure["current_status"])
    overdue = unit_data.overdue_measures(plan, today)
    for measure in overdue:
        measure["url"] = measure_url(slug, measure["id"], fiscal_year)
        measure["status_label"] = status_labels.get(measure["current_status"], measure["current_status"])
    rounds = unit_data.round_progress(unit, plan, measure_count)
    for item in rounds:
        item.url = plan_url(slug, fiscal_year, round=item.code, review="approved")
        item.late = item.is_late(today)

    return render(
        request,
        "dashboards/unit_dashboard.html",
        {
            "unit": unit,
            "access": access,
            "fiscal_year": fiscal_year,
            "years": years,
            "plan": plan,
            "measure_count": measure_count,
            "status_rows": status_rows,
            "overdue_count": overdue_count,
            "overdue": overdue,
            "overdue_url": plan_url(slug, fiscal_year, overdue=1),
            "rounds": rounds,
            "charts": {
                "status": status_chart,
                "departments": department_chart,
                "trend": trend_chart,
                "indicators": indicator_chart,
            },
            "weakest": weakest,
            "this_year": this_year,
            "last_year": last_year,
            "plan_link": plan_url(slug, fiscal_year),
        },
    )


@login_required
def overview(request):
    units = overview_data.overview_units(request.user)
    if units is None:
        raise PermissionDenied
    today = timezone.localdate()
    years = overview_data.available_years() or [fiscal_year_of(today)]
    requested = query_year(request)
    fiscal_year = requested if requested in years else None
    fiscal_year = fiscal_year or overview_data.latest_assessed_year() or years[0]
    provinces = list(units.order_by("province").values_list("province", flat=True).distinct())
    levels = overview_data.level_labels(fiscal_year)
    rows = overview_data.annotate_year(units, fiscal_year, today)
    filterset = OverviewFilter(request.GET or None, queryset=rows, provinces=provinces, levels=levels)
    # Bad filter values show their error beside the field and no rows, never the unfiltered list.
    if not filterset.is_bound:
        filtered = rows
    else:
        filtered = filterset.qs if filterset.is_valid() else rows.none()
    table = OverviewTable(annotate_kind(filtered))
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        RequestConfig(request, paginate=False).configure(table)  # the table's ordering, every filtered row
        return export_response(table, export_format, f"ita-overview-{fiscal_year}")
    configure_table(request, table, per_page=OVERVIEW_PER_PAGE, paginator_class=LazyPaginator)
    national = overview_data.visible_provinces(request.user) is None
    filtering = filterset.is_bound and (
        not filterset.is_valid() or any(v not in (None, "") for v in filterset.form.cleaned_data.values())
    )
    summary = overview_data.aggregates(filtered, fiscal_year, every_unit=national and not filtering)
    level_chart = stacked_bars(
        "chart-levels",
        _("Units per level"),
        _("How many of the %(count)s units shown reached each ITA level in %(year)s.")
        % {"count": summary["units"], "year": fiscal_year},
        [(str(fiscal_year), [row["n"] for row in summary["levels"]])],
        [(row["level"], row["level"]) for row in summary["levels"]],
        row_header=_("Fiscal year"),
        total_header=_("Units assessed"),
    )
    indicator_chart = bar_chart(
        "chart-indicator-means",
        _("Mean score per indicator"),
        _("The mean score of each ITA indicator in %(year)s over the units shown.") % {"year": fiscal_year},
        [str(row["indicator__number"]) for row in summary["indicator_means"]],
        [(_("Mean score"), [row["mean"] for row in summary["indicator_means"]])],
        category_header=_("Indicator"),
        category_names=[f"{row['indicator__number']}. {row['indicator__name']}" for row in summary["indicator_means"]],
    )
    return render(
        request,
        "dashboards/overview.html",
        {
            "filter": filterset,
            "table": table,
            "fiscal_year": fiscal_year,
            "years": years,
            "summary": summary,
            "charts": {"levels": level_chart, "indicators": indicator_chart},
            "scope": None if national else provinces,
            "export_links": [(fmt, _query(request, _export=fmt, page=None)) for fmt in EXPORT_FORMATS],
            "late_url": _query(request, completeness="late", page=None),
        },
    )


def _query(request, **changes) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return "?" + params.urlencode()
