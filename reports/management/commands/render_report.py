"""Render a report from the current data (not only published versions), for batch use."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.models import Round
from reports import data, render
from reports.analysis import assessment_year
from reports.models import KINDS_WITH_ROUND, Kind
from units.models import Unit


class Command(BaseCommand):
    help = "Render a report of a unit as HTML, PDF or DOCX from the current data."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit slug")
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="the plan's fiscal year; for --kind analysis too: the analysis of the 2567 assessment serves "
            "(and is titled by) the 2568 plan, so --year 2568 analyses the assessment of year - 1",
        )
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument("--round", dest="round_code", choices=Round.values, default="")
        parser.add_argument("--format", dest="fmt", choices=["html", "pdf", "docx"], default="pdf")
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, unit, year, kind, round_code, fmt, output, **options):
        try:
            unit_obj = Unit.objects.get(slug=unit)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"no unit with slug {unit!r}") from exc
        if kind in KINDS_WITH_ROUND and not round_code:
            raise CommandError(f"--round is required for {kind} (H1, FY, Q1..Q4)")
        if kind == Kind.ANALYSIS:
            if not unit_obj.assessments.filter(fiscal_year=assessment_year(year)).exists():
                raise CommandError(f"{unit}: no ITA result for fiscal year {assessment_year(year)} (plan year {year})")
        elif not unit_obj.plans.filter(fiscal_year=year).exists():
            raise CommandError(f"{unit}: no plan for fiscal year {year}")
        if kind in KINDS_WITH_ROUND and kind == Kind.RESULTS:
            plan = unit_obj.plans.get(fiscal_year=year)
            if not plan.measures.filter(entries__round=round_code).exists():
                raise CommandError(f"{unit}: no progress entries for round {round_code} of {year}")
        document = data.build(kind, unit_obj, year, round_code if kind in KINDS_WITH_ROUND else "")
        path = Path(output)
        if fmt == "html":
            path.write_text(render.render_html(document), encoding="utf-8")
            detail = ""
        elif fmt == "pdf":
            pdf, pages = render.render_pdf(document)
            path.write_bytes(pdf)
            detail = f", {pages} pages"
        else:
            path.write_bytes(render.render_docx(document))
            detail = ""
        self.stdout.write(f"wrote {path} ({path.stat().st_size} bytes{detail})")
