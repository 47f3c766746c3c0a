import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ita_portal import thai
from measures.lateness import is_overdue
from measures.models import Measure, Status


class MeasureTable(tables.Table):
    number = tables.Column(verbose_name=_("No."), order_by=("sort_key",))
    title = tables.Column(verbose_name=_("Measure"), linkify=lambda record: record.get_absolute_url())
    owners = tables.Column(verbose_name=_("Responsible"), empty_values=(), orderable=False)
    period = tables.Column(verbose_name=_("Period"), empty_values=(), order_by=("end",))
    current_status = tables.Column(verbose_name=_("Status"))
    round_entry = tables.Column(verbose_name=_("This round"), empty_values=(), orderable=False)
    overdue = tables.Column(verbose_name=_("Overdue"), empty_values=(), orderable=False)
    # In the CSV and XLSX only: the period's dates as dates (the model fields' names as headers).
    start = tables.Column(visible=False)
    end = tables.Column(visible=False)

    class Meta:
        model = Measure
        fields = ["number", "title", "owners", "period", "current_status", "round_entry", "overdue", "start", "end"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = "number"

    def __init__(self, *args, round_code, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.round_code = round_code
        self.today = today

    def render_owners(self, record):
        return record.owner_text or " ".join(d.name for d in record.owners.all())

    def value_owners(self, record):
        return self.render_owners(record)

    def render_period(self, record):
        return record.period_text or thai.format_period(record.start, record.end, thai.DATE_ABBR, thai.DIGITS_ARABIC)

    def value_period(self, record):
        return self.render_period(record)

    def render_current_status(self, value):
        return format_html('<span class="badge badge-status-{}">{}</span>', value, Status(value).label)

    def value_current_status(self, value):
        return str(Status(value).label)

    def _entry(self, record):
        return next((e for e in record.entries.all() if e.round == self.round_code), None)

    def render_round_entry(self, record):
        entry = self._entry(record)
        if entry is None:
            return _("Not reported")
        return f"{entry.get_status_display()} · {entry.get_review_state_display()}"

    def value_round_entry(self, record):
        return str(self.render_round_entry(record))

    def render_overdue(self, record):
        return _("Overdue") if is_overdue(record.end, record.current_status, self.today) else ""

    def value_overdue(self, record):
        return str(self.render_overdue(record))
