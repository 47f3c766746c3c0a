"""Sending the e-mails of notices: one at a time, or a person's batch of one kind as one e-mail."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import kinds
from notifications.models import Notification
from notifications.services import batch_delay, wants_email


def absolute(url: str) -> str:
    return url if not url or "://" in url else settings.SITE_URL + url


def _message(user, subject: str, items: list[Notification]) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "items": [{"n": n, "url": absolute(n.url)} for n in items],
            "preferences_url": absolute(reverse("notifications:preferences")),
        }
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def send_one(pk: int) -> bool:
    """E-mail one queued notice. Idempotent: a notice already sent (or no longer queued) is left alone.
    SMTP errors propagate (the task retries them); the row stays queued until it goes out."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("user").filter(pk=pk).first()
        if notification is None or notification.mail != Notification.Mail.QUEUED:
            return False
        _message(notification.user, notification.subject, [notification]).send()
        notification.mail, notification.mailed_at, notification.mail_error = Notification.Mail.SENT, timezone.now(), ""
        notification.save(update_fields=["mail", "mailed_at", "mail_error"])
    return True


def send_batch(user_id: int, kind: str) -> bool:
    """E-mail a person's waiting notices of a batched kind as one e-mail, unless their last e-mail of that
    kind went out less than NOTIFY_BATCH_SECONDS ago (then they wait for the next run)."""
    with transaction.atomic():
        # The person's row is the lock: two workers cannot both decide that the hour has passed.
        user = get_user_model().objects.select_for_update().filter(pk=user_id).first()
        if user is None or batch_delay(user_id, kind) > 0:
            return False
        waiting = list(Notification.objects.filter(user=user, kind=kind, mail=Notification.Mail.BATCHED).order_by("created_at", "id"))
        if not waiting:
            return False
        if not wants_email(user, kind):
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(mail=Notification.Mail.NONE)
            return False
        subject = waiting[0].subject
        if len(waiting) > 1:
            with translation.override(settings.LANGUAGE_CODE):
                subject = str(kinds.get(kind).digest_subject or _("%(count)s notices")) % {"count": len(waiting)}
        _message(user, subject, waiting).send()
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            mail=Notification.Mail.SENT, mailed_at=timezone.now(), mail_error=""
        )
    return True


def mark_failed(pk: int, error: str) -> None:
    Notification.objects.filter(pk=pk, mail=Notification.Mail.QUEUED).update(
        mail=Notification.Mail.FAILED, mail_error=error[:2000]
    )


def waiting_batches() -> list[tuple[int, str]]:
    return list(
        Notification.objects.filter(mail=Notification.Mail.BATCHED).order_by().values_list("user_id", "kind").distinct()
    )


def stale_queued(older_than_seconds: int = 600) -> list[int]:
    """Notices still queued long after they were recorded (their task was lost, e.g. the broker was down)."""
    since = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return list(Notification.objects.filter(mail=Notification.Mail.QUEUED, created_at__lt=since).values_list("pk", flat=True))
