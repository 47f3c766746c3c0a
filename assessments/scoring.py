"""ITA scoring: pure functions over Decimal, fed by a year's rules (assessments.services builds them
from the framework rows, so the rules stay data).

- A tool's score is the mean of its indicators' scores when every indicator of the tool is scored;
  otherwise the tool total announced by the NACC, when one is known; otherwise no score.
- The total is the weighted sum of the tool scores (weights in percent) when every tool has a score;
  otherwise the announced total, when known; otherwise no total ("ไม่มีข้อมูล", never 0).
- The level is the first band, from the highest, whose lowest total the total reaches and whose
  minimum tool score every *known* tool score reaches. Bands are compared with the exact total;
  rounding half up to two decimals is for display only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ToolRule:
    code: str
    weight: Decimal  # percent
    indicators: tuple[int, ...]


@dataclass(frozen=True)
class Band:
    label: str
    lower_bound: Decimal
    passes: bool
    min_tool_score: Decimal | None = None


@dataclass(frozen=True)
class Rules:
    tools: tuple[ToolRule, ...]
    bands: tuple[Band, ...]
    pass_mark: Decimal  # the year's Framework.pass_mark: no default here, the rule is data

    @property
    def indicator_numbers(self) -> tuple[int, ...]:
        return tuple(n for tool in self.tools for n in tool.indicators)


@dataclass(frozen=True)
class Result:
    tool_scores: dict[str, Decimal | None]
    total: Decimal | None
    level: str | None
    passes: bool | None
    total_is_computed: bool


def round_score(value: Decimal | None) -> Decimal | None:
    """Half up to two decimals, as scores are announced (94.425 → 94.43)."""
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def tool_score(rule: ToolRule, scores: Mapping[int, Decimal], announced: Decimal | None = None) -> Decimal | None:
    values = [scores.get(number) for number in rule.indicators]
    if rule.indicators and all(value is not None for value in values):
        return sum(values, Decimal(0)) / len(values)
    return announced


def level_for(rules: Rules, total: Decimal | None, tool_scores: Mapping[str, Decimal | None]) -> Band | None:
    if total is None:
        return None
    known = [score for score in tool_scores.values() if score is not None]
    for band in sorted(rules.bands, key=lambda b: b.lower_bound, reverse=True):
        if total < band.lower_bound:
            continue
        if band.min_tool_score is not None and any(score < band.min_tool_score for score in known):
            continue
        return band
    return None


def score(
    rules: Rules,
    scores: Mapping[int, Decimal],
    announced_tools: Mapping[str, Decimal] | None = None,
    official_total: Decimal | None = None,
) -> Result:
    announced_tools = announced_tools or {}
    tools = {rule.code: tool_score(rule, scores, announced_tools.get(rule.code)) for rule in rules.tools}
    computed = None
    if rules.tools and all(value is not None for value in tools.values()):
        computed = sum((tools[rule.code] * rule.weight for rule in rules.tools), Decimal(0)) / HUNDRED
    total = computed if computed is not None else official_total
    band = level_for(rules, total, tools)
    return Result(
        tool_scores=tools,
        total=total,
        level=band.label if band else None,
        passes=band.passes if band else None,
        total_is_computed=computed is not None,
    )
