"""Template filters over ita_portal.thai, loaded as builtins in every template.

Reports pass `digit_style` / `date_style` from their options; pages use the defaults.
"""

from django import template
from django.utils import timezone

from ita_portal import thai

register = template.Library()


@register.filter
def thaidigits(value, style=thai.DIGITS_THAI):
    return thai.digits(value, style or thai.DIGITS_THAI)


@register.filter
def bedate(value, style=thai.DATE_FULL):
    """{{ d|bedate }} → ๑ ตุลาคม ๒๕๖๗; {{ d|bedate:"abbr" }} → ๑ ต.ค. ๖๗."""
    return thai.format_date(value, style or thai.DATE_FULL)


@register.filter
def bedate_arabic(value, style=thai.DATE_FULL):
    return thai.format_date(value, style or thai.DATE_FULL, thai.DIGITS_ARABIC)


@register.filter
def bedatetime(value):
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return thai.format_datetime(value)


@register.filter
def score(value, style=thai.DIGITS_ARABIC):
    """Scores keep two decimals, rounded half up; Arabic digits on pages unless asked."""
    if value is None or value == "":
        return "ไม่มีข้อมูล"
    return thai.format_decimal(value, 2, style or thai.DIGITS_ARABIC)


@register.filter
def thainumber(value, places=0):
    if value is None or value == "":
        return ""
    if int(places):
        return thai.format_decimal(value, int(places), thai.DIGITS_THAI)
    return thai.format_integer(value, thai.DIGITS_THAI)


@register.filter
def beyear(value, style=thai.DIGITS_ARABIC):
    """Fiscal years are stored in B.E. already; this only sets the digits."""
    return thai.digits(value, style or thai.DIGITS_ARABIC)


@register.filter
def round_label(code):
    """A reporting round's Thai name (รอบ 6 เดือน) instead of its code (H1); "" for kinds without rounds."""
    from measures.models import Round

    return Round(code).label if code in Round.values else (code or "")


@register.filter
def field_label(name, instance):
    """A model field's Thai label for history lists ("owners" → ผู้รับผิดชอบ); the name when unknown."""
    from django.utils.text import capfirst

    try:
        return capfirst(instance._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the history row was written
        return name


@register.filter
def history_value(value):
    """A value of a history diff: the text, or for a many-to-many change the number of links."""
    from django.utils.translation import gettext

    if isinstance(value, list | tuple):
        return gettext("%(count)s linked") % {"count": len(value)}
    return "" if value is None else value
