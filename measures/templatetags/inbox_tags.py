"""{% inbox_count %}: the number in the navigation's "งานของฉัน" link (cached: measures.inbox.cached_count)."""

from django import template
from django.utils import timezone

from measures.inbox import cached_count

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_count(context) -> int:
    if "inbox_count" in context:
        return context["inbox_count"]
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    if not hasattr(request, "_inbox_count"):
        request._inbox_count = cached_count(request.user, timezone.localdate())
    return request._inbox_count
