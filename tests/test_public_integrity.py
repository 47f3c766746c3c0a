"""A deactivated unit publishes nothing and its people only read; open data holds only what the published
reports show (issue 11, item 9)."""

import json

import pytest
from django.urls import reverse

from measures.models import ProgressEntry
from reports.models import PublishedReport
from tests import factories


@pytest.fixture
def published(login, alice, unit_a, client):
    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    plan = factories.plan(unit_a, 2568, measures=2)
    # An approved 6-month entry whose round's report is never published.
    ProgressEntry.objects.create(measure=plan.measures.first(), round="H1", status="in_progress", percent=40,
                                 result="ผลรอบหกเดือนที่ไม่เคยเผยแพร่", review_state="approved")
    assert login(alice).post(reverse("reports:publish", args=["unit-a", "results", 2568, "FY"])).status_code == 302
    client.logout()
    return PublishedReport.objects.get()


def test_open_data_has_no_entries_of_unpublished_rounds(client, published):
    document = json.loads(client.get(reverse("public:open_data", args=["unit-a", 2568])).content)
    text = json.dumps(document, ensure_ascii=False)
    assert "ผลรอบหกเดือนที่ไม่เคยเผยแพร่" not in text
    assert [p["round"] for m in document["plans"][0]["measures"] for p in m["progress"]] == ["FY", "FY"]
    assert document["plans"][0]["oit_items"] == []  # no OIT report was published
    assert document["assessments"] == []  # nor the analysis
    # The frozen JSON itself did carry the H1 entry: the filter is what keeps it out.
    with published.json.open("rb") as handle:
        assert "ผลรอบหกเดือนที่ไม่เคยเผยแพร่" in handle.read().decode()


def test_a_deactivated_unit_publishes_nothing(client, published, unit_a):
    addresses = [
        reverse("public:unit", args=["unit-a"]),
        reverse("public:version", args=["unit-a", published.pk]),
        reverse("public:version_pdf", args=["unit-a", published.pk]),
        reverse("public:version_json", args=["unit-a", published.pk]),
        reverse("public:latest", args=["unit-a", 2568, "results", "FY"]),
        reverse("public:latest_pdf", args=["unit-a", 2568, "results", "FY"]),
        reverse("public:open_data", args=["unit-a", 2568]),
    ]
    assert all(client.get(url).status_code == 200 for url in addresses)
    unit_a.is_active = False
    unit_a.save()
    assert [client.get(url).status_code for url in addresses] == [404] * len(addresses)


def test_a_deactivated_units_people_only_read(login, alice, bob, root, unit_a, published):
    unit_a.is_active = False
    unit_a.save()
    measure = published.unit.plans.get().measures.first()
    entry = measure.entries.get(round="FY")
    for user in (alice, bob):
        client = login(user)
        assert client.get(reverse("measures:detail", args=["unit-a", measure.pk])).status_code == 200
        assert client.post(reverse("measures:entry", args=["unit-a", measure.pk, "H1"]), {"status": "done"}).status_code == 403
        assert client.post(reverse("measures:entry_review", args=["unit-a", measure.pk, "FY", "reopen"]),
                           {"version": entry.version, "comment": "x"}).status_code == 403
        assert client.post(reverse("reports:publish", args=["unit-a", "results", 2568, "FY"])).status_code == 403
        assert client.post(reverse("assessments:new", args=["unit-a"]), {"fiscal_year": 2568}).status_code == 403
    entry.refresh_from_db()
    assert entry.review_state == "approved" and PublishedReport.objects.count() == 1
    # A superuser can still act (to export the unit's data or reactivate it).
    assert login(root).get(reverse("measures:entry", args=["unit-a", measure.pk, "H1"])).status_code == 200


def test_the_entry_form_warns_when_the_round_is_published(login, alice, unit_a, published):
    measure = unit_a.plans.get().measures.first()
    page = login(alice).get(reverse("measures:entry", args=["unit-a", measure.pk, "FY"])).content.decode()
    assert "รายงานผลของรอบนี้เผยแพร่แล้ว" in page and "ฉบับที่ 1" in page
    assert "เปิดแก้ไข" in page  # approved: it must be reopened first
    other = login(alice).get(reverse("measures:entry", args=["unit-a", measure.pk, "H1"])).content.decode()
    assert "รายงานผลของรอบนี้เผยแพร่แล้ว" not in other
