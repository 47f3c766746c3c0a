"""The inbox "งานของฉัน": what waits for the person, each item linking to where it is done."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from measures.inbox import inbox, remember_count
from notifications.models import Notification
from notifications.services import mark_read

RECENT_NOTICES = 20


@login_required
def my_tasks(request):
    today = timezone.localdate()
    box = inbox(request.user, today)
    remember_count(request.user, box.count)
    notices = list(Notification.objects.filter(user=request.user)[:RECENT_NOTICES])
    response = render(
        request,
        "measures/inbox.html",
        {"inbox": box, "today": today, "notices": notices, "inbox_count": box.count},
    )
    # Shown once as new, then read.
    mark_read(request.user, [n.pk for n in notices if n.read_at is None])
    return response
