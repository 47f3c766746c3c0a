"""Plausible unit-year documents for benchmarks and property tests (valid by construction)."""

from __future__ import annotations

import random

from ita_portal.thai import fiscal_year_bounds

DEPARTMENTS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "กองสาธารณสุขและสิ่งแวดล้อม"]
TITLES = [
    "จัดทำแผนปฏิบัติการป้องกันการทุจริต", "อบรมให้ความรู้มาตรฐานทางจริยธรรม", "พัฒนางานการเผยแพร่ข้อมูลข่าวสาร",
    "จัดทำคู่มือการใช้ทรัพย์สินของราชการ", "ส่งเสริมการมีส่วนร่วมในกระบวนการงบประมาณ", "ช่องทางการร้องเรียนการทุจริต",
]


def document(index: int, years: list[int], rng: random.Random, measures=(5, 15)) -> dict:
    slug = f"unit-{index:05d}"
    doc = {
        "format": "ita-portal/unit-year",
        "version": 1,
        "unit": {"slug": slug, "name": f"องค์การบริหารส่วนตำบลทดสอบที่ {index}", "kind": "sao",
                 "district": "เมือง", "province": "สุพรรณบุรี", "departments": DEPARTMENTS},
        "assessments": [],
        "plans": [],
    }
    for year in years:
        scores = {str(n): round(rng.uniform(60, 100), 2) for n in range(1, 11)}
        doc["assessments"].append({"fiscal_year": year, "scores": scores})
        start, end = fiscal_year_bounds(year)
        plan = {"fiscal_year": year, "based_on_assessment": year - 1, "measures": []}
        for number in range(1, rng.randint(*measures) + 1):
            plan["measures"].append({
                "number": str(number),
                "title": rng.choice(TITLES),
                "indicators": [str(rng.randint(1, 10))],
                "steps": [f"ขั้นตอนที่ {s}" for s in range(1, rng.randint(2, 4) + 1)],
                "owners": rng.sample(DEPARTMENTS, rng.randint(1, 2)),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "progress": [
                    {"round": "H1", "status": "in_progress", "percent": 50, "result": "อยู่ระหว่างดำเนินการ"},
                    {"round": "FY", "status": "done", "percent": 100, "result": "ดำเนินการแล้ว"},
                ],
            })
        doc["plans"].append(plan)
    return doc
