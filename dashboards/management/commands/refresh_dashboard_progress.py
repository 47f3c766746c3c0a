"""Recompute the overview's per-unit progress summary, e.g. after bulk imports: refresh_dashboard_progress."""

from django.core.management.base import BaseCommand

from measures.models import Plan
from measures.progress import refresh_years


class Command(BaseCommand):
    help = "Recompute measures.UnitYearProgress for the given fiscal years (default: every year with plans)."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="fiscal years (B.E.)")

    def handle(self, *args, **options):
        years = options["years"] or sorted(set(Plan.objects.values_list("fiscal_year", flat=True)))
        written = refresh_years(years)
        self.stdout.write(self.style.SUCCESS(f"{written} rows for {', '.join(map(str, years)) or 'no years'}"))
