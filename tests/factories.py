"""Small builders of domain data for tests (frameworks, assessments, plans, measures, entries)."""

import datetime as dt
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from assessments.models import Assessment, Framework, Indicator, IndicatorScore, OitItem, SubIndicator, Tool
from measures.models import Measure, MeasureStep, OitProgress, Plan, ProgressEntry, number_sort_key
from measures.progress import refresh_unit_year

INDICATORS = {
    1: ("IIT", "การปฏิบัติหน้าที่"),
    2: ("IIT", "การใช้งบประมาณ"),
    3: ("IIT", "การใช้อำนาจ"),
    4: ("IIT", "การใช้ทรัพย์สินของราชการ"),
    5: ("IIT", "การแก้ไขปัญหาการทุจริต"),
    6: ("EIT", "คุณภาพการดำเนินงาน"),
    7: ("EIT", "ประสิทธิภาพการสื่อสาร"),
    8: ("EIT", "การปรับปรุงระบบการทำงาน"),
    9: ("OIT", "การเปิดเผยข้อมูล"),
    10: ("OIT", "การป้องกันการทุจริต"),
}


def framework(year: int) -> Framework:
    """The year's framework: from the shipped data migration when present, else built here."""
    fw, created = Framework.objects.get_or_create(fiscal_year=year)
    if fw.tools.exists():
        if not fw.oit_items.exists():  # 2568's OIT list is left for administrators to complete
            sub = fw.sub_indicators.order_by("order").first()
            OitItem.objects.create(framework=fw, sub_indicator=sub, code="O1", title="โครงสร้าง", order=1)
        return fw
    tools = {}
    for order, (code, weight) in enumerate((("IIT", 30), ("EIT", 30), ("OIT", 40))):
        tools[code] = Tool.objects.create(framework=fw, code=code, name=code, weight=Decimal(weight), order=order)
    for number, (code, name) in INDICATORS.items():
        Indicator.objects.create(framework=fw, tool=tools[code], number=number, name=name)
    nine = fw.indicators.get(number=9)
    sub = SubIndicator.objects.create(framework=fw, indicator=nine, code="9.1", name="ข้อมูลพื้นฐาน")
    for order, (code, title) in enumerate((("O1", "โครงสร้าง"), ("O2", "ข้อมูลผู้บริหาร"))):
        OitItem.objects.create(framework=fw, sub_indicator=sub, code=code, title=title, order=order)
    return fw


def assessment(unit, year, scores=None, official_total=None, official_level="") -> Assessment:
    fw = framework(year)
    item = Assessment.objects.create(
        unit=unit, fiscal_year=year, framework=fw, official_total=official_total, official_level=official_level
    )
    for number, score in (scores or {}).items():
        IndicatorScore.objects.create(assessment=item, indicator=fw.indicators.get(number=number), score=Decimal(score))
    return item


def plan(unit, year, measures=2, approved_round="FY") -> Plan:
    """A plan with `measures` measures, each with steps and owners and an approved entry for a round.

    Written in bulk (with history rows), so that 200 measures take the same few queries as 2."""
    fw = framework(year)
    item = Plan.objects.create(unit=unit, fiscal_year=year, based_on_assessment=year - 1, framework=fw)
    department = unit.departments.order_by("order", "name").first()
    nine = fw.indicators.get(number=9)
    bulk_create_with_history([
        Measure(
            plan=item,
            number=str(number),
            sort_key=number_sort_key(str(number)),
            title=f"มาตรการที่ {number} ส่งเสริมการดำเนินการตามแผนปฏิบัติการป้องกันการทุจริต",
            issue="ประเด็นที่ต้องปรับปรุง การเปิดเผยข้อมูล",
            owner_text="สำนักปลัดฯ",
            start=dt.date(2024, 10, 1),
            end=dt.date(2025, 9, 30),
            follow_up="รายงานผลต่อผู้บริหาร",
        )
        for number in range(1, measures + 1)
    ], Measure)
    rows = list(Measure.objects.filter(plan=item).order_by("sort_key"))
    Measure.owners.through.objects.bulk_create(Measure.owners.through(measure=m, department=department) for m in rows)
    Measure.indicators.through.objects.bulk_create(Measure.indicators.through(measure=m, indicator=nine) for m in rows)
    steps = ("จัดทำแผนปฏิบัติการป้องกันการทุจริต", "ดำเนินการตามแผน และกำหนดผู้รับผิดชอบ")
    bulk_create_with_history([MeasureStep(measure=m, order=order, text=text) for m in rows for order, text in enumerate(steps)], MeasureStep)
    if approved_round:
        bulk_create_with_history([
            ProgressEntry(
                measure=m,
                round=approved_round,
                status="done",
                percent=100,
                result=f"ดำเนินการแล้ว จำนวน {m.number} โครงการ น้ำท่วม ค่ำ ทำ",
                outcome="ไม่พบการร้องเรียนการทุจริต",
                review_state=ProgressEntry.Review.APPROVED,
            )
            for m in rows
        ], ProgressEntry)
    OitProgress.objects.create(plan=item, item=fw.oit_items.get(code="O1"), status="done", note="เผยแพร่แล้ว", url="https://example.go.th/o1")
    refresh_unit_year(unit.pk, year)  # a bulk writer refreshes the dashboards' figures itself
    return item
