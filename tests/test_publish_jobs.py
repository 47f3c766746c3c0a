"""Publishing as a background job (eager here: no broker), and the public documents' cache headers."""

import hashlib

import pytest
from django.urls import reverse

from notifications.models import Notification
from reports import jobs, render
from reports.models import PublishedReport, PublishJob
from tests import factories


@pytest.fixture
def plan_a(unit_a):
    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    return factories.plan(unit_a, 2568, measures=2)


PUBLISH = reverse("reports:publish", args=["unit-a", "results", 2568, "FY"])


def test_eager_publish_runs_the_job_in_the_request(login, alice, plan_a):
    client = login(alice)
    response = client.post(PUBLISH)
    assert response.status_code == 302 and response.url == PUBLISH
    job = PublishJob.objects.get()
    assert (job.state, job.attempts, job.report.version) == ("done", 1, 1)
    page = client.get(PUBLISH).content.decode()
    assert 'bg-success">เผยแพร่แล้ว</span>' in page and 'http-equiv="refresh"' not in page
    assert reverse("public:version", args=["unit-a", job.report.pk]) in page
    # Running the job again (a redelivered task) publishes nothing twice.
    assert jobs.run(job.pk) is None and PublishedReport.objects.count() == 1


def test_the_publish_page_refreshes_while_a_job_is_pending(login, alice, plan_a, unit_a):
    job = PublishJob.objects.create(unit=unit_a, kind="results", fiscal_year=2568, round="FY", requested_by=alice)
    client = login(alice)
    page = client.get(PUBLISH).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "รอคิว" in page
    # A second click while it is queued does not queue another.
    client.post(PUBLISH)
    assert PublishJob.objects.count() == 1
    PublishJob.objects.filter(pk=job.pk).update(state="rendering")
    assert "กำลังจัดทำเอกสาร" in client.get(PUBLISH).content.decode()


def test_a_failed_publish_leaves_no_version_and_tells_the_person_in_thai(login, alice, plan_a, monkeypatch, settings):
    def broken(document):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(render, "render_pdf", broken)
    client = login(alice)
    client.post(PUBLISH)
    job = PublishJob.objects.get()
    assert job.state == "failed" and "การเผยแพร่ไม่สำเร็จ" in job.error
    assert not PublishedReport.objects.exists()
    assert not list((settings.MEDIA_ROOT).rglob("*.pdf"))
    page = client.get(PUBLISH).content.decode()
    assert "การเผยแพร่ไม่สำเร็จ" in page and 'http-equiv="refresh"' not in page
    notice = Notification.objects.get(user=alice, kind="publish_failed")
    assert notice.subject.startswith("เผยแพร่ไม่สำเร็จ")


def test_data_changed_after_the_click_fails_with_the_blockers(alice, plan_a, unit_a):
    plan_a.measures.first().entries.update(review_state="submitted")
    job = PublishJob.objects.create(unit=unit_a, kind="results", fiscal_year=2568, round="FY", requested_by=alice)
    job = jobs.run(job.pk)
    assert job.state == "failed" and job.error.startswith("ยังเผยแพร่รายงานไม่ได้:")
    assert "ยังไม่ได้รับการอนุมัติ" in job.error


# --- public headers ------------------------------------------------------------------------------------


@pytest.fixture
def published(login, alice, plan_a, client):
    login(alice).post(PUBLISH)
    client.logout()
    return PublishedReport.objects.get()


@pytest.mark.parametrize("name,field", [("public:version_pdf", "pdf"), ("public:version_json", "json")])
def test_a_published_version_is_immutable_with_a_strong_etag(client, published, name, field):
    url = reverse(name, args=["unit-a", published.pk])
    response = client.get(url)
    body = b"".join(response.streaming_content)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert "Accept-Language" not in response.get("Vary", "") and "Cookie" not in response.get("Vary", "")
    assert "Set-Cookie" not in response.headers
    with getattr(published, field).open("rb") as handle:
        assert body == handle.read()
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"] and not again.content
    assert client.get(url, HTTP_IF_NONE_MATCH='"0000", ' + response["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"0000"').status_code == 200


def test_a_version_page_behind_its_public_header_is_short_lived_with_an_etag(client, published):
    # The HTML is shown behind the public header (reports.public_page), which says whether a newer
    # version exists: kept 5 minutes, revalidated by its SHA-256.
    url = reverse("public:version", args=["unit-a", published.pk])
    response = client.get(url)
    body = b"".join(response.streaming_content)
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert "Accept-Language" not in response.get("Vary", "")


def test_latest_addresses_are_short_lived_and_revalidate(client, published, login, alice, plan_a):
    url = reverse("public:latest_pdf", args=["unit-a", 2568, "results", "FY"])
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=300" and first["ETag"] == f'"{published.checksum}"'
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    plan_a.measures.first().entries.update(result="ผลที่แก้ไขก่อนเผยแพร่ฉบับที่สอง")
    login(alice).post(PUBLISH)  # version 2: the latest address moves
    client.logout()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    data = client.get(reverse("public:open_data", args=["unit-a", 2568]))
    assert data["Cache-Control"] == "public, max-age=300" and data["ETag"] == f'"{hashlib.sha256(data.content).hexdigest()}"'
    assert client.get(reverse("public:open_data", args=["unit-a", 2568]), HTTP_IF_NONE_MATCH=data["ETag"]).status_code == 304


def test_public_pages_do_not_vary_on_accept_language(client, published):
    page = client.get(reverse("public:unit", args=["unit-a"]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Accept-Language" not in page.get("Vary", "")


def test_pdfs_find_collectstatic_hashed_names(settings, tmp_path):
    # With DEBUG=0 the templates link hashed names that only STATIC_ROOT holds (found by topology_check.sh).
    from reports.pdf import static_path

    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_text("body {}")
    assert static_path("http://report.invalid/static/css/print.0123abcd.css") == tmp_path / "css" / "print.0123abcd.css"
    assert static_path("http://report.invalid/static/css/missing.css") is None
