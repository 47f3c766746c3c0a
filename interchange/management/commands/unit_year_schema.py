import json
from pathlib import Path

from django.core.management.base import BaseCommand

from interchange.schema import json_schema

DEFAULT = Path(__file__).resolve().parents[3] / "docs" / "unit-year.schema.json"


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the unit-year JSON Schema (generated from interchange/schema.py) to docs/unit-year.schema.json."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT), help="'-' for stdout")

    def handle(self, *args, output, **options):
        if output == "-":
            self.stdout.write(schema_text(), ending="")
            return
        Path(output).write_text(schema_text(), encoding="utf-8")
        self.stdout.write(f"wrote {output}")
