"""Request every page as the right user and print p50/p95 ms and queries; the last line is JSON."""

import json
import logging

from django.core.management.base import BaseCommand, CommandError

from dashboards import bench


class Command(BaseCommand):
    help = "Benchmark every staff, executive and public page against the current database."

    def add_arguments(self, parser):
        parser.add_argument("--repeats", type=int, default=20, help="requests per page after warm-up")
        parser.add_argument("--units", type=int, default=3, help="sample units (the largest plans)")
        parser.add_argument("--only", default="", help="only pages whose name contains this text")
        parser.add_argument("--download-repeats", type=int, default=3, help="requests per generated file (PDF…)")

    def handle(self, *args, **options):
        # Expected 404s (a unit without a published PDF…) are reported in the table, not logged per request.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        units = bench.sample_units(options["units"])
        if not units:
            raise CommandError("No units: run generate_national_data first.")
        notes: list[str] = []
        results: dict[str, list] = {}
        for unit in units:
            users = bench.bench_users(unit)
            for page in bench.pages_for(unit, users, notes):
                if options["only"] not in page.name:
                    continue
                repeats = options["download_repeats"] if page.is_download else options["repeats"]
                results.setdefault(page.name, []).append(bench.measure(page, repeats, warmup=0 if page.is_download else 2))
        for note in sorted(set(notes)):
            self.stdout.write(f"note: {note}")
        summary, downloads = {}, {}
        self.stdout.write(f"{'page':40} {'user':10} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}")
        for name, runs in results.items():
            timings = sorted(t for run in runs for t in run.timings_ms)
            merged = bench.Result(runs[0].page, runs[-1].status, timings, max(run.queries for run in runs))
            statuses = sorted({run.status for run in runs})
            self.stdout.write(
                f"{name:40} {merged.page.role:10} {','.join(map(str, statuses)):>6} "
                f"{merged.p50:8.1f} {merged.p95:8.1f} {merged.queries:7d}"
            )
            if merged.page.is_download:
                downloads[name] = {"p50_ms": round(merged.p50, 1), "p95_ms": round(merged.p95, 1), "queries": merged.queries}
                continue
            summary[name] = {
                "p50_ms": round(merged.p50, 1),
                "p95_ms": round(merged.p95, 1),
                "queries": merged.queries,
                "status": statuses[0] if len(statuses) == 1 else statuses,
            }
        if downloads:
            self.stdout.write("generated files (not pages; outside the 200 ms goal): " + json.dumps(downloads))
        self.stdout.write(json.dumps({"pages": summary}, ensure_ascii=False))
