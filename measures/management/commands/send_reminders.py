"""manage.py send_reminders [--date YYYY-MM-DD]: the day's round reminders (Celery beat runs it daily)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from measures.notices import send_reminders


class Command(BaseCommand):
    help = "E-mail editors about rounds due in 7 days and tomorrow, and unit administrators about yesterday's overdue rounds."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for (A.D., YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        counts = send_reminders(day)
        self.stdout.write(
            f"{day.isoformat()}: {counts['due_7']} reminders of rounds due in 7 days, {counts['due_1']} due tomorrow, "
            f"{counts['overdue']} overdue lists"
        )
