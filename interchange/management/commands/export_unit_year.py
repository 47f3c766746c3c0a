import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interchange.bundle import write_bundle
from interchange.exporter import build_document
from units.models import Unit


class Command(BaseCommand):
    help = "Export a unit's data as an ita-portal/unit-year v1.1 document, or as a bundle with its evidence files."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", type=int)
        parser.add_argument("--output")
        parser.add_argument("--bundle", action="store_true", help="a .zip of the document and its evidence files (needs --output)")

    def handle(self, *args, unit, year, output, bundle, **options):
        try:
            unit_obj = Unit.objects.get(slug=unit)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"no unit with slug {unit!r}") from exc
        years = [year] if year else None
        if bundle:
            if not output:
                raise CommandError("--bundle writes a .zip: give --output FILE")
            with open(output, "wb") as handle:
                count = write_bundle(unit_obj, handle, years=years)
            self.stdout.write(f"{output}: {unit_obj.slug}, {count} evidence files")
            return
        text = json.dumps(build_document(unit_obj, years=years), ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
