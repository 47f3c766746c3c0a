"""The overview table (django-tables2): sortable columns, exported as CSV and XLSX with the same rows."""

import django_tables2 as tables
from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext_lazy as _

from units.models import Unit

# Abbreviations Thai officials use for the kinds of unit (the full name stays in exports).
KIND_ABBREVIATIONS = {
    Unit.Kind.SAO: "อบต.",
    Unit.Kind.SUBDISTRICT_MUNICIPALITY: "ทต.",
    Unit.Kind.TOWN_MUNICIPALITY: "ทม.",
    Unit.Kind.CITY_MUNICIPALITY: "ทน.",
    Unit.Kind.PAO: "อบจ.",
}


def annotate_kind(units):
    """Each unit's kind abbreviation, computed by the database for the table."""
    return units.annotate(
        kind_abbreviation=Case(
            *[When(kind=kind, then=Value(abbreviation)) for kind, abbreviation in KIND_ABBREVIATIONS.items()],
            default=Value(""),
            output_field=CharField(),
        )
    )


class OverviewTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Unit"), order_by=("name", "pk"), linkify=("dashboards:unit", [tables.A("slug")])
    )
    # Abbreviation annotated by the query (annotate_kind): no per-cell Python call.
    kind = tables.Column(verbose_name=_("Kind"), accessor="kind_abbreviation", order_by=("kind",))
    district = tables.Column(verbose_name=_("District"))
    province = tables.Column(verbose_name=_("Province"))
    total = tables.Column(verbose_name=_("Total score"))
    level = tables.Column(verbose_name=_("Level"))
    passes = tables.BooleanColumn(verbose_name=_("Passed"), null=True)
    measure_count = tables.Column(verbose_name=_("Measures"))
    h1_approved = tables.Column(verbose_name=_("6-month approved"))
    fy_approved = tables.Column(verbose_name=_("12-month approved"))
    completeness = tables.Column(verbose_name=_("Completeness (%)"))
    is_late = tables.BooleanColumn(verbose_name=_("Late to report"))

    class Meta:
        model = Unit
        fields = ()
        sequence = (
            "name", "province", "district", "kind", "total", "level", "passes",
            "measure_count", "h1_approved", "fy_approved", "completeness", "is_late",
        )  # fmt: skip
        attrs = {"class": "table table-sm table-striped table-hover align-middle overview-table"}
        order_by = ("province", "district", "name")
        empty_text = _("No unit matches these filters.")
        template_name = "dashboards/_overview_table.html"
