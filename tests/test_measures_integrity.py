"""Entry validation, pasted text, evidence names, OIT locking and first-save races (issue 11)."""

import hashlib
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from measures import services
from measures.models import EvidenceFile, Measure, OitProgress, ProgressEntry
from tests import factories
from units.permissions import get_unit_access


def post_entry(client, measure, **data):
    payload = {"status": "in_progress", "percent": "", "result": "ผล", "outcome": "", "problems": "", "suggestions": "", "links": ""}
    payload.update(data)
    return client.post(reverse("measures:entry", args=["unit-a", measure.pk, "H1"]), payload)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "in_progress", "result": "", "submit": "1"}, "ผลการดำเนินการ: กรุณาระบุผลการดำเนินการก่อนส่งตรวจ"),
        ({"status": "done", "result": "", "submit": "1"}, "ผลการดำเนินการ: กรุณาระบุผลการดำเนินการก่อนส่งตรวจ"),
        ({"status": "", "submit": "1"}, "สถานะ: กรุณาเลือกสถานะ"),
        ({"status": "done", "percent": "20"}, "ร้อยละความสำเร็จ: มาตรการที่ดำเนินการแล้วต้องเป็นร้อยละ 100"),
        ({"status": "not_started", "percent": "80"}, "ร้อยละความสำเร็จ: มาตรการที่ยังไม่ได้ดำเนินการต้องเป็นร้อยละ 0"),
        ({"reported_on": "1/1/2575"}, "วันที่รายงาน: ต้องไม่เป็นวันหลังจากวันนี้"),
        ({"reported_on": "30/9/2567"}, "วันที่รายงาน: ต้องไม่ก่อนวันเริ่มปีงบประมาณของแผน"),
    ],
)
def test_entry_validation_names_the_field(login, bob, measure, data, message):
    response = post_entry(login(bob), measure, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"status": "not_started", "result": "", "submit": "1"},  # not started: no result needed
        {"status": "cancelled", "result": "", "submit": "1"},
        {"status": "done", "percent": "", "submit": "1"},
        {"status": "done", "percent": "100", "submit": "1"},
        {"status": "not_started", "percent": "0"},
        {"reported_on": "1/10/2567"},  # the first day of fiscal year 2568
    ],
)
def test_valid_entries_are_accepted(login, bob, measure, data):
    assert post_entry(login(bob), measure, **data).status_code == 302
    entry = ProgressEntry.objects.get()
    assert entry.review_state == ("submitted" if "submit" in data else "draft")


def test_submitting_from_the_measure_page_checks_the_same_rules(login, bob, unit_a, measure):
    entry = ProgressEntry.objects.create(measure=measure, round="H1", status="in_progress", result="")
    url = reverse("measures:entry_review", args=["unit-a", measure.pk, "H1", "submit"])
    response = login(bob).post(url, {"version": entry.version}, follow=True)
    assert "ผลการดำเนินการ: กรุณาระบุผลการดำเนินการก่อนส่งตรวจ" in response.content.decode()
    entry.refresh_from_db()
    assert entry.review_state == "draft"


def test_pasted_control_characters_are_removed(login, alice, bob, unit_a, measure):
    post_entry(login(bob), measure, result="บรรทัดหนึ่ง\x0bบรรทัดสอง\x00", problems="\ufeffปัญหา")
    entry = ProgressEntry.objects.get()
    assert (entry.result, entry.problems) == ("บรรทัดหนึ่ง\nบรรทัดสอง", "ปัญหา")
    plan = factories.plan(unit_a, 2567, measures=1)
    url = reverse("measures:oit", args=["unit-a", 2567])
    login(bob).post(url, {"O1-status": "done", "O1-note": "เผยแพร่\x0bแล้ว", "O1-url": "", "O1-version": 1})
    assert plan.oit_progress.get(item__code="O1").note == "เผยแพร่\nแล้ว"


def test_evidence_gets_a_generated_name_and_keeps_the_original(login, bob, measure):
    name = "รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส" * 3 + ".pdf"
    pdf = SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert post_entry(login(bob), measure, files=pdf).status_code == 302
    evidence = EvidenceFile.objects.get()
    stored = evidence.file.name.rsplit("/", 1)[1]
    assert stored.endswith(".pdf") and len(stored) == 36 and stored.isascii()
    assert len(evidence.original_name.encode()) <= 255 and evidence.original_name.endswith(".pdf")
    assert name.startswith(evidence.original_name[:-4])
    response = login(bob).get(reverse("measures:evidence", args=["unit-a", evidence.pk]))
    assert "filename*=utf-8''" in response["Content-Disposition"]
    # Its content address is kept at upload (a bundle export needs not read the file again).
    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.4\n%test\n").hexdigest()
    assert evidence.file.open("rb").read() == b"%PDF-1.4\n%test\n"  # hashing read the upload; all was stored


def test_a_storage_failure_keeps_the_typed_form(login, bob, measure, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "_save", broken)
    pdf = SimpleUploadedFile("หลักฐาน.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = post_entry(login(bob), measure, files=pdf, result="ข้อความที่พิมพ์ไว้")
    body = response.content.decode()
    assert response.status_code == 200 and "จัดเก็บไฟล์ไม่สำเร็จ" in body and "ข้อความที่พิมพ์ไว้" in body
    assert not ProgressEntry.objects.exists() and not EvidenceFile.objects.exists()


def test_first_save_after_another_is_a_conflict_not_a_500(login, bob, alice, measure):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(bob)
    second.force_login(alice)
    assert post_entry(first, measure, result="ของคนแรก").status_code == 302
    response = post_entry(second, measure, result="ของคนที่สอง")  # its page was opened before any entry existed
    assert response.status_code == 409
    body = response.content.decode()
    assert "ของคนแรก" in body and "ของคนที่สอง" in body
    assert ProgressEntry.objects.get().result == "ของคนแรก"


def test_stale_measure_form_shows_the_steps_that_changed(login, alice, bob, unit_a, plan_a, measure):
    from tests.test_measures_views import measure_data

    services.save_measure(get_unit_access(alice, unit_a), plan_a, Measure.objects.get(pk=measure.pk),
                          {"owners": list(measure.owners.all()), "indicators": [], "oit_items": []}, ["ขั้นเดิม"], measure.version)
    opened = Measure.objects.get(pk=measure.pk).version
    services.save_measure(get_unit_access(alice, unit_a), plan_a, Measure.objects.get(pk=measure.pk),
                          {"owners": list(measure.owners.all()), "indicators": [], "oit_items": []}, ["ขั้นใหม่ของอีกคน"], opened)
    url = reverse("measures:measure_edit", args=["unit-a", measure.pk])
    response = login(bob).post(url, measure_data(plan_a, unit_a, title="มาตรการ", steps=("ขั้นที่บ๊อบพิมพ์",), version=opened))
    body = response.content.decode()
    assert response.status_code == 409
    assert "ขั้นเดิม" in body and "ขั้นใหม่ของอีกคน" in body and "ขั้นที่บ๊อบพิมพ์" in body
    assert list(Measure.objects.get(pk=measure.pk).steps.values_list("text", flat=True)) == ["ขั้นใหม่ของอีกคน"]


def test_oit_stale_save_is_a_conflict_keeping_the_typed_note(login, alice, bob, unit_a):
    from django.test import Client

    plan = factories.plan(unit_a, 2567, measures=1)
    url = reverse("measures:oit", args=["unit-a", 2567])
    first, second = Client(), Client()
    first.force_login(alice)
    second.force_login(bob)
    assert first.post(url, {"O1-status": "done", "O1-note": "ของผู้ดูแล", "O1-url": "", "O1-version": 1}).status_code == 302
    response = second.post(url, {"O1-status": "in_progress", "O1-note": "ของบ๊อบ", "O1-url": "", "O1-version": 1,
                                 "O2-status": "done", "O2-note": "แถวอื่น", "O2-url": ""})
    body = response.content.decode()
    assert response.status_code == 409 and "ของผู้ดูแล" in body and "ของบ๊อบ" in body
    assert plan.oit_progress.get(item__code="O1").note == "ของผู้ดูแล"
    assert not plan.oit_progress.filter(item__code="O2").exists()  # nothing half-written
    # The kept form carries the current version: saving again now replaces the other change knowingly.
    row = plan.oit_progress.get(item__code="O1")
    assert second.post(url, {"O1-status": "in_progress", "O1-note": "ของบ๊อบ", "O1-url": "", "O1-version": row.version}).status_code == 302
    row.refresh_from_db()
    assert row.note == "ของบ๊อบ"
    history = login(bob).get(reverse("measures:oit_history", args=["unit-a", 2567])).content.decode()
    assert "“ของผู้ดูแล” → “ของบ๊อบ”" in history


def test_oit_first_save_after_another_is_a_conflict(login, alice, bob, unit_a):
    plan = factories.plan(unit_a, 2567, measures=1)
    url = reverse("measures:oit", args=["unit-a", 2567])
    assert login(alice).post(url, {"O2-status": "done", "O2-note": "ก่อน", "O2-url": ""}).status_code == 302
    response = login(bob).post(url, {"O2-status": "in_progress", "O2-note": "หลัง", "O2-url": ""})
    assert response.status_code == 409
    assert plan.oit_progress.get(item__code="O2").note == "ก่อน"


# --- the first save racing another, on PostgreSQL: two threads ----------------------------------------


def _race(first_save, second_save):
    """first_save inserts inside a transaction that stays open until second_save has started (and is
    blocked on the unique index); both results, or the exception each raised, are returned."""
    results = {}
    inserted, go = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                results["first"] = first_save()
                inserted.set()
                go.wait(5)
                threading.Event().wait(0.3)  # second_save is now waiting on the unique index
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results["first"] = exc
        finally:
            inserted.set()
            connection.close()

    def second():
        inserted.wait(5)
        go.set()
        try:
            results["second"] = second_save()
        except Exception as exc:  # noqa: BLE001
            results["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return results


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_first_saves_racing_on_postgresql(unit_a, alice, bob):
    plan = factories.plan(unit_a, 2567, measures=1, approved_round=None)
    measure = plan.measures.get()
    values = {"status": "in_progress", "percent": 50, "result": "ผล", "outcome": "", "problems": "", "suggestions": "", "reported_on": None}
    save = lambda user, text: lambda: services.save_entry(get_unit_access(user, unit_a), measure, "H1", {**values, "result": text}, None)  # noqa: E731
    results = _race(save(alice, "ของผู้ดูแล"), save(bob, "ของบ๊อบ"))
    assert isinstance(results["first"], ProgressEntry)
    assert isinstance(results["second"], services.Conflict), results["second"]
    assert ProgressEntry.objects.get(measure=measure, round="H1").result == "ของผู้ดูแล"

    item = plan.framework.oit_items.get(code="O2")
    row = lambda user, note: lambda: services.save_oit_rows(  # noqa: E731
        get_unit_access(user, unit_a), plan, [(item, {"status": "done", "note": note, "url": "", "owners": []}, None)])
    results = _race(row(alice, "ก่อน"), row(bob, "หลัง"))
    assert results["first"] == 1
    assert isinstance(results["second"], services.OitConflicts), results["second"]
    assert OitProgress.objects.get(plan=plan, item=item).note == "ก่อน"


@pytest.mark.parametrize("count", [5, 200])
def test_the_plan_factory_takes_a_bounded_number_of_queries(unit_a, count, django_assert_max_num_queries):
    factories.framework(2568)
    with django_assert_max_num_queries(45):  # 39 today, whatever the number of measures (8,017 for 200 with signals)
        plan = factories.plan(unit_a, 2568, measures=count)
    assert plan.measures.count() == count and ProgressEntry.objects.filter(measure__plan=plan).count() == count
    assert plan.measures.get(number="2").history.count() == 1 and unit_a.year_progress.get().measure_count == count


def test_the_service_applies_the_same_rules_as_the_form(bob, unit_a, measure):
    """Any caller of save_entry (not only the form) gets the rules: nothing is written."""
    import datetime as dt

    from measures.review import Refused

    access = get_unit_access(bob, unit_a)
    base = {"status": "done", "percent": None, "result": "ผล", "outcome": "", "problems": "", "suggestions": "", "reported_on": None}
    for change in ({"percent": 20}, {"status": "not_started", "percent": 80}, {"reported_on": dt.date(2032, 1, 1)},
                   {"reported_on": dt.date(2024, 9, 30)}):
        with pytest.raises(Refused):
            services.save_entry(access, measure, "H1", {**base, **change}, None)
    with pytest.raises(Refused):
        services.save_entry(access, measure, "H1", {**base, "status": "in_progress", "result": " "}, None, submit=True)
    assert not ProgressEntry.objects.exists()
