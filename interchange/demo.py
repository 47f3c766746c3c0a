"""Demo data: the seed units as unit-year files in interchange/demo/, loaded by `manage.py load_demo`."""

from pathlib import Path

from interchange.importer import import_document
from interchange.reading import parse

DEMO_DIR = Path(__file__).resolve().parent / "demo"


def load_demo_files() -> list[str]:
    lines = []
    for path in sorted(DEMO_DIR.glob("*.json")):
        summary = import_document(parse(path.read_bytes()), replace=True, identity=True)
        lines.append(f"{path.name}: {summary.line()}")
    return lines
