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
