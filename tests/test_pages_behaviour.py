"""What the pages do for the people using them, without a browser: Thai keyword search (substrings of
phrases written without spaces), success messages, completeness problems that link to the field, image
evidence shown inline through the permission-checked view, the admin's province list and the unit's own
departments, the public unit page's latest marker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from measures.models import Measure, ProgressEntry
from reports import publishing
from tests import factories, pages_data
from units.models import Membership, ProvinceGrant, Unit
from units.provinces import PROVINCES


def plan_rows(response) -> list[str]:
    return [str(row.record.number) for row in response.context["table"].page.object_list]


@pytest.fixture
def scenario(unit_a, alice):
    return pages_data.build(unit_a, alice)


def test_plan_search_finds_thai_substrings_in_titles_steps_and_results(login, charlie, unit_a, scenario):
    plan_url = reverse("measures:plan", args=[unit_a.slug, 2568])
    client = login(charlie)
    Measure.objects.filter(pk=scenario.measure.pk).update(title="ส่งเสริมการเปิดเผยข้อมูลสาธารณะ")
    # A word from inside the title: the title has no space before or after it.
    assert plan_rows(client.get(plan_url, {"q": "เปิดเผยข้อมูล"})) == [scenario.measure.number]
    # A step's text (every measure of the factory plan has this step).
    assert len(plan_rows(client.get(plan_url, {"q": "กำหนดผู้รับผิดชอบ"}))) == 3
    # A result of the 6-month entry (only the first measure has one): "ชี้แจง" inside "จัดประชุมชี้แจงแล้ว".
    assert plan_rows(client.get(plan_url, {"q": "ชี้แจง", "round": "H1"})) == [scenario.measure.number]
    assert plan_rows(client.get(plan_url, {"q": "ไม่มีคำนี้"})) == []


def test_overview_search_keeps_units_whose_measures_match(login, root, unit_a, unit_b, scenario):
    factories.plan(unit_b, 2568, measures=1)
    Measure.objects.filter(plan__unit=unit_b).update(title="ปรับปรุงระบบรับเรื่องร้องเรียน")
    client = login(root)
    response = client.get(reverse("overview:index"), {"year": 2568, "q": "รับเรื่องร้องเรียน"})
    assert [row.record.slug for row in response.context["table"].page.object_list] == ["unit-b"]
    response = client.get(reverse("overview:index"), {"year": 2568, "q": "ชี้แจง"})  # a result of unit A
    assert [row.record.slug for row in response.context["table"].page.object_list] == ["unit-a"]


def test_approve_return_and_submit_say_what_happened(login, alice, unit_a, scenario):
    client = login(alice)
    measure = scenario.measure

    def act(action, **data):
        version = ProgressEntry.objects.get(measure=measure, round="H1").version
        url = reverse("measures:entry_review", args=[unit_a.slug, measure.pk, "H1", action])
        return client.post(url, {"version": version, **data}, follow=True).content.decode()

    assert "ส่งคืนรายงานรอบ ๖ เดือน ของมาตรการที่ 1 ให้แก้ไขแล้ว" in act("return", comment="แนบภาพกิจกรรมเพิ่ม")
    assert "ส่งรายงานรอบ ๖ เดือน ของมาตรการที่ 1 ให้อนุมัติแล้ว" in act("submit")
    assert "อนุมัติรายงานรอบ ๖ เดือน ของมาตรการที่ 1 แล้ว" in act("approve")
    assert ProgressEntry.objects.get(measure=measure, round="H1").review_state == ProgressEntry.Review.APPROVED


def test_completeness_problems_link_to_the_field(login, alice, unit_a, scenario):
    entry = scenario.measure.entries.get(round="FY")
    ProgressEntry.objects.filter(pk=entry.pk).update(result="")
    check = publishing.check_completeness(unit_a, "results", 2568, "FY")
    link = reverse("measures:entry", args=[unit_a.slug, scenario.measure.pk, "FY"]) + "#id_result"
    assert [problem.link for problem in check.blockers] == [link]
    page = login(alice).get(reverse("reports:publish", args=[unit_a.slug, "results", 2568, "FY"])).content.decode()
    assert f'<a href="{link}">' in page


def test_measure_page_shows_the_report_date_and_image_evidence_inline(login, charlie, dave, unit_a, scenario):
    ProgressEntry.objects.filter(measure=scenario.measure, round="FY").update(reported_on="2025-10-15")
    client = login(charlie)
    page = client.get(reverse("measures:detail", args=[unit_a.slug, scenario.measure.pk])).content.decode()
    assert "วันที่รายงาน: ๑๕ ตุลาคม ๒๕๖๘" in page
    src = reverse("measures:evidence", args=[unit_a.slug, scenario.image.pk]) + "?inline=1"
    assert f'<img class="evidence-preview" src="{src}"' in page
    inline = client.get(src)
    assert inline["Content-Type"] == "image/png" and inline["Content-Disposition"].startswith("inline")
    assert client.get(src.replace("?inline=1", ""))["Content-Disposition"].startswith("attachment")
    assert login(dave).get(src).status_code == 404  # another unit's editor: the same permission check


def test_public_unit_page_marks_the_latest_version(client, unit_a, scenario):
    page = client.get(reverse("public:unit", args=[unit_a.slug])).content.decode()
    assert page.count('class="latest-badge"') == 1
    assert f'value="http://testserver/{unit_a.slug}/2568/results/FY/"' in page
    assert "<script>" not in page and "style=" not in page


def test_admin_province_list_and_departments_of_the_unit(login, root, unit_a, unit_b, alice):
    client = login(root)
    assert len(PROVINCES) == 77 and "กรุงเทพมหานคร" in PROVINCES and "บึงกาฬ" in PROVINCES
    data = {
        "name": "เทศบาลตำบลทดสอบ", "short_name": "", "kind": "sao", "slug": "test-unit", "is_active": "on",
        "district": "เมือง", "province": "สุพรรณบุรีี", "address": "", "website": "", "phone": "", "email": "",
        "departments-TOTAL_FORMS": "0", "departments-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(reverse("admin:units_unit_add"), data)
    assert response.status_code == 200 and not Unit.objects.filter(slug="test-unit").exists()  # a typo
    assert "จังหวัด" in response.content.decode()
    client.post(reverse("admin:units_unit_add"), {**data, "province": "สุพรรณบุรี"})
    assert Unit.objects.get(slug="test-unit").province == "สุพรรณบุรี"
    # A value stored before the list stays valid when the unit is edited for something else.
    Unit.objects.filter(pk=unit_b.pk).update(province="จ.บุรีรัมย์")
    change = client.get(reverse("admin:units_unit_change", args=[unit_b.pk])).content.decode()
    assert '<option value="จ.บุรีรัมย์" selected>' in change
    # A membership with a department of another unit is refused.
    membership = Membership.objects.get(user=alice, unit=unit_a)
    foreign = unit_b.departments.first()
    response = client.post(
        reverse("admin:units_membership_change", args=[membership.pk]),
        {"user": alice.pk, "unit": unit_a.pk, "role": "admin", "position": "ปลัด", "departments": [foreign.pk]},
    )
    assert response.status_code == 200
    assert not membership.departments.exists()
    grant = client.post(reverse("admin:units_provincegrant_add"), {"user": alice.pk, "province": "สุพรรณ"})
    assert grant.status_code == 200 and not ProvinceGrant.objects.filter(user=alice).exists()
