from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interchange.importer import Frameworks, import_document, parse
from interchange.schema import DocumentError


class Command(BaseCommand):
    help = "Import ita-portal/unit-year v1 files; each file is imported whole or not at all."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--replace", action="store_true", help="replace unit-years that exist already")

    def handle(self, *args, files, replace, **options):
        failed = 0
        frameworks = Frameworks()  # read once for the whole run
        progress = tqdm(files, disable=len(files) < 10, unit="file")
        for name in progress:
            try:
                summary = import_document(parse(Path(name).read_bytes()), replace=replace, frameworks=frameworks)
            except DocumentError as exc:
                failed += 1
                self._write(progress, self.stderr, f"{name}: {exc}")
                continue
            except OSError as exc:
                failed += 1
                self._write(progress, self.stderr, f"{name}: {exc}")
                continue
            # One line per file, written above the progress bar rather than through it.
            self._write(progress, self.stdout, f"{name}: {summary.line()}")
        progress.close()
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported")

    @staticmethod
    def _write(progress, out, line):
        with progress.external_write_mode(file=out._out):
            out.write(line)
