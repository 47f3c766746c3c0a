"""Staff and public pages in Chromium (Playwright, one browser for the module): no page wider than a phone,
a tablet or a laptop screen; axe-core finds no serious or critical problem; the admin offers a unit's own
departments only; the public report header links where it says; the evidence size is refused before upload.

axe-core comes from the npm registry (tools/axe, `npm ci --prefix tools/axe`, which .ci/run does) and is
injected into the page by the test: the portal never serves it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import pages_data
from tests.browser import browser_marks, launch, session_cookie

pytestmark = browser_marks

AXE = Path(settings.BASE_DIR) / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1366, 768, 390)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def scenario(unit_a, alice, erin):
    return pages_data.build(unit_a, alice)


def new_page(chromium, live_server, user=None, width=1366):
    # bypass_csp: the test injects axe-core as a script; the portal's own pages carry no inline script.
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="en-US", bypass_csp=True)
    if user is not None:
        context.add_cookies([session_cookie(user, live_server)])
    return context.new_page()


def overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def axe_problems(page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tools/axe` (as .ci/run does)")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
    violations = json.loads(result)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def staff_pages(scenario, slug):
    measure = scenario.measure.pk
    return [
        "/",
        f"/u/{slug}/",
        f"/u/{slug}/dashboard/?year=2568",
        f"/u/{slug}/plans/",
        f"/u/{slug}/plans/2568/",
        f"/u/{slug}/plans/2568/oit/",
        f"/u/{slug}/plans/2568/due-dates/",
        f"/u/{slug}/plans/measures/{measure}/",
        f"/u/{slug}/plans/measures/{measure}/edit/",
        f"/u/{slug}/plans/measures/{measure}/H1/",
        f"/u/{slug}/assessments/",
        f"/u/{slug}/assessments/2568/",
        f"/u/{slug}/reports/",
        f"/u/{slug}/reports/results/2568/FY/publish/",
        f"/u/{slug}/reports/results/2568/FY/settings/",
        f"/u/{slug}/data/import/",
        "/accounts/password_change/",
    ]


def test_no_page_is_wider_than_the_screen_and_axe_finds_no_serious_problem(
    chromium, browser_server, scenario, unit_a, alice, erin
):
    live = browser_server.url
    slug = unit_a.slug
    # Pages that axe checks (the list), at the laptop width and on a phone.
    axe_pages = {
        f"/u/{slug}/plans/2568/", f"/u/{slug}/plans/measures/{scenario.measure.pk}/H1/",
        f"/u/{slug}/plans/measures/{scenario.measure.pk}/", f"/u/{slug}/dashboard/?year=2568", "/overview/?year=2568",
        "/accounts/login/", f"/{slug}/", f"/{slug}/reports/{scenario.first.pk}/",
    }  # fmt: skip
    too_wide, problems, checked = {}, {}, set()
    runs = [
        (alice, staff_pages(scenario, slug)),
        (erin, ["/overview/?year=2568"]),
        (None, ["/accounts/login/", "/accounts/password_reset/", f"/{slug}/", f"/{slug}/reports/{scenario.first.pk}/"]),
    ]
    for user, urls in runs:
        page = new_page(chromium, browser_server, user)
        for url in urls:
            page.set_viewport_size({"width": 1366, "height": 900})
            response = page.goto(live + url)
            assert response.status == 200, url
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                if (extra := overflow(page)) > 0:
                    too_wide[f"{url} at {width}"] = extra
                if url in axe_pages and width in (1366, 390):
                    problems[f"{url} at {width}"] = axe_problems(page)
                    checked.add(url)
        page.context.close()
    assert checked == axe_pages
    assert too_wide == {}
    assert {url: found for url, found in problems.items() if found} == {}


def test_dashboard_charts_keep_readable_text_on_a_phone_and_print_on_a4(chromium, browser_server, scenario, unit_a, charlie):
    page = new_page(chromium, browser_server, charlie, width=390)
    page.goto(f"{browser_server.url}/u/{unit_a.slug}/dashboard/?year=2568")
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.ita-chart text')).map(t => {
            const box = t.getBoundingClientRect(); return t.textContent.trim() ? box.height : 99; })"""
    )
    assert sizes and min(sizes) >= 10, sorted(sizes)[:5]  # a 13-unit label never renders under ~11 px
    # The skip link is the first tab stop and takes the focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    # Print: A4 portrait less the 12 mm margins is 186 mm, 703 px at 96 dpi; nothing is wider than that.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 703, "height": 1000})
    assert overflow(page) <= 0
    widest = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('main *')).map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= 703
    # And Chromium's own print to PDF lays it out on A4 portrait pages.
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = {tuple(round(float(v)) for v in box) for box in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert sizes == {(596, 842)} or sizes == {(595, 842)}, sizes  # A4 portrait in points
    page.context.close()


def test_public_report_header_and_the_latest_marker(chromium, browser_server, scenario, unit_a):
    live, slug = browser_server.url, unit_a.slug
    first, second = scenario.first, scenario.second
    page = new_page(chromium, browser_server, None, width=1366)
    page.goto(f"{live}/{slug}/reports/{first.pk}/")
    header = page.locator("header.public-header")
    assert header.get_by_role("link", name=unit_a.name).get_attribute("href") == f"/{slug}/"
    assert header.locator(f"a[href='/{slug}/reports/{first.pk}.pdf']").count() == 1
    assert header.locator(f"a[href='/{slug}/reports/{first.pk}.json']").count() == 1
    newer = header.locator(".public-header-newer")
    assert newer.is_visible() and newer.locator(f"a[href='/{slug}/reports/{second.pk}/']").count() == 1
    assert header.locator(f".public-header-versions a[href='/{slug}/reports/{second.pk}/']").count() == 1
    assert page.locator("main#main").count() == 1
    # The newest version says nothing about newer ones; the stable address opens it.
    page.goto(f"{live}/{slug}/reports/{second.pk}/")
    assert page.locator(".public-header-newer").count() == 0
    stable = page.locator("header.public-header a", has_text="ที่อยู่ถาวร").get_attribute("href")
    assert stable.endswith(f"/{slug}/2568/results/FY/")
    page.goto(stable)
    assert page.locator(".public-header-version").inner_text().startswith("ฉบับที่ ๒")  # in Thai digits, as the date beside it
    # The unit page marks the latest version and offers its stable address to copy.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live}/{slug}/")
    latest = page.locator("li.is-latest")
    assert latest.count() == 1 and "ฉบับล่าสุด" in latest.inner_text()
    assert latest.locator(f"a[href='/{slug}/reports/{second.pk}/']").count() == 1
    address = latest.locator("input.stable-address").input_value()
    assert address == f"{live}/{slug}/2568/results/FY/"
    latest.get_by_role("button", name="คัดลอก").click()
    page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == address
    page.context.close()


def test_admin_offers_only_the_units_own_departments(chromium, browser_server, unit_a, unit_b, alice, root):
    page = new_page(chromium, browser_server, root, width=1366)
    page.goto(f"{browser_server.url}/admin/units/unit/{unit_a.pk}/change/")
    offered = page.locator("input[name='memberships-0-departments']")
    values = {offered.nth(i).get_attribute("value") for i in range(offered.count())}
    assert values == {str(pk) for pk in unit_a.departments.values_list("pk", flat=True)}  # not unit B's
    assert page.locator("input[name='memberships-__prefix__-departments']").count() == 3  # a new row too
    # Province: a list of the country's provinces, not free text.
    options = page.locator("select[name='province'] option")
    assert options.count() == 78  # the blank choice and 77 provinces
    assert overflow(page) <= 0
    page.context.close()


def test_evidence_over_the_limit_is_refused_before_upload(chromium, browser_server, scenario, unit_a, alice, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    page = new_page(chromium, browser_server, alice, width=390)
    page.goto(f"{browser_server.url}/u/{unit_a.slug}/plans/measures/{scenario.measure.pk}/H1/")
    field = page.locator("input[type=file][name=files]")
    assert "image/png" in field.get_attribute("accept")
    assert "1 MB" in page.locator("#id_files_helptext").inner_text()
    field.set_input_files({"name": "ใหญ่.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)})
    error = page.locator("#id_files_size_error")
    assert "ใหญ่.pdf" in error.inner_text()
    assert page.evaluate("document.getElementById('id_files').validity.valid") is False
    page.get_by_role("button", name="บันทึกร่าง").click()
    assert page.url.endswith("/H1/")  # not sent
    page.context.close()
