"""Filters of the overview table (django-filter), over units annotated by overview_data.annotate_year."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from dashboards.overview_data import Completeness, filter_completeness
from ita_portal.forms import CompactSelect
from measures import search
from measures.models import Measure
from units.models import Unit

COMPLETENESS_CHOICES = [
    (Completeness.COMPLETE, _("Every round approved")),
    (Completeness.ON_TIME, _("Not late")),
    (Completeness.LATE, _("Late to report")),
    (Completeness.NO_PLAN, _("No plan")),
]
PASS_CHOICES = [("yes", _("Passed")), ("no", _("Did not pass")), ("none", _("No result"))]


class OverviewFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(label=_("Province"), choices=[], widget=CompactSelect)
    district = django_filters.CharFilter(label=_("District"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Unit.Kind.choices, widget=CompactSelect)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=[], field_name="level", widget=CompactSelect)
    passes = django_filters.ChoiceFilter(
        label=_("Pass"), choices=PASS_CHOICES, method="filter_passes", widget=CompactSelect
    )
    completeness = django_filters.ChoiceFilter(
        label=_("Reporting completeness"), choices=COMPLETENESS_CHOICES, method="filter_completeness", widget=CompactSelect
    )
    name = django_filters.CharFilter(label=_("Unit name"), lookup_expr="icontains")
    q = django_filters.CharFilter(label=_("Search measures"), method="filter_measures")

    class Meta:
        model = Unit
        fields = ["province", "district", "kind", "level", "passes", "completeness", "name", "q"]

    def __init__(self, *args, provinces=(), levels=(), fiscal_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        self.filters["province"].extra["choices"] = [(p, p) for p in provinces]
        self.filters["level"].extra["choices"] = [(level, level) for level in levels]
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def filter_passes(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(passes=True)
        if value == "no":
            return queryset.filter(passes=False)
        if value == "none":
            return queryset.filter(passes__isnull=True)
        return queryset

    def filter_measures(self, queryset, name, value):
        """Units whose plan of the year has a measure with the words in its title, steps or results."""
        measures = Measure.objects.filter(plan__unit=OuterRef("pk"), plan__fiscal_year=self.fiscal_year)
        return queryset.filter(Exists(measures.filter(search.matching(value))))

    def filter_completeness(self, queryset, name, value):
        return filter_completeness(queryset, value)
