"""{{ value|keep:doc.options.words }}: a report's text with names and "พ.ศ. ๒๕๖๖" kept on one line."""

from django import template

from reports.text import keep_together

register = template.Library()


@register.filter
def keep(value, words=()):
    return keep_together(value, tuple(words or ()))


@register.filter
def is_list(value):
    return isinstance(value, list)
