from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interchange.batch import import_files


class Command(BaseCommand):
    help = "Import ita-portal/unit-year v1 files; each file is imported whole or not at all."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--replace", action="store_true", help="replace unit-years that exist already")
        parser.add_argument(
            "--jobs", type=int, default=1, help="worker processes on PostgreSQL (SQLite always uses one)"
        )

    def handle(self, *args, files, replace, jobs, **options):
        failed = 0
        progress = tqdm(total=len(files), disable=len(files) < 10, unit="file")
        for result in import_files(files, replace=replace, jobs=jobs):
            progress.update()
            if result.error:
                failed += 1
                self._write(progress, self.stderr, f"{result.name}: {result.error}")
            else:
                self._write(progress, self.stdout, f"{result.name}: {result.summary.line()}")
        progress.close()
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported")

    @staticmethod
    def _write(progress, out, line):
        # One line per file, written above the progress bar rather than through it.
        with progress.external_write_mode(file=out._out):
            out.write(line)
