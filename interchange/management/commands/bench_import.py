"""Benchmark: generate unit files with several years each and import them; print unit-years per second."""

import json
import os
import platform
import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from interchange.batch import import_files, usable_jobs
from interchange.generate import document
from interchange.reading import parse
from interchange.schema import validate


class Command(BaseCommand):
    help = "Import generated unit-year files and print unit-years per second."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=7852)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--workdir", help="where the generated files go (a temporary folder by default)")
        parser.add_argument("--seed", type=int, default=2568)
        parser.add_argument("--jobs", type=int, default=1, help="worker processes (PostgreSQL only)")

    def handle(self, *args, units, years, workdir, seed, jobs, **options):
        rng = random.Random(seed)
        year_list = list(range(2568 - years + 1, 2569))
        folder = Path(workdir or tempfile.mkdtemp(prefix="ita-bench-"))
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for index in range(units):
            path = folder / f"unit-{index:05d}.json"
            path.write_text(json.dumps(document(index, year_list, rng), ensure_ascii=False), encoding="utf-8")
            files.append(str(path))
        self.stdout.write(f"generated {units} files × {years} years in {folder}")
        jobs = usable_jobs(jobs)
        started = time.perf_counter()
        measures = entries = replaced = 0
        for done, result in enumerate(import_files(files, replace=True, jobs=jobs), start=1):
            if result.error:
                raise CommandError(f"{result.name}: {result.error}")
            measures += result.summary.measures
            entries += result.summary.entries
            replaced += len(result.summary.replaced)
            if done % 500 == 0:
                elapsed = time.perf_counter() - started
                self.stdout.write(f"  {done} files, {done * years / elapsed:.1f} unit-years/s so far")
        elapsed = time.perf_counter() - started
        validation = self._validation_seconds(files)
        unit_years = units * years
        self.stdout.write(
            f"imported {unit_years} unit-years ({replaced} of them replacing existing ones; {measures} measures, "
            f"{entries} progress entries) in {elapsed:.1f} s "
            f"on {connection.vendor}, {jobs} process(es), {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}: "
            f"{unit_years / elapsed:.1f} unit-years/s"
        )
        self.stdout.write(
            f"validation (interchange.schema.validate, the same files again): {validation:.2f} s, "
            f"{100 * validation / elapsed:.1f} % of the import time"
        )

    @staticmethod
    def _validation_seconds(files) -> float:
        total = 0.0
        for name in files:
            document = parse(Path(name).read_bytes())
            started = time.perf_counter()
            validate(document)
            total += time.perf_counter() - started
        return total
