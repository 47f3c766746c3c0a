"""Template filters over ita_portal.thai, loaded as builtins in every template.

Reports pass `digit_style` / `date_style` from their options; pages use the defaults.
"""

from django import forms, template
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from ita_portal import thai

register = template.Library()


@register.filter
def bedate(value, style=thai.DATE_FULL):
    """{{ d|bedate }} → ๑ ตุลาคม ๒๕๖๗; {{ d|bedate:"abbr" }} → ๑ ต.ค. ๖๗."""
    return thai.format_date(value, style or thai.DATE_FULL)


@register.filter
def bedatetime(value):
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return thai.format_datetime(value)


@register.filter
def thaidigits(value):
    """{{ 12|thaidigits }} → ๑๒: a number beside a date in Thai digits (the public report header)."""
    return thai.thai_digits(value)


@register.filter
def score(value, style=thai.DIGITS_ARABIC):
    """Scores keep two decimals, rounded half up; Arabic digits on pages unless asked."""
    if value is None or value == "":
        return "ไม่มีข้อมูล"
    return thai.format_decimal(value, 2, style or thai.DIGITS_ARABIC)


@register.filter
def field_label(name, instance):
    """A model field's Thai label for history lists ("owners" → ผู้รับผิดชอบ); the name when unknown."""
    try:
        return capfirst(instance._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the history row was written
        return name


@register.filter
def history_value(value):
    """A value of a history diff: the text, or for a many-to-many change the number of links."""
    if isinstance(value, list | tuple):
        return gettext("%(count)s linked") % {"count": len(value)}
    return "" if value is None else value


@register.filter
def a11y_widget(field):
    """The field's widget with Bootstrap's class for its kind, `is-invalid` and aria-invalid when it has
    errors, and aria-describedby naming its errors and help (ids <id>_errors and <id>_helptext, as written by
    templates/_field.html), so that a screen reader reads the error with the field."""
    widget = field.field.widget
    css = widget.attrs.get("class", "")
    if not css and not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
    described = []
    if field.errors:
        described.append(f"{field.auto_id}_errors")
        css = f"{css} is-invalid".strip()
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    attrs = {"class": css} if css else {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
