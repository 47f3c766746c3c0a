"""Page benchmark: every staff, executive and public page, requested as the right user with the test client.

Pages are discovered from the URL configuration, so pages other apps add are measured without editing this
file; URL arguments are filled from a sample of real rows by their names (slug, year, measure id…). A page
whose arguments cannot be filled is skipped with a note.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Assessment
from measures.models import Measure, Plan, ProgressEntry
from reports.models import Kind, PublishedReport
from units.models import Membership, ProvinceGrant, Unit

# Namespaces of staff pages under /u/<slug>/ and of public pages under /<slug>/.
STAFF_NAMESPACES = ("units", "dashboards", "assessments", "measures", "reports", "interchange")
# Actions answering POST only (by a word of their URL name), and pages needing rows the generated data has
# none of (evidence files) or that only act (copy a plan).
SKIP_WORDS = {
    "delete", "remove", "logout", "password", "login", "approve", "return", "submit", "upload", "import",
    "revert", "move", "reorder", "review",
}  # fmt: skip
SKIP_NAMES = {"measures:plan_create", "measures:plan_copy", "measures:evidence", "healthz"}


def is_skipped(name: str) -> bool:
    words = set(re.split(r"[:_]", name))
    return name in SKIP_NAMES or bool(words & SKIP_WORDS)


# Generated files (PDF, DOCX, XLSX…): measured with fewer repeats and listed apart from pages.
DOWNLOADS = re.compile(r"\.(pdf|docx|xlsx|csv|zip)$")
# Pages the brief expects; reported as skipped when their URL name does not exist yet.
EXPECTED = (
    "home", "units:detail", "dashboards:unit", "overview:index", "assessments:list", "assessments:detail",
    "assessments:edit", "measures:plan", "measures:detail", "measures:entry", "reports:index",
    "interchange:export",
)  # fmt: skip


@dataclass
class Page:
    name: str
    url: str
    user: object  # None: anonymous
    role: str
    is_download: bool = False


@dataclass
class Result:
    page: Page
    status: int
    timings_ms: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def url_patterns(patterns=None, prefix="", namespace=None):
    """(full name, namespace, route, argument names) of every named URL pattern."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = prefix + str(pattern.pattern)
            names = re.findall(r"<(?:\w+:)?(\w+)>", route)
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), namespace, route, names


def sample_units(count: int) -> list[Unit]:
    """Units with the largest plans of the latest plan year (the heaviest pages), spread over kinds."""
    year = Plan.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    plans = (
        Plan.objects.filter(fiscal_year=year).annotate(n=Count("measures")).order_by("-n", "unit_id").values_list("unit_id", flat=True)[:count]
        if year
        else []
    )
    units = list(Unit.objects.filter(id__in=list(plans)))
    return units or list(Unit.objects.order_by("id")[:count])


def bench_users(unit: Unit):
    """A superuser, a province viewer of the unit's province, and the unit's admin and executive."""
    users = get_user_model().objects
    root, _ = users.get_or_create(username="bench-root", defaults={"is_superuser": True, "is_staff": True})
    viewer, _ = users.get_or_create(username="bench-province")
    ProvinceGrant.objects.get_or_create(user=viewer, province=unit.province)
    admin, _ = users.get_or_create(username=f"bench-admin-{unit.slug}"[:150])
    Membership.objects.get_or_create(user=admin, unit=unit, defaults={"role": Membership.Role.ADMIN})
    executive, _ = users.get_or_create(username=f"bench-exec-{unit.slug}"[:150])
    Membership.objects.get_or_create(user=executive, unit=unit, defaults={"role": Membership.Role.EXECUTIVE})
    return {"superuser": root, "province": viewer, "admin": admin, "executive": executive}


def argument_values(unit: Unit) -> dict:
    """Values for URL arguments by name, taken from the unit's own rows."""
    plan = Plan.objects.filter(unit=unit).order_by("-fiscal_year").first()
    measure = Measure.objects.filter(plan=plan).order_by("sort_key").first() if plan else None
    entry = ProgressEntry.objects.filter(measure=measure).first() if measure else None
    assessment = Assessment.objects.filter(unit=unit).order_by("-fiscal_year").first()
    values = {"slug": unit.slug}
    if plan:
        values.update(year=plan.fiscal_year, fiscal_year=plan.fiscal_year, plan_id=plan.id)
    if measure:
        values.update(measure_id=measure.id, measure=measure.id)
    if entry:
        values.update(entry_id=entry.id, entry=entry.id, round=entry.round)
    if assessment:
        values.update(assessment_id=assessment.id, assessment_year=assessment.fiscal_year)
    report = (
        PublishedReport.objects.filter(unit=unit, kind=Kind.RESULTS).order_by("-fiscal_year", "-round", "-version").first()
    )
    if report:
        values.update(report_id=report.id, report_year=report.fiscal_year, report_round=report.round)
    return values


def _kwargs_for(namespace: str | None, arg_names: list[str], values: dict) -> dict | None:
    """Fill one pattern's arguments; None when a value is missing."""
    with_round = "round_code" in arg_names
    by_namespace = {
        "measures": {"pk": values.get("measure_id"), "id": values.get("measure_id"), "round_code": values.get("round")},
        "assessments": {
            "pk": values.get("assessment_id"),
            "id": values.get("assessment_id"),
            "year": values.get("assessment_year"),
        },
        # Public report pages show published versions: the year and round of the unit's latest one.
        "public": {
            "pk": values.get("report_id"),
            "year": values.get("report_year"),
            "kind": "results" if with_round else "plan",
            "round_code": values.get("report_round"),
        },
        "reports": {"kind": "results" if with_round else "plan", "round_code": values.get("report_round") or "H1"},
    }.get(namespace or "", {})
    kwargs = {}
    for arg in arg_names:
        value = by_namespace.get(arg, values.get(arg))
        if value is None:
            return None
        kwargs[arg] = value
    return kwargs


def pages_for(unit: Unit, users: dict, notes: list[str]) -> list[Page]:
    values = argument_values(unit)
    pages = []
    seen_names: set[str] = set()
    for name, namespace, route, arg_names in url_patterns():
        if name.startswith("admin:") or is_skipped(name):
            continue
        if namespace is None and name != "home":
            continue
        # A name used by several patterns (with and without a round) is measured once per pattern.
        label = name if name not in seen_names else f"{name} [{'/'.join(a for a in arg_names if a != 'slug')}]"
        kwargs = _kwargs_for(namespace, arg_names, values)
        if kwargs is None:
            notes.append(f"skipped {label}: no value for its URL arguments {arg_names}")
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception as error:  # noqa: BLE001 - report and go on
            notes.append(f"skipped {label}: {error}")
            continue
        seen_names.add(name)
        if route.startswith("u/"):
            role = "executive" if namespace == "dashboards" else "admin"
        elif name == "overview:index":
            pages.append(Page("overview:index (province)", url, users["province"], "province"))
            # Filtering and sorting on the stored figures, and the export of all filtered rows.
            pages.append(Page("overview:index (late, by total)", url + "?completeness=late&sort=-total", users["superuser"], "superuser"))
            pages.append(Page("overview:index (kind, page 3)", url + "?kind=sao&passes=no&page=3", users["superuser"], "superuser"))
            pages.append(Page("overview:index (CSV export)", url + "?_export=csv", users["superuser"], "superuser", is_download=True))
            role = "superuser"
        elif name == "home":
            role = "admin"
        else:
            role = "public"
        pages.append(Page(label, url, users.get(role), role, is_download=bool(DOWNLOADS.search(route))))
    for name in EXPECTED:
        if name not in seen_names:
            notes.append(f"skipped {name}: URL name does not exist (NoReverseMatch)")
    return pages


def measure(page: Page, repeats: int, warmup: int = 2) -> Result:
    client = Client()
    if page.user is not None:
        client.force_login(page.user)
    result = Result(page, status=0)
    for index in range(warmup + repeats):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(page.url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
        result.status = response.status_code
        if index >= warmup:
            result.timings_ms.append(elapsed)
            result.queries = len(captured.captured_queries)
    return result
