"""The scoring rules, on the shipped frameworks of every year."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import scoring
from assessments.models import Framework
from assessments.services import rules_for

D = Decimal
LETTER_YEARS = [2562, 2563, 2564, 2565]
NEW_YEARS = [2566, 2567, 2568]


def rules(year) -> scoring.Rules:
    return rules_for(Framework.objects.get(fiscal_year=year))


def uniform(value):
    return {n: D(value) for n in range(1, 11)}


@pytest.mark.django_db
@pytest.mark.parametrize("year", LETTER_YEARS + NEW_YEARS)
def test_every_year_ships_ten_indicators_with_weights(year):
    r = rules(year)
    assert r.indicator_numbers == tuple(range(1, 11))
    assert [(t.code, t.weight) for t in r.tools] == [("IIT", 30), ("EIT", 30), ("OIT", 40)]


@pytest.mark.django_db
@pytest.mark.parametrize("year", LETTER_YEARS)
@pytest.mark.parametrize(
    ("total", "level", "passes"),
    [("100", "AA", True), ("95.00", "AA", True), ("94.99", "A", True), ("85.00", "A", True), ("84.99", "B", False),
     ("75", "B", False), ("74.99", "C", False), ("65", "C", False), ("55", "D", False), ("54.99", "E", False),
     ("50", "E", False), ("49.99", "F", False), ("0", "F", False)],
)
def test_letter_levels(year, total, level, passes):
    result = scoring.score(rules(year), uniform(total))
    assert result.total == D(total)
    assert (result.level, result.passes) == (level, passes)


@pytest.mark.django_db
@pytest.mark.parametrize("year", NEW_YEARS)
@pytest.mark.parametrize(
    ("total", "level", "passes"),
    [("95.00", "ผ่านดีเยี่ยม", True), ("94.99", "ผ่านดี", True), ("85.00", "ผ่านดี", True),
     ("84.99", "ต้องปรับปรุง", False), ("70", "ต้องปรับปรุง", False), ("69.99", "ต้องปรับปรุงโดยด่วน", False)],
)
def test_new_levels(year, total, level, passes):
    result = scoring.score(rules(year), uniform(total))
    assert (result.level, result.passes) == (level, passes)


@pytest.mark.django_db
@pytest.mark.parametrize("year", NEW_YEARS)
def test_a_tool_at_84_99_keeps_a_high_total_at_pass(year):
    scores = uniform("99") | {1: D("84.99"), 2: D("84.99"), 3: D("84.99"), 4: D("84.99"), 5: D("84.99")}
    result = scoring.score(rules(year), scores)
    assert result.tool_scores["IIT"] == D("84.99")
    assert result.total > 94  # would be ผ่านดี on the total alone
    assert (result.level, result.passes) == ("ผ่าน", True)
    scores = uniform("99") | {6: D("94.99"), 7: D("94.99"), 8: D("94.99")}
    assert scoring.score(rules(year), scores).level == "ผ่านดี"


@pytest.mark.django_db
def test_seed_000_official_figures_give_pass_good():
    # Seed 000 announces only the total (94.43) and the OIT score (88.75).
    result = scoring.score(rules(2568), {}, {"OIT": D("88.75")}, official_total=D("94.43"))
    assert result.tool_scores == {"IIT": None, "EIT": None, "OIT": D("88.75")}
    assert not result.total_is_computed
    assert (result.level, result.passes) == ("ผ่านดี", True)


@pytest.mark.django_db
def test_seed_004_total_needs_improvement():
    result = scoring.score(rules(2567), {}, {}, official_total=D("79.23"))
    assert (result.level, result.passes) == ("ต้องปรับปรุง", False)


@pytest.mark.django_db
def test_missing_indicators_mean_no_data_never_zero():
    r = rules(2567)
    empty = scoring.score(r, {})
    assert (empty.total, empty.level, empty.passes) == (None, None, None)
    partial = scoring.score(r, {1: D(90), 2: D(90)})
    assert partial.tool_scores["IIT"] is None and partial.total is None
    announced = scoring.score(r, uniform(90) | {1: None}, {"IIT": D("80")})
    assert announced.tool_scores["IIT"] == D("80")
    assert announced.total == (D(80) * 30 + D(90) * 30 + D(90) * 40) / 100


def test_rounding_is_half_up_for_display_only():
    assert scoring.round_score(D("94.425")) == D("94.43")
    assert scoring.round_score(D("84.994999")) == D("84.99")


RULES = scoring.Rules(
    tools=(
        scoring.ToolRule("IIT", D(30), (1, 2, 3, 4, 5)),
        scoring.ToolRule("EIT", D(30), (6, 7, 8)),
        scoring.ToolRule("OIT", D(40), (9, 10)),
    ),
    bands=(scoring.Band("ผ่าน", D(85), True), scoring.Band("ต้องปรับปรุง", D(0), False)),
    pass_mark=D(85),
)
score_values = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(score_values, min_size=10, max_size=10))
def test_total_is_the_weighted_sum_of_tool_means(values):
    scores = dict(zip(range(1, 11), values, strict=True))
    result = scoring.score(RULES, scores)
    iit = sum(values[0:5]) / 5
    eit = sum(values[5:8]) / 3
    oit = sum(values[8:10]) / 2
    assert result.total == (iit * 30 + eit * 30 + oit * 40) / 100
    assert 0 <= result.total <= 100
    assert result.passes == (result.total >= 85)
