"""ORM glue around assessments.scoring: rules from framework rows, stored totals, analysis."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as global_apps
from django.core.exceptions import PermissionDenied
from django.db import transaction

from assessments import scoring
from assessments.models import Assessment, Framework, IndicatorScore, Recommendation, ToolTotal
from units.permissions import Action, UnitAccess

MISMATCH_TOLERANCE = Decimal("0.01")


class FrameworkMissing(LookupError):
    pass


def framework_for_year(fiscal_year: int) -> Framework:
    try:
        return Framework.objects.get(fiscal_year=fiscal_year)
    except Framework.DoesNotExist as exc:
        raise FrameworkMissing(f"no ITA framework for fiscal year {fiscal_year}") from exc


def rules_for(framework: Framework) -> scoring.Rules:
    """Read fresh on every call (a handful of rows), so admin edits apply at once."""
    tools = []
    for tool in framework.tools.order_by("order").prefetch_related("indicators"):
        numbers = tuple(sorted(i.number for i in tool.indicators.all()))
        tools.append(scoring.ToolRule(tool.code, tool.weight, numbers))
    bands = tuple(
        scoring.Band(b.label, b.lower_bound, b.passes, b.min_tool_score) for b in framework.level_bands.all()
    )
    return scoring.Rules(tuple(tools), bands, framework.pass_mark)


def result_for(assessment: Assessment, rules: scoring.Rules | None = None) -> scoring.Result:
    rules = rules or rules_for(assessment.framework)
    scores = {s.indicator.number: s.score for s in assessment.scores.select_related("indicator")}
    announced = {t.tool.code: t.score for t in assessment.tool_totals.select_related("tool")}
    return scoring.score(rules, scores, announced, assessment.official_total)


def recompute(assessment: Assessment, rules: scoring.Rules | None = None) -> scoring.Result:
    """Compute and store the totals, level and pass on the assessment row (dashboards filter on them)."""
    result = result_for(assessment, rules)
    assessment.iit_total = scoring.round_score(result.tool_scores.get("IIT"))
    assessment.eit_total = scoring.round_score(result.tool_scores.get("EIT"))
    assessment.oit_total = scoring.round_score(result.tool_scores.get("OIT"))
    assessment.total = scoring.round_score(result.total)
    assessment.level = result.level or ""
    assessment.passes = result.passes
    assessment.save(update_fields=["iit_total", "eit_total", "oit_total", "total", "level", "passes", "updated_at"])
    return result


@transaction.atomic
def save_scores(assessment: Assessment, scores: dict[int, Decimal | None], tool_totals: dict[str, Decimal | None]):
    """Replace the assessment's indicator scores and announced tool totals, then recompute."""
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    tools = {t.code: t for t in assessment.framework.tools.all()}
    assessment.scores.all().delete()
    assessment.tool_totals.all().delete()
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=assessment, indicator=indicators[n], score=v) for n, v in scores.items() if v is not None
    )
    ToolTotal.objects.bulk_create(
        ToolTotal(assessment=assessment, tool=tools[c], score=v) for c, v in tool_totals.items() if v is not None
    )
    return recompute(assessment)


TO_BE_CHECKED = "คัดลอกโครงสร้างจากกรอบปี %(source)s: รอตรวจสอบกับคู่มือการประเมิน ITA ของปี %(year)s"


def copy_framework(source_year: int, year: int, apps=global_apps):
    """A new year's framework from another year's: tools and weights, indicators, level bands,
    sub-indicators and OIT items, marked "to be checked". `apps` is the app registry (a data migration
    passes its historical one). Raises ValueError when the year exists already."""
    model = functools.partial(apps.get_model, "assessments")
    Framework, Tool, Indicator = model("Framework"), model("Tool"), model("Indicator")
    SubIndicator, OitItem, LevelBand = model("SubIndicator"), model("OitItem"), model("LevelBand")
    with transaction.atomic():
        if Framework.objects.filter(fiscal_year=year).exists():
            raise ValueError(year)
        source = Framework.objects.get(fiscal_year=source_year)
        framework = Framework.objects.create(
            fiscal_year=year, pass_mark=source.pass_mark, needs_verification=True,
            oit_items_complete=source.oit_items_complete,
            notes=TO_BE_CHECKED % {"source": source_year, "year": year},
        )
        tools = {t.pk: Tool.objects.create(framework=framework, code=t.code, name=t.name, weight=t.weight, order=t.order)
                 for t in Tool.objects.filter(framework=source)}
        indicators = {i.pk: Indicator.objects.create(framework=framework, tool=tools[i.tool_id], number=i.number, name=i.name,
                                                     description=i.description)
                      for i in Indicator.objects.filter(framework=source)}
        subs = {s.pk: SubIndicator.objects.create(framework=framework, indicator=indicators[s.indicator_id], code=s.code,
                                                  name=s.name, order=s.order)
                for s in SubIndicator.objects.filter(framework=source)}
        OitItem.objects.bulk_create(
            OitItem(framework=framework, sub_indicator=subs.get(o.sub_indicator_id), code=o.code, title=o.title, order=o.order)
            for o in OitItem.objects.filter(framework=source)
        )
        LevelBand.objects.bulk_create(
            LevelBand(framework=framework, label=b.label, lower_bound=b.lower_bound, min_tool_score=b.min_tool_score,
                      passes=b.passes, order=b.order)
            for b in LevelBand.objects.filter(framework=source)
        )
    return framework


@transaction.atomic
def save_assessment(access: UnitAccess, framework: Framework, official_total, official_level: str,
                    scores: dict[int, Decimal | None], tool_totals: dict[str, Decimal | None]) -> Assessment:
    """Create or replace the unit's ITA result of the framework's year (unit administrators)."""
    if not access.may(Action.ASSESS):
        raise PermissionDenied
    assessment = Assessment.objects.select_for_update().filter(unit=access.unit, fiscal_year=framework.fiscal_year).first()
    if assessment is None:
        assessment = Assessment(unit=access.unit, fiscal_year=framework.fiscal_year, framework=framework)
    assessment.official_total = official_total
    assessment.official_level = official_level
    assessment.save()
    save_scores(assessment, scores, tool_totals)
    return assessment


@transaction.atomic
def save_recommendations(access: UnitAccess, assessment: Assessment, data: dict[str, str]) -> None:
    """Replace the assessment's recommendations: keys "tool_<code>" and "indicator_<number>"."""
    if not access.may(Action.ASSESS) or assessment.unit_id != access.unit.pk:
        raise PermissionDenied
    tools = {t.code: t for t in assessment.framework.tools.all()}
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    Recommendation.objects.filter(assessment=assessment).delete()
    rows = []
    for key, text in data.items():
        if not text.strip():
            continue
        kind, _sep, ident = key.partition("_")
        if kind == "tool":
            rows.append(Recommendation(assessment=assessment, tool=tools[ident], text=text.strip()))
        else:
            rows.append(Recommendation(assessment=assessment, indicator=indicators[int(ident)], text=text.strip()))
    Recommendation.objects.bulk_create(rows)


@dataclass
class IndicatorLine:
    number: int
    name: str
    description: str
    tool: str
    score: Decimal | None
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


@dataclass
class ToolLine:
    code: str
    name: str
    weight: Decimal
    score: Decimal | None
    reaches_mark: bool | None
    recommendation: str = ""


@dataclass
class Analysis:
    """Plain data for pages and the `analysis` report."""

    fiscal_year: int
    total: Decimal | None
    level: str | None
    passes: bool | None
    official_total: Decimal | None
    mismatch: bool
    previous_total: Decimal | None
    pass_mark: Decimal  # the year's framework's
    tools: list[ToolLine] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    recommendations: dict[int, str] = field(default_factory=dict)  # indicator number → text

    @property
    def strengths(self) -> list[IndicatorLine]:
        return [i for i in self.indicators if i.score is not None and i.score >= self.pass_mark]

    @property
    def to_develop(self) -> list[IndicatorLine]:
        return [i for i in self.indicators if i.score is not None and i.score < self.pass_mark]

    @property
    def total_change(self) -> Decimal | None:
        if self.total is None or self.previous_total is None:
            return None
        return scoring.round_score(self.total) - scoring.round_score(self.previous_total)


def analyse(assessment: Assessment) -> Analysis:
    rules = rules_for(assessment.framework)
    result = result_for(assessment, rules)
    previous = (
        Assessment.objects.filter(unit=assessment.unit, fiscal_year__lt=assessment.fiscal_year)
        .order_by("-fiscal_year")
        .first()
    )
    previous_scores = {}
    previous_total = None
    if previous is not None:
        previous_scores = {s.indicator.number: s.score for s in previous.scores.select_related("indicator")}
        previous_total = result_for(previous).total
    scores = {s.indicator.number: s.score for s in assessment.scores.select_related("indicator")}
    recommendations = list(Recommendation.objects.filter(assessment=assessment).select_related("tool", "indicator"))
    tool_recs = {r.tool.code: r.text for r in recommendations if r.tool_id}
    computed = result.total if result.total_is_computed else None
    mismatch = (
        computed is not None
        and assessment.official_total is not None
        and abs(scoring.round_score(computed) - assessment.official_total) > MISMATCH_TOLERANCE
    )
    analysis = Analysis(
        fiscal_year=assessment.fiscal_year,
        total=result.total,
        level=result.level,
        passes=result.passes,
        official_total=assessment.official_total,
        mismatch=mismatch,
        previous_total=previous_total,
        pass_mark=rules.pass_mark,
        recommendations={r.indicator.number: r.text for r in recommendations if r.indicator_id},
    )
    for tool in assessment.framework.tools.order_by("order").prefetch_related("indicators"):
        value = result.tool_scores.get(tool.code)
        analysis.tools.append(
            ToolLine(tool.code, tool.name, tool.weight, value, None if value is None else value >= rules.pass_mark, tool_recs.get(tool.code, ""))
        )
        for indicator in sorted(tool.indicators.all(), key=lambda i: i.number):
            analysis.indicators.append(
                IndicatorLine(indicator.number, indicator.name, indicator.description, tool.code,
                              scores.get(indicator.number), previous_scores.get(indicator.number))
            )
    return analysis
