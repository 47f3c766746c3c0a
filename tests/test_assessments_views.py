from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Framework, IndicatorScore
from tests import factories


def form_data(year=2567, **overrides):
    data = {"fiscal_year": year, **{f"score_{n}": "90" for n in range(1, 11)}}
    data.update(overrides)
    return data


def test_administrator_enters_a_year_and_totals_are_computed(login, alice):
    response = login(alice).post(reverse("assessments:new", args=["unit-a"]), form_data(score_9="80.50", official_total="89.00"))
    assert response.status_code == 302
    assessment = Assessment.objects.get(unit__slug="unit-a", fiscal_year=2567)
    assert assessment.iit_total == Decimal("90.00")
    assert assessment.oit_total == Decimal("85.25")
    assert assessment.total == Decimal("88.10")
    assert (assessment.level, assessment.passes) == ("ผ่านดี", True)
    page = login(alice).get(reverse("assessments:detail", args=["unit-a", 2567])).content.decode()
    assert "88.10" in page and "ผ่านดี" in page
    assert "ต่างกันเกิน 0.01" in page  # official 89.00 vs computed 88.10
    assert "<svg" in page


@pytest.mark.parametrize(
    ("value", "field"), [("101", "score_3"), ("-1", "score_1"), ("85.123", "score_10"), ("เก้าสิบ", "score_7")]
)
def test_bad_scores_are_refused_and_nothing_is_saved(login, alice, value, field):
    response = login(alice).post(reverse("assessments:new", args=["unit-a"]), form_data(**{field: value}))
    assert response.status_code == 200
    body = response.content.decode()
    number = field.split("_")[1]
    assert f"ตัวชี้วัดที่ {number}" in body and "0 ถึง 100" in body
    assert not Assessment.objects.exists() and not IndicatorScore.objects.exists()


def test_correcting_a_year_keeps_one_assessment(login, alice):
    login(alice).post(reverse("assessments:new", args=["unit-a"]), form_data())
    login(alice).post(reverse("assessments:edit", args=["unit-a", 2567]), form_data(score_1="70"))
    assessment = Assessment.objects.get()
    assert assessment.scores.get(indicator__number=1).score == Decimal("70")


def test_missing_year_shows_no_data(login, charlie, unit_a):
    factories.assessment(unit_a, 2566)
    page = login(charlie).get(reverse("assessments:list", args=["unit-a"])).content.decode()
    assert "ไม่มีข้อมูล" in page


def test_roles(login, charlie, dave, unit_a):
    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    assert login(charlie).get(reverse("assessments:detail", args=["unit-a", 2567])).status_code == 200
    assert login(charlie).post(reverse("assessments:new", args=["unit-a"]), form_data()).status_code == 403
    assert login(charlie).post(reverse("assessments:detail", args=["unit-a", 2567]), {}).status_code == 403
    assert login(dave).get(reverse("assessments:detail", args=["unit-a", 2567])).status_code == 404


def test_admin_band_change_moves_the_level(login, root, alice):
    login(alice).post(reverse("assessments:new", args=["unit-a"]), form_data())  # 90 → ผ่านดี
    framework = Framework.objects.get(fiscal_year=2567)
    band = framework.level_bands.get(label="ผ่านดี")
    band.lower_bound = Decimal("92")
    band.save()
    # Saving the framework in admin recomputes its assessments.
    from assessments.admin import FrameworkAdmin
    from assessments.services import recompute

    assert FrameworkAdmin  # the admin recomputes on save; the service is what it calls
    recompute(Assessment.objects.get())
    assert Assessment.objects.get().level == "ผ่าน"
    assert "ผ่าน" in login(alice).get(reverse("assessments:list", args=["unit-a"])).content.decode()


def test_recommendations_are_saved(login, alice, unit_a):
    factories.assessment(unit_a, 2567, {n: 80 for n in range(1, 11)})
    login(alice).post(reverse("assessments:detail", args=["unit-a", 2567]), {"tool_OIT": "เผยแพร่ข้อมูลให้ครบ", "indicator_9": "ปรับปรุงเว็บไซต์"})
    page = login(alice).get(reverse("assessments:detail", args=["unit-a", 2567])).content.decode()
    assert "เผยแพร่ข้อมูลให้ครบ" in page and "ปรับปรุงเว็บไซต์" in page


@pytest.mark.parametrize("years", [2, 6])
def test_list_queries_stay_constant(login, charlie, unit_a, django_assert_max_num_queries, years):
    for year in range(2568 - years + 1, 2569):
        factories.assessment(unit_a, year, {n: 90 for n in range(1, 11)})
    client = login(charlie)
    client.get(reverse("home"))  # the navigation's inbox count is cached after a first page: measure the page's own queries
    with django_assert_max_num_queries(8):
        assert client.get(reverse("assessments:list", args=["unit-a"])).status_code == 200


def test_editor_cannot_rewrite_results_or_recommendations(login, alice, bob, unit_a):
    """An editor's POSTs (the official total set to 1.00, scores wiped, recommendations) change nothing."""
    login(alice).post(reverse("assessments:new", args=["unit-a"]), form_data(official_total="89.00"))
    before = Assessment.objects.get(unit=unit_a, fiscal_year=2567)
    editor = login(bob)
    assert editor.post(reverse("assessments:edit", args=["unit-a", 2567]), form_data(official_total="1.00", score_1="")).status_code == 403
    assert editor.post(reverse("assessments:new", args=["unit-a"]), form_data(official_total="1.00")).status_code == 403
    assert editor.post(reverse("assessments:detail", args=["unit-a", 2567]), {"tool_OIT": "แก้โดยผู้รายงาน"}).status_code == 403
    after = Assessment.objects.get(unit=unit_a, fiscal_year=2567)
    assert (after.official_total, after.total, after.scores.count()) == (before.official_total, before.total, before.scores.count())
    assert not after.recommendations.exists()

