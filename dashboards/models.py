"""A per unit and fiscal year summary of reporting progress, kept so that the national overview joins one
row per unit instead of counting measures and entries for 7,852 units on every request.

The rows are derived data: dashboards/progress.py recomputes them when a plan, measure, progress entry or
round due date is saved or deleted (signals in dashboards/signals.py), and in bulk after bulk writes
(`python manage.py refresh_dashboard_progress`, which generate_national_data runs itself).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitYearProgress(models.Model):
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="year_progress", verbose_name=_("unit")
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    measure_count = models.PositiveIntegerField(_("measures"), default=0)
    h1_approved = models.PositiveIntegerField(_("6-month entries approved"), default=0)
    fy_approved = models.PositiveIntegerField(_("12-month entries approved"), default=0)
    h1_reported = models.PositiveIntegerField(_("6-month entries submitted or approved"), default=0)
    fy_reported = models.PositiveIntegerField(_("12-month entries submitted or approved"), default=0)
    # The unit's own due dates when it has set them (measures.RoundDue); null means the default date.
    h1_due = models.DateField(_("6-month due date"), null=True, blank=True)
    fy_due = models.DateField(_("12-month due date"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True)

    class Meta:
        verbose_name = _("unit reporting progress")
        verbose_name_plural = _("unit reporting progress")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="unityearprogress_unique"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "unit"], name="unityearprogress_year_unit")]

    def __str__(self):
        return f"{self.unit_id} {self.fiscal_year}: {self.measure_count}"
