"""bench_pages: every discovered page is requested as its user, and the last line is the JSON summary."""

import io
import json

from django.core.management import call_command

from tests.dashboards_fixtures import SCORES_2567, SCORES_2568, assess, make_plan


def test_bench_pages_reports_every_page(unit_a, unit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assess(unit_a, 2567, SCORES_2567)
    assess(unit_a, 2568, SCORES_2568)
    make_plan(unit_a, 2568, measures=4)
    out = io.StringIO()
    call_command("bench_pages", repeats=2, download_repeats=1, units=1, stdout=out)
    lines = out.getvalue().strip().splitlines()
    pages = json.loads(lines[-1])["pages"]
    for name in ("home", "units:detail", "dashboards:unit", "overview:index", "overview:index (province)"):
        assert pages[name]["status"] == 200, name
        assert pages[name]["p95_ms"] >= pages[name]["p50_ms"] > 0
        assert pages[name]["queries"] > 0
    assert "overview:index (CSV export)" not in pages  # generated files are listed apart
    assert any(line.startswith("generated files") for line in lines)


def test_only_actions_are_skipped():
    from dashboards.bench import is_skipped

    assert not is_skipped("reports:preview")  # "preview" is a page, though it contains "review"
    assert not is_skipped("measures:measure_create")  # a form page answering GET
    assert is_skipped("measures:entry_review") and is_skipped("logout") and is_skipped("measures:plan_copy")
