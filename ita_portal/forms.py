"""Form pieces shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal import thai
from ita_portal.params import parse_int
from ita_portal.text import normalise_text


class CleanTextMixin:
    """Every typed value goes through ita_portal.text.normalise_text (Word's \x0b, NUL, BOM, a browser's
    CRLF …) before the fields see it, so a pasted NUL is dropped rather than refused."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for key in list(data.keys()):
                data.setlist(key, [normalise_text(value) for value in data.getlist(key)])
        super().__init__(data, *args, **kwargs)


class BEDateInput(forms.TextInput):
    """A text input showing dates as d/m/B.E. year (1/10/2567)."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("dd/mm/yyyy (B.E.)"), "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "year"):
            return thai.format_be_date_input(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    """Dates typed in the Buddhist Era: "1/10/2567" means 2024-10-01. Every form uses this field."""

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("Enter a date as day/month/B.E. year, e.g. 1/10/2567."),
        "format": _("Enter a date as day/month/B.E. year, e.g. 1/10/2567."),
        "not_be": _("Enter the year in the Buddhist Era (B.E.), e.g. 2567."),
        "no_such_date": _("This date does not exist in the calendar."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return thai.parse_be_date(str(value))
        except thai.BEDateError as exc:
            raise forms.ValidationError(self.error_messages[exc.code], code=exc.code) from exc

    def strptime(self, value, format):  # pragma: no cover - to_python handles every input
        return thai.parse_be_date(value)


class CompactSelect(forms.Select):
    """A select whose options are written by one template loop: Django's own renders a sub-template per
    option, which costs milliseconds on a province list of 77 choices shown on every overview page."""

    template_name = "ita_portal/widgets/select.html"


class IdListField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses ids outside the database's integer range with the field's
    own error before querying: an IN list holding such an id makes SQLite raise OverflowError and
    PostgreSQL an out-of-range error, which would answer 500 to a tampered form."""

    LIMIT = 2**63
    default_error_messages = {
        "invalid_pk_value": _("“%(pk)s” is not one of the choices: choose from the list."),
    }

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                text = str(pk).strip()
                # ASCII digits only (ita_portal.params): "²".isdigit() is true and int("²") raises.
                if parse_int(text.removeprefix("-"), maximum=self.LIMIT - 1) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)
