"""System checks of the reports app, run by `manage.py check` (and `check --deploy`) and at start-up."""

from django.core import checks

from reports import pdf_text


@checks.register()
def check_pdf_text_layer(app_configs=None, **kwargs):
    """reports.E001: the WeasyPrint/pydyf installed are not those the Thai text layer patch was tested with."""
    errors = [
        checks.Error(
            problem,
            hint="Pin the tested versions in pyproject.toml, or test and update reports/pdf_text.py.",
            obj="reports.pdf_text",
            id="reports.E001",
        )
        for problem in pdf_text.version_problems()
    ]
    if not errors and not pdf_text.is_installed():
        errors.append(
            checks.Error(
                "The Thai text layer patch of WeasyPrint is not installed, so PDFs would not be rendered.",
                hint="reports.apps.ReportsConfig.ready() installs it: is 'reports' in INSTALLED_APPS?",
                obj="reports.pdf_text",
                id="reports.E002",
            )
        )
    return errors
