"""Publishing frozen versions, public pages, and who may do what."""

import json

import pytest
from django.urls import reverse

from measures.models import ProgressEntry
from reports.models import PublishedReport
from tests import factories


@pytest.fixture
def plan_a(unit_a):
    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    return factories.plan(unit_a, 2568, measures=2)


def publish_url(kind="results", year=2568, round_code="FY"):
    args = ["unit-a", kind, year] + ([round_code] if round_code else [])
    return reverse("reports:publish", args=args)


def test_admin_publishes_a_frozen_version(login, alice, plan_a, client):
    response = login(alice).post(publish_url())
    assert response.status_code == 302
    report = PublishedReport.objects.get()
    assert (report.version, report.kind, report.round, report.fiscal_year) == (1, "results", "FY", 2568)
    assert report.pages >= 1 and len(report.checksum) == 64
    pdf_v1 = b"".join(client.get(reverse("public:version_pdf", args=["unit-a", report.pk])).streaming_content)
    html_v1 = b"".join(client.get(reverse("public:version", args=["unit-a", report.pk])).streaming_content)
    assert pdf_v1.startswith(b"%PDF")

    # Later edits never change version 1; publishing again makes version 2.
    entry = ProgressEntry.objects.filter(measure__plan=plan_a).first()
    entry.result = "แก้ไขผลการดำเนินการภายหลังการเผยแพร่"
    entry.save()
    client.logout()
    assert b"".join(client.get(reverse("public:version_pdf", args=["unit-a", report.pk])).streaming_content) == pdf_v1
    assert b"".join(client.get(reverse("public:version", args=["unit-a", report.pk])).streaming_content) == html_v1
    login(alice).post(publish_url())
    assert list(PublishedReport.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    client.logout()
    latest = client.get(reverse("public:latest", args=["unit-a", 2568, "results", "FY"]))
    assert "แก้ไขผลการดำเนินการภายหลังการเผยแพร่" in b"".join(latest.streaming_content).decode()
    # Version 1 stays reachable at its own address.
    assert client.get(reverse("public:version", args=["unit-a", report.pk])).status_code == 200
    page = client.get(reverse("public:unit", args=["unit-a"]))
    assert page.status_code == 200
    assert page.content.decode().count("/unit-a/reports/") >= 6  # HTML, PDF, JSON of two versions


def test_blockers_stop_publishing(login, alice, plan_a):
    entry = ProgressEntry.objects.filter(measure__plan=plan_a).first()
    entry.review_state = ProgressEntry.Review.SUBMITTED
    entry.save()
    response = login(alice).post(publish_url())
    assert response.status_code == 200
    assert "ยังไม่ได้รับการอนุมัติ" in response.content.decode()
    assert not PublishedReport.objects.exists()


def test_open_data_holds_only_what_was_published(login, alice, plan_a, client):
    draft = ProgressEntry.objects.create(
        measure=plan_a.measures.first(), round="H1", status="in_progress", result="ฉบับร่างที่ยังไม่อนุมัติ"
    )
    assert client.get(reverse("public:open_data", args=["unit-a", 2568])).status_code == 404
    login(alice).post(publish_url())
    client.logout()
    document = json.loads(client.get(reverse("public:open_data", args=["unit-a", 2568])).content)
    assert document["format"] == "ita-portal/unit-year"
    rounds = [p["round"] for m in document["plans"][0]["measures"] for p in m["progress"]]
    assert rounds == ["FY", "FY"]
    assert draft.result not in json.dumps(document, ensure_ascii=False)


def test_drafts_are_not_public(client, plan_a):
    for url in (
        reverse("reports:preview", args=["unit-a", "results", 2568, "FY"]),
        reverse("reports:preview_pdf", args=["unit-a", "plan", 2568]),
        reverse("reports:index", args=["unit-a"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(reverse("public:latest", args=["unit-a", 2568, "results", "FY"])).status_code == 404
    assert "ยังไม่มี" in client.get(reverse("public:unit", args=["unit-a"])).content.decode()


def test_roles(login, charlie, bob, dave, plan_a):
    assert login(charlie).get(reverse("reports:preview", args=["unit-a", "plan", 2568])).status_code == 200
    assert login(charlie).post(publish_url()).status_code == 403
    assert login(bob).post(publish_url()).status_code == 403
    assert login(dave).get(reverse("reports:index", args=["unit-a"])).status_code == 404
    assert not PublishedReport.objects.exists()


def test_settings_form_validates_and_saves(login, alice, plan_a):
    url = reverse("reports:settings", args=["unit-a", "memo", 2568, "FY"])
    bad = login(alice).post(url, {"memo_date": "31/2/2568", "memo_comment_chain": "หัวหน้า"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "ไม่มีวันที่นี้ในปฏิทิน" in body and "บรรทัด" in body
    good = login(alice).post(
        url,
        {
            "thai_digits": "on",
            "memo_date": "24/3/2566",
            "memo_subject": "รายงานผล",
            "memo_comment_chain": "ความเห็นของหัวหน้าสำนักปลัด | สืบเอก | สุกิจ มูลศรี | นักป้องกันฯ รักษาการแทน // หัวหน้าสำนักปลัด",
        },
    )
    assert good.status_code == 302
    preview = login(alice).get(reverse("reports:preview", args=["unit-a", "memo", 2568, "FY"])).content.decode()
    preview = preview.replace('<span class="nb">', "").replace("</span>", "")
    # The rank on its own line above the name; the position broken where the office broke it.
    assert "๒๔ มีนาคม ๒๕๖๖" in preview and '<p class="rank">สืบเอก</p>' in preview
    assert "(สุกิจ มูลศรี)" in preview and "<p>นักป้องกันฯ รักษาการแทน</p>" in preview


def test_unknown_kind_or_round_is_404(login, charlie, plan_a):
    assert login(charlie).get(reverse("reports:preview", args=["unit-a", "nope", 2568])).status_code == 404
    assert login(charlie).get(reverse("reports:preview", args=["unit-a", "results", 2568, "Q9"])).status_code == 404


def test_a_failed_publication_leaves_no_files(alice, plan_a, settings, tmp_path, monkeypatch):
    from reports import publishing

    settings.MEDIA_ROOT = tmp_path

    def fail(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(PublishedReport, "save", fail)
    with pytest.raises(RuntimeError):
        publishing.publish(plan_a.unit, "results", 2568, "FY", alice)
    assert not PublishedReport.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("kind,round_code", [("results", "FY"), ("plan", ""), ("analysis", ""), ("oit", "FY"), ("memo", "FY")])
def test_settings_page_of_every_kind_offers_its_options(login, alice, plan_a, kind, round_code):
    url = reverse("reports:settings", args=["unit-a", kind, 2568] + ([round_code] if round_code else []))
    body = login(alice).get(url).content.decode()
    assert ('name="preset"' in body) == (kind in ("results", "plan", "oit"))
    assert ('name="memo_subject"' in body) == (kind == "memo")
    assert 'name="margin_left"' in body and 'name="table_font_size"' in body


def test_columns_are_chosen_ordered_and_retitled_in_the_settings(login, alice, plan_a):
    url = reverse("reports:settings", args=["unit-a", "results", 2568, "FY"])
    bad = login(alice).post(url, {"columns": "title | มาตรการ\nnope | x", "table_font_size": "16"})
    assert bad.status_code == 200 and "บรรทัดที่ 2" in bad.content.decode()
    good = login(alice).post(url, {"columns": "result | ผลการดำเนินการ\ntitle", "table_font_size": "14",
                                   "signatures": "ผู้รับรอง | ว่าที่ ร.ต. | ปริญญา | ปลัด // รักษาราชการแทน"})  # fmt: skip
    assert good.status_code == 302
    from reports.models import ReportSettings

    saved = ReportSettings.objects.get(unit__slug="unit-a", kind="results", fiscal_year=2568, round="FY")
    assert saved.columns == ["result", "title"] and saved.headings == {"result": "ผลการดำเนินการ"}
    assert saved.signatures == [{"label": "ผู้รับรอง", "rank": "ว่าที่ ร.ต.", "name": "ปริญญา", "position": "ปลัด\nรักษาราชการแทน"}]
    html = login(alice).get(reverse("reports:preview", args=["unit-a", "results", 2568, "FY"])).content.decode()
    assert "size-14" in html and html.index("ผลการดำเนินการ</th>") < html.index("มาตรการ/แนวทาง</th>")
