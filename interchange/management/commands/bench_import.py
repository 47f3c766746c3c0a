"""Benchmark: generate unit files with several years each and import them; print unit-years per second."""

import json
import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from interchange.generate import document
from interchange.importer import Frameworks, import_document, parse


class Command(BaseCommand):
    help = "Import generated unit-year files and print unit-years per second."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=7852)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--workdir", help="where the generated files go (a temporary folder by default)")
        parser.add_argument("--seed", type=int, default=2568)

    def handle(self, *args, units, years, workdir, seed, **options):
        rng = random.Random(seed)
        year_list = list(range(2568 - years + 1, 2569))
        folder = Path(workdir or tempfile.mkdtemp(prefix="ita-bench-"))
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for index in range(units):
            path = folder / f"unit-{index:05d}.json"
            path.write_text(json.dumps(document(index, year_list, rng), ensure_ascii=False), encoding="utf-8")
            files.append(path)
        self.stdout.write(f"generated {units} files × {years} years in {folder}")
        started = time.perf_counter()
        frameworks = Frameworks()
        for path in files:
            import_document(parse(path.read_bytes()), replace=True, frameworks=frameworks)
        elapsed = time.perf_counter() - started
        unit_years = units * years
        self.stdout.write(
            f"imported {unit_years} unit-years in {elapsed:.1f} s on {connection.vendor}: "
            f"{unit_years / elapsed:.1f} unit-years/s"
        )
