"""The dashboard's charts in a real browser (Chromium through Playwright), on screen and in print preview."""


from tests.browser import browser_marks, launch, session_cookie
from tests.dashboards_fixtures import SCORES_2567, SCORES_2568, assess, make_plan

pytestmark = browser_marks


def test_charts_render_on_screen_and_in_print(browser_server, charlie, unit_a):
    from playwright.sync_api import sync_playwright

    live_server = browser_server

    assess(unit_a, 2567, SCORES_2567)
    assess(unit_a, 2568, SCORES_2568)
    make_plan(unit_a, 2568, measures=6)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
            context.add_cookies([session_cookie(charlie, live_server)])
            page = context.new_page()
            page.goto(f"{live_server.url}/u/{unit_a.slug}/dashboard/?year=2568")
            assert "แดชบอร์ด" in page.title()
            for media in ("screen", "print"):
                page.emulate_media(media=media)
                charts = page.locator("svg.ita-chart")
                assert charts.count() == 4
                for index in range(charts.count()):
                    chart = charts.nth(index)
                    assert chart.is_visible(), (media, index)
                    box = chart.bounding_box()
                    assert box and box["width"] > 100 and box["height"] > 50, (media, index, box)
                # The trend chart draws one point per assessed year, and its table repeats the figures.
                assert page.locator("#chart-trend-title").count() == 1
                assert page.locator("svg[aria-labelledby='chart-trend-title chart-trend-desc'] circle").count() == 2
                assert page.locator("figure:has(#chart-trend-title) table tbody tr").count() == 2
            # The navigation bar is not printed; the charts are.
            assert not page.locator("nav.navbar").is_visible()
        finally:
            browser.close()
