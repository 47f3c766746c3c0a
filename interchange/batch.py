"""Import many unit-year files or bundles, in one process or in several (each file still one transaction).

Provinces load thousands of files at once; the work per file is mostly Python building rows, so on a
machine with several cores the files are shared among worker processes, each with its own database
connection. SQLite allows one writer at a time, so there the import stays in one process.

A file the database refuses (a limit the validator did not know, a lost connection) is reported and
the run goes on with the next. Workers end with their parent (Linux's PR_SET_PDEATHSIG, and a check of
the parent's pid where that is not available), so that an interrupted run leaves nothing running; the
files committed so far are written to a journal that the command reads back when interrupted.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, IntegrityError, connection, connections

from interchange.importer import Frameworks, Summary, import_document
from interchange.messages import DocumentError
from interchange.reading import read

PR_SET_PDEATHSIG = 1


@dataclass
class FileResult:
    name: str
    summary: Summary | None = None
    error: str = ""  # the reason the file was refused, as DocumentError words it


# Per worker process: the options of the run and the frameworks read once.
_options: dict = {}


def end_with_parent(parent: int) -> None:
    """This process gets SIGTERM when its parent dies (Linux); elsewhere it checks once at start."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _init_worker(options: dict, parent: int | None = None) -> None:
    if parent is not None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
        end_with_parent(parent)
    _options.clear()
    _options.update(options, frameworks=Frameworks())


def _journal(name: str) -> None:
    if _options.get("journal"):
        with open(_options["journal"], "a", encoding="utf-8") as handle:
            handle.write(name + "\n")


def _import_one(name: str) -> FileResult:
    try:
        source = read(Path(name).read_bytes(), Path(name).name)
    except (DocumentError, OSError) as exc:
        return FileResult(name, error=str(exc))
    for attempt in (1, 2):
        try:
            summary = import_document(
                source.document, replace=_options["replace"], frameworks=_options["frameworks"], identity=True,
                by_name=_options.get("by_name", ""), drafts=_options.get("drafts", False), files=source.files, source=source.name,
            )
        except DocumentError as exc:
            return FileResult(name, error=str(exc))
        except IntegrityError as exc:
            # Another worker created the same unit or department at the same moment: its transaction has
            # committed by now, so a second try sees those rows. A second refusal is the file's own.
            if attempt == 2:
                return _refused(name, exc)
            continue
        except DatabaseError as exc:
            return _refused(name, exc)
        _journal(name)
        return FileResult(name, summary=summary)
    raise AssertionError("unreachable")


def _refused(name: str, exc: Exception) -> FileResult:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return FileResult(name, error=f"ฐานข้อมูลไม่รับข้อมูลในไฟล์นี้ (the database refused the file: {first_line})")


def usable_jobs(jobs: int) -> int:
    return 1 if connection.vendor == "sqlite" else max(1, jobs)


def import_files(names: Iterable[str], *, jobs: int = 1, **options) -> Iterator[FileResult]:
    """Each file's result as it is done. Options: replace, drafts, by_name, journal (a path where each
    committed file's name is appended)."""
    names = list(names)
    options.setdefault("replace", False)
    jobs = min(usable_jobs(jobs), len(names) or 1)
    if jobs == 1:
        _init_worker(options)
        yield from map(_import_one, names)
        return
    # Forked workers must not share the parent's database connection: each opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs, initializer=_init_worker, initargs=(options, os.getpid()))
    try:
        yield from pool.imap_unordered(_import_one, names, chunksize=4)
        pool.close()
    finally:
        pool.terminate()  # on an interruption, workers are ended (their open transactions roll back)
        pool.join()
