"""Report settings of the demo units (the Loi memo of seed 003 with its people and positions) and the
reports the demo units publish."""

import datetime as dt
from pathlib import Path

from django.core.files.base import ContentFile

from reports.columns import PRESETS
from reports.models import Kind, PublishedReport, ReportSettings
from reports.publishing import check_completeness, publish
from units.models import Unit

LOI_CHAIN = [
    {"heading": "ความเห็นของหัวหน้าสำนักปลัด", "rank": "สืบเอก", "name": "สุกิจ มูลศรี",
     "position": "นักป้องกันและบรรเทาสาธารณภัยชำนาญการ รักษาการแทน\nหัวหน้าสำนักปลัด"},
    {"heading": "ความเห็นของรองปลัดองค์การบริหารส่วนตำบลลอย", "rank": "", "name": "นายฉลอง ออสา",
     "position": "รองปลัดองค์การบริหารส่วนตำบลลอย"},
    {"heading": "ความเห็นของปลัดองค์การบริหารส่วนตำบลลอย", "rank": "ว่าที่ ร.ต.", "name": "ปริญญา จันทร์หอม",
     "position": "ผู้อำนวยการกองช่าง รักษาราชการแทน\nปลัดองค์การบริหารส่วนตำบลลอย"},
    {"heading": "ความเห็นของนายกองค์การบริหารส่วนตำบลลอย", "rank": "", "name": "นายอนุรักษ โปรงสุยา",
     "position": "นายกองค์การบริหารส่วนตำบลลอย"},
]  # fmt: skip
# The emblem the demo units print on their memos: drawn for the demo (demo/assets/demo-emblem.png), not a
# real unit's ครุฑ; a unit's administrator uploads its own (Unit.logo).
DEMO_EMBLEM = Path(__file__).resolve().parent / "assets" / "demo-emblem.png"


def _demo_emblem(unit: Unit) -> None:
    if not unit.logo and DEMO_EMBLEM.exists():
        unit.logo.save(f"{unit.slug}-emblem.png", ContentFile(DEMO_EMBLEM.read_bytes()), save=True)


def load_demo_report_settings() -> None:
    for unit in Unit.objects.filter(slug__in=["loi", "sra-krachom", "sra-kaeo", "pho-thong"]):
        _demo_emblem(unit)
    loi = Unit.objects.filter(slug="loi").first()
    if loi is not None:
        ReportSettings.objects.update_or_create(
            unit=loi, kind=Kind.MEMO, fiscal_year=2566, round="H1",
            defaults={
                "landscape": False,
                "memo_office": "องค์การบริหารส่วนตำบลลอย",
                "memo_reference": "พย ๗๖๒๐๑/",
                "memo_date": dt.date(2023, 3, 24),
                "memo_subject": "รายงานผลการดำเนินมาตรการส่งเสริมคุณธรรมและความโปร่งใสของปีงบประมาณ พ.ศ. ๒๕๖๖",
                "memo_to": "นายกองค์การบริหารส่วนตำบลลอย",
                "memo_body": (
                    "ตามที่ได้ดำเนินการวิเคราะห์ผลประเมิน ITA ขององค์การบริหารส่วนตำบลลอย ปีงบประมาณ พ.ศ. ๒๕๖๕ "
                    "และได้กำหนดประเด็นที่ต้องแก้ไข/ประเด็นที่ต้องพัฒนา ในการส่งเสริมคุณธรรมและความโปร่งใสขององค์กร"
                    "ปกครองส่วนท้องถิ่นในปีงบประมาณ พ.ศ. ๒๕๖๖ โดยมีการดำเนินการขับเคลื่อนมาตรการส่งเสริมคุณธรรม"
                    "และความโปร่งใสขององค์กรปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ตามสิ่งที่แนบมานี้"
                    "\n\nจึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป"
                ),
                "signatory_rank": "สืบเอก",
                "signatory_name": "สุกิจ มูลศรี",
                "signatory_position": "นักป้องกันและบรรเทาสาธารณภัยชำนาญการ รักษาการในตำแหน่ง\nนักจัดการงานทั่วไป",
                "memo_comment_chain": LOI_CHAIN,
            },
        )
    krachom = Unit.objects.filter(slug="sra-krachom").first()
    if krachom is not None:
        ReportSettings.objects.update_or_create(
            unit=krachom, kind=Kind.RESULTS, fiscal_year=2568, round="FY",
            defaults={"preset": "results-000"},
        )
    for slug, kind, year, round_code, preset, footnote in DEMO_PRESETS:
        unit = Unit.objects.filter(slug=slug).first()
        if unit is not None:
            ReportSettings.objects.update_or_create(
                unit=unit, kind=kind, fiscal_year=year, round=round_code,
                defaults={"preset": preset, "thai_digits": PRESETS[preset].thai_digits, "footnote": footnote},
            )  # fmt: skip


# Seed 002's note under its table, as typed.
SRA_KAEO_FOOTNOTE = "หมายเหตุ  หาก อปท. มีการจัดทำรายงานดังกล่าว  จะสามารถนำไปตอบแบบประเมินฯ (OIT) ข้อ O41  O42 และ O43"
# Each demo unit's reports laid out as its own documents were (seeds 002, 003, 004).
DEMO_PRESETS = [
    ("sra-kaeo", Kind.PLAN, 2566, "", "plan-002", SRA_KAEO_FOOTNOTE),
    ("loi", Kind.RESULTS, 2566, "H1", "results-003", ""),
    ("pho-thong", Kind.RESULTS, 2567, "FY", "results-004", ""),
    ("pho-thong", Kind.OIT, 2567, "FY", "oit-004", ""),
]

# What the demo units publish, as their websites did (seeds 000–004): results of the round the seed
# reports, the plan, OIT progress (no demo unit has indicator scores, so no analysis is published: publishing
# refuses an analysis without them). Loi publishes its plan; its H1
# results and memo are left unpublished: seed 003 reports a result for its first measure only, so
# publishing refuses them (the publish page shows why).
DEMO_PUBLICATIONS = [
    ("sra-krachom", Kind.RESULTS, 2568, "FY"),
    ("sra-krachom", Kind.PLAN, 2568, ""),
    ("sra-kaeo", Kind.PLAN, 2566, ""),
    ("loi", Kind.PLAN, 2566, ""),
    ("pho-thong", Kind.PLAN, 2567, ""),
    ("pho-thong", Kind.OIT, 2567, "FY"),
]


def publish_demo_reports(user) -> list[str]:
    """Publish the demo units' reports once (a report already published is left as it is), so that the
    public pages show what a unit's website links to. Returns a line per report published or skipped."""
    lines = []
    for slug, kind, year, round_code in DEMO_PUBLICATIONS:
        unit = Unit.objects.filter(slug=slug).first()
        if unit is None:
            continue
        if PublishedReport.objects.filter(unit=unit, kind=kind, fiscal_year=year, round=round_code).exists():
            continue
        label = " ".join(str(part) for part in (kind, year, round_code) if part)
        check = check_completeness(unit, kind, year, round_code)
        if not check.ok:
            lines.append(f"{slug}: {label} not published ({'; '.join(map(str, check.blockers))})")
            continue
        report = publish(unit, kind, year, round_code, user)
        lines.append(f"{slug}: published {label} ({report.pages} pages)")
    return lines
