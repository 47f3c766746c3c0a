"""A real Celery worker (Celery's WorkController, in a thread of the test process) consuming from Redis,
and a real SMTP listener (aiosmtpd on 127.0.0.1). `.ci/run` starts Redis when none answers; elsewhere the
tests are skipped when Redis is absent (CELERY_TEST_REQUIRED=1 makes that a failure instead)."""

import datetime as dt
import email
import os
import socket
import time
from email import policy
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse

from ita_portal.celery import app as celery_app
from measures.models import ProgressEntry, RoundDue
from measures.tasks import send_reminders_task
from notifications.models import Notification
from reports.models import PublishedReport, PublishJob
from tests import factories

BROKER = os.getenv("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")
pytestmark = pytest.mark.celery


def _reachable(url: str) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _wait(condition, seconds=120):
    # Not too eager: on SQLite the test thread's reads share the in-memory database with the worker's writes.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def _fresh_pools():
    """Celery keeps its connection and producer pools, built from the broker URL of their first use (even
    eager calls of apply_async build them, with the default amqp://localhost): the next use builds them
    from the URL now configured."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(transactional_db, monkeypatch):
    """Tasks go to Redis instead of running eagerly; the queue starts empty."""
    if not _reachable(BROKER):
        if os.getenv("CELERY_TEST_REQUIRED") == "1":
            pytest.fail(f"no Redis at {BROKER}")
        pytest.skip(f"no Redis at {BROKER}")
    previous = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url=BROKER, task_always_eager=False)
    _fresh_pools()
    celery_app.control.purge()
    from reports import tasks

    monkeypatch.setattr(tasks, "RETRY_SECONDS", 0.5)  # a database busy under load is retried soon
    yield celery_app
    celery_app.control.purge()
    celery_app.conf.update(**previous)
    _fresh_pools()


@pytest.fixture
def worker(broker):
    from celery.contrib.testing.worker import start_worker

    with start_worker(broker, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as running:
        yield running


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield handler
    controller.stop()


@pytest.fixture
def people(alice, bob, frank):
    for user in (alice, bob, frank):
        user.email = f"{user.username}@example.org"
        user.save()
    return alice, bob, frank


def test_a_publish_is_queued_then_completed_by_the_worker(broker, login, alice, unit_a):
    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    factories.plan(unit_a, 2568, measures=2)
    url = reverse("reports:publish", args=["unit-a", "results", 2568, "FY"])
    client = login(alice)
    assert client.post(url).status_code == 302
    # No worker yet: the job waits in Redis, and the page says so and refreshes itself.
    job = PublishJob.objects.get()
    assert job.state == "queued" and not PublishedReport.objects.exists()
    page = client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "รอคิว" in page

    from celery.contrib.testing.worker import start_worker

    with start_worker(broker, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        assert _wait(lambda: PublishJob.objects.get().state == "done")
    job.refresh_from_db()
    assert job.report.version == 1 and job.attempts == 1
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page
    response = client.get(reverse("public:version_pdf", args=["unit-a", job.report.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_return_mails_the_reporter_over_smtp(worker, smtp, people, unit_a, login):
    alice, bob, _frank = people
    plan = factories.plan(unit_a, 2568, measures=1, approved_round=None)
    measure = plan.measures.get()
    entry = ProgressEntry.objects.create(
        measure=measure, round="H1", status="in_progress", result="ทำแล้วบางส่วน",
        review_state=ProgressEntry.Review.SUBMITTED, reported_by=bob,
    )
    url = reverse("measures:entry_review", args=["unit-a", measure.pk, "H1", "return"])
    response = login(alice).post(url, {"version": entry.version, "comment": "โปรดแนบรายชื่อผู้เข้าร่วมโครงการ"})
    assert response.status_code == 302
    assert _wait(lambda: smtp.messages, 30)
    [(recipients, message)] = smtp.messages
    assert recipients == ["bob@example.org"]
    assert message["Subject"].strip() == "ส่งกลับให้แก้ไข: มาตรการที่ 1 รอบ 6 เดือน"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "โปรดแนบรายชื่อผู้เข้าร่วมโครงการ" in text and "โปรดแนบรายชื่อผู้เข้าร่วมโครงการ" in html
    assert _wait(lambda: Notification.objects.get(user=bob).mail == Notification.Mail.SENT, 10)


def test_reminders_through_the_worker_reach_the_right_people_once(worker, smtp, people, unit_a):
    plan = factories.plan(unit_a, 2568, measures=2, approved_round=None)
    plan.measures.get(number="2").owners.set([unit_a.departments.get(name="กองช่าง")])
    RoundDue.objects.create(unit=unit_a, fiscal_year=2568, round="H1", due_date=dt.date(2025, 4, 30))
    send_reminders_task.delay("2025-04-23")
    assert _wait(lambda: len(smtp.messages) >= 2, 30)
    call_command("send_reminders", "--date", "2025-04-23")  # again, from the command line: nothing new
    send_reminders_task.delay("2025-04-23")
    time.sleep(1.5)
    assert sorted(r[0] for r, _m in smtp.messages) == ["bob@example.org", "frank@example.org"]
    frank_mail = next(m for r, m in smtp.messages if r == ["frank@example.org"]).get_body(("plain",)).get_content()
    assert "- 2 " in frank_mail and "- 1 " not in frank_mail


def test_a_transient_failure_is_retried_by_the_worker(broker, login, alice, unit_a, monkeypatch):
    from django.db import OperationalError

    from reports import publishing

    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    factories.plan(unit_a, 2568, measures=1)
    real, calls = publishing.publish, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("the database went away for a moment")
        return real(*args, **kwargs)

    monkeypatch.setattr(publishing, "publish", flaky)
    login(alice).post(reverse("reports:publish", args=["unit-a", "results", 2568, "FY"]))
    from celery.contrib.testing.worker import start_worker

    with start_worker(broker, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        assert _wait(lambda: PublishJob.objects.get().state == "done")
    job = PublishJob.objects.get()
    assert (job.attempts, len(calls), PublishedReport.objects.count()) == (2, 2, 1)
