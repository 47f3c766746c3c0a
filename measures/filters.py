import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import CompactSelect
from measures import search
from measures.lateness import overdue_q
from measures.models import Round
from measures.status import ReviewState, Status

# The measures whose entry for the round is missing or not approved: those a round late to report lacks
# (measures/lateness.py), where the dashboard's "late" links.
NOT_APPROVED = "not_approved"


class MeasureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    round = django_filters.ChoiceFilter(label=_("Round"), choices=Round.choices, method="filter_nothing", empty_label=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, field_name="current_status")
    department = django_filters.ModelChoiceFilter(label=_("Department"), field_name="owners", queryset=None)
    indicator = django_filters.NumberFilter(label=_("Indicator"), field_name="indicators__number")
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), choices=[("1", _("Overdue")), ("0", _("Not overdue"))], method="filter_overdue"
    )
    review = django_filters.ChoiceFilter(
        label=_("Review"),
        choices=[*ReviewState.choices, (NOT_APPROVED, _("Not approved yet"))],
        method="filter_review",
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = unit.departments.order_by("order", "name")
        self.filters["round"].extra["initial"] = Round.FY  # what the table shows until a round is chosen
        self.form.fields["q"].widget.input_type = "search"
        self.form.fields["q"].widget.attrs["placeholder"] = _("title, step or result")
        for name, field in self.form.fields.items():
            if hasattr(field, "choices"):
                field.widget = CompactSelect(choices=field.choices)
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm" + ("" if name == "q" else " input-narrow")

    @property
    def round_code(self):
        value = self.form.cleaned_data.get("round") if self.form.is_valid() else None
        return value or Round.FY

    def filter_text(self, queryset, name, value):
        return queryset.filter(search.matching(value))

    def filter_nothing(self, queryset, name, value):
        return queryset  # the round chooses which entry the table shows

    def filter_overdue(self, queryset, name, value):
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value == "1" else queryset.exclude(q)

    def filter_review(self, queryset, name, value):
        if value == NOT_APPROVED:
            return queryset.exclude(entries__round=self.round_code, entries__review_state=ReviewState.APPROVED)
        return queryset.filter(entries__round=self.round_code, entries__review_state=value)
