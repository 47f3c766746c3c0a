import getpass
import signal
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interchange.batch import import_files


class Interrupted(Exception):
    pass


def _interrupt(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


class Command(BaseCommand):
    help = (
        "Import ita-portal/unit-year files (v1, v1.1) or bundles (.zip); each is imported whole or not at all. "
        "Run from the command line, the import may change a unit's name, kind, district and province."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--replace", action="store_true", help="replace unit-years that exist already")
        parser.add_argument("--drafts", action="store_true", help="new entries without a review come in as drafts")
        parser.add_argument(
            "--jobs", type=int, default=1, help="worker processes on PostgreSQL (SQLite always uses one)"
        )

    def handle(self, *args, files, replace, drafts, jobs, **options):
        failed = done = 0
        progress = tqdm(total=len(files), disable=len(files) < 10, unit="file")
        journal = Path(tempfile.mkstemp(prefix="ita-import-", suffix=".txt")[1])
        previous = signal.signal(signal.SIGTERM, _interrupt)
        results = import_files(files, replace=replace, drafts=drafts, jobs=jobs, journal=str(journal),
                               by_name=f"{getpass.getuser()} (manage.py import_unit_year)")
        try:
            for result in results:
                progress.update()
                done += 1
                if result.error:
                    failed += 1
                    self._write(progress, self.stderr, f"{result.name}: {result.error}")
                else:
                    self._write(progress, self.stdout, f"{result.name}: {result.summary.line()}")
        except (KeyboardInterrupt, Interrupted) as exc:
            progress.close()
            results.close()  # ends the workers first: what the journal says committed is then final
            self._interrupted(journal, len(files), exc)
        finally:
            signal.signal(signal.SIGTERM, previous)
            progress.close()
            journal.unlink(missing_ok=True)
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported")

    def _interrupted(self, journal: Path, total: int, exc) -> None:
        committed = [line for line in journal.read_text(encoding="utf-8").splitlines() if line]
        self.stderr.write(f"interrupted ({exc or 'SIGINT'}): {len(committed)} of {total} files were committed:")
        for name in committed:
            self.stderr.write(f"  committed: {name}")
        self.stderr.write("every other file was not imported (its transaction was rolled back)")
        raise CommandError("interrupted", returncode=130)

    @staticmethod
    def _write(progress, out, line):
        # One line per file, written above the progress bar rather than through it.
        with progress.external_write_mode(file=out._out):
            out.write(line)
