"""Re-measure the PDF text layer table of docs/pdf-text-layer.md: each reader × each way of making the PDF.

    python manage.py load_demo   # once: the demo unit sra-krachom (seed 000)
    python manage.py measure_pdf_text [--unit sra-krachom --year 2568 --round FY] [--no-chromium]

Prints a Markdown table per document (the unit's results report, and the seeds' Thai of
tests/test_pdf_text_corpus.txt in each shipped font) and what the text layer patch costs of the render time.
Needs the readers of reports/pdf_readback.py (dev dependencies, `npm ci --prefix tools/pdfjs`) and, for
the Chromium column, Debian's /usr/bin/chromium through Playwright.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import data, pdf_readback, pdf_text, render
from reports.pdf import render_pdf_document
from units.models import Unit

MAKERS = ("patched", "unpatched", "chromium")
HEADINGS = {
    "patched": "WeasyPrint + reports/pdf_text.py",
    "unpatched": "WeasyPrint 70 alone",
    "chromium": "Chromium's own PDF",
}


class Command(BaseCommand):
    help = "Read the PDFs' Thai text back with poppler, PDFium, MuPDF and pdf.js and print the table."

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="sra-krachom")
        parser.add_argument("--year", type=int, default=2568)
        parser.add_argument("--round", dest="round_code", default="FY")
        parser.add_argument("--no-chromium", action="store_true", help="leave out Chromium's own PDF")
        parser.add_argument("--repeat", type=int, default=5, help="renders to time the patch's cost on")
        parser.add_argument("--keep", help="a folder to write the PDFs to, to look at them")

    def handle(self, *args, unit, year, round_code, no_chromium, repeat, keep, **options):
        missing = pdf_readback.missing_engines()
        if missing:
            raise CommandError("; ".join(missing))
        makers = [m for m in MAKERS if not (no_chromium and m == "chromium")]
        documents = [self._report(unit, year, round_code)]
        documents += [
            (f"the seeds' Thai in {font}", *pdf_readback.corpus_document(font)) for font in pdf_readback.FONTS
        ]
        for title, html, expected in documents:
            pdfs = {maker: self._make(maker, html) for maker in makers}
            if keep:
                for maker, pdf in pdfs.items():
                    Path(keep, f"{title.split()[-1]}-{maker}.pdf").write_bytes(pdf)
            self.stdout.write(self._table(title, expected, pdfs))
            self.stdout.write(self._cost(html, repeat) + "\n")

    def _report(self, slug, year, round_code):
        try:
            unit = Unit.objects.get(slug=slug)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"no unit {slug!r}: run `manage.py load_demo` first") from exc
        doc = data.build("results", unit, year, round_code)
        html = render.render_html(doc)
        return f"results report of {slug} {year} {round_code}", html, pdf_readback.visible_text(html)

    @staticmethod
    def _make(maker, html):
        if maker == "chromium":
            return pdf_readback.chromium_pdf(html)
        if maker == "unpatched":
            with pdf_text.disabled():
                return render_pdf_document(html)[0]
        return render_pdf_document(html)[0]

    @staticmethod
    def _table(title, expected, pdfs):
        scores = {
            maker: pdf_readback.score_all(expected, pdf_readback.read_all(pdf)) for maker, pdf in pdfs.items()
        }
        extra = {maker: pdf_readback.extra_over_poppler(s) for maker, s in scores.items()}
        lines = [
            f"\n{title}: ำ wrong of the places with ำ, 12-character pieces lost, text read beyond poppler's\n",
            "| engine (who uses it) | " + " | ".join(HEADINGS[m] for m in pdfs) + " |",
            "|---" * (len(pdfs) + 1) + "|",
        ]
        for engine in pdf_readback.ENGINES:
            cells = [f"{scores[m][engine].cell()}, {extra[m][engine]:+.0%}" for m in pdfs]
            lines.append(f"| {pdf_readback.ENGINE_NAMES[engine]} | " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    @staticmethod
    def _cost(html, repeat):
        """The patch's own work (reading the glyphs, cutting the text arrays) as a share of the whole
        render, in this thread's CPU time (the machine's other load left out); the smallest of `repeat`."""
        spent = [0.0]

        def timed(function):
            def wrapper(*args):
                start = time.thread_time()
                try:
                    return function(*args)
                finally:
                    spent[0] += time.thread_time() - start

            return wrapper

        originals = pdf_text._read_runs, pdf_text._split_text_arrays
        pdf_text._read_runs, pdf_text._split_text_arrays = map(timed, originals)
        try:
            shares = []
            for _ in range(repeat):
                spent[0], start = 0.0, time.thread_time()
                render_pdf_document(html)
                total = time.thread_time() - start
                shares.append((spent[0] / total, spent[0], total))
        finally:
            pdf_text._read_runs, pdf_text._split_text_arrays = originals
        share, ours, total = min(shares)
        return f"text layer patch: {ours * 1000:.0f} ms of a {total * 1000:.0f} ms render ({share:.1%})"
