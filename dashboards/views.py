"""The unit dashboard and the province/national overview: parse the request, call the builders
(dashboards/unit_page.py, dashboards/overview_page.py, over the selectors in unit_data and overview_data),
render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from dashboards import overview_data, overview_page, unit_data, unit_page
from dashboards.exports import export_response
from dashboards.filters import OverviewFilter
from dashboards.tables import OverviewTable, annotate_kind
from ita_portal.params import query_year
from ita_portal.tables import configure_table
from ita_portal.thai import fiscal_year_of
from units.permissions import READ, unit_view

OVERVIEW_PER_PAGE = 25
EXPORT_FORMATS = ("csv", "xlsx")


@unit_view(READ)
def unit_dashboard(request, access):
    today = timezone.localdate()
    fiscal_year, years = unit_data.choose_year(access.unit, query_year(request), today)
    context = unit_page.build(access.unit, fiscal_year, today)
    context.update(unit=access.unit, access=access, fiscal_year=fiscal_year, years=years)
    return render(request, "dashboards/unit_dashboard.html", context)


@login_required
def overview(request):
    units = overview_data.overview_units(request.user)
    if units is None:
        raise PermissionDenied
    today = timezone.localdate()
    years = overview_data.available_years(fiscal_year_of(today))
    fiscal_year = overview_page.choose_year(query_year(request), years)
    provinces = list(units.order_by("province").values_list("province", flat=True).distinct())
    rows = overview_data.annotate_year(units, fiscal_year, today)
    filterset = OverviewFilter(
        request.GET or None, queryset=rows, provinces=provinces, levels=overview_data.level_labels(fiscal_year),
        fiscal_year=fiscal_year,
    )
    filtered = overview_page.filtered(filterset, rows)
    table = OverviewTable(annotate_kind(filtered))
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        RequestConfig(request, paginate=False).configure(table)  # the table's ordering, every filtered row
        return export_response(table, export_format, f"ita-overview-{fiscal_year}")
    configure_table(request, table, per_page=OVERVIEW_PER_PAGE, paginator_class=LazyPaginator)
    national = overview_data.visible_provinces(request.user) is None
    every_unit = national and not overview_page.is_filtering(filterset)
    summary = overview_data.aggregates(filtered, fiscal_year, every_unit=every_unit)
    late_url = _query(request, completeness="late", page=None)
    context = {
        "filter": filterset,
        "table": table,
        "fiscal_year": fiscal_year,
        "years": years,
        "summary": summary,
        "kpis": overview_page.kpis(summary, late_url),
        "charts": overview_page.charts(summary, fiscal_year),
        "scope": None if national else provinces,
        "export_links": [(fmt, _query(request, _export=fmt, page=None)) for fmt in EXPORT_FORMATS],
        "late_url": late_url,
    }
    return render(request, "dashboards/overview.html", context)


def _query(request, **changes) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return "?" + params.urlencode()
