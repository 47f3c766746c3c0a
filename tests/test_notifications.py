"""Notices in the portal and by e-mail (eager Celery, Django's locmem outbox), reminders, the inbox."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ita_portal.celery import app as celery_app
from measures import inbox, notices, services
from measures.models import ProgressEntry, RoundDue
from notifications import services as notify_services
from notifications import tasks
from notifications.models import EmailPreference, Notification
from tests import factories
from units.permissions import get_unit_access


@pytest.fixture
def people(alice, bob, frank, charlie):
    for user in (alice, bob, frank, charlie):
        user.email = f"{user.username}@example.org"
        user.save()
    return {"alice": alice, "bob": bob, "frank": frank, "charlie": charlie}


@pytest.fixture
def plan(unit_a, people):
    """Three measures of 2568 with no entries; measure 3 is owned by กองช่าง (frank's department)."""
    item = factories.plan(unit_a, 2568, measures=3, approved_round=None)
    item.measures.get(number="3").owners.set([unit_a.departments.get(name="กองช่าง")])
    return item


def _entry(plan, number, state, reporter, round_code="H1"):
    return ProgressEntry.objects.create(
        measure=plan.measures.get(number=number), round=round_code, status="in_progress", percent=40,
        result="ดำเนินการแล้วบางส่วน", review_state=state, reported_by=reporter,
    )


def test_eager_without_a_broker(settings):
    assert not settings.CELERY_BROKER_URL
    assert celery_app.conf.task_always_eager


def test_a_return_mails_the_reporter_in_thai_with_the_comment(plan, people, django_capture_on_commit_callbacks):
    entry = _entry(plan, "1", ProgressEntry.Review.SUBMITTED, people["bob"])
    access = get_unit_access(people["alice"], plan.unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_entry(entry, access, version=entry.version, comment="กรุณาแนบหลักฐานภาพถ่ายกิจกรรม")
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    assert message.subject == "ส่งกลับให้แก้ไข: มาตรการที่ 1 รอบ 6 เดือน"
    assert "กรุณาแนบหลักฐานภาพถ่ายกิจกรรม" in message.body and "อลิส" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "กรุณาแนบหลักฐานภาพถ่ายกิจกรรม" in html
    assert f"/u/unit-a/plans/measures/{entry.measure.pk}/H1/" in message.body
    notice = Notification.objects.get(user=people["bob"])
    assert notice.mail == Notification.Mail.SENT and notice.mailed_at is not None


def test_an_approval_mails_the_reporter(plan, people):
    entry = _entry(plan, "2", ProgressEntry.Review.SUBMITTED, people["bob"])
    notices.entry_approved(entry, people["alice"])
    [message] = mail.outbox
    assert message.to == ["bob@example.org"] and message.subject.startswith("อนุมัติแล้ว")


def test_a_kind_turned_off_is_recorded_but_not_mailed(plan, people, login):
    client = login(people["bob"])
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and "ส่งกลับให้แก้ไข" in page.content.decode()
    # Everything on except returned entries.
    client.post(reverse("notifications:preferences"), {"entry_approved": "on", "round_due": "on"})
    assert not notify_services.wants_email(people["bob"], notices.ENTRY_RETURNED)
    assert EmailPreference.objects.get(user=people["bob"], kind=notices.ENTRY_RETURNED).enabled is False
    entry = _entry(plan, "1", ProgressEntry.Review.RETURNED, people["bob"])
    notices.entry_returned(entry, people["alice"], "แก้ไขตัวเลข")
    assert mail.outbox == []
    assert Notification.objects.get(user=people["bob"]).mail == Notification.Mail.NONE


def test_submissions_reach_reviewers_at_most_once_an_hour(plan, people):
    for number in ("1", "2", "3"):
        entry = _entry(plan, number, ProgressEntry.Review.SUBMITTED, people["bob"])
        notices.entry_submitted(entry, people["bob"])
    # alice (the unit's administrator) reviews; the first notice goes at once, the others wait.
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert Notification.objects.filter(user=people["alice"], mail=Notification.Mail.BATCHED).count() == 2
    assert tasks.flush_batches() == 0  # the hour is not over
    Notification.objects.filter(mail=Notification.Mail.SENT).update(mailed_at=timezone.now() - dt.timedelta(hours=1, seconds=1))
    assert tasks.flush_batches() == 1
    digest = mail.outbox[1]
    assert digest.subject == "มีรายงานผล 2 รายการรอการตรวจของท่าน"
    assert "มาตรการที่ 2" in digest.body and "มาตรการที่ 3" in digest.body
    assert tasks.flush_batches() == 0 and len(mail.outbox) == 2


def test_reminders_reach_the_right_people_once(plan, people, unit_a):
    RoundDue.objects.create(unit=unit_a, fiscal_year=2568, round="H1", due_date=dt.date(2025, 4, 30))
    _entry(plan, "1", ProgressEntry.Review.SUBMITTED, people["bob"])  # reported: not reminded

    call_command("send_reminders", "--date", "2025-04-23")  # 7 days before
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"bob@example.org", "frank@example.org"}  # editors only
    assert by_person["bob@example.org"].subject == "อีก 7 วัน: รอบ 6 เดือน ปีงบประมาณ 2568 ครบกำหนด (30 เมษายน 2568)"
    assert "- 2 " in by_person["bob@example.org"].body and "- 3 " in by_person["bob@example.org"].body
    assert "- 1 " not in by_person["bob@example.org"].body
    assert "- 3 " in by_person["frank@example.org"].body and "- 2 " not in by_person["frank@example.org"].body

    call_command("send_reminders", "--date", "2025-04-23")  # again: nothing new
    assert len(mail.outbox) == 2
    call_command("send_reminders", "--date", "2025-04-29")  # tomorrow
    assert [m.subject.split(":")[0] for m in mail.outbox[2:]] == ["พรุ่งนี้", "พรุ่งนี้"]
    call_command("send_reminders", "--date", "2025-05-01")  # the day after: the administrator's list
    [overdue] = mail.outbox[4:]
    assert overdue.to == ["alice@example.org"] and overdue.subject.startswith("เลยกำหนด")
    assert "- 2 " in overdue.body and "- 3 " in overdue.body
    call_command("send_reminders", "--date", "2025-05-01")
    call_command("send_reminders", "--date", "2025-04-25")  # no round due in 7 days or tomorrow
    assert len(mail.outbox) == 5


def test_default_due_dates_drive_reminders_without_own_dates(plan, people):
    # No RoundDue: the 12-month round of 2568 is due on 31 October 2025 (measures.rounds).
    call_command("send_reminders", "--date", "2025-10-30")
    assert {m.to[0] for m in mail.outbox} == {"bob@example.org", "frank@example.org"}
    assert all("รอบ 12 เดือน" in m.subject for m in mail.outbox)


def test_the_inbox_lists_each_role_its_work(plan, people, login, unit_a):
    RoundDue.objects.create(unit=unit_a, fiscal_year=2568, round="H1", due_date=timezone.localdate() + dt.timedelta(days=5))
    submitted = _entry(plan, "1", ProgressEntry.Review.SUBMITTED, people["bob"])
    returned = _entry(plan, "2", ProgressEntry.Review.RETURNED, people["bob"])
    returned.review_comment = "ขาดเอกสารแนบ"
    returned.save()
    today = timezone.localdate()

    admin = inbox.inbox(people["alice"], today)
    assert [e.pk for e in admin.to_review] == [submitted.pk] and admin.returned == []
    editor = inbox.inbox(people["bob"], today)
    assert editor.to_review == [] and [e.pk for e in editor.returned] == [returned.pk]
    [due] = editor.due
    assert (due.round, [m.number for m in due.measures]) == ("H1", ["2", "3"])
    limited = inbox.inbox(people["frank"], today)
    assert [m.number for d in limited.due for m in d.measures] == ["3"]
    assert inbox.inbox(people["charlie"], today).count == 0  # executives read; nothing waits for them

    page = login(people["bob"]).get(reverse("inbox"))
    text = page.content.decode()
    assert page.status_code == 200 and "ขาดเอกสารแนบ" in text
    assert reverse("measures:entry", args=["unit-a", returned.measure.pk, "H1"]) in text
    assert f'aria-label="{editor.count} งาน"' in text  # the count in the navigation
    page = login(people["alice"]).get(reverse("home"))
    assert reverse("measures:detail", args=["unit-a", submitted.measure.pk]) not in page.content.decode()
    assert f'aria-label="{admin.count} งาน"' in page.content.decode()
    # The count is cached; a new submission for alice to review makes it count again.
    notices.entry_submitted(_entry(plan, "3", ProgressEntry.Review.SUBMITTED, people["frank"], "FY"), people["frank"])
    page = login(people["alice"]).get(reverse("home"))
    assert f'aria-label="{admin.count + 1} งาน"' in page.content.decode()


def test_notices_show_in_the_inbox_and_are_then_read(plan, people, login):
    entry = _entry(plan, "1", ProgressEntry.Review.RETURNED, people["bob"])
    notices.entry_returned(entry, people["alice"], "แก้ไข")
    assert notify_services.unread_count(people["bob"]) == 1
    assert "ส่งกลับให้แก้ไข: มาตรการที่ 1" in login(people["bob"]).get(reverse("inbox")).content.decode()
    assert notify_services.unread_count(people["bob"]) == 0


def test_review_through_the_pages_tells_each_person_after_commit(plan, people, login, django_capture_on_commit_callbacks):
    """submit → the administrator; return (with the comment) → the reporter; approve → the reporter."""
    measure = plan.measures.get(number="1")
    entry_url = reverse("measures:entry", args=["unit-a", measure.pk, "H1"])
    review_url = lambda action: reverse("measures:entry_review", args=["unit-a", measure.pk, "H1", action])  # noqa: E731
    fields = {"status": "in_progress", "percent": "40", "result": "จัดอบรมแล้ว 1 ครั้ง", "submit": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        assert login(people["bob"]).post(entry_url, fields).status_code == 302
    assert [m.to for m in mail.outbox] == [["alice@example.org"]] and "รอการตรวจของท่าน" in mail.outbox[0].subject

    entry = ProgressEntry.objects.get(measure=measure, round="H1")
    with django_capture_on_commit_callbacks(execute=True):
        login(people["alice"]).post(review_url("return"), {"version": entry.version, "comment": "เพิ่มจำนวนผู้เข้าร่วม"})
    returned = mail.outbox[-1]
    assert returned.to == ["bob@example.org"] and "เพิ่มจำนวนผู้เข้าร่วม" in returned.body

    entry.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        login(people["bob"]).post(review_url("submit"), {"version": entry.version})
    entry.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        login(people["alice"]).post(review_url("approve"), {"version": entry.version})
    assert mail.outbox[-1].to == ["bob@example.org"] and mail.outbox[-1].subject.startswith("อนุมัติแล้ว")
    # A refused transition (approving twice) tells nobody.
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        login(people["alice"]).post(review_url("approve"), {"version": entry.version + 1})
    assert len(mail.outbox) == count


def test_an_unreachable_smtp_server_marks_the_notice_failed_and_it_is_not_lost(plan, people, settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", port, False, 2
    entry = _entry(plan, "1", ProgressEntry.Review.RETURNED, people["bob"])
    notices.entry_returned(entry, people["alice"], "แก้ไข")
    notice = Notification.objects.get(user=people["bob"])
    # Eager (no broker), a failure is recorded at once instead of holding the request through retries.
    assert notice.mail == Notification.Mail.FAILED and "ConnectionRefusedError" in notice.mail_error
    assert notify_services.unread_count(people["bob"]) == 1  # still in the inbox


def test_sending_is_idempotent_and_lost_tasks_are_queued_again(plan, people):
    from notifications import mailer

    entry = _entry(plan, "1", ProgressEntry.Review.RETURNED, people["bob"])
    notices.entry_returned(entry, people["alice"], "แก้ไข")
    notice = Notification.objects.get(user=people["bob"])
    assert mailer.send_one(notice.pk) is False and len(mail.outbox) == 1  # already sent: not again
    # A notice whose task was lost (the broker was down) stays queued; the periodic flush sends it.
    Notification.objects.filter(pk=notice.pk).update(mail=Notification.Mail.QUEUED, created_at=timezone.now() - dt.timedelta(hours=1))
    tasks.flush_batches()
    assert len(mail.outbox) == 2 and Notification.objects.get(pk=notice.pk).mail == Notification.Mail.SENT
