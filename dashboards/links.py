"""Links from dashboard figures to the pages of other apps, built from the URL names that exist.

The plan page (`measures:plan`) takes GET filters: status=, department=, indicator=, overdue=1, review=,
round=. A page that does not exist (yet) gives None, and the template shows the figure without a link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

# Keyword sets tried in order, since each app chooses how its URL names the year or the object.
_YEAR_KWARGS = ("year", "fiscal_year")
_OBJECT_KWARGS = ("pk", "measure_id", "id")


def _reverse_first(name: str, slug: str, candidates: list[dict]) -> tuple[str | None, dict]:
    for extra in candidates:
        try:
            return reverse(name, kwargs={"slug": slug, **extra}), extra
        except NoReverseMatch:
            continue
    return None, {}


def with_query(url: str | None, **params) -> str | None:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    if url is None or not params:
        return url
    return f"{url}?{urlencode(params)}"


def plan_url(slug: str, fiscal_year: int, **filters) -> str | None:
    url, used = _reverse_first(
        "measures:plan", slug, [{key: fiscal_year} for key in _YEAR_KWARGS] + [{}]
    )
    if url is not None and not used:
        filters = {"year": fiscal_year, **filters}
    return with_query(url, **filters)


def measure_url(slug: str, measure_id: int, fiscal_year: int | None = None) -> str | None:
    candidates = [{key: measure_id} for key in _OBJECT_KWARGS]
    if fiscal_year is not None:
        candidates += [{y: fiscal_year, key: measure_id} for y in _YEAR_KWARGS for key in _OBJECT_KWARGS]
    return _reverse_first("measures:detail", slug, candidates)[0]


def assessment_url(slug: str, fiscal_year: int) -> str | None:
    return _reverse_first("assessments:detail", slug, [{key: fiscal_year} for key in _YEAR_KWARGS])[0]
