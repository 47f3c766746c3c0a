from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def published_results(unit_id: int, fiscal_year: int, round_code: str) -> list:
    """Published versions of the results report of a round: [(version, published_at)]."""
    from reports.models import Kind, PublishedReport

    return list(
        PublishedReport.objects.filter(unit_id=unit_id, fiscal_year=fiscal_year, kind=Kind.RESULTS, round=round_code)
        .order_by("version")
        .values_list("version", "published_at")
    )


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from measures import published

        # The entry form warns when the entry it changes is already in a published version.
        published.register(published_results)

        # The Thai text layer patch of WeasyPrint is installed at start-up, and only on the WeasyPrint and
        # pydyf it was tested with; on any other, the system check (reports/checks.py) reports an error at
        # `manage.py check` / `check --deploy` and reports/pdf.py refuses to render PDFs.
        from reports import checks, pdf_text  # noqa: F401  (checks registers the system check)

        if not pdf_text.version_problems():
            pdf_text.install()
