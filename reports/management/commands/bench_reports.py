"""Benchmark: seed 000's results report rendered ten times warm by WeasyPrint, and (when Debian's
chromium is present) the same HTML printed by Chromium's DevTools Page.printToPDF in a browser kept
running; prints medians, ms per page and the ratio WeasyPrint / Chromium, in wall-clock time and in CPU
time (this process for WeasyPrint; the browser's processes, read from /proc, for Chromium), the CPU figure
being the one that holds on a machine shared with other work. /proc counts CPU in clock ticks (10 ms), too
coarse for one print of about 60 ms, so CPU figures are the mean over the runs, wall-clock the median."""

import mimetypes
import os
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand

from interchange.demo import DEMO_DIR
from interchange.importer import import_document, parse
from reports import data, render
from units.models import Unit

CHROMIUM = "/usr/bin/chromium"


class Command(BaseCommand):
    help = "Time the results report of seed 000 in WeasyPrint and, if present, Chromium."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs, **options):
        if not Unit.objects.filter(slug="sra-krachom").exists():
            import_document(parse((DEMO_DIR / "sra-krachom-2568.json").read_bytes()))
        document = data.build_results(Unit.objects.get(slug="sra-krachom"), 2568, "FY")
        # Chromium gets the same page rules WeasyPrint takes as a stylesheet (size, margins, page numbers).
        html = render.render_html(document).replace("</head>", f"<style>{render.page_css(document)}</style></head>")
        render.render_pdf(document)  # warm-up: fonts, stylesheets
        times, cpu_times, pages = [], [], 0
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            _pdf, pages = render.render_pdf(document)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
        weasy, weasy_cpu = statistics.median(times), statistics.fmean(cpu_times)
        self.stdout.write(
            f"WeasyPrint: median {weasy:.3f} s for {pages} pages ({weasy * 1000 / pages:.0f} ms per page), "
            f"CPU (mean) {weasy_cpu:.3f} s ({weasy_cpu * 1000 / pages:.0f} ms per page)"
        )
        if not Path(CHROMIUM).exists():
            self.stdout.write("Chromium: /usr/bin/chromium not found, no ratio")
            return
        chromium, chromium_cpu = self.chromium_median(html, runs, document.options.landscape)
        self.stdout.write(f"Chromium: median {chromium:.3f} s, CPU (mean) {chromium_cpu:.3f} s (Page.printToPDF, browser kept running)")
        self.stdout.write(f"ratio WeasyPrint / Chromium: {weasy / chromium:.2f} wall-clock, {weasy_cpu / chromium_cpu:.2f} CPU")

    def chromium_median(self, html: str, runs: int, landscape: bool) -> float:
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        from playwright.sync_api import sync_playwright

        def serve_static(route):
            path = route.request.url.split(settings.STATIC_URL, 1)[1]
            found = finders.find(path)
            if found is None:
                return route.abort()
            route.fulfill(body=Path(found).read_bytes(), content_type=mimetypes.guess_type(found)[0] or "application/octet-stream")

        args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
            page = browser.new_page()
            page.route("http://report.invalid/static/**", serve_static)
            page.route("http://report.invalid/", lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
            page.goto("http://report.invalid/")
            page.pdf(prefer_css_page_size=True, print_background=True, landscape=landscape)  # warm-up
            times, cpu_times = [], []
            for _ in range(runs):
                started, cpu_started = time.perf_counter(), _children_cpu_seconds()
                page.pdf(prefer_css_page_size=True, print_background=True, landscape=landscape)
                times.append(time.perf_counter() - started)
                cpu_times.append(_children_cpu_seconds() - cpu_started)
            browser.close()
        return statistics.median(times), statistics.fmean(cpu_times)


def _children_cpu_seconds() -> float:
    """User and system CPU time of every process below this one (Playwright's driver and the browser)."""
    parents, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    me, total = os.getpid(), 0.0
    for pid, seconds in cpu.items():
        ancestor = parents.get(pid)
        while ancestor and ancestor != me:
            ancestor = parents.get(ancestor)
        if ancestor == me:
            total += seconds
    return total
