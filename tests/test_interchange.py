"""The unit-year format: round trip, refusals with the JSON path, all or nothing, --replace."""

import copy
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from interchange.exporter import build_document
from interchange.importer import import_document
from interchange.messages import DocumentError
from interchange.reading import parse
from units.models import Unit

# The contract's example (../shared/formats/examples/), shipped as demo data.
EXAMPLE_PATH = Path(__file__).resolve().parents[1] / "interchange" / "demo" / "sra-krachom-2568.json"
EXAMPLE = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"), parse_float=Decimal)


def example():
    return copy.deepcopy(EXAMPLE)


def without_added_defaults(source, exported):
    """The exported document restricted to the source's keys (the exporter may add keys with defaults)."""
    if isinstance(source, dict):
        return {key: without_added_defaults(source[key], exported.get(key)) for key in source}
    if isinstance(source, list):
        return [without_added_defaults(a, b) for a, b in zip(source, exported, strict=True)]
    return exported


DEFAULTS = ("", [], {})


def added_keys_are_defaults(source, exported):
    if isinstance(source, dict):
        for key, value in exported.items():
            if key not in source:
                assert value in DEFAULTS, key
            else:
                added_keys_are_defaults(source[key], value)
    elif isinstance(source, list):
        for a, b in zip(source, exported, strict=True):
            added_keys_are_defaults(a, b)


V11_KEYS = ("review", "evidence_files")


def as_version_1(exported):
    """A v1.1 export without what v1.1 adds (for comparing with a v1 source)."""
    exported = copy.deepcopy(exported)
    exported["version"] = 1
    for plan in exported["plans"]:
        for measure in plan["measures"]:
            for entry in measure["progress"]:
                for key in V11_KEYS:
                    entry.pop(key, None)
    return exported


def roundtrip(document):
    import_document(copy.deepcopy(document), replace=True, identity=True)
    years = {a["fiscal_year"] for a in document.get("assessments", [])} | {p["fiscal_year"] for p in document.get("plans", [])}
    unit = Unit.objects.get(slug=document["unit"]["slug"])
    exported = json.loads(json.dumps(build_document(unit, years=years)), parse_float=Decimal)
    assert exported["version"] == Decimal("1.1")
    if document["version"] == 1:
        exported = as_version_1(exported)
    assert without_added_defaults(document, exported) == document
    added_keys_are_defaults(document, exported)


def test_example_round_trips(db):
    roundtrip(example())


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "interchange" / "demo").glob("*.json")), ids=lambda p: p.name)
def test_demo_files_round_trip(db, path):
    roundtrip(json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))


def counts():
    models = [m for app in ("units", "assessments", "measures") for m in apps.get_app_config(app).get_models()]
    return {m._meta.label: m.objects.count() for m in models}


def mutate(fn):
    def build():
        doc = example()
        fn(doc)
        return doc

    return build


M0 = "plans[0].measures[0]"
BAD = {
    "format": (mutate(lambda d: d.update(format="other")), "format"),
    "version": (mutate(lambda d: d.update(version=2)), "version"),
    "version-bool": (mutate(lambda d: d.update(version=True)), "version"),
    "unknown-top": (mutate(lambda d: d.update(extra=1)), "extra"),
    "missing-unit": (mutate(lambda d: d.pop("unit")), "unit"),
    "missing-format": (mutate(lambda d: d.pop("format")), "format"),
    "unit-not-object": (mutate(lambda d: d.update(unit=[])), "unit"),
    "bad-slug": (mutate(lambda d: d["unit"].update(slug="Sra Krachom")), "unit.slug"),
    "short-slug": (mutate(lambda d: d["unit"].update(slug="s")), "unit.slug"),
    "slug-number": (mutate(lambda d: d["unit"].update(slug=5)), "unit.slug"),
    "empty-name": (mutate(lambda d: d["unit"].update(name=" ")), "unit.name"),
    "bad-kind": (mutate(lambda d: d["unit"].update(kind="village")), "unit.kind"),
    "unit-unknown-key": (mutate(lambda d: d["unit"].update(mayor="x")), "unit.mayor"),
    "departments-type": (mutate(lambda d: d["unit"].update(departments="สำนักปลัด")), "unit.departments"),
    "departments-item": (mutate(lambda d: d["unit"]["departments"].append(3)), "unit.departments[5]"),
    "departments-dup": (mutate(lambda d: d["unit"]["departments"].append("กองคลัง")), "unit.departments[5]"),
    "assessments-type": (mutate(lambda d: d.update(assessments={})), "assessments"),
    "year-string": (mutate(lambda d: d["assessments"][0].update(fiscal_year="2568")), "assessments[0].fiscal_year"),
    "year-ad": (mutate(lambda d: d["assessments"][0].update(fiscal_year=2025)), "assessments[0].fiscal_year"),
    "year-no-framework": (mutate(lambda d: d["assessments"][0].update(fiscal_year=2555)), "assessments[0].fiscal_year"),
    "score-over": (mutate(lambda d: d["assessments"][0]["scores"].update({"1": Decimal("100.5")})), "assessments[0].scores.1"),
    "score-negative": (mutate(lambda d: d["assessments"][0]["scores"].update({"2": -1})), "assessments[0].scores.2"),
    "score-3-decimals": (mutate(lambda d: d["assessments"][0]["scores"].update({"3": Decimal("85.123")})), "assessments[0].scores.3"),
    "score-string": (mutate(lambda d: d["assessments"][0]["scores"].update({"4": "85"})), "assessments[0].scores.4"),
    "score-bool": (mutate(lambda d: d["assessments"][0]["scores"].update({"4": True})), "assessments[0].scores.4"),
    "score-indicator-missing": (mutate(lambda d: d["assessments"][0]["scores"].update({"11": 80})), "assessments[0].scores.11"),
    "score-key": (mutate(lambda d: d["assessments"][0]["scores"].update({"x": 80})), "assessments[0].scores.x"),
    "official-total-over": (mutate(lambda d: d["assessments"][0].update(official_total=101)), "assessments[0].official_total"),
    "tool-unknown": (mutate(lambda d: d["assessments"][0]["tool_totals"].update(XIT=80)), "assessments[0].tool_totals.XIT"),
    "assessment-unknown-key": (mutate(lambda d: d["assessments"][0].update(rank=1)), "assessments[0].rank"),
    "assessment-dup-year": (mutate(lambda d: d["assessments"].append(copy.deepcopy(d["assessments"][0]))), "assessments[1].fiscal_year"),
    "plans-type": (mutate(lambda d: d.update(plans="x")), "plans"),
    "plan-missing-measures": (mutate(lambda d: d["plans"][0].pop("measures")), "plans[0].measures"),
    "plan-unknown-key": (mutate(lambda d: d["plans"][0].update(budget=5)), "plans[0].budget"),
    "measure-missing-title": (mutate(lambda d: d["plans"][0]["measures"][0].pop("title")), f"{M0}.title"),
    "measure-title-number": (mutate(lambda d: d["plans"][0]["measures"][0].update(title=1)), f"{M0}.title"),
    "measure-number-type": (mutate(lambda d: d["plans"][0]["measures"][0].update(number=1)), f"{M0}.number"),
    "measure-unknown-key": (mutate(lambda d: d["plans"][0]["measures"][0].update(titel="x")), f"{M0}.titel"),
    "measure-bad-date": (mutate(lambda d: d["plans"][0]["measures"][0].update(start="2024-13-01")), f"{M0}.start"),
    "measure-be-date": (mutate(lambda d: d["plans"][0]["measures"][0].update(start="1/10/2567")), f"{M0}.start"),
    "end-before-start": (mutate(lambda d: d["plans"][0]["measures"][0].update(start="2025-10-01")), f"{M0}.end"),
    "owner-unknown": (mutate(lambda d: d["plans"][0]["measures"][0]["owners"].append("กองทัพ")), f"{M0}.owners[1]"),
    "indicator-missing": (mutate(lambda d: d["plans"][0]["measures"][0]["indicators"].append("12")), f"{M0}.indicators[1]"),
    "indicator-int": (mutate(lambda d: d["plans"][0]["measures"][0].update(indicators=[10])), f"{M0}.indicators[0]"),
    "oit-missing": (mutate(lambda d: d["plans"][0]["measures"][0].update(oit_items=["O99"])), f"{M0}.oit_items[0]"),
    # Links named twice could be neither stored nor exported back.
    "owner-twice": (mutate(lambda d: d["plans"][0]["measures"][0]["owners"].append(d["plans"][0]["measures"][0]["owners"][0])), f"{M0}.owners[1]"),
    "indicator-twice": (mutate(lambda d: d["plans"][0]["measures"][0].update(indicators=["9", "10", "9"])), f"{M0}.indicators[2]"),
    "oit-item-twice": (mutate(lambda d: d["plans"][0]["measures"][0].update(oit_items=["O1", "O1"])), f"{M0}.oit_items[1]"),
    "steps-type": (mutate(lambda d: d["plans"][0]["measures"][0].update(steps="ทำ")), f"{M0}.steps"),
    "progress-round": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(round="Y1")), f"{M0}.progress[0].round"),
    "progress-status": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(status="finished")), f"{M0}.progress[0].status"),
    "progress-dup-round": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"].append(copy.deepcopy(d["plans"][0]["measures"][0]["progress"][0]))), f"{M0}.progress[1].round"),
    "percent-over": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(percent=120)), f"{M0}.progress[0].percent"),
    "percent-float": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(percent=Decimal("50.5"))), f"{M0}.progress[0].percent"),
    "evidence-url": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(evidence=["javascript:alert(1)"])), f"{M0}.progress[0].evidence[0]"),
    "reported-on": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(reported_on="yesterday")), f"{M0}.progress[0].reported_on"),
    "progress-unknown": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(approved=True)), f"{M0}.progress[0].approved"),
    "oit-item-status": (mutate(lambda d: d["plans"][0].update(oit_items=[{"code": "O1", "status": "cancelled"}])), "plans[0].oit_items[0].status"),
    "oit-item-code": (mutate(lambda d: d["plans"][0].update(oit_items=[{"code": "O999", "status": "done"}])), "plans[0].oit_items[0].code"),
    "oit-item-url": (mutate(lambda d: d["plans"][0].update(oit_items=[{"code": "O1", "status": "done", "url": "www.x"}])), "plans[0].oit_items[0].url"),
    "plan-dup-year": (mutate(lambda d: d["plans"].append({"fiscal_year": 2568, "measures": []})), "plans[1].fiscal_year"),
    # Database limits (issue #14): what PostgreSQL would refuse is refused with its path first.
    "unit-name-201": (mutate(lambda d: d["unit"].update(name="ก" * 201)), "unit.name"),
    "district-101": (mutate(lambda d: d["unit"].update(district="ก" * 101)), "unit.district"),
    "department-201": (mutate(lambda d: d["unit"]["departments"].append("ก" * 201)), "unit.departments[5]"),
    "level-51": (mutate(lambda d: d["assessments"][0].update(official_level="ก" * 51)), "assessments[0].official_level"),
    "period-text-201": (mutate(lambda d: d["plans"][0]["measures"][0].update(period_text="ก" * 201)), f"{M0}.period_text"),
    "evidence-url-501": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(evidence=["https://x.example/" + "a" * 483])), f"{M0}.progress[0].evidence[0]"),
    "oit-url-501": (mutate(lambda d: d["plans"][0].update(oit_items=[{"code": "O1", "status": "done", "url": "https://x.example/" + "a" * 483}])), "plans[0].oit_items[0].url"),
    "oit-code-11": (mutate(lambda d: d["plans"][0].update(oit_items=[{"code": "O" * 11, "status": "done"}])), "plans[0].oit_items[0].code"),
    "percent-huge": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(percent=10**40)), f"{M0}.progress[0].percent"),
    "year-huge": (mutate(lambda d: d["plans"][0].update(fiscal_year=10**40)), "plans[0].fiscal_year"),
    "score-nan": (mutate(lambda d: d["assessments"][0]["scores"].update({"5": Decimal("NaN")})), "assessments[0].scores.5"),
    "title-blank-after-cleaning": (mutate(lambda d: d["plans"][0]["measures"][0].update(title="\x00\x0b")), f"{M0}.title"),
    "version-string": (mutate(lambda d: d.update(version="1.1")), "version"),
    "version-missing": (mutate(lambda d: d.pop("version")), "version"),
    "null-percent": (mutate(lambda d: d["plans"][0]["measures"][0]["progress"][0].update(percent=None)), f"{M0}.progress[0].percent"),
}

RAW = {
    "truncated": (json.dumps({"format": "ita-portal/unit-year"})[:-3].encode(), "JSON"),
    "not-utf8": ('{"format": "ita-portal/unit-year", "name": "สระ"}'.encode("tis-620"), "UTF-8"),
    "not-object": (b"[]", "ออบเจกต์"),
    "deep-junk": (b"[" * 100_000 + b"]" * 100_000, "ลึก"),
    "empty": (b"", "JSON"),
    # json.loads refuses integers of more than 4,300 digits with a ValueError: a refusal, not a 500.
    "huge-integer": (b'{"format": "ita-portal/unit-year", "version": ' + b"1" * 5000 + b"}", "ยาว"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_documents_are_refused_with_their_path_and_change_nothing(db, name):
    import_document(example(), replace=True)  # an existing unit-year must survive a refused --replace
    before = counts()
    build, path = BAD[name]
    with pytest.raises(DocumentError) as exc:
        import_document(build(), replace=True)
    assert exc.value.path == path
    assert exc.value.thai and exc.value.english
    assert counts() == before


@pytest.mark.parametrize("name", sorted(RAW))
def test_bad_bytes_are_refused(db, name):
    data, word = RAW[name]
    with pytest.raises(DocumentError) as exc:
        import_document(parse(data))
    assert word in str(exc.value)
    assert counts()["units.Unit"] == 0


def test_file_over_the_size_limit(db, settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(DocumentError, match="ใหญ่เกิน"):
        parse(EXAMPLE_PATH.read_bytes())


def test_existing_year_needs_replace(db):
    import_document(example())
    changed = example()
    changed["plans"][0]["measures"][0]["title"] = "ชื่อใหม่"
    with pytest.raises(DocumentError, match="--replace"):
        import_document(changed)
    assert "ชื่อใหม่" not in json.dumps(build_document(Unit.objects.get()), ensure_ascii=False)
    import_document(changed, replace=True)
    assert build_document(Unit.objects.get())["plans"][0]["measures"][0]["title"] == "ชื่อใหม่"


def test_markup_is_text(db):
    doc = example()
    doc["plans"][0]["measures"][0]["title"] = "<script>alert(1)</script><p>ข้อความ</p>"
    import_document(doc)
    assert build_document(Unit.objects.get())["plans"][0]["measures"][0]["title"] == "<script>alert(1)</script><p>ข้อความ</p>"


def test_commands(db, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    call_command("import_unit_year", str(EXAMPLE_PATH))
    assert "9 measures" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_unit_year", str(EXAMPLE_PATH))  # exists: needs --replace
    with pytest.raises(CommandError):
        call_command("import_unit_year", str(bad))
    out = tmp_path / "out.json"
    call_command("export_unit_year", unit="sra-krachom", year=2568, output=str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["unit"]["slug"] == "sra-krachom"


def as_unit_a(doc, unit):
    """The example as unit A's own file: its slug and identity, its departments added."""
    doc["unit"].update(slug=unit.slug, name=unit.name, kind=unit.kind, district=unit.district, province=unit.province)
    return doc


def test_browser_upload_preview_confirm(login, alice, charlie, unit_a, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    doc = as_unit_a(json.loads(EXAMPLE_PATH.read_text(encoding="utf-8")), unit_a)
    doc["plans"][0]["measures"][0]["title"] = "<script>alert(1)</script>"
    url = reverse("interchange:upload", args=["unit-a"])
    upload = SimpleUploadedFile("a.json", json.dumps(doc, ensure_ascii=False).encode())
    assert login(charlie).post(url, {"file": upload}).status_code == 403
    response = login(alice).post(url, {"file": SimpleUploadedFile("a.json", json.dumps(doc, ensure_ascii=False).encode())})
    body = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert not unit_a.plans.exists()  # nothing before confirming
    token = response.context["token"]
    assert login(alice).post(url, {"confirm": "1", "token": token}).status_code == 302
    assert unit_a.plans.get().measures.count() == 9
    # The history of every imported row names who imported it.
    measure = unit_a.plans.get().measures.first()
    assert measure.history.get().history_user == alice
    export = login(charlie).get(reverse("interchange:export", args=["unit-a"]))
    assert json.loads(export.content)["plans"][0]["measures"][0]["title"] == "<script>alert(1)</script>"


def test_browser_upload_refuses_another_units_file(login, alice, unit_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = login(alice).post(reverse("interchange:upload", args=["unit-a"]), {"file": SimpleUploadedFile("x.json", EXAMPLE_PATH.read_bytes())})
    assert "unit.slug" in response.content.decode()
    assert not Unit.objects.filter(slug="sra-krachom").exists()


def test_generated_documents_round_trip(db):
    """Property: any document the generator builds imports and exports back unchanged."""
    import random

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from interchange.generate import document

    @settings(max_examples=15, deadline=None)
    @given(st.integers(0, 10_000), st.lists(st.sampled_from([2564, 2565, 2566, 2567, 2568]), min_size=1, max_size=3, unique=True))
    def check(seed, years):
        doc = document(seed % 50, sorted(years), random.Random(seed), measures=(1, 4))
        roundtrip(json.loads(json.dumps(doc), parse_float=Decimal))

    check()


def test_many_files_in_worker_processes(transactional_db, tmp_path, capsys):
    """--jobs shares the files among processes on PostgreSQL (one process on SQLite); each file is still
    whole or nothing, a bad file among them is reported and the rest land with their dashboard figures."""
    import random

    from interchange.generate import document
    from measures.models import Measure, UnitYearProgress
    from tests import factories

    # Transactional tests start from an emptied database (another one may have flushed the shipped
    # frameworks), so the years' frameworks are made sure of here.
    factories.framework(2567), factories.framework(2568)
    rng = random.Random(7)
    names = []
    for index in range(12):
        path = tmp_path / f"unit-{index}.json"
        path.write_text(json.dumps(document(index, [2567, 2568], rng), ensure_ascii=False), encoding="utf-8")
        names.append(str(path))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "ita-portal/unit-year", "version": 1}', encoding="utf-8")
    with pytest.raises(CommandError, match="1 of 13"):
        call_command("import_unit_year", *names, str(bad), "--jobs", "2")
    captured = capsys.readouterr()
    assert sum(line.endswith("progress entries") for line in captured.out.splitlines()) == 12
    assert "bad.json: unit" in captured.err
    assert Unit.objects.count() == 12
    for unit in Unit.objects.all():
        for year in (2567, 2568):
            progress = UnitYearProgress.objects.get(unit=unit, fiscal_year=year)
            measures = Measure.objects.filter(plan__unit=unit, plan__fiscal_year=year).count()
            assert progress.measure_count == measures > 0
            assert progress.h1_approved == progress.fy_approved == measures


def test_replace_brings_dashboard_figures_up_to_date(db):
    from measures.models import UnitYearProgress

    import_document(example())
    unit = Unit.objects.get(slug="sra-krachom")
    assert UnitYearProgress.objects.get(unit=unit, fiscal_year=2568).measure_count == 9
    smaller = example()
    del smaller["plans"][0]["measures"][3:]
    summary = import_document(smaller, replace=True)
    assert summary.replaced == [2568]
    assert UnitYearProgress.objects.get(unit=unit, fiscal_year=2568).measure_count == 3
    assert unit.plans.get().measures.count() == 3


def test_a_utf8_bom_is_accepted(db):
    import_document(parse(b"\xef\xbb\xbf" + EXAMPLE_PATH.read_bytes()))
    assert Unit.objects.get().slug == "sra-krachom"


def test_pasted_control_characters_are_cleaned(db):
    doc = example()
    doc["plans"][0]["measures"][0]["title"] = "บรรทัดแรก\x0bบรรทัดสอง\x00"
    doc["plans"][0]["measures"][0]["progress"][0]["result"] = "ผล\r\nต่อ\x0c"
    import_document(doc)
    measure = build_document(Unit.objects.get())["plans"][0]["measures"][0]
    assert measure["title"] == "บรรทัดแรก\nบรรทัดสอง"
    assert measure["progress"][0]["result"] == "ผล\nต่อ\n"


def generated_unit_files(tmp_path, count: int) -> list[str]:
    """`count` generated unit-year files (units unit-00000, unit-00001, …) for the batch import tests."""
    import random

    from interchange.generate import document

    names = []
    for index in range(count):
        path = tmp_path / f"unit-{index}.json"
        path.write_text(json.dumps(document(index, [2568], random.Random(index)), ensure_ascii=False), encoding="utf-8")
        names.append(str(path))
    return names


def test_the_command_reports_a_file_the_database_refuses_and_goes_on(db, tmp_path, capsys, monkeypatch):
    """A refusal by the database (here made to happen: the validator knows the limits of this schema) is
    the file's error line; the files after it are still imported."""
    from django.db import DataError

    import interchange.batch as batch

    real = batch.import_document
    names = generated_unit_files(tmp_path, 3)

    def refusing(doc, **options):
        if doc["unit"]["slug"] == "unit-00001":
            raise DataError('value too long for type character varying(200)\nCONTEXT: …')
        return real(doc, **options)

    monkeypatch.setattr(batch, "import_document", refusing)
    with pytest.raises(CommandError, match="1 of 3"):
        call_command("import_unit_year", *names)
    captured = capsys.readouterr()
    assert "unit-1.json: ฐานข้อมูลไม่รับข้อมูลในไฟล์นี้" in captured.err and "character varying(200))" in captured.err
    assert sorted(Unit.objects.values_list("slug", flat=True)) == ["unit-00000", "unit-00002"]


def test_an_interrupted_run_reports_the_files_it_committed(db, tmp_path, capsys, monkeypatch):
    import interchange.batch as batch

    real = batch.import_document
    names = generated_unit_files(tmp_path, 4)

    def interrupted(doc, **options):
        if doc["unit"]["slug"] == "unit-00002":
            raise KeyboardInterrupt
        return real(doc, **options)

    monkeypatch.setattr(batch, "import_document", interrupted)
    with pytest.raises(CommandError, match="interrupted"):
        call_command("import_unit_year", *names)
    err = capsys.readouterr().err
    assert "2 of 4 files were committed" in err
    assert f"committed: {names[0]}" in err and f"committed: {names[1]}" in err and names[2] not in err


def test_workers_end_when_their_parent_dies(tmp_path):
    """A worker (here: a grandchild that calls end_with_parent) is ended by the kernel when its parent is
    killed, instead of running on (as it did for up to 16 s)."""
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import django\n"
        "django.setup()\n"
        "from interchange.batch import end_with_parent\n"
        "parent = os.getpid()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    end_with_parent(parent)\n"
        "    print(os.getpid(), flush=True)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(60)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ita_portal.settings"}
    root = str(Path(__file__).resolve().parents[1])
    parent = subprocess.Popen([sys.executable, str(script), root], stdout=subprocess.PIPE, text=True, env=env)
    worker = int(parent.stdout.readline())  # written once the worker has set PR_SET_PDEATHSIG
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker outlived its parent")


def test_the_published_json_schema_is_the_models(db):
    from interchange.management.commands.unit_year_schema import DEFAULT, schema_text

    assert DEFAULT.read_text(encoding="utf-8") == schema_text(), "run manage.py unit_year_schema"


def _schema_validator():
    import jsonschema

    from interchange.management.commands.unit_year_schema import DEFAULT

    schema = json.loads(DEFAULT.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _plain(doc):
    return json.loads(json.dumps(doc, default=float))


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "interchange" / "demo").glob("*.json")), ids=lambda p: p.name)
def test_demo_files_and_exports_meet_the_json_schema(db, path):
    validator = _schema_validator()
    validator.validate(json.loads(path.read_text(encoding="utf-8")))
    import_document(parse(path.read_bytes()), identity=True)
    validator.validate(_plain(build_document(Unit.objects.get())))  # a version 1.1 export


# Rules a JSON Schema cannot say: they need the year's framework, another part of the document, or
# arithmetic on decimals. Everything else the schema refuses as the importer does.
BEYOND_THE_SCHEMA = {
    "year-no-framework", "score-indicator-missing", "indicator-missing", "oit-missing", "oit-item-code",
    "owner-unknown", "end-before-start", "assessment-dup-year", "plan-dup-year", "progress-dup-round",
    "score-3-decimals", "title-blank-after-cleaning", "score-nan",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_bad_input_suite_against_the_json_schema(name):
    build, _path = BAD[name]
    if name == "score-nan":
        return  # NaN is no JSON
    errors = list(_schema_validator().iter_errors(_plain(build())))
    assert bool(errors) == (name not in BEYOND_THE_SCHEMA)
