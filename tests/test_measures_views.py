import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import EvidenceFile, Measure, MeasureStep, Plan, ProgressEntry
from tests import factories

# The contract's example (../shared/formats/examples/), shipped as demo data.
EXAMPLE = Path(__file__).resolve().parents[1] / "interchange" / "demo" / "sra-krachom-2568.json"


@pytest.fixture
def plan_a(unit_a):
    return Plan.objects.create(unit=unit_a, fiscal_year=2568, based_on_assessment=2567, framework=factories.framework(2568))


def measure_data(plan, unit, number="1", title="มาตรการทดสอบ", steps=("ขั้นที่หนึ่ง",), owners=("สำนักปลัด",), **extra):
    indicators = {i.number: i.pk for i in plan.framework.indicators.all()}
    data = {
        "number": number, "title": title, "issue": "", "owner_text": "", "period_text": "",
        "start": "1/10/2567", "end": "30/9/2568", "expected_outcome": "", "follow_up": "",
        "owners": [unit.departments.get(name=name).pk for name in owners],
        "indicators": [indicators[9]],
        "steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "1000",
    }
    for i, text in enumerate(steps):
        data[f"steps-{i}-text"] = text
        data[f"steps-{i}-ORDER"] = str(i + 1)
    data.update(extra)
    return data


def thai_date(iso):
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day}/{month}/{year + 543}"


def test_administrator_enters_seed_000_measures_and_editor_their_fy_results(login, alice, bob, unit_a, plan_a):
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    from django.test import Client

    admin, client = Client(), login(bob)
    admin.force_login(alice)
    indicators = {i.number: i.pk for i in plan_a.framework.indicators.all()}
    for item in document["plans"][0]["measures"]:
        data = measure_data(plan_a, unit_a, number=item["number"], title=item["title"], steps=item["steps"], owners=["สำนักปลัด"])
        data.update(owner_text=item["owner_text"], period_text=item["period_text"], start=thai_date(item["start"]), end=thai_date(item["end"]),
                    indicators=[indicators[int(n)] for n in item["indicators"]])
        response = admin.post(reverse("measures:measure_create", args=["unit-a", 2568]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        measure = Measure.objects.get(plan=plan_a, number=item["number"])
        progress = item["progress"][0]
        response = client.post(
            reverse("measures:entry", args=["unit-a", measure.pk, "FY"]),
            {"status": progress["status"], "percent": progress["percent"], "result": progress["result"],
             "outcome": progress["outcome"], "problems": "", "suggestions": "", "links": "", "submit": "1"},
        )
        assert response.status_code == 302
    assert Measure.objects.filter(plan=plan_a).count() == 9
    first = Measure.objects.get(plan=plan_a, number="1")
    assert list(first.steps.values_list("text", flat=True)) == document["plans"][0]["measures"][0]["steps"]
    assert first.owner_text == "สำนักปลัดฯ"
    assert ProgressEntry.objects.filter(review_state="submitted", round="FY").count() == 9
    page = client.get(reverse("measures:plan", args=["unit-a", 2568])).content.decode()
    assert "ช่องทางการร้องเรียนการทุจริต" in page


def test_steps_reorder_and_delete(login, alice, bob, unit_a, plan_a):
    login(alice).post(reverse("measures:measure_create", args=["unit-a", 2568]), measure_data(plan_a, unit_a, steps=("ก", "ข", "ค")))
    measure = Measure.objects.get()
    client = login(bob)
    steps = list(measure.steps.all())
    data = measure_data(plan_a, unit_a, steps=(), version=measure.version)
    data.update({"steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "3"})
    for i, (step, order) in enumerate(zip(steps, (3, 1, 2), strict=True)):
        data.update({f"steps-{i}-id": step.pk, f"steps-{i}-measure": measure.pk, f"steps-{i}-text": step.text, f"steps-{i}-ORDER": order})
    data["steps-2-DELETE"] = "on"
    assert client.post(reverse("measures:measure_edit", args=["unit-a", measure.pk]), data).status_code == 302
    assert list(MeasureStep.objects.filter(measure=measure).values_list("text", flat=True)) == ["ข", "ก"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start": "1/10/2568", "end": "30/9/2568"}, "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น"),
        ({"start": "1/10/2024"}, "พุทธศักราช"),
        ({"title": ""}, "มาตรการ"),
        # A tampered form: an id beyond the database's integer range is a form error, not a crash.
        ({"oit_items": ["99999999999999999999"]}, "ไม่อยู่ในตัวเลือก"),
        ({"indicators": ["-99999999999999999999"]}, "ไม่อยู่ในตัวเลือก"),
    ],
)
def test_bad_measures_are_refused(login, alice, unit_a, plan_a, overrides, message):
    response = login(alice).post(reverse("measures:measure_create", args=["unit-a", 2568]), measure_data(plan_a, unit_a, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measure.objects.exists() and not MeasureStep.objects.exists()


def test_indicator_of_another_year_is_refused(login, alice, unit_a, plan_a):
    other = factories.framework(2566).indicators.get(number=1)
    data = measure_data(plan_a, unit_a, indicators=[other.pk])
    response = login(alice).post(reverse("measures:measure_create", args=["unit-a", 2568]), data)
    assert response.status_code == 200 and "ตัวชี้วัด" in response.content.decode()
    assert not Measure.objects.exists()


@pytest.fixture
def measure(unit_a, plan_a):
    item = Measure.objects.create(plan=plan_a, number="1", title="มาตรการ", start=None, end=None)
    item.owners.add(unit_a.departments.get(name="สำนักปลัด"))
    return item


def entry_post(client, measure, **data):
    payload = {"status": "in_progress", "percent": "", "result": "ผล", "outcome": "", "problems": "", "suggestions": "", "links": ""}
    payload.update(data)
    return client.post(reverse("measures:entry", args=["unit-a", measure.pk, "H1"]), payload)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"percent": "120"}, "0 ถึง 100"),
        ({"links": "ftp://example.org/x"}, "ไม่ใช่ที่อยู่เว็บ"),
        ({"files": SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")}, "ไม่ใช่ไฟล์ PDF"),
    ],
)
def test_bad_progress_is_refused(login, bob, measure, data, message):
    response = entry_post(login(bob), measure, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressEntry.objects.exists() and not EvidenceFile.objects.exists()


def test_oversized_upload_is_refused(login, bob, measure, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096, content_type="application/pdf")
    response = entry_post(login(bob), measure, files=big)
    assert "ใหญ่เกิน" in response.content.decode()
    assert not ProgressEntry.objects.exists()


def test_evidence_is_stored_and_served_to_the_unit_only(login, bob, dave, measure, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("หลักฐาน.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert entry_post(login(bob), measure, files=pdf).status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.content_type == "application/pdf"
    assert str(tmp_path) in evidence.file.path and "static" not in evidence.file.path
    url = reverse("measures:evidence", args=["unit-a", evidence.pk])
    assert login(bob).get(url).status_code == 200
    assert login(dave).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_review_workflow(login, bob, alice, measure):
    entry_post(login(bob), measure, status="done")
    entry = ProgressEntry.objects.get()
    assert entry.percent is None and entry.review_state == "draft"  # done and blank: 100 % (status.effective_percent)

    def review(user, action, **data):
        entry.refresh_from_db()
        data.setdefault("version", entry.version)
        return login(user).post(reverse("measures:entry_review", args=["unit-a", measure.pk, "H1", action]), data)

    assert review(bob, "approve").status_code == 403
    review(bob, "submit")
    review(alice, "return", comment="แนบหลักฐานเพิ่ม")
    entry.refresh_from_db()
    assert (entry.review_state, entry.review_comment) == ("returned", "แนบหลักฐานเพิ่ม")
    assert "แนบหลักฐานเพิ่ม" in login(bob).get(reverse("measures:plan", args=["unit-a", 2568])).content.decode()
    review(bob, "submit")
    review(alice, "approve")
    entry.refresh_from_db()
    assert entry.review_state == "approved"
    assert [e.action for e in entry.review_events.all()] == ["submit", "return", "submit", "approve"]
    assert [(e.from_state, e.to_state) for e in entry.review_events.all()] == [
        ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"), ("submitted", "approved")]


def test_department_limited_editor_executive_and_other_unit(login, frank, charlie, dave, measure, unit_a, plan_a):
    # frank may edit only measures กองช่าง owns; this one is สำนักปลัด's. Adding measures is the administrator's.
    assert login(frank).get(reverse("measures:measure_edit", args=["unit-a", measure.pk])).status_code == 403
    assert entry_post(login(frank), measure).status_code == 403
    response = login(frank).post(reverse("measures:measure_create", args=["unit-a", 2568]), measure_data(plan_a, unit_a, number="2", owners=("กองช่าง",)))
    assert response.status_code == 403 and not Measure.objects.filter(number="2").exists()
    assert login(charlie).get(reverse("measures:detail", args=["unit-a", measure.pk])).status_code == 200
    assert entry_post(login(charlie), measure).status_code == 403
    assert login(dave).get(reverse("measures:detail", args=["unit-a", measure.pk])).status_code == 404


def test_second_save_is_refused_and_keeps_typed_text(login, bob, alice, unit_a, plan_a, measure, django_user_model):
    from django.test import Client

    url = reverse("measures:measure_edit", args=["unit-a", measure.pk])
    first, second = Client(), Client()
    first.force_login(bob)
    second.force_login(alice)
    version = measure.version
    assert first.post(url, measure_data(plan_a, unit_a, title="ชื่อจากคนแรก", version=version)).status_code == 302
    response = second.post(url, measure_data(plan_a, unit_a, title="ชื่อที่คนที่สองพิมพ์", version=version))
    assert response.status_code == 409
    body = response.content.decode()
    assert "มีผู้อื่นบันทึก" in body and "ชื่อจากคนแรก" in body and "ชื่อที่คนที่สองพิมพ์" in body
    measure.refresh_from_db()
    assert measure.title == "ชื่อจากคนแรก"


def test_history_shows_old_and_new(login, bob, unit_a, plan_a, measure):
    client = login(bob)
    client.post(reverse("measures:measure_edit", args=["unit-a", measure.pk]), measure_data(plan_a, unit_a, title="ชื่อใหม่", version=measure.version))
    page = client.get(reverse("measures:detail", args=["unit-a", measure.pk])).content.decode()
    assert "“มาตรการ” → “ชื่อใหม่”" in page


def test_copy_plan_to_next_year(login, alice, bob, unit_a):
    plan = factories.plan(unit_a, 2567, measures=2)
    url = reverse("measures:plan_copy", args=["unit-a", 2567])
    assert login(bob).post(url).status_code == 403
    page = login(alice).get(url).content.decode()  # the confirmation page lists what will be copied
    assert "มาตรการที่ 1" in page and not Plan.objects.filter(unit=unit_a, fiscal_year=2568).exists()
    assert login(alice).post(url).status_code == 302
    copy = Plan.objects.get(unit=unit_a, fiscal_year=2568)
    assert copy.measures.count() == 2
    assert not ProgressEntry.objects.filter(measure__plan=copy).exists()
    assert list(copy.measures.first().steps.values_list("text", flat=True)) == list(plan.measures.first().steps.values_list("text", flat=True))
    assert copy.measures.first().indicators.get().framework.fiscal_year == 2568


def test_filters_and_exports(login, charlie, unit_a):
    factories.plan(unit_a, 2568, measures=3)
    measure = Measure.objects.get(number="2")
    measure.entries.update(status="in_progress")
    client = login(charlie)
    page = client.get(reverse("measures:plan", args=["unit-a", 2568]), {"status": "in_progress"}).content.decode()
    assert "มาตรการที่ 2" in page and "มาตรการที่ 1 " not in page
    csv = client.get(reverse("measures:plan", args=["unit-a", 2568]), {"status": "done", "_export": "csv"})
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3  # header + two done measures
    xlsx = client.get(reverse("measures:plan", args=["unit-a", 2568]), {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("count", [5, 200])
def test_plan_page_queries_stay_constant(login, charlie, unit_a, count, django_assert_max_num_queries):
    factories.plan(unit_a, 2568, measures=count)
    client = login(charlie)
    client.get(reverse("home"))  # the navigation's inbox count is cached after a first page: measure the page's own queries
    with django_assert_max_num_queries(14):
        assert client.get(reverse("measures:plan", args=["unit-a", 2568])).status_code == 200


def test_oit_item_progress_page(login, bob, charlie, frank, unit_a):
    plan = factories.plan(unit_a, 2567, measures=1)  # 2567 ships O1–O35
    url = reverse("measures:oit", args=["unit-a", 2567])
    page = login(charlie).get(url).content.decode()
    assert "O35" in page and "มาตรการส่งเสริมคุณธรรม" in page
    assert login(charlie).post(url, {}).status_code == 403
    works = unit_a.departments.get(name="กองช่าง").pk
    response = login(bob).post(url, {"O2-status": "done", "O2-note": "เผยแพร่แล้ว", "O2-url": "https://example.go.th/o2", "O2-owners": [works],
                                     "O1-status": "done", "O1-note": "เผยแพร่แล้ว", "O1-url": "https://example.go.th/o1", "O1-version": 1})
    assert response.status_code == 302
    row = plan.oit_progress.get(item__code="O2")
    assert (row.status, row.url, list(row.owners.values_list("name", flat=True))) == ("done", "https://example.go.th/o2", ["กองช่าง"])
    bad = login(bob).post(url, {"O3-status": "done", "O3-url": "not a url"})
    assert bad.status_code == 200 and not plan.oit_progress.filter(item__code="O3").exists()
