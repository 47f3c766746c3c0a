"""บันทึกข้อความ (the cover memo, seed 003) as ระเบียบงานสารบรรณ lays it out: the unit's emblem (ครุฑ) at
1.5 cm, the title at 29 pt, ส่วนราชการ / ที่ / วันที่ / เรื่อง with dotted fill, signature blocks without
"ลงชื่อ" (the rank on its own line above the name), the chain of comments of the seed. The date and ที่ are
what the office fills in: never the day of rendering (the completeness check warns while they are blank).
"""

from __future__ import annotations

import base64
import mimetypes

from reports.data import Document, options_from, round_label, settings_for
from reports.models import Kind, ReportSettings
from reports.signatures import Signature, split_lines
from units.models import Unit

EMBLEM_TYPES = {"image/png", "image/jpeg", "image/svg+xml", "image/gif"}


def emblem_data_uri(unit: Unit) -> str:
    """The unit's emblem (Unit.logo, uploaded by its administrator) inline, so the PDF needs no URL."""
    if not unit.logo:
        return ""
    mime_type = mimetypes.guess_type(unit.logo.name)[0] or ""
    if mime_type not in EMBLEM_TYPES:
        return ""
    try:
        with unit.logo.open("rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    return f"data:{mime_type};base64,{base64.b64encode(content).decode()}"


def default_comment_chain(unit: Unit) -> list[dict]:
    return [
        {"heading": "ความเห็นของหัวหน้าสำนักปลัด", "name": "", "position": "หัวหน้าสำนักปลัด"},
        {"heading": f"ความเห็นของรองปลัด{unit.name}", "name": "", "position": f"รองปลัด{unit.name}"},
        {"heading": f"ความเห็นของปลัด{unit.name}", "name": "", "position": f"ปลัด{unit.name}"},
        {"heading": f"ความเห็นของนายก{unit.name}", "name": "", "position": f"นายก{unit.name}"},
    ]


def default_body(unit: Unit, fiscal_year: int, round_code: str, options) -> str:
    return (
        f"ตามที่ได้ดำเนินการวิเคราะห์ผลการประเมิน ITA ของ{unit.name} ปีงบประมาณ พ.ศ. {fiscal_year - 1} "
        "และได้กำหนดประเด็นที่ต้องแก้ไข/ประเด็นที่ต้องพัฒนา ในการส่งเสริมคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่น"
        f"ในปีงบประมาณ พ.ศ. {fiscal_year} โดยมีการดำเนินการขับเคลื่อนมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
        f"ขององค์กรปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ. {fiscal_year} {round_label(round_code, options)} ตามสิ่งที่แนบมานี้"
        "\n\nจึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป"
    )


def _person(step: dict, text) -> Signature:
    return Signature("", text(step.get("rank", "")), text(step.get("name", "")), split_lines(text(step.get("position", ""))))


def build_memo(unit: Unit, fiscal_year: int, round_code: str, settings: ReportSettings | None = None) -> Document:
    settings = settings or settings_for(unit, Kind.MEMO, fiscal_year, round_code)
    chain = settings.memo_comment_chain or default_comment_chain(unit)
    people = [settings.signatory_position, *(step.get("position", "") for step in chain)]
    options = options_from(settings, unit, extra_words=[w for p in people for w in split_lines(p)])
    text = options.text
    body = settings.memo_body or default_body(unit, fiscal_year, round_code, options)
    sender = {"rank": settings.signatory_rank, "name": settings.signatory_name, "position": settings.signatory_position}
    return Document(
        kind=Kind.MEMO,
        unit=unit,
        fiscal_year=fiscal_year,
        round=round_code,
        options=options,
        title_lines=["บันทึกข้อความ"],
        signatures=[_person(sender, text)],
        extra={
            "emblem": emblem_data_uri(unit),
            "office": text(settings.memo_office or unit.name),
            "reference": text(settings.memo_reference),
            "date": options.date(settings.memo_date) if settings.memo_date else "",
            "subject": text(settings.memo_subject)
            or text(f"รายงานผลการดำเนินมาตรการส่งเสริมคุณธรรมและความโปร่งใสของปีงบประมาณ พ.ศ. {fiscal_year}"),
            "to": text(settings.memo_to or f"นายก{unit.name}"),
            "paragraphs": [text(p.strip()) for p in body.split("\n\n") if p.strip()],
            "chain": [{"heading": text(step.get("heading", "")), "person": _person(step, text)} for step in chain],
        },
    )
