"""Fill a database with national-scale data: python manage.py generate_national_data --units 7852 --years 5."""

import time

from django.core.management.base import BaseCommand, CommandError

from dashboards.national import Generator


class Command(BaseCommand):
    help = "Generate plausible units, assessments, plans, progress and published reports at national scale."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=7852, help="number of units (default 7852)")
        parser.add_argument("--years", type=int, default=5, help="assessed fiscal years, up to the latest framework")
        parser.add_argument("--plan-years", type=int, default=2, help="fiscal years with plans and progress")
        parser.add_argument("--seed", type=int, default=2568, help="random seed (same seed, same data)")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per INSERT")
        parser.add_argument("--slug-prefix", default="n", help="prefix of generated unit slugs")

    def handle(self, *args, **options):
        if options["units"] < 1 or options["years"] < 1 or options["batch_size"] < 1 or options["plan_years"] < 0:
            raise CommandError("--units, --years and --batch-size must be positive; --plan-years at least 0.")
        started = time.monotonic()
        generator = Generator(
            units=options["units"],
            years=options["years"],
            plan_years=options["plan_years"],
            seed=options["seed"],
            batch_size=options["batch_size"],
            slug_prefix=options["slug_prefix"],
            log=lambda line: self.stdout.write(f"[{time.monotonic() - started:7.1f}s] {line}"),
        )
        counts = generator.run()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f}s"))
