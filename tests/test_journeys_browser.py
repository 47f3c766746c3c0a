"""One journey per role in Debian's Chromium (Playwright), with the strict Content-Security-Policy on:
no page may log a CSP violation or a script error, and charts, forms, uploads, downloads and the language
switch must work. A failed journey leaves a screenshot in var/test-screenshots/ (BROWSER_SCREENSHOTS)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from django.conf import settings

from measures.models import Measure, ProgressEntry
from reports.models import PublishedReport
from tests import factories
from tests.browser import browser_marks, launch
from tests.conftest import PASSWORD
from tests.dashboards_fixtures import SCORES_2567, SCORES_2568, assess
from units.models import Membership, Unit

pytestmark = browser_marks
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", settings.BASE_DIR / "var" / "test-screenshots"))


@pytest.fixture
def unit_a_data(unit_a):
    """Unit A with two years assessed and a 2568 plan of three measures (12-month entries approved);
    the 6-month entries of measures 2 and 3 are waiting for review."""
    assess(unit_a, 2567, SCORES_2567)
    assess(unit_a, 2568, SCORES_2568)
    plan = factories.plan(unit_a, 2568, measures=3)
    for number in ("2", "3"):
        ProgressEntry.objects.create(
            measure=Measure.objects.get(plan=plan, number=number), round="H1", status="in_progress", percent=50,
            result=f"ดำเนินการตามมาตรการที่ {number} ไปแล้วครึ่งหนึ่ง", review_state=ProgressEntry.Review.SUBMITTED,
        )
    return plan


@contextlib.contextmanager
def journey(live_server, name, **context_options):
    """A Chromium page that records CSP violations and script errors, and a screenshot if the journey
    fails."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="th-TH", accept_downloads=True, **context_options
        )
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: message.type == "error" and page.problems.append(f"{page.url}: {message.text}"))
        page.on("pageerror", lambda error: page.problems.append(f"{page.url}: script error: {error}"))
        try:
            yield page
            violations = [text for text in page.problems if "Content Security Policy" in text or "script error" in text]
            assert not violations, violations
        except BaseException:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            raise
        finally:
            browser.close()


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_editor_reports_progress_with_an_upload_and_submits(browser_server, bob, unit_a_data, tmp_path):
    live = browser_server
    measure = Measure.objects.get(plan=unit_a_data, number="1")
    evidence = tmp_path / "ภาพกิจกรรม.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with journey(live, "editor") as page:
        log_in(page, live, "bob")
        page.goto(f"{live.url}/u/unit-a/plans/2568/")
        page.get_by_role("link", name=measure.title).click()
        page.locator(f"a[href$='/measures/{measure.pk}/H1/']").click()
        page.select_option("select[name=status]", "in_progress")
        page.fill("input[name=percent]", "60")
        page.fill("textarea[name=result]", "จัดอบรมเจ้าหน้าที่ ๒ ครั้ง")
        page.set_input_files("input[type=file]", str(evidence))
        page.click("button[name=submit]")
        page.wait_for_url(f"{live.url}/u/unit-a/plans/measures/{measure.pk}/")
        assert page.get_by_text("จัดอบรมเจ้าหน้าที่ ๒ ครั้ง").is_visible()
        assert page.get_by_role("link", name="ภาพกิจกรรม.pdf").is_visible()
    entry = ProgressEntry.objects.get(measure=measure, round="H1")
    assert entry.review_state == ProgressEntry.Review.SUBMITTED
    assert entry.files.get().original_name == "ภาพกิจกรรม.pdf"


def test_unit_administrator_returns_approves_and_publishes(browser_server, alice, unit_a_data):
    live = browser_server
    second, third = (Measure.objects.get(plan=unit_a_data, number=n) for n in ("2", "3"))
    with journey(live, "unit-administrator") as page:
        log_in(page, live, "alice")
        page.goto(f"{live.url}/u/unit-a/plans/measures/{second.pk}/")
        page.fill("#return-H1", "กรุณาแนบภาพกิจกรรม")
        page.get_by_role("button", name="ส่งกลับแก้ไข").click()
        page.wait_for_load_state()
        assert page.get_by_text("กรุณาแนบภาพกิจกรรม").first.is_visible()
        page.goto(f"{live.url}/u/unit-a/plans/measures/{third.pk}/")
        page.get_by_role("button", name="อนุมัติ").click()
        page.wait_for_load_state()
        page.goto(f"{live.url}/u/unit-a/reports/results/2568/FY/publish/")
        page.get_by_role("button", name="เผยแพร่ฉบับใหม่").click()
        # Publishing runs as a job (eagerly here); the page then lists the new version.
        page.get_by_role("link", name="ฉบับที่ 1").first.wait_for()
    assert ProgressEntry.objects.get(measure=second, round="H1").review_state == ProgressEntry.Review.RETURNED
    assert ProgressEntry.objects.get(measure=third, round="H1").review_state == ProgressEntry.Review.APPROVED
    assert PublishedReport.objects.filter(unit__slug="unit-a", kind="results", fiscal_year=2568).count() == 1


def test_executive_reads_the_dashboard_and_switches_language(browser_server, charlie, unit_a_data):
    live = browser_server
    with journey(live, "executive") as page:
        log_in(page, live, "charlie")
        page.goto(f"{live.url}/u/unit-a/dashboard/?year=2568")
        charts = page.locator("svg.ita-chart")
        assert charts.count() >= 3
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, index
        # The user menu (Bootstrap's script) and the language switch work under the policy.
        page.locator(".dropdown-toggle").click()
        assert page.get_by_role("button", name="ออกจากระบบ").is_visible()
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("button", name="ภาษาไทย").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "th"


def test_province_viewer_filters_and_exports_the_overview(browser_server, erin, unit_a_data, unit_b):
    live = browser_server
    Unit.objects.create(slug="unit-c", name="เทศบาลตำบลซี", kind=Unit.Kind.SUBDISTRICT_MUNICIPALITY,
                        district="เมือง", province="สุพรรณบุรี")
    with journey(live, "province-viewer") as page:
        log_in(page, live, "erin")
        page.goto(f"{live.url}/overview/?year=2568")
        rows = page.locator("table.overview-table tbody tr")
        assert rows.count() == 2  # unit A and unit C, not unit B of บุรีรัมย์
        page.select_option("select[name=kind]", Unit.Kind.SAO)
        page.get_by_role("button", name="กรอง").click()
        page.wait_for_load_state()
        assert rows.count() == 1 and "องค์การบริหารส่วนตำบลเอ" in rows.first.inner_text()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="CSV").click()
        download = download_info.value
        content = Path(download.path()).read_bytes()
        assert download.suggested_filename.endswith(".csv")
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "องค์การบริหารส่วนตำบลเอ" in lines[1]


def test_anonymous_reads_the_public_page_the_report_and_its_pdf(browser_server, alice, unit_a_data):
    from reports.publishing import publish

    live = browser_server
    report = publish(Unit.objects.get(slug="unit-a"), "results", 2568, "FY", alice)
    with journey(live, "anonymous") as page:
        page.goto(f"{live.url}/unit-a/")
        assert page.get_by_role("heading", name="องค์การบริหารส่วนตำบลเอ").is_visible()
        page.locator(f"a[href='/unit-a/reports/{report.pk}/']").click()
        page.wait_for_url(f"{live.url}/unit-a/reports/{report.pk}/")
        assert "สรุปผลการประเมิน" in page.content() or report.title in page.content()
        # The sandboxed document (an opaque origin) still gets its stylesheet; its font is fetched with
        # CORS, which WhiteNoise allows in production (tests/test_security.py), not the test server.
        assert "laksaman" in page.evaluate("getComputedStyle(document.body).fontFamily").lower()
        response = page.request.get(f"{live.url}/unit-a/reports/{report.pk}.pdf")
        assert response.ok and response.body().startswith(b"%PDF")
        assert response.headers["content-type"] == "application/pdf"


def test_superuser_creates_a_unit_and_its_administrator_in_the_admin(browser_server, root):
    live = browser_server
    with journey(live, "superuser") as page:
        page.goto(f"{live.url}/admin/login/")
        page.fill("input[name=username]", "root")
        page.fill("input[name=password]", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live.url}/admin/")
        page.goto(f"{live.url}/admin/units/unit/add/")
        page.fill("input[name=name]", "องค์การบริหารส่วนตำบลใหม่")
        page.fill("input[name=short_name]", "อบต.ใหม่")
        page.fill("input[name=slug]", "tambon-mai")
        page.select_option("select[name=kind]", Unit.Kind.SAO)
        page.fill("input[name=district]", "เมือง")
        page.select_option("select[name=province]", "สุพรรณบุรี")
        page.fill("input[name='departments-0-name']", "สำนักปลัด")
        page.click("input[name=_save]")
        page.wait_for_url(f"{live.url}/admin/units/unit/")
        page.goto(f"{live.url}/admin/auth/user/add/")
        page.fill("input[name=username]", "mai-admin")
        page.fill("input[name=password1]", "Ita-portal-2568-strong")
        page.fill("input[name=password2]", "Ita-portal-2568-strong")
        page.click("input[name=_continue]")
        page.wait_for_url("**/change/")
        page.locator("#memberships-group .add-row a").click()
        page.locator("#memberships-group .select2-container").first.click()
        page.locator(".select2-search__field").fill("ใหม่")
        page.locator(".select2-results__option", has_text="องค์การบริหารส่วนตำบลใหม่").click()
        page.select_option("select[name='memberships-0-role']", Membership.Role.ADMIN)
        page.click("input[name=_save]")
        page.wait_for_url(f"{live.url}/admin/auth/user/")
    membership = Membership.objects.get(user__username="mai-admin")
    assert (membership.unit.slug, membership.role) == ("tambon-mai", Membership.Role.ADMIN)
    assert membership.unit.departments.get().name == "สำนักปลัด"


def test_csp_blocks_an_injected_inline_script(browser_server, alice, unit_a_data):
    """The policy is really enforced: a measure title carrying a script (escaped by the template anyway)
    and an inline script added to the page at run time are both refused."""
    live = browser_server
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            problems = []
            page.on("console", lambda message: problems.append(message.text))
            page.goto(f"{live.url}/accounts/login/")
            page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                                     document.body.appendChild(s); }""")
            assert page.evaluate("window.ran") is None
            assert any("Content Security Policy" in text for text in problems), problems
        finally:
            browser.close()


