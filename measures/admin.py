from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.models import Measure, MeasureStep, OitProgress, Plan, ProgressEntry, RoundDue


class MeasureStepInline(admin.TabularInline):
    model = MeasureStep
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "fiscal_year", "based_on_assessment"]
    list_filter = ["fiscal_year", "unit__province"]
    search_fields = ["unit__name", "unit__slug"]
    autocomplete_fields = ["unit"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan__fiscal_year"]
    search_fields = ["title", "plan__unit__name"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["owners", "indicators", "oit_items"]
    inlines = [MeasureStepInline]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "round", "status", "review_state", "updated_at"]
    list_filter = ["round", "status", "review_state"]
    search_fields = ["measure__title", "measure__plan__unit__name"]
    raw_id_fields = ["measure", "reported_by"]


@admin.register(RoundDue)
class RoundDueAdmin(admin.ModelAdmin):
    list_display = ["unit", "fiscal_year", "round", "due_date"]
    list_filter = ["fiscal_year", "round"]
    autocomplete_fields = ["unit"]


@admin.register(OitProgress)
class OitProgressAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "item", "status"]
    list_filter = ["status", "plan__fiscal_year"]
    raw_id_fields = ["plan", "item"]
