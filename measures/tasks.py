"""Celery tasks of measures: the daily reminders (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from measures.notices import send_reminders


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def send_reminders_task(day: str = "") -> dict:
    """Idempotent: each reminder is recorded once per person, so a retry or a second run sends nothing twice."""
    import datetime as dt

    return send_reminders(dt.date.fromisoformat(day) if day else timezone.localdate())
