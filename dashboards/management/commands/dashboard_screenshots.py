"""Screenshots of the dashboards for the README, taken with Playwright and Debian's Chromium.

Run a server against the same database first, e.g.
    python manage.py runserver 127.0.0.1:8765 &
    python manage.py dashboard_screenshots --base-url http://127.0.0.1:8765 --unit n-sao-00001
"""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from units.models import Membership, Unit

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Command(BaseCommand):
    help = (
        "Save docs/img/dashboard.png, dashboard-print.png, dashboard-phone.png, overview.png and, when the unit "
        "has published reports, public-unit.png and published-report.png from a running server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8765")
        parser.add_argument("--unit", required=True, help="slug of the unit to show")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "img"))
        parser.add_argument("--chromium", default="/usr/bin/chromium")

    def handle(self, *args, **options):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        from playwright.sync_api import sync_playwright

        unit = Unit.objects.filter(slug=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit with the slug {options['unit']!r}.")
        users = get_user_model().objects
        executive, _ = users.get_or_create(username="screenshot-executive", defaults={"first_name": "ผู้บริหาร"})
        Membership.objects.get_or_create(user=executive, unit=unit, defaults={"role": Membership.Role.EXECUTIVE})
        root, _ = users.get_or_create(username="screenshot-root", defaults={"is_superuser": True, "is_staff": True})
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        base = options["base_url"].rstrip("/")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=options["chromium"], args=LAUNCH_ARGS)
            try:
                page = self._page(browser, executive, base, width=1280)
                page.goto(base + reverse("dashboards:unit", args=[unit.slug]))
                page.screenshot(path=str(out / "dashboard.png"), full_page=True)
                # Print preview: A4 width at 96 dpi, print styles applied.
                page = self._page(browser, executive, base, width=794)
                page.emulate_media(media="print")
                page.goto(base + reverse("dashboards:unit", args=[unit.slug]))
                page.screenshot(path=str(out / "dashboard-print.png"), full_page=True)
                page = self._page(browser, root, base, width=1280)
                page.goto(base + reverse("overview:index"))
                page.screenshot(path=str(out / "overview.png"), full_page=True)
                # A phone (390 px): cards stack, tables and charts scroll inside their own boxes.
                page = self._page(browser, executive, base, width=390)
                page.goto(base + reverse("dashboards:unit", args=[unit.slug]))
                page.screenshot(path=str(out / "dashboard-phone.png"), full_page=True)
                self._public(browser, base, unit, out)
            finally:
                browser.close()
        self.stdout.write(self.style.SUCCESS(f"saved dashboard.png, dashboard-print.png, overview.png in {out}"))

    def _public(self, browser, base, unit, out):
        """The unit's public page and one of its published reports."""
        reports = unit.published_reports.order_by("fiscal_year", "kind", "round", "version")
        # A version with a newer one, when there is one: its header shows the notice.
        report = reports.filter(version=1, kind__in=reports.filter(version=2).values("kind")).first() or reports.first()
        if report is None:
            return
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH").new_page()
        page.goto(base + reverse("public:unit", args=[unit.slug]))
        page.screenshot(path=str(out / "public-unit.png"), full_page=True)
        page.goto(base + reverse("public:version", args=[unit.slug, report.pk]))
        page.screenshot(path=str(out / "published-report.png"))

    def _page(self, browser, user, base, width):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH")
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base}])
        return context.new_page()
