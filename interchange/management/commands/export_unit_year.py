import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interchange.exporter import build_document
from units.models import Unit


class Command(BaseCommand):
    help = "Export a unit's data as an ita-portal/unit-year v1 document."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", type=int)
        parser.add_argument("--output")

    def handle(self, *args, unit, year, output, **options):
        try:
            unit_obj = Unit.objects.get(slug=unit)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"no unit with slug {unit!r}") from exc
        document = build_document(unit_obj, years=[year] if year else None)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
