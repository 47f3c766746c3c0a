"""Keep UnitYearProgress in step with single-row writes of the measures app.

Bulk writes (bulk_create, queryset.update) send no signals: whoever does them calls
dashboards.progress.refresh_years (or the refresh_dashboard_progress command) afterwards. Writers of
many rows at once (the importer) run inside progress.refresh_suspended() and refresh once at the end.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dashboards.progress import refresh_is_suspended, refresh_unit_year
from measures.models import Measure, Plan, ProgressEntry, RoundDue


def _refresh_for_plan(plan_id):
    plan = Plan.objects.filter(pk=plan_id).values("unit_id", "fiscal_year").first()
    if plan is not None:
        refresh_unit_year(plan["unit_id"], plan["fiscal_year"])


@receiver([post_save, post_delete], sender=Plan, dispatch_uid="dashboards_plan_progress")
def plan_changed(sender, instance, **kwargs):
    if refresh_is_suspended():
        return
    refresh_unit_year(instance.unit_id, instance.fiscal_year)


@receiver([post_save, post_delete], sender=Measure, dispatch_uid="dashboards_measure_progress")
def measure_changed(sender, instance, **kwargs):
    if refresh_is_suspended():
        return
    _refresh_for_plan(instance.plan_id)


@receiver([post_save, post_delete], sender=ProgressEntry, dispatch_uid="dashboards_entry_progress")
def entry_changed(sender, instance, **kwargs):
    if refresh_is_suspended():
        return
    plan_id = Measure.objects.filter(pk=instance.measure_id).values_list("plan_id", flat=True).first()
    if plan_id is not None:
        _refresh_for_plan(plan_id)


@receiver([post_save, post_delete], sender=RoundDue, dispatch_uid="dashboards_rounddue_progress")
def due_changed(sender, instance, **kwargs):
    if refresh_is_suspended():
        return
    refresh_unit_year(instance.unit_id, instance.fiscal_year)
