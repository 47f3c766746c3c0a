"""notify(): record a notice for a person and queue its e-mail, honouring their preferences and batching.

The e-mail leaves after the caller's transaction commits (a rolled-back change tells nobody); sending is
a Celery task (notifications.tasks), eager in-process when no broker is configured.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from notifications import kinds
from notifications.models import EmailPreference, Notification


def wants_email(user, kind: str) -> bool:
    if not user.email or not user.is_active:
        return False
    row = EmailPreference.objects.filter(user=user, kind=kind).values_list("enabled", flat=True).first()
    return True if row is None else row


def set_preferences(user, enabled: dict[str, bool]) -> None:
    with transaction.atomic():
        for code, on in enabled.items():
            kinds.get(code)
            EmailPreference.objects.update_or_create(user=user, kind=code, defaults={"enabled": on})


def preferences(user) -> dict[str, bool]:
    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind.code: stored.get(kind.code, True) for kind in kinds.all_kinds()}


def batch_delay(user_id: int, kind: str, now: dt.datetime | None = None) -> float:
    """Seconds until this person may get the next e-mail of a batched kind (0: now)."""
    now = now or timezone.now()
    last = Notification.objects.filter(user_id=user_id, kind=kind, mail=Notification.Mail.SENT).aggregate(
        last=Max("mailed_at")
    )["last"]
    if last is None:
        return 0.0
    return max(0.0, (last + dt.timedelta(seconds=settings.NOTIFY_BATCH_SECONDS) - now).total_seconds())


def notify(user, kind: str, subject: str, text: str, html: str = "", url: str = "", once_key: str = ""):
    """Record a notice for `user`; e-mail it (now, or in the kind's batch) unless they turned it off.

    With `once_key`, a notice already recorded under that key for this person is not recorded or sent
    again: the call returns None.
    """
    spec = kinds.get(kind)
    mail = Notification.Mail.NONE
    if wants_email(user, kind):
        mail = Notification.Mail.BATCHED if spec.batched else Notification.Mail.QUEUED
    values = {"kind": kind, "subject": subject[:300], "text": text, "html": html, "url": url[:500], "mail": mail}
    with transaction.atomic():
        if once_key:
            notification, created = Notification.objects.get_or_create(user=user, once_key=once_key, defaults=values)
            if not created:
                return None
        else:
            notification = Notification.objects.create(user=user, **values)
    _queue_mail(notification)
    return notification


def _queue_mail(notification: Notification) -> None:
    from ita_portal.celery import dispatch
    from notifications import tasks

    if notification.mail == Notification.Mail.QUEUED:
        dispatch(tasks.send_notification, notification.pk)
    elif notification.mail == Notification.Mail.BATCHED:
        user_id, kind = notification.user_id, notification.kind
        # Eager, the batch is tried now (sent when the last e-mail of the kind is an hour old; otherwise
        # the notices wait for flush_batches); with a worker, it runs when the hour is over.
        dispatch(tasks.send_batch, user_id, kind, countdown=batch_delay(user_id, kind) + 1)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, ids) -> int:
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
