from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interchange.importer import import_document, parse
from interchange.schema import DocumentError


class Command(BaseCommand):
    help = "Import ita-portal/unit-year v1 files; each file is imported whole or not at all."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--replace", action="store_true", help="replace unit-years that exist already")

    def handle(self, *args, files, replace, **options):
        failed = 0
        progress = tqdm(files, disable=len(files) < 10, unit="file")
        for name in progress:
            try:
                summary = import_document(parse(Path(name).read_bytes()), replace=replace)
            except DocumentError as exc:
                failed += 1
                self.stderr.write(f"{name}: {exc}")
                continue
            except OSError as exc:
                failed += 1
                self.stderr.write(f"{name}: {exc}")
                continue
            if len(files) < 10:
                self.stdout.write(f"{name}: {summary.line()}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported")
