"""generate_national_data: national proportions, stored totals equal to the scoring rules, plans and rounds."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from assessments.models import Assessment, IndicatorScore
from assessments.services import recompute
from dashboards.national import KIND_SHARES, compute_totals, ensure_framework, kind_counts
from measures.models import Measure, Plan, ProgressEntry, UnitYearProgress
from units.models import Unit


def test_kind_counts_national_proportions():
    counts = dict(kind_counts(7852))
    assert sum(counts.values()) == 7852
    assert counts == {kind: share for kind, share in KIND_SHARES}
    assert abs(counts[Unit.Kind.SAO] - 5300) < 20 and counts[Unit.Kind.PAO] == 76
    small = dict(kind_counts(40))
    assert sum(small.values()) == 40 and small[Unit.Kind.SAO] > small[Unit.Kind.SUBDISTRICT_MUNICIPALITY]


def test_compute_totals_weights_and_levels(db):
    info = ensure_framework(2568)
    scores = {ind.id: Decimal(90 if ind.tool.code != "OIT" else 70) for ind in info.indicators}
    totals = compute_totals(info, scores)
    # 0.3·90 + 0.3·90 + 0.4·70 = 82
    assert totals["total"] == Decimal("82.00") and totals["oit_total"] == Decimal("70.00")
    expected = next(b for b in info.bands if b.lower_bound <= Decimal(82))  # bands are best first
    assert totals["level"] == expected.label and totals["passes"] is expected.passes is False


@pytest.mark.django_db
def test_generate_small_country(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("generate_national_data", units=60, years=3, seed=7, batch_size=50, stdout=open("/dev/null", "w"))
    units = Unit.objects.filter(slug__startswith="n-")
    assert units.count() == 60
    assert units.filter(kind=Unit.Kind.SAO).count() > units.filter(kind=Unit.Kind.SUBDISTRICT_MUNICIPALITY).count() > 0
    assert all(u.province and u.district and u.departments.exists() for u in units[:10])
    assessments = Assessment.objects.filter(unit__in=units)
    assert assessments.count() == 180
    one = assessments.select_related("framework").first()
    info = ensure_framework(one.fiscal_year)
    scores = {s.indicator_id: s.score for s in IndicatorScore.objects.filter(assessment=one)}
    assert len(scores) == 10
    fields = ("total", "level", "passes", "iit_total", "eit_total", "oit_total")
    stored = {k: getattr(one, k) for k in fields}
    assert stored == compute_totals(info, scores)
    # The same numbers as the assessments app's own recompute.
    for assessment in assessments.select_related("framework")[:20]:
        before = {k: getattr(assessment, k) for k in fields}
        recompute(assessment)
        assessment.refresh_from_db()
        assert {k: getattr(assessment, k) for k in fields} == before
    per_plan = Plan.objects.filter(unit__in=units).annotate(n=Count("measures")).values_list("n", flat=True)
    assert per_plan and min(per_plan) >= 5 and max(per_plan) <= 15
    assert Measure.objects.filter(plan__unit__in=units, steps__isnull=True).count() == 0
    assert set(ProgressEntry.objects.values_list("round", flat=True)) <= {"H1", "FY"}
    assert UnitYearProgress.objects.count() == Plan.objects.filter(unit__in=units, measures__isnull=False).distinct().count()
    from reports.models import PublishedReport

    published = PublishedReport.objects.filter(unit__in=units)
    assert 0 < published.count() <= 60 * 6
    report = published.filter(kind="results").first()
    assert report.round in ("H1", "FY") and report.kind == "results"
    assert report.html.read().decode().startswith("<!doctype html>")
    # Same seed, nothing new: the command adds only what is missing.
    call_command("generate_national_data", units=60, years=3, seed=7, batch_size=50, stdout=open("/dev/null", "w"))
    assert Unit.objects.filter(slug__startswith="n-").count() == 60 and Assessment.objects.count() == 180
    assert PublishedReport.objects.count() == published.count()


def test_bad_arguments(db):
    with pytest.raises(CommandError):
        call_command("generate_national_data", units=0)
