"""Query strings and addresses nobody types by hand answer a page or 404, never a server error
(found by sending random values to every page)."""

import pytest
from django.urls import reverse

from tests import factories

HUGE = "99999999999999999999"  # beyond a 64-bit integer


@pytest.fixture
def plan_a(unit_a):
    return factories.plan(unit_a, 2568, measures=3)


@pytest.mark.parametrize("query", ["per_page=-1", "per_page=0", f"per_page={HUGE}", f"page={HUGE}", "page=-1", "page=abc", "status=cancelled&page=9"])
def test_plan_page_keeps_its_page_size_and_bounds(login, alice, plan_a, query):
    response = login(alice).get(reverse("measures:plan", args=["unit-a", 2568]) + "?" + query)
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) <= 100


@pytest.mark.parametrize("query", [f"page={HUGE}", f"per_page={HUGE}", "per_page=-1", "name=nobody&page=2", "page=0"])
def test_overview_keeps_its_page_size_and_bounds(login, root, plan_a, query):
    response = login(root).get(reverse("overview:index") + "?" + query)
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) <= 25


def test_years_are_four_digits(login, alice, plan_a, client):
    user = login(alice)
    assert user.get(f"/u/unit-a/reports/results/{HUGE}/FY/").status_code == 404
    assert user.get(f"/u/unit-a/plans/{HUGE}/").status_code == 404
    assert user.get(reverse("interchange:export", args=["unit-a"]) + f"?year={HUGE}").status_code == 404
    assert user.get(reverse("interchange:export", args=["unit-a"]) + "?year=2568").status_code == 200
    assert client.get(f"/unit-a/{HUGE}/open-data.json").status_code == 404


@pytest.mark.parametrize("pk", ["²", "๒", "9" * 4301, "1_0", "-1", HUGE])
def test_id_lists_refuse_ids_int_cannot_read_with_a_field_error(db, pk):
    """"²".isdigit() is true but int() refuses it; int() of 4,301 digits raises ValueError: both were 500s
    from the measure form's indicators, OIT items and owners (found by posting odd values to every form)."""
    from django import forms

    from ita_portal.forms import IdListField
    from units.models import Department

    class Form(forms.Form):
        owners = IdListField(queryset=Department.objects.all())

    form = Form({"owners": [pk]})
    assert not form.is_valid()
    assert "owners" in form.errors


def test_measure_form_with_a_superscript_owner_id_is_a_form_error(login, alice, plan_a):
    measure = plan_a.measures.first()
    url = reverse("measures:measure_edit", args=["unit-a", measure.pk])
    response = login(alice).post(url, {"number": "1", "title": "ม", "owners": ["²"], "indicators": ["9" * 4301]})
    assert response.status_code == 200
    assert {"owners", "indicators"} <= set(response.context["form"].errors)
