from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    OitItem,
    Recommendation,
    SubIndicator,
    Tool,
    ToolTotal,
)  # fmt: skip
from assessments.services import copy_framework, recompute
from ita_portal.forms import CleanTextMixin


class TypedTextForm(CleanTextMixin, forms.ModelForm):
    """A framework's wording is printed in the reports: what is typed or pasted in the admin is cleaned as
    everywhere else (ita_portal.forms.CleanTextMixin)."""


class ToolInline(admin.TabularInline):
    model = Tool
    form = TypedTextForm
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    form = TypedTextForm
    extra = 0
    fields = ["number", "name", "tool", "description"]


class SubIndicatorInline(admin.TabularInline):
    model = SubIndicator
    form = TypedTextForm
    extra = 0


class OitItemInline(admin.TabularInline):
    model = OitItem
    form = TypedTextForm
    extra = 0
    fields = ["code", "title", "components", "sub_indicator", "order"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})}}


class LevelBandInline(admin.TabularInline):
    model = LevelBand
    form = TypedTextForm
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    form = TypedTextForm
    list_display = ["fiscal_year", "pass_mark", "needs_verification", "oit_items_complete"]
    list_filter = ["needs_verification", "oit_items_complete"]
    inlines = [ToolInline, IndicatorInline, LevelBandInline, SubIndicatorInline, OitItemInline]
    readonly_fields = []
    actions = ["new_year_from_this"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("new_year_from_this", None)
        return actions

    @admin.action(description=_("New year's framework from this one"))
    def new_year_from_this(self, request, queryset):
        """The year after the latest framework, copied from the one selected (indicators, weights, bands,
        OIT items), marked "to be checked"."""
        if not request.user.is_superuser or queryset.count() != 1:
            self.message_user(request, gettext("Choose exactly one framework to copy."), messages.ERROR)
            return
        source = queryset.get()
        year = Framework.objects.aggregate(latest=Max("fiscal_year"))["latest"] + 1
        copy_framework(source.fiscal_year, year)
        self.message_user(
            request,
            gettext("The ITA framework of %(year)s was created from %(source)s; check it against the year's manual.")
            % {"year": year, "source": source.fiscal_year},
            messages.SUCCESS,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Bands or weights may have changed: stored levels and totals follow at once.
        for assessment in form.instance.assessments.all():
            recompute(assessment)


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0


class ToolTotalInline(admin.TabularInline):
    model = ToolTotal
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "fiscal_year", "total", "level", "passes", "official_total", "official_level"]
    list_filter = ["fiscal_year", "level", "passes", "unit__province"]
    search_fields = ["unit__name", "unit__slug"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["iit_total", "eit_total", "oit_total", "total", "level", "passes"]
    inlines = [IndicatorScoreInline, ToolTotalInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        recompute(form.instance)


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["assessment", "tool", "indicator"]
    search_fields = ["assessment__unit__name", "text"]
    verbose_name = _("recommendation")
