"""Import many unit-year files, in one process or in several (each file still one transaction).

Provinces load thousands of files at once; the work per file is mostly Python building rows, so on a
machine with several cores the files are shared among worker processes, each with its own database
connection. SQLite allows one writer at a time, so there the import stays in one process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, connection, connections

from interchange.importer import Frameworks, Summary, import_document, parse
from interchange.schema import DocumentError


@dataclass
class FileResult:
    name: str
    summary: Summary | None = None
    error: str = ""  # the reason the file was refused, as DocumentError words it


# Per worker process: the options of the run and the frameworks read once.
_options: dict = {}


def _init_worker(replace: bool) -> None:
    _options.update(replace=replace, frameworks=Frameworks())


def _import_one(name: str) -> FileResult:
    try:
        document = parse(Path(name).read_bytes())
    except (DocumentError, OSError) as exc:
        return FileResult(name, error=str(exc))
    for attempt in (1, 2):
        try:
            summary = import_document(document, replace=_options["replace"], frameworks=_options["frameworks"])
        except DocumentError as exc:
            return FileResult(name, error=str(exc))
        except IntegrityError as exc:
            # Another worker created the same unit or department at the same moment: its transaction has
            # committed by now, so a second try sees those rows. A second refusal is the file's own.
            if attempt == 2:
                return FileResult(name, error=f"ฐานข้อมูลไม่รับข้อมูลในไฟล์นี้ (the database refused the file: {exc})")
            continue
        return FileResult(name, summary=summary)
    raise AssertionError("unreachable")


def usable_jobs(jobs: int) -> int:
    return 1 if connection.vendor == "sqlite" else max(1, jobs)


def import_files(names: Iterable[str], *, replace: bool = False, jobs: int = 1) -> Iterator[FileResult]:
    """Each file's result, in the order given."""
    names = list(names)
    jobs = min(usable_jobs(jobs), len(names) or 1)
    if jobs == 1:
        _init_worker(replace)
        yield from map(_import_one, names)
        return
    # Forked workers must not share the parent's database connection: each opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker, initargs=(replace,)) as pool:
        yield from pool.imap(_import_one, names, chunksize=8)
