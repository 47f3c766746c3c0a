"""Celery tasks of notifications: idempotent, retried on transient SMTP and network errors."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from notifications import mailer

logger = logging.getLogger(__name__)

# smtplib's errors are OSErrors, like refused connections and time-outs: transient, retried. Refused
# recipients are permanent (retrying would not help).
TRANSIENT = (OSError,)
PERMANENT = (smtplib.SMTPRecipientsRefused,)
MAX_RETRIES = 5


def _retry_or_fail(task, exc, on_fail):
    # Eager (no broker): the request that queued it would wait through the back-off; fail at once instead.
    if task.request.is_eager or task.request.retries >= MAX_RETRIES:
        on_fail(f"{type(exc).__name__}: {exc}")
        return
    raise task.retry(exc=exc, countdown=min(600, 30 * 2**task.request.retries))


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_notification(self, pk: int) -> bool:
    try:
        return mailer.send_one(pk)
    except PERMANENT as exc:
        mailer.mark_failed(pk, f"{type(exc).__name__}: {exc}")
    except TRANSIENT as exc:
        _retry_or_fail(self, exc, lambda error: mailer.mark_failed(pk, error))
    return False


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_batch(self, user_id: int, kind: str) -> bool:
    try:
        return mailer.send_batch(user_id, kind)
    except TRANSIENT as exc:
        # The notices stay waiting: flush_batches (beat, every few minutes) picks them up again.
        _retry_or_fail(self, exc, lambda error: None)
    return False


@shared_task
def flush_batches() -> int:
    """Send every batch whose waiting time is over (beat runs this every five minutes), and queue again
    the notices whose task was lost."""
    for pk in mailer.stale_queued():
        send_notification.delay(pk)
    sent = 0
    for user_id, kind in mailer.waiting_batches():
        try:
            sent += mailer.send_batch(user_id, kind)
        except TRANSIENT:
            logger.warning("batch for user %s (%s) not sent; next run retries", user_id, kind, exc_info=True)
    return sent
