import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import ProgressEntry, Round, Status
from measures.status import overdue_q


class MeasureFilter(django_filters.FilterSet):
    round = django_filters.ChoiceFilter(label=_("Round"), choices=Round.choices, method="filter_nothing", empty_label=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, field_name="current_status")
    department = django_filters.ModelChoiceFilter(label=_("Department"), field_name="owners", queryset=None)
    indicator = django_filters.NumberFilter(label=_("Indicator"), field_name="indicators__number")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    review = django_filters.ChoiceFilter(label=_("Review"), choices=ProgressEntry.Review.choices, method="filter_review")

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = unit.departments.order_by("order", "name")

    @property
    def round_code(self):
        value = self.form.cleaned_data.get("round") if self.form.is_valid() else None
        return value or Round.FY

    def filter_nothing(self, queryset, name, value):
        return queryset  # the round chooses which entry the table shows

    def filter_overdue(self, queryset, name, value):
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_review(self, queryset, name, value):
        return queryset.filter(entries__round=self.round_code, entries__review_state=value)
