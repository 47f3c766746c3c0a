"""The analysis report: assessments.services.analyse (the one analysis, also behind the assessment pages)
and its narrative, laid out as offices write it, titled by the plan year it serves.

The analysis of the 2564 assessment serves the 2565 plan and is titled "ประจำปีงบประมาณ พ.ศ. 2565": a
report's fiscal_year for this kind is the plan year, the assessment's is one less.
"""

from __future__ import annotations

from assessments.models import Assessment
from assessments.services import analyse, narrative
from reports import signatures as sign
from reports.data import Document, Options, options_from, settings_for, unit_heading
from reports.models import Kind, ReportSettings
from units.models import Unit


def assessment_year(plan_year: int) -> int:
    return plan_year - 1


def assessment_for(unit: Unit, plan_year: int) -> Assessment | None:
    return (
        Assessment.objects.filter(unit=unit, fiscal_year=assessment_year(plan_year))
        .select_related("framework", "unit")
        .first()
    )


def _tool_sections(result, story, options: Options, recommendations: dict) -> list[dict]:
    sections = []
    for tool, (heading, paragraph) in zip(result.tools, story.tools, strict=True):
        sections.append(
            {
                "tool": options.text(heading),
                "paragraph": options.text(paragraph),
                "indicators": [
                    {"name": options.text(f"{line.number}. {line.name}"), "score": options.score(line.score)}
                    for line in result.indicators_of(tool.code)
                ],
                "mean": options.score(tool.score),
                "reaches_mark": tool.reaches_mark,
                "recommendation": options.text(recommendations.get(tool.code) or story.recommendations[tool.code]),
            }
        )
    return sections


def analysis_extra(unit: Unit, plan_year: int, settings: ReportSettings, options: Options) -> tuple[list, dict]:
    assessment = assessment_for(unit, plan_year)
    if assessment is None:
        return [], {"opening": "", "has_scores": False}
    result = analyse(assessment)
    story = narrative(result, plan_year)
    sections = _tool_sections(result, story, options, settings.recommendations or {})
    extra = {
        "opening": options.text(story.opening),
        "pass_mark": options.score(result.pass_mark),
        "total": options.score(result.official_total if result.official_total is not None else result.total),
        "level": options.text(result.official_level or result.level or ""),
        "passes": result.passes,
        "strengths_intro": options.text(story.strengths_intro),
        "strengths": [options.text(p) for p in story.strengths],
        "develop_intro": options.text(story.develop_intro),
        "to_develop": [options.text(p) for p in story.to_develop],
        "has_scores": result.has_scores,
        "assessment_year": options.digits(assessment.fiscal_year),
    }
    return sections, extra


def build_analysis(unit: Unit, plan_year: int, settings: ReportSettings | None = None) -> Document:
    settings = settings or settings_for(unit, Kind.ANALYSIS, plan_year)
    options = options_from(settings, unit)
    sections, extra = analysis_extra(unit, plan_year, settings, options)
    year_line = f"ประจำปีงบประมาณ พ.ศ. {options.digits(plan_year)}"
    if settings.title_note:
        year_line += f" {options.text(settings.title_note)}"
    return Document(
        kind=Kind.ANALYSIS,
        unit=unit,
        fiscal_year=plan_year,
        round="",
        options=options,
        title_lines=[
            "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
            year_line,
            unit_heading(unit, options),
        ],
        introduction=options.text(settings.introduction) or extra["opening"],
        sections=sections,
        signatures=sign.blocks(settings, unit, {}, options.text) if settings.signatures else [],
        extra=extra,
    )
