"""Logging in, the user menu and the language switch in a real browser (Chromium through Playwright)."""

from tests.browser import browser_marks, launch
from tests.conftest import PASSWORD

pytestmark = browser_marks


def test_login_user_menu_language_switch_and_logout(browser_server, alice):
    from playwright.sync_api import sync_playwright

    live_server = browser_server

    with sync_playwright() as p:
        browser = launch(p)
        try:
            # An English-language browser: the portal answers in Thai all the same.
            page = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900}).new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            assert page.locator("html").get_attribute("lang") == "th"
            page.fill("input[name=username]", "alice")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
            assert page.get_by_role("link", name="หน่วยงานของฉัน").is_visible()

            # The user menu (Bootstrap's dropdown, served from static/) opens and holds "log out".
            logout = page.get_by_role("button", name="ออกจากระบบ")
            assert not logout.is_visible()
            page.locator(".dropdown-toggle", has_text="อลิส").click()
            assert logout.is_visible()

            # The language switch at the foot of the page, then back.
            page.get_by_role("button", name="English").click()
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.get_by_role("link", name="My units").is_visible()
            page.get_by_role("button", name="ภาษาไทย").click()
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "th"

            page.locator(".dropdown-toggle").click()
            page.get_by_role("button", name="ออกจากระบบ").click()
            page.wait_for_url(f"{live_server.url}/accounts/login/")
            assert page.get_by_role("button", name="เข้าสู่ระบบ").is_visible()
        finally:
            browser.close()
