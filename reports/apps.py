from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The Thai text layer patch of WeasyPrint is installed at start-up, and only on the WeasyPrint and
        # pydyf it was tested with; on any other, the system check (reports/checks.py) reports an error at
        # `manage.py check` / `check --deploy` and reports/pdf.py refuses to render PDFs.
        from reports import checks, pdf_text  # noqa: F401  (checks registers the system check)

        if not pdf_text.version_problems():
            pdf_text.install()
