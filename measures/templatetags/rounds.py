"""{% load rounds %}: a reporting round's Thai name in place of its code."""

from django import template

from measures.rounds import Round

register = template.Library()


@register.filter
def round_label(code):
    """รอบ 6 เดือน for H1; "" for the reports that have no round."""
    return Round(code).label if code in Round.values else (code or "")
