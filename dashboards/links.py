"""Links from dashboard figures to the filtered lists behind them, by URL name.

The plan page (`measures:plan`) takes GET filters: status=, department=, indicator=, overdue=1, review=,
round= (measures/filters.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse


def with_query(url: str, **params) -> str:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def plan_url(slug: str, fiscal_year: int, **filters) -> str:
    return with_query(reverse("measures:plan", kwargs={"slug": slug, "year": fiscal_year}), **filters)


def measure_url(slug: str, measure_id: int) -> str:
    return reverse("measures:detail", kwargs={"slug": slug, "pk": measure_id})


def assessment_url(slug: str, fiscal_year: int) -> str:
    return reverse("assessments:detail", kwargs={"slug": slug, "year": fiscal_year})
