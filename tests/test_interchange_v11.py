"""Unit-year v1.1: lossless re-import, review and evidence files in the file, bundles, identity."""

import copy
import hashlib
import io
import json
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from interchange.bundle import write_bundle
from interchange.exporter import build_document
from interchange.importer import import_document
from interchange.messages import DocumentError
from interchange.reading import read
from measures import review
from measures.models import EvidenceFile, Measure, ProgressEntry, ReviewEvent
from units.models import Unit
from units.permissions import get_unit_access

EXAMPLE_PATH = Path(__file__).resolve().parents[1] / "interchange" / "demo" / "sra-krachom-2568.json"
PDF = b"%PDF-1.4\n" + os.urandom(3000) + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(2000)


def example(unit=None) -> dict:
    doc = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"), parse_float=Decimal)
    if unit is not None:
        doc["unit"].update(slug=unit.slug, name=unit.name, kind=unit.kind, district=unit.district, province=unit.province)
    return doc


def counts() -> dict:
    models = [m for app in ("units", "assessments", "measures") for m in apps.get_app_config(app).get_models()]
    return {m._meta.label: m.objects.count() for m in models}


def snapshot() -> dict:
    """Everything a re-import must keep: ids, review states, history, files."""
    return {
        "measures": sorted(Measure.objects.values_list("id", "plan_id", "number", "version")),
        "entries": sorted(ProgressEntry.objects.values_list("id", "measure_id", "round", "review_state", "review_comment", "version")),
        "events": sorted(ReviewEvent.objects.values_list("id", "entry_id", "action", "by_id", "at", "comment")),
        "files": sorted(EvidenceFile.objects.values_list("id", "entry_id", "file", "original_name", "size")),
    }


def add_file(entry, name, data, user=None, content_type="application/pdf"):
    row = EvidenceFile(entry=entry, original_name=name, content_type=content_type, size=len(data), uploaded_by=user)
    row.file.save(name, ContentFile(data), save=False)
    row.save()
    return row


@pytest.fixture
def reviewed(unit_a, alice, bob):
    """Unit A with the example's 2568 plan, entries in every review state, a history and evidence files."""
    import_document(example(unit_a), identity=False)
    entries = list(ProgressEntry.objects.filter(measure__plan__unit=unit_a).order_by("measure__sort_key"))
    draft, submitted, returned = entries[0], entries[1], entries[2]
    for entry in (draft, submitted, returned):
        ProgressEntry.objects.filter(pk=entry.pk).update(review_state=ProgressEntry.Review.DRAFT)
        entry.refresh_from_db()
    as_bob, as_alice = get_unit_access(bob, unit_a), get_unit_access(alice, unit_a)
    review.submit_entry(submitted, as_bob, version=submitted.version)
    returned = review.submit_entry(returned, as_bob, version=returned.version)
    returned = review.return_entry(returned, as_alice, version=returned.version, comment="แนบหลักฐานเพิ่ม")
    add_file(submitted, "รายงานผล.pdf", PDF, bob)
    add_file(entries[3], "ภาพกิจกรรม.png", PNG, bob, "image/png")
    return {"draft": draft, "submitted": submitted, "returned": returned, "approved": entries[3]}


def test_reimporting_the_units_own_export_keeps_everything(reviewed, unit_a):
    before, rows = snapshot(), counts()
    exported = json.loads(json.dumps(build_document(unit_a)), parse_float=Decimal)
    summary = import_document(exported, replace=True, expected_slug="unit-a")
    assert snapshot() == before and counts() == rows
    assert not summary.changed and not summary.states_changed and not summary.files_added
    # The v1 file the unit started from, again: the same content, so nothing changes either (before
    # v1.1, this marked every entry approved and deleted the files and the log).
    import_document(example(unit_a), replace=True)
    assert snapshot() == before and counts() == rows


def test_an_entry_whose_content_changes_goes_back_to_draft(reviewed, unit_a, alice):
    before = snapshot()
    doc = example(unit_a)
    approved = reviewed["approved"]
    measure_index = [m["number"] for m in doc["plans"][0]["measures"]].index(approved.measure.number)
    doc["plans"][0]["measures"][measure_index]["progress"][0]["result"] = "ผลที่แก้ไขแล้ว"
    summary = import_document(doc, replace=True, user=alice, source="แก้ไข.json")
    approved.refresh_from_db()
    assert approved.review_state == ProgressEntry.Review.DRAFT and approved.result == "ผลที่แก้ไขแล้ว"
    row = approved.review_events.filter(action=ReviewEvent.Action.IMPORT).latest("id")
    assert row.by == alice and row.comment == "แก้ไข.json" and row.version == approved.version
    assert summary.states_changed == [(2568, approved.measure.number, approved.round, "approved", "draft")]
    after = snapshot()
    # Ids kept; every other entry as it was; the evidence files stay.
    assert [m[:3] for m in after["measures"]] == [m[:3] for m in before["measures"]]
    assert [e for e in after["entries"] if e[0] != approved.pk] == [e for e in before["entries"] if e[0] != approved.pk]
    assert after["files"] == before["files"]


def test_replace_removes_what_the_file_no_longer_lists_and_says_so(reviewed, unit_a):
    doc = example(unit_a)
    submitted = reviewed["submitted"]
    doc["plans"][0]["measures"] = [m for m in doc["plans"][0]["measures"] if m["number"] != submitted.measure.number]
    doc["plans"][0]["measures"].append({"number": "99", "title": "มาตรการใหม่"})
    preview = import_document(copy.deepcopy(doc), replace=True, dry_run=True)
    assert Measure.objects.filter(pk=submitted.measure_id).exists()  # a preview changes nothing
    assert [row[1] for row in preview.measures_removed] == [submitted.measure.number]
    assert preview.measures_added == [(2568, "99", "มาตรการใหม่")]
    assert preview.files_removed == [(2568, submitted.measure.number, submitted.round, "รายงานผล.pdf")]
    import_document(doc, replace=True)
    assert not Measure.objects.filter(pk=submitted.measure_id).exists()
    assert Measure.objects.filter(plan__unit=unit_a).count() == 9


def test_review_and_history_travel_in_the_file(reviewed, unit_a, alice, bob):
    exported = json.loads(json.dumps(build_document(unit_a)), parse_float=Decimal)
    entries = {e["review"]["state"]: e for p in exported["plans"] for m in p["measures"] for e in m["progress"]}
    returned = entries["returned"]
    assert returned["review"]["comment"] == "แนบหลักฐานเพิ่ม"
    assert [(h["action"], h["by"]) for h in returned["review"]["history"]][-2:] == [("submit", "bob"), ("return", "alice")]
    assert entries["submitted"]["evidence_files"] == [
        {"name": "รายงานผล.pdf", "sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF), "content_type": "application/pdf"}
    ]
    # On another server (here: the unit deleted first), the states and history come back.
    Unit.objects.filter(pk=unit_a.pk).delete()
    import_document(exported, identity=True, files={hashlib.sha256(PDF).hexdigest(): PDF, hashlib.sha256(PNG).hexdigest(): PNG})
    states = sorted(ProgressEntry.objects.values_list("review_state", flat=True))
    assert states.count("returned") == 1 and states.count("submitted") == 1 and states.count("draft") == 1
    back = ReviewEvent.objects.filter(entry__review_state="returned").exclude(action="import").order_by("at", "id")
    assert [(e.action, e.by, e.by_name) for e in back][-2:] == [("submit", bob, "bob"), ("return", alice, "alice")]


def test_a_listed_file_must_be_the_entrys_or_in_the_bundle(reviewed, unit_a):
    exported = json.loads(json.dumps(build_document(unit_a)), parse_float=Decimal)
    entry = next(e for p in exported["plans"] for m in p["measures"] for e in m["progress"] if e["review"]["state"] == "draft")
    entry["evidence_files"] = [{"name": "x.pdf", "sha256": "0" * 64, "size": 10, "content_type": "application/pdf"}]
    before = counts()
    with pytest.raises(DocumentError) as exc:
        import_document(exported, replace=True)
    assert exc.value.path.endswith(".evidence_files[0]") and counts() == before


def test_bundle_round_trip_is_byte_identical(reviewed, unit_a, tmp_path, capsys):
    first, second = io.BytesIO(), io.BytesIO()
    assert write_bundle(unit_a, first) == 2
    write_bundle(unit_a, second)
    assert first.getvalue() == second.getvalue()  # the same data gives the same bundle
    with zipfile.ZipFile(io.BytesIO(first.getvalue())) as archive:
        assert sorted(archive.namelist()) == sorted(["unit-year.json", f"files/{hashlib.sha256(PDF).hexdigest()}", f"files/{hashlib.sha256(PNG).hexdigest()}"])
    before_doc = build_document(unit_a)
    path = tmp_path / "unit-a.zip"
    path.write_bytes(first.getvalue())
    Unit.objects.filter(pk=unit_a.pk).delete()  # the new server
    assert not EvidenceFile.objects.exists()
    call_command("import_unit_year", str(path))
    assert "unit-a" in capsys.readouterr().out
    unit = Unit.objects.get(slug="unit-a")
    stored = {f.original_name: f.file.open("rb").read() for f in EvidenceFile.objects.all()}
    assert stored == {"รายงานผล.pdf": PDF, "ภาพกิจกรรม.png": PNG}
    after_doc = build_document(unit)
    for doc in (before_doc, after_doc):  # apart from the rows the import records
        for entry in (e for p in doc["plans"] for m in p["measures"] for e in m["progress"]):
            entry["review"]["history"] = [h for h in entry["review"]["history"] if h["action"] != "import"]
    assert after_doc == before_doc


@pytest.mark.parametrize("case", ["unknown-name", "parent-path", "sha-mismatch", "no-json", "not-zip"])
def test_bad_bundles_are_refused(db, case):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if case != "no-json":
            archive.writestr("unit-year.json", EXAMPLE_PATH.read_bytes())
        if case == "unknown-name":
            archive.writestr("notes.txt", b"x")
        if case == "parent-path":
            archive.writestr("../files/" + "a" * 64, b"x")
        if case == "sha-mismatch":
            archive.writestr("files/" + "a" * 64, b"not that")
    data = buffer.getvalue() if case != "not-zip" else b"PK\x03\x04broken"
    with pytest.raises(DocumentError) as exc:
        read(data, "x.zip")
    assert exc.value.path == "(bundle)"


def test_a_unit_administrators_upload_may_not_change_the_units_identity(login, alice, unit_a):
    import_document(example(unit_a))
    url = reverse("interchange:upload", args=["unit-a"])
    for key, value in (("name", "องค์การบริหารส่วนตำบลอื่น"), ("province", "บุรีรัมย์"), ("kind", "pao"), ("district", "เมือง")):
        doc = json.loads(json.dumps(build_document(unit_a)))
        doc["unit"][key] = value
        response = login(alice).post(url, {"file": SimpleUploadedFile("a.json", json.dumps(doc).encode()), "replace": "on"})
        assert response.context["error"].path == f"unit.{key}"
        assert getattr(Unit.objects.get(pk=unit_a.pk), key) == getattr(unit_a, key)
    doc = json.loads(json.dumps(build_document(unit_a)))
    doc["unit"]["slug"] = "unit-b"
    response = login(alice).post(url, {"file": SimpleUploadedFile("a.json", json.dumps(doc).encode()), "replace": "on"})
    assert response.context["error"].path == "unit.slug"


def test_the_command_line_may_change_the_units_identity(unit_a, tmp_path):
    import_document(example(unit_a))
    doc = build_document(unit_a)
    doc["unit"]["name"] = "เทศบาลตำบลเอ"
    doc["unit"]["kind"] = "subdistrict_municipality"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    call_command("import_unit_year", str(path), "--replace")
    unit_a.refresh_from_db()
    assert (unit_a.name, unit_a.kind) == ("เทศบาลตำบลเอ", "subdistrict_municipality")


def test_browser_preview_lists_the_changes_and_waits_in_storage(reviewed, login, alice, unit_a, bob, client):
    doc = json.loads(json.dumps(build_document(unit_a)))
    doc["plans"][0]["measures"] = doc["plans"][0]["measures"][1:]
    url = reverse("interchange:upload", args=["unit-a"])
    response = login(alice).post(url, {"file": SimpleUploadedFile("a.json", json.dumps(doc, ensure_ascii=False).encode()), "replace": "on"})
    preview = response.context["preview"]
    removed = reviewed["draft"].measure
    assert [row[1] for row in preview.measures_removed] == [removed.number]
    assert removed.title[:30] in response.content.decode()
    assert Measure.objects.filter(pk=removed.pk).exists()
    assert "interchange-upload" not in client.session  # the file waits in storage, not in the session
    token = response.context["token"]
    assert login(bob).post(url, {"confirm": "1", "token": token}).status_code == 403  # editors may not import
    assert login(alice).post(url, {"confirm": "1", "token": token[:-2] + "xx"}).status_code == 302
    assert Measure.objects.filter(pk=removed.pk).exists()  # a tampered id imports nothing
    assert login(alice).post(url, {"confirm": "1", "token": token}).status_code == 302
    assert not Measure.objects.filter(pk=removed.pk).exists()


def test_browser_bundle_download_and_upload(reviewed, login, alice, charlie, unit_a):
    assert login(charlie).get(reverse("interchange:bundle", args=["unit-a"])).status_code == 403
    response = login(alice).get(reverse("interchange:bundle", args=["unit-a"]))
    data = b"".join(response.streaming_content)
    assert read(data).files == {hashlib.sha256(PDF).hexdigest(): PDF, hashlib.sha256(PNG).hexdigest(): PNG}
    EvidenceFile.objects.all().delete()
    url = reverse("interchange:upload", args=["unit-a"])
    response = login(alice).post(url, {"file": SimpleUploadedFile("a.zip", data), "replace": "on"})
    assert len(response.context["preview"].files_added) == 2
    login(alice).post(url, {"confirm": "1", "token": response.context["token"]})
    assert sorted(f.file.open("rb").read() for f in EvidenceFile.objects.all()) == sorted([PDF, PNG])


def test_a_version_1_file_may_not_carry_version_1_1_keys(db):
    doc = example()
    doc["plans"][0]["measures"][0]["progress"][0]["review"] = {"state": "approved"}
    with pytest.raises(DocumentError) as exc:
        import_document(doc)
    assert exc.value.path == "plans[0].measures[0].progress[0].review"
    doc["version"] = Decimal("1.1")
    import_document(doc, identity=True)
    assert ProgressEntry.objects.filter(review_state="approved").count() == 9


def test_new_entries_as_drafts(db):
    import_document(example(), drafts=True)
    assert set(ProgressEntry.objects.values_list("review_state", flat=True)) == {"draft"}
    assert ReviewEvent.objects.filter(action="import").count() == ProgressEntry.objects.count()


def test_an_edit_that_withdrew_a_submission_travels_as_the_contracts_reopen(reviewed, unit_a, bob):
    from measures import services
    from units.permissions import get_unit_access

    submitted = ProgressEntry.objects.get(pk=reviewed["submitted"].pk)
    values = {name: getattr(submitted, name) for name in ("status", "percent", "outcome", "problems", "suggestions", "reported_on")}
    services.save_entry(get_unit_access(bob, unit_a), submitted.measure, submitted.round, {**values, "result": "แก้ไขหลังส่ง"}, submitted.version)
    exported = json.loads(json.dumps(build_document(unit_a)), parse_float=Decimal)
    actions = {h["action"] for p in exported["plans"] for m in p["measures"] for e in m["progress"] for h in e["review"]["history"]}
    assert actions <= {"submit", "approve", "return", "reopen", "import"}  # unit-year v1.1's list, nothing else
    entry = next(e for p in exported["plans"] for m in p["measures"] for e in m["progress"] if e["result"] == "แก้ไขหลังส่ง")
    assert entry["review"]["state"] == "draft" and entry["review"]["history"][-1]["action"] == "reopen"


def test_a_file_that_says_edit_from_this_portals_earlier_exports_still_reads(reviewed, unit_a):
    exported = json.loads(json.dumps(build_document(unit_a)), parse_float=Decimal)
    entry = next(e for p in exported["plans"] for m in p["measures"] for e in m["progress"] if e["review"]["state"] == "submitted")
    entry["review"]["history"].append({"action": "edit", "by": "bob", "at": "2026-11-26T10:00:00+07:00"})
    entry["review"]["state"] = "draft"
    import_document(exported, replace=True)
    row = ReviewEvent.objects.filter(entry__review_state="draft", by_name="bob").latest("at")
    assert (row.action, row.to_state) == ("reopen", "draft")
