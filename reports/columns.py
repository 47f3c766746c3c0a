"""The columns a report kind can print, their default headings and widths, and the presets that reproduce
the offices' own documents (seeds 000, 002, 003 and 004) and the NACC's forms.

An office chooses a preset, then may reorder the columns and retitle them (ReportSettings.columns and
.headings). A column that is empty in every row is left out unless the office keeps it
(ReportSettings.keep_columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.models import Kind

# key → (default heading, relative width). Widths are the seeds' proportions.
COLUMNS = {
    Kind.RESULTS: {
        "number": ("ลำดับ", 5),
        "title": ("มาตรการ/แนวทาง", 16),
        "issue": ("ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา", 18),
        "steps": ("วิธีการดำเนินการ", 24),
        "issue_steps": ("วิธีดำเนินการ", 24),
        "owners": ("ผู้รับผิดชอบ", 12),
        "period": ("ระยะเวลา", 11),
        "follow_up": ("การรายงานผลและการกำกับติดตามกำหนดเวลาแล้วเสร็จ", 22),
        "result": ("สรุปผลการดำเนินการตามมาตรการ/กิจกรรม", 20),
        "outcome": ("ผลลัพธ์หรือความสำเร็จของการดำเนินการ", 17),
        "problems": ("ปัญหา/อุปสรรค", 15),
        "suggestions": ("ข้อเสนอแนะ", 15),
        "status": ("สถานะ", 10),
    },
    Kind.PLAN: {
        "number": ("ลำดับ", 5),
        "title": ("มาตรการ/แนวทาง", 16),
        "issue": ("ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา", 18),
        "steps": ("วิธีการดำเนินการ", 26),
        "period": ("ระยะเวลาดำเนินการ", 11),
        "follow_up": ("การติดตามผลการดำเนินการ", 17),
        "suggestions": ("ข้อเสนอแนะ", 15),
        "expected_outcome": ("ผลที่คาดว่าจะได้รับ", 15),
        "owners": ("ผู้รับผิดชอบ", 11),
    },
    Kind.OIT: {
        "code": ("ข้อ", 6),
        "title": ("ข้อมูล", 16),
        "components": ("องค์ประกอบด้านข้อมูล", 36),
        "owners": ("ผู้รับผิดชอบ", 12),
        "progress": ("ความก้าวหน้าผลการดำเนินการ", 30),
        "url": ("URL", 14),
    },
}


@dataclass(frozen=True)
class Preset:
    label: str
    kind: str
    columns: tuple[tuple[str, str], ...]  # (key, heading as the source prints it)
    group_by_indicator: bool = False  # rows under "เครื่องมือการประเมิน … ตัวชี้วัดที่ …" rows (seed 003)
    thai_digits: bool = True
    keep: tuple[str, ...] = field(default_factory=tuple)


PRESETS = {
    "results-000": Preset(
        "รายงานผลตามมาตรการ (แบบ อบต.สระกระโจม)",
        Kind.RESULTS,
        (
            ("title", "มาตรการ/แนวทาง"),
            ("steps", "วิธีการดำเนินการ"),
            ("owners", "ผู้รับผิดชอบ"),
            ("period", "ระยะเวลา"),
            ("result", "สรุปผลการดำเนินการตามมาตรการ/กิจกรรม"),
            ("outcome", "ผลลัพธ์หรือความสำเร็จของการดำเนินการ"),
        ),
    ),
    "results-003": Preset(
        "รายงานการดำเนินการตามประเด็นที่ต้องปรับปรุงแก้ไข (แบบ อบต.ลอย)",
        Kind.RESULTS,
        (
            ("issue", "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา"),
            ("owners", "ผู้รับผิดชอบ"),
            ("steps", "ขั้นตอนหรือวิธีการ/มาตรการ"),
            ("follow_up", "การรายงานผลและการกำกับติดตามกำหนดเวลาแล้วเสร็จ"),
            ("period", "การดำเนินการ"),
        ),
        group_by_indicator=True,
    ),
    "results-004": Preset(
        "รายงานผลการดำเนินการ มีลำดับ (แบบ อบต.โพธิ์ทอง)",
        Kind.RESULTS,
        (
            ("number", "ลำดับ"),
            ("title", "มาตรการ/กิจกรรม"),
            ("issue_steps", "วิธีดำเนินการ"),
            ("period", "ระยะเวลาในการดำเนินการ"),
            ("owners", "ผู้รับผิดชอบ"),
            ("result", "สรุปผลการดำเนินการตามมาตรการหรือกิจกรรม"),
            ("outcome", "ผลลัพธ์หรือความสำเร็จในการดำเนินการ"),
        ),
        thai_digits=False,
    ),
    "plan-002": Preset(
        "มาตรการพร้อมการติดตามผลและข้อเสนอแนะ (แบบ อบต.สระแก้ว)",
        Kind.PLAN,
        (
            ("title", "มาตรการ/แนวทาง"),
            ("steps", "วิธีการดำเนินการ"),
            ("period", "ระยะเวลาดำเนินการ"),
            ("follow_up", "การติดตามผลการดำเนินการ"),
            ("suggestions", "ข้อเสนอแนะ"),
            ("owners", "ผู้รับผิดชอบ"),
        ),
        thai_digits=False,
    ),
    "plan-nacc": Preset(
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส (แบบฟอร์มของ สำนักงาน ป.ป.ช.)",
        Kind.PLAN,
        (
            ("title", "มาตรการ/แนวทาง"),
            ("issue", "ประเด็นที่ต้องปรับปรุงแก้ไข/พัฒนา"),
            ("steps", "ขั้นตอนหรือวิธีการปฏิบัติ"),
            ("owners", "ผู้รับผิดชอบ"),
            ("period", "ระยะเวลาดำเนินการ"),
            ("follow_up", "การรายงานผลและการกำกับติดตาม"),
        ),
    ),
    "oit-004": Preset(
        "ความก้าวหน้าตามแบบวัด OIT พร้อมองค์ประกอบด้านข้อมูล (แบบ อบต.โพธิ์ทอง)",
        Kind.OIT,
        (
            ("code", "ข้อ"),
            ("title", "ข้อมูล"),
            ("components", "องค์ประกอบด้านข้อมูล"),
            ("owners", "ผู้รับผิดชอบ"),
            ("progress", "ความก้าวหน้าผลการดำเนินการ"),
        ),
        thai_digits=False,
    ),
}
DEFAULT_PRESET = {Kind.RESULTS: "results-000", Kind.PLAN: "plan-nacc", Kind.OIT: "oit-004"}


def presets_for(kind: str) -> list[tuple[str, str]]:
    return [(key, preset.label) for key, preset in PRESETS.items() if preset.kind == kind]


def preset_for(kind: str, key: str) -> Preset | None:
    preset = PRESETS.get(key or DEFAULT_PRESET.get(kind, ""))
    if preset is None or preset.kind != kind:
        preset = PRESETS.get(DEFAULT_PRESET.get(kind, ""))
    return preset


def chosen_columns(kind: str, preset_key: str, keys: list, headings: dict) -> list[tuple[str, str]]:
    """(key, heading) in the office's order: its own list of keys, else the preset's; headings edited."""
    available = COLUMNS.get(kind, {})
    preset = preset_for(kind, preset_key)
    preset_headings = dict(preset.columns) if preset else {}
    order = [k for k in (keys or [k for k, _ in (preset.columns if preset else ())]) if k in available]
    return [
        (key, (headings or {}).get(key) or preset_headings.get(key) or available[key][0]) for key in order
    ]


def widths(kind: str, keys: list[str]) -> list[int]:
    """Whole per cents, together 100, in the columns' proportions (CSS classes w-1 … w-100)."""
    available = COLUMNS.get(kind, {})
    weights = [available.get(key, ("", 12))[1] for key in keys]
    total = sum(weights) or 1
    exact = [w * 100 / total for w in weights]
    result = [int(x) for x in exact]
    # Largest remainders get the leftover per cents.
    for index in sorted(range(len(exact)), key=lambda i: exact[i] - result[i], reverse=True)[: 100 - sum(result)]:
        result[index] += 1
    return result
