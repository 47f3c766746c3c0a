"""National-scale data for dashboards and benchmarks: plausible units, assessments, plans and progress.

Everything is written with bulk_create in batches (no per-row signals or history), so the full country
(7,852 units × 5 years) fits in a few minutes on PostgreSQL. Random choices come from one seeded
`random.Random`, so a seed gives the same data every time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from assessments import scoring
from assessments.models import Assessment, Framework, Indicator, IndicatorScore, LevelBand, Tool
from assessments.services import rules_for
from ita_portal.thai import ad_year, fiscal_year_bounds, fiscal_year_of
from measures.models import Measure, MeasureStep, Plan, ProgressEntry, Round, Status, number_sort_key
from measures.progress import refresh_years
from measures.status import ReviewState
from reports.models import Kind, PublishedReport
from units.models import Department, Unit

# 76 provinces with local government units; Bangkok is governed by the BMA and has none of these kinds.
PROVINCES = (
    "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี", "ฉะเชิงเทรา", "ชลบุรี", "ชัยนาท",
    "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง", "ตราด", "ตาก", "นครนายก", "นครปฐม", "นครพนม",
    "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์", "นนทบุรี", "นราธิวาส", "น่าน", "บึงกาฬ", "บุรีรัมย์",
    "ปทุมธานี", "ประจวบคีรีขันธ์", "ปราจีนบุรี", "ปัตตานี", "พระนครศรีอยุธยา", "พะเยา", "พังงา", "พัทลุง",
    "พิจิตร", "พิษณุโลก", "เพชรบุรี", "เพชรบูรณ์", "แพร่", "ภูเก็ต", "มหาสารคาม", "มุกดาหาร", "แม่ฮ่องสอน",
    "ยโสธร", "ยะลา", "ร้อยเอ็ด", "ระนอง", "ระยอง", "ราชบุรี", "ลพบุรี", "ลำปาง", "ลำพูน", "เลย", "ศรีสะเกษ",
    "สกลนคร", "สงขลา", "สตูล", "สมุทรปราการ", "สมุทรสงคราม", "สมุทรสาคร", "สระแก้ว", "สระบุรี", "สิงห์บุรี",
    "สุโขทัย", "สุพรรณบุรี", "สุราษฎร์ธานี", "สุรินทร์", "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ",
    "อุดรธานี", "อุตรดิตถ์", "อุทัยธานี", "อุบลราชธานี",
)  # fmt: skip
BANGKOK = "กรุงเทพมหานคร"
assert len(PROVINCES) == 76

PLACE_HEADS = ("หนอง", "บ้าน", "โคก", "ดอน", "บึง", "ห้วย", "นา", "ท่า", "วัง", "สระ", "ป่า", "คลอง", "บาง", "ทุ่ง", "เขา", "โนน", "แม่", "ลาด", "หาด", "ดง")  # fmt: skip
PLACE_TAILS = ("แก้ว", "ทอง", "ใหญ่", "น้อย", "หลวง", "ยาง", "ไผ่", "ม่วง", "ขาม", "บัว", "ช้าง", "โพธิ์", "งาม", "สวรรค์", "จันทร์", "เจริญ", "สูง", "กระเบื้อง", "ตาล", "มะม่วง", "ขี้เหล็ก", "สะแก", "กุ่ม", "แดง")  # fmt: skip

# Kinds in the national proportions (7,852 units in all).
KIND_SHARES = (
    (Unit.Kind.SAO, 5306),
    (Unit.Kind.SUBDISTRICT_MUNICIPALITY, 2250),
    (Unit.Kind.TOWN_MUNICIPALITY, 190),
    (Unit.Kind.CITY_MUNICIPALITY, 30),
    (Unit.Kind.PAO, 76),
)
KIND_PREFIX = {
    Unit.Kind.SAO: ("องค์การบริหารส่วนตำบล", "อบต.", "sao"),
    Unit.Kind.SUBDISTRICT_MUNICIPALITY: ("เทศบาลตำบล", "ทต.", "tm"),
    Unit.Kind.TOWN_MUNICIPALITY: ("เทศบาลเมือง", "ทม.", "mm"),
    Unit.Kind.CITY_MUNICIPALITY: ("เทศบาลนคร", "ทน.", "nm"),
    Unit.Kind.PAO: ("องค์การบริหารส่วนจังหวัด", "อบจ.", "pao"),
}
DEPARTMENTS = {
    Unit.Kind.SAO: ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"),
    Unit.Kind.PAO: ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "กองพัสดุและทรัพย์สิน", "กองแผนและงบประมาณ"),
}
MUNICIPAL_DEPARTMENTS = ("สำนักปลัดเทศบาล", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม")

# ITA indicators 1–10 (IIT 1–5, EIT 6–8, OIT 9–10), used only when a year's framework is not in the database.
INDICATORS = (
    (1, "IIT", "การปฏิบัติหน้าที่"), (2, "IIT", "การใช้งบประมาณ"), (3, "IIT", "การใช้อำนาจ"),
    (4, "IIT", "การใช้ทรัพย์สินของราชการ"), (5, "IIT", "การแก้ไขปัญหาการทุจริต"), (6, "EIT", "คุณภาพการดำเนินงาน"),
    (7, "EIT", "ประสิทธิภาพการสื่อสาร"), (8, "EIT", "การปรับปรุงการทำงาน"), (9, "OIT", "การเปิดเผยข้อมูล"),
    (10, "OIT", "การป้องกันการทุจริต"),
)  # fmt: skip
TOOLS = (("IIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", "30"), ("EIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก", "30"), ("OIT", "แบบตรวจการเปิดเผยข้อมูลสาธารณะ", "40"))  # fmt: skip
# Typical means and spreads per indicator: perceptions score high, open data varies most.
INDICATOR_PROFILE = {1: (93, 4), 2: (89, 6), 3: (90, 5), 4: (88, 6), 5: (89, 6), 6: (90, 5), 7: (88, 6), 8: (87, 6), 9: (80, 14), 10: (76, 17)}  # fmt: skip
MEASURE_TITLES = (
    "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์ให้ครบถ้วนและเป็นปัจจุบัน",
    "จัดทำคู่มือการปฏิบัติงานและเผยแพร่ต่อสาธารณะ",
    "ประชาสัมพันธ์ช่องทางรับเรื่องร้องเรียนการทุจริต",
    "จัดประชุมชี้แจงแนวทางป้องกันผลประโยชน์ทับซ้อนแก่บุคลากร",
    "รายงานผลการใช้จ่ายงบประมาณประจำปีบนเว็บไซต์",
    "ปรับปรุงกระบวนการให้บริการประชาชนให้รวดเร็วขึ้น",
    "จัดทำประกาศเจตจำนงสุจริตของผู้บริหาร",
    "ส่งเสริมการมีส่วนร่วมของประชาชนในการตรวจสอบการดำเนินงาน",
    "ทบทวนทะเบียนทรัพย์สินและการขอยืมใช้ทรัพย์สินของราชการ",
    "อบรมบุคลากรเรื่องประมวลจริยธรรม",
    "เผยแพร่ผลการดำเนินการตามแผนป้องกันการทุจริต",
    "สำรวจความพึงพอใจของผู้รับบริการและนำผลมาปรับปรุง",
)
STEP_TEXTS = ("แต่งตั้งผู้รับผิดชอบ", "จัดทำแผนการดำเนินงาน", "ดำเนินการตามแผน", "ติดตามและรายงานผล")


def q2(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class FrameworkInfo:
    framework: Framework
    indicators: list[Indicator]
    tool_of: dict[int, str]  # indicator id → tool code
    weights: dict[str, Decimal]
    bands: list[LevelBand] = field(default_factory=list)  # best first
    rules: scoring.Rules | None = None
    number_of: dict[int, int] = field(default_factory=dict)  # indicator id → number


def ensure_framework(fiscal_year: int) -> FrameworkInfo:
    """The year's framework from the database; when it is missing or empty, a standard 10-indicator one."""
    framework, _ = Framework.objects.get_or_create(fiscal_year=fiscal_year)
    with transaction.atomic():
        if not framework.tools.exists():
            for order, (code, name, weight) in enumerate(TOOLS):
                Tool.objects.create(framework=framework, code=code, name=name, weight=Decimal(weight), order=order)
        tools = {tool.code: tool for tool in framework.tools.all()}
        if not framework.indicators.exists():
            for number, code, name in INDICATORS:
                Indicator.objects.create(framework=framework, tool=tools[code], number=number, name=name)
        if not framework.level_bands.exists():
            for order, (label, bound, passes) in enumerate(_level_scheme(fiscal_year)):
                LevelBand.objects.create(
                    framework=framework, label=label, lower_bound=Decimal(bound), passes=passes, order=order
                )
    indicators = list(framework.indicators.select_related("tool").order_by("number"))
    return FrameworkInfo(
        framework=framework,
        indicators=indicators,
        tool_of={ind.id: ind.tool.code for ind in indicators},
        weights={code: tool.weight for code, tool in tools.items()},
        bands=sorted(framework.level_bands.all(), key=lambda b: b.lower_bound, reverse=True),
        rules=rules_for(framework),
        number_of={ind.id: ind.number for ind in indicators},
    )


def _level_scheme(fiscal_year: int):
    if fiscal_year <= 2565:
        return (("AA", 95, True), ("A", 85, True), ("B", 75, False), ("C", 65, False), ("D", 55, False), ("E", 50, False), ("F", 0, False))  # fmt: skip
    return (("ผ่านดีเยี่ยม", 95, True), ("ผ่านดี", 85, True), ("ผ่าน", 75, False), ("ต้องปรับปรุง", 0, False))  # fmt: skip


def compute_totals(info: FrameworkInfo, scores: dict[int, Decimal]) -> dict:
    """Tool scores, total, level and pass of one assessment, stored as assessments.services.recompute stores
    them (assessments.scoring, the same rules read from the framework rows), without a query per row."""
    result = scoring.score(info.rules, {info.number_of[indicator_id]: value for indicator_id, value in scores.items()})
    return {
        "iit_total": scoring.round_score(result.tool_scores.get("IIT")),
        "eit_total": scoring.round_score(result.tool_scores.get("EIT")),
        "oit_total": scoring.round_score(result.tool_scores.get("OIT")),
        "total": scoring.round_score(result.total),
        "level": result.level or "",
        "passes": result.passes,
    }


def _batched(objects: Iterable, model, batch_size: int) -> int:
    batch, written = [], 0
    for obj in objects:
        batch.append(obj)
        if len(batch) >= batch_size:
            model.objects.bulk_create(batch, batch_size=batch_size)
            written += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=batch_size)
        written += len(batch)
    return written


def kind_counts(total_units: int) -> list[tuple[str, int]]:
    """Units per kind in the national proportions, PAOs capped at one per province."""
    whole = sum(share for _, share in KIND_SHARES)
    counts = [(kind, round(total_units * share / whole)) for kind, share in KIND_SHARES]
    counts[-1] = (Unit.Kind.PAO, min(counts[-1][1] or (1 if total_units >= 5 else 0), len(PROVINCES)))
    counts[0] = (Unit.Kind.SAO, counts[0][1] + total_units - sum(n for _, n in counts))
    return counts


@dataclass
class Generator:
    units: int
    years: int
    seed: int = 2568
    batch_size: int = 2000
    plan_years: int = 2
    slug_prefix: str = "n"
    today: dt.date = field(default_factory=dt.date.today)
    log: Callable[[str], None] = print

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def run(self) -> dict:
        counts = {}
        frameworks = self._frameworks()
        units = self._units()
        counts["units"] = len(units)
        departments = self._departments(units)
        counts["departments"] = sum(len(d) for d in departments.values())
        quality = {unit.id: self.rng.gauss(0, 1) for unit in units}
        counts["assessments"], counts["indicator_scores"] = self._assessments(units, frameworks, quality)
        latest_assessed = max(frameworks)
        plan_years = [latest_assessed + 1 - k for k in range(self.plan_years)][::-1]
        counts.update(self._plans(units, departments, frameworks, quality, plan_years))
        counts.update(self._published(units, plan_years))
        counts["progress_rows"] = refresh_years(plan_years, self.batch_size)
        if connection.vendor == "postgresql":  # fresh planner statistics after a bulk load
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return counts

    def _frameworks(self) -> dict[int, FrameworkInfo]:
        # The latest assessed year is the one before the fiscal year of `today` (frameworks may already
        # exist for years that have not been assessed yet).
        existing = sorted(Framework.objects.values_list("fiscal_year", flat=True))
        last = min(existing[-1], fiscal_year_of(self.today) - 1) if existing else fiscal_year_of(self.today) - 1
        years = range(last - self.years + 1, last + 1)
        self.log(f"frameworks: {years[0]}–{years[-1]}")
        return {year: ensure_framework(year) for year in years}

    def _units(self) -> list[Unit]:
        taken = set(Unit.objects.filter(slug__startswith=f"{self.slug_prefix}-").values_list("slug", flat=True))
        new_units = []
        serial = 0
        pao_provinces = list(PROVINCES)
        for kind, count in kind_counts(self.units):
            full, short, code = KIND_PREFIX[kind]
            for index in range(count):
                serial += 1
                slug = f"{self.slug_prefix}-{code}-{index + 1:05d}"
                if slug in taken:
                    continue
                if kind == Unit.Kind.PAO:
                    province = pao_provinces[index % len(pao_provinces)]
                    place, district = province, f"เมือง{province}"
                else:
                    province = self.rng.choice(PROVINCES)
                    place = self.rng.choice(PLACE_HEADS) + self.rng.choice(PLACE_TAILS)
                    district = (
                        f"เมือง{province}" if self.rng.random() < 0.15 else self.rng.choice(PLACE_HEADS) + self.rng.choice(PLACE_TAILS)
                    )
                new_units.append(
                    Unit(
                        slug=slug,
                        name=f"{full}{place}",
                        short_name=f"{short}{place}",
                        kind=kind,
                        province=province,
                        district=district,
                        website=f"https://{slug}.example.go.th",
                    )
                )
        _batched(new_units, Unit, self.batch_size)
        units = list(Unit.objects.filter(slug__startswith=f"{self.slug_prefix}-").order_by("id"))
        self.log(f"units: {len(units)}")
        return units

    def _departments(self, units: list[Unit]) -> dict[int, list[int]]:
        have = set(Department.objects.filter(unit__in=[u.id for u in units]).values_list("unit_id", flat=True).distinct()) if len(units) < 10000 else set()
        rows = []
        for unit in units:
            if unit.id in have:
                continue
            names = DEPARTMENTS.get(unit.kind, MUNICIPAL_DEPARTMENTS)
            rows.extend(Department(unit_id=unit.id, name=name, order=order) for order, name in enumerate(names))
        _batched(rows, Department, self.batch_size)
        result: dict[int, list[int]] = {}
        for unit_id, dep_id in Department.objects.filter(unit__slug__startswith=f"{self.slug_prefix}-").order_by("order").values_list("unit_id", "id"):
            result.setdefault(unit_id, []).append(dep_id)
        self.log(f"departments: {sum(len(v) for v in result.values())}")
        return result

    def _assessments(self, units, frameworks: dict[int, FrameworkInfo], quality) -> tuple[int, int]:
        done = set(
            Assessment.objects.filter(unit__slug__startswith=f"{self.slug_prefix}-").values_list("unit_id", "fiscal_year")
        )
        written_a = written_s = 0
        for year, info in frameworks.items():
            improvement = (year - min(frameworks)) * 1.2  # units improve a little every year
            pending_scores: dict[int, dict[int, Decimal]] = {}
            assessments = []
            for unit in units:
                if (unit.id, year) in done:
                    continue
                scores = {}
                for indicator in info.indicators:
                    mean, spread = INDICATOR_PROFILE.get(indicator.number, (85, 8))
                    value = mean + improvement + spread * (0.7 * quality[unit.id] + 0.5 * self.rng.gauss(0, 1))
                    scores[indicator.id] = q2(min(100, max(0, value)))
                pending_scores[unit.id] = scores
                assessments.append(
                    Assessment(unit_id=unit.id, fiscal_year=year, framework=info.framework, **compute_totals(info, scores))
                )
            _batched(assessments, Assessment, self.batch_size)
            written_a += len(assessments)
            ids = dict(
                Assessment.objects.filter(fiscal_year=year, unit_id__in=list(pending_scores)).values_list("unit_id", "id")
            ) if pending_scores else {}
            score_rows = (
                IndicatorScore(assessment_id=ids[unit_id], indicator_id=indicator_id, score=value)
                for unit_id, scores in pending_scores.items()
                for indicator_id, value in scores.items()
            )
            written_s += _batched(score_rows, IndicatorScore, self.batch_size)
            self.log(f"assessments {year}: {len(assessments)}")
        return written_a, written_s

    def _plans(self, units, departments, frameworks, quality, plan_years) -> dict:
        totals = {"plans": 0, "measures": 0, "steps": 0, "entries": 0}
        for year in plan_years:
            existing = set(Plan.objects.filter(fiscal_year=year, unit__in=[u.id for u in units]).values_list("unit_id", flat=True)) if len(units) < 10000 else set(Plan.objects.filter(fiscal_year=year, unit__slug__startswith=f"{self.slug_prefix}-").values_list("unit_id", flat=True))
            todo = [u for u in units if u.id not in existing]
            framework = frameworks.get(year) or frameworks.get(year - 1)
            plans = [
                Plan(unit_id=u.id, fiscal_year=year, based_on_assessment=year - 1, framework=framework.framework if year in frameworks else None)
                for u in todo
            ]
            _batched(plans, Plan, self.batch_size)
            totals["plans"] += len(plans)
            plan_ids = dict(Plan.objects.filter(fiscal_year=year, unit_id__in=[u.id for u in todo]).values_list("unit_id", "id")) if todo else {}
            start, end = fiscal_year_bounds(year)
            info = frameworks.get(year - 1) or frameworks[max(frameworks)]
            indicator_ids = [ind.id for ind in info.indicators]
            # Chunks of units keep memory flat: measures, then their steps, owners, indicators and entries.
            chunk = max(200, self.batch_size // 5)
            for offset in range(0, len(todo), chunk):
                part = todo[offset : offset + chunk]
                measures = self._measures(part, plan_ids, year, start, end)
                unit_of_plan = {plan_ids[u.id]: u for u in part}
                # Most units report every measure and get every entry approved; the rest fall behind.
                thorough = {u.id for u in part if self.rng.random() < 0.72 + 0.1 * quality[u.id]}
                written = self._measure_rows(measures, unit_of_plan, departments, indicator_ids, year, quality, thorough)
                totals["measures"] += len(measures)
                totals["steps"] += written["steps"]
                totals["entries"] += written["entries"]
            self.log(f"plans {year}: {len(plans)}, measures so far {totals['measures']}")
        return totals

    def _measures(self, part, plan_ids, year: int, start: dt.date, end: dt.date) -> list[Measure]:
        """5 to 15 measures per unit of the chunk, written; returned with their ids."""
        measures = []
        for unit in part:
            for number in range(1, self.rng.randint(5, 15) + 1):
                m_start = start + dt.timedelta(days=self.rng.choice((0, 0, 31, 61, 92)))
                m_end = min(end, m_start + dt.timedelta(days=self.rng.choice((90, 150, 181, 240, 364))))
                measures.append(
                    Measure(
                        plan_id=plan_ids[unit.id],
                        number=str(number),
                        sort_key=number_sort_key(str(number)),
                        title=self.rng.choice(MEASURE_TITLES),
                        issue="ผลคะแนนตัวชี้วัดยังต่ำกว่าเกณฑ์",
                        start=m_start,
                        end=m_end,
                        period_text=f"ปีงบประมาณ พ.ศ. {year}",
                        expected_outcome="ผลคะแนน ITA ในตัวชี้วัดที่เกี่ยวข้องสูงขึ้น",
                    )
                )
        Measure.objects.bulk_create(measures, batch_size=self.batch_size)
        if not measures[0].pk:  # backends without RETURNING: read the ids back
            measures = list(Measure.objects.filter(plan_id__in=[plan_ids[u.id] for u in part]).order_by("id"))
        return measures

    def _measure_rows(self, measures, unit_of_plan, departments, indicator_ids, year, quality, thorough) -> dict:
        """Each measure's steps, owner, indicators and progress entries, written in batches."""
        steps, owners, links, entries = [], [], [], []
        owner_model = Measure.owners.through
        indicator_model = Measure.indicators.through
        for measure in measures:
            unit = unit_of_plan[measure.plan_id]
            for order, text in enumerate(STEP_TEXTS[: self.rng.randint(2, 4)]):
                steps.append(MeasureStep(measure_id=measure.id, order=order, text=text))
            deps = departments.get(unit.id, [])
            if deps:
                owners.append(owner_model(measure_id=measure.id, department_id=self.rng.choice(deps)))
            for ind in self.rng.sample(indicator_ids, k=self.rng.choice((1, 1, 2))):
                links.append(indicator_model(measure_id=measure.id, indicator_id=ind))
            entries.extend(self._entries(measure, year, quality[unit.id], unit.id in thorough))
        _batched(steps, MeasureStep, self.batch_size)
        _batched(owners, owner_model, self.batch_size)
        _batched(links, indicator_model, self.batch_size)
        _batched(entries, ProgressEntry, self.batch_size)
        return {"steps": len(steps), "entries": len(entries)}

    def _entries(self, measure: Measure, year: int, quality: float, thorough: bool) -> list[ProgressEntry]:
        """H1 and FY entries as far as the year has gone, better units reporting more and on time."""
        rounds = []
        h1_reported_on = dt.date(ad_year(year), 4, 1) + dt.timedelta(days=self.rng.randint(0, 40))
        fy_reported_on = dt.date(ad_year(year), 10, 1) + dt.timedelta(days=self.rng.randint(0, 40))
        diligence = 1.0 if thorough else 0.6 + 0.1 * quality
        if self.today >= h1_reported_on and self.rng.random() < diligence + 0.1:
            status = self.rng.choices(Status.values, weights=(15, 60, 22, 3))[0]
            rounds.append((Round.H1, status, h1_reported_on))
        if self.today >= fy_reported_on and self.rng.random() < diligence:
            status = self.rng.choices(Status.values, weights=(4, 16, 76, 4))[0]
            rounds.append((Round.FY, status, fy_reported_on))
        entries = []
        for code, status, reported_on in rounds:
            review = (
                ReviewState.APPROVED
                if thorough
                else self.rng.choices(ReviewState.values, weights=(10, 25, 55, 10))[0]
            )
            percent = {Status.DONE: 100, Status.NOT_STARTED: 0}.get(status, self.rng.choice((25, 50, 60, 75)))
            entries.append(
                ProgressEntry(
                    measure_id=measure.id,
                    round=code,
                    status=status,
                    percent=percent,
                    result="ดำเนินการตามขั้นตอนที่กำหนด" if status != Status.NOT_STARTED else "",
                    reported_on=reported_on,
                    review_state=review,
                )
            )
        return entries

    def _published(self, units, plan_years) -> dict:
        return {"published_reports": write_published_reports(PublishedReport, units, plan_years, self)}


def write_published_reports(model, units, plan_years, generator: Generator) -> int:
    """One published results report per unit and round that published: small stored HTML and JSON files
    (no PDF rendering), published before the round's due date by most units."""
    existing = set(
        model.objects.filter(unit__in=[u.id for u in units]).values_list("unit_id", "kind", "fiscal_year", "round")
    )
    upload_to = model._meta.get_field("html").upload_to
    written = 0
    # The plan is published early in the year (no round); the results report after each round.
    published = (
        (Kind.PLAN, "", lambda year: dt.date(ad_year(year) - 1, 11, 15), "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"),
        (Kind.RESULTS, Round.H1, lambda year: dt.date(ad_year(year), 4, 25), "รายงานผลการดำเนินการตามมาตรการ"),
        (Kind.RESULTS, Round.FY, lambda year: dt.date(ad_year(year), 10, 25), "รายงานผลการดำเนินการตามมาตรการ"),
    )
    for year in plan_years:
        for kind, code, published_date, heading in published:
            published_on = published_date(year)
            if published_on > generator.today:
                continue
            rows = []
            for unit in units:
                if (unit.id, kind, year, code) in existing or generator.rng.random() > 0.8:
                    continue
                title = f"{heading} {unit.name} ปีงบประมาณ พ.ศ. {year}"
                report = model(unit_id=unit.id, kind=kind, fiscal_year=year, round=code, version=1, title=title)
                html = f"<!doctype html><html lang='th'><meta charset='utf-8'><title>{title}</title><h1>{title}</h1></html>"
                data = {"format": "ita-portal/report-v1", "unit": unit.slug, "kind": kind, "fiscal_year": year, "round": code}
                report.html.name = default_storage.save(upload_to(report, "report.html"), ContentFile(html.encode()))
                report.json.name = default_storage.save(
                    upload_to(report, "report.json"), ContentFile(json.dumps(data, ensure_ascii=False).encode())
                )
                rows.append(report)
            written += _batched(rows, model, generator.batch_size)
            # published_at is set on insert; give the round's rows their plausible publishing date.
            when = timezone.make_aware(dt.datetime.combine(published_on, dt.time(10, 0)))
            model.objects.filter(unit__in=[u.id for u in units], kind=kind, fiscal_year=year, round=code).update(
                published_at=when
            )
            generator.log(f"published reports {year} {kind} {code or '-'}: {len(rows)}")
    return written
