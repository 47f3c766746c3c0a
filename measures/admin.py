from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from measures import progress
from measures.models import (
    Measure,
    MeasureStep,
    OitProgress,
    Plan,
    ProgressEntry,
    ReviewEvent,
    RoundDue,
    UnitYearProgress,
)
from measures.review import EDITABLE


def _plan_of(obj) -> Plan:
    return obj if isinstance(obj, Plan) else getattr(obj, "plan", None) or obj.measure.plan


class ServiceRulesAdmin(SimpleHistoryAdmin):
    """Admin writes follow the services' rules: a save bumps the version (pages opened before see a
    conflict) and the dashboards' figures are refreshed explicitly, on save and on delete."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, set now

    def save_model(self, request, obj, form, change):
        if change and hasattr(obj, "version"):
            obj.version += 1
        super().save_model(request, obj, form, change)
        plan = _plan_of(obj)
        progress.refresh_unit_year(plan.unit_id, plan.fiscal_year)

    def delete_model(self, request, obj):
        plan = _plan_of(obj)
        key = (plan.unit_id, plan.fiscal_year)
        super().delete_model(request, obj)
        progress.refresh_unit_year(*key)

    def delete_queryset(self, request, queryset):
        keys = {(_plan_of(obj).unit_id, _plan_of(obj).fiscal_year) for obj in queryset}
        super().delete_queryset(request, queryset)
        for key in keys:
            progress.refresh_unit_year(*key)


class ReviewEventInline(admin.TabularInline):
    """The entry's review log, read-only: transitions are made on the measure's page (measures/review.py)."""

    model = ReviewEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "action", "from_state", "to_state", "version", "by", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


class MeasureStepInline(admin.TabularInline):
    model = MeasureStep
    extra = 0


@admin.register(Plan)
class PlanAdmin(ServiceRulesAdmin):
    list_display = ["unit", "fiscal_year", "based_on_assessment"]
    list_filter = ["fiscal_year", "unit__province"]
    search_fields = ["unit__name", "unit__slug"]
    autocomplete_fields = ["unit"]


@admin.register(Measure)
class MeasureAdmin(ServiceRulesAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan__fiscal_year"]
    search_fields = ["title", "plan__unit__name"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["owners", "indicators", "oit_items"]
    inlines = [MeasureStepInline]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ServiceRulesAdmin):
    """The review state changes only through measures/review.py (the measure's page): it is read-only
    here, and an approved entry cannot be changed here at all (it is reopened, with a reason, first)."""

    list_display = ["measure", "round", "status", "review_state", "updated_at"]
    list_filter = ["round", "status", "review_state"]
    search_fields = ["measure__title", "measure__plan__unit__name"]
    raw_id_fields = ["measure", "reported_by"]
    readonly_fields = ["review_state", "review_comment"]
    inlines = [ReviewEventInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.review_state not in EDITABLE:
            return False
        return super().has_change_permission(request, obj)



@admin.register(RoundDue)
class RoundDueAdmin(admin.ModelAdmin):
    list_display = ["unit", "fiscal_year", "round", "due_date"]
    list_filter = ["fiscal_year", "round"]
    autocomplete_fields = ["unit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        progress.refresh_unit_year(obj.unit_id, obj.fiscal_year)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        progress.refresh_unit_year(obj.unit_id, obj.fiscal_year)


@admin.register(OitProgress)
class OitProgressAdmin(ServiceRulesAdmin):
    list_display = ["plan", "item", "status"]
    list_filter = ["status", "plan__fiscal_year"]
    raw_id_fields = ["plan", "item"]


@admin.register(UnitYearProgress)
class UnitYearProgressAdmin(admin.ModelAdmin):
    """Derived figures (measures/progress.py): read them here, never edit them."""

    list_display = ["unit", "fiscal_year", "measure_count", "h1_reported", "h1_approved", "fy_reported", "fy_approved"]
    list_filter = ["fiscal_year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
