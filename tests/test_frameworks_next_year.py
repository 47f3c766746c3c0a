"""Frameworks for 2569 and 2570 ship (copied from 2568, to be checked); superusers create the next one;
copying a plan to the next year needs that year's framework and its export re-imports."""

import json

import pytest
from django.urls import reverse

from assessments.models import Framework
from interchange.exporter import build_document
from interchange.importer import import_document
from measures import services
from measures.models import Plan
from tests import factories
from units.permissions import get_unit_access


def structure(framework):
    return (
        [(t.code, t.weight) for t in framework.tools.order_by("order")],
        [(i.number, i.name, i.tool.code) for i in framework.indicators.order_by("number")],
        [(b.label, b.lower_bound, b.passes, b.min_tool_score) for b in framework.level_bands.order_by("order")],
        [(s.code, s.name) for s in framework.sub_indicators.order_by("order")],
        [(o.code, o.title, o.components) for o in framework.oit_items.order_by("order")],
    )


@pytest.mark.django_db
def test_2569_and_2570_ship_marked_to_be_checked():
    source = Framework.objects.get(fiscal_year=2568)
    for year in (2569, 2570):
        framework = Framework.objects.get(fiscal_year=year)
        assert framework.needs_verification and "รอตรวจสอบ" in framework.notes
        assert structure(framework) == structure(source)
        assert framework.indicators.count() == 10


def test_superuser_admin_action_creates_the_next_year(client, root, alice, db):
    source = Framework.objects.get(fiscal_year=2567)
    url = reverse("admin:assessments_framework_changelist")
    client.force_login(root)
    response = client.post(url, {"action": "new_year_from_this", "_selected_action": [source.pk]}, follow=True)
    assert response.status_code == 200
    created = Framework.objects.get(fiscal_year=2571)
    assert structure(created) == structure(source) and created.needs_verification
    assert len(structure(created)[4]) == 35  # 2567's OIT items O1–O35
    assert created.oit_items.get(code="O1").components.startswith("- แสดงแผนผังแสดงโครงสร้าง")  # the form's wording


def test_copy_2568_to_2569_and_its_export_reimports(alice, unit_a, tmp_path):
    plan = factories.plan(unit_a, 2568, measures=3)
    access = get_unit_access(alice, unit_a)
    preview = services.copy_preview(plan)
    assert not preview.blocked and len(preview.measures) == 3
    copy = services.copy_plan_to_next_year(plan, access)
    assert copy.framework.fiscal_year == 2569 and copy.measures.count() == 3
    assert copy.measures.first().indicators.get().framework.fiscal_year == 2569
    document = json.loads(json.dumps(build_document(unit_a, years=[2569])))
    import_document(document, replace=True)
    again = Plan.objects.get(unit=unit_a, fiscal_year=2569)
    assert sorted(again.measures.values_list("number", flat=True)) == ["1", "2", "3"]


def test_copy_without_the_next_years_framework_is_refused(login, alice, unit_a):
    plan = factories.plan(unit_a, 2570, measures=1)
    url = reverse("measures:plan_copy", args=["unit-a", 2570])
    assert "ยังไม่มีกรอบการประเมิน ITA ของปี 2571" in login(alice).get(url).content.decode()
    assert login(alice).post(url).status_code == 302
    assert not Plan.objects.filter(unit=unit_a, fiscal_year=2571).exists()
    assert plan.measures.count() == 1


@pytest.mark.django_db
def test_admin_wording_is_cleaned_as_typed_text_everywhere_is():
    from django.forms import modelform_factory
    from django.http import QueryDict

    from assessments.admin import TypedTextForm
    from assessments.models import OitItem

    item = OitItem.objects.get(framework__fiscal_year=2567, code="O1")
    form_class = modelform_factory(OitItem, form=TypedTextForm, fields=["code", "title", "components", "order"])
    data = {"code": "O1", "title": "โครงสร้าง\ufeff", "components": "- แผนผัง\r\n- ตำแหน่ง\x0bสำคัญ\x00 ✅", "order": item.order}
    posted = QueryDict(mutable=True)  # as the admin's forms get it
    posted.update(data)
    form = form_class(posted, instance=item)
    assert form.is_valid(), form.errors
    form.save()
    item.refresh_from_db()
    assert (item.title, item.components) == ("โครงสร้าง", "- แผนผัง\n- ตำแหน่ง\nสำคัญ ✅")
