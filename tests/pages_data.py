"""One unit's year as people meet it, for the page tests (tests/test_pages_*.py): ITA results of two years,
a plan with steps, approved 12-month entries and a submitted 6-month one, an image as evidence, OIT item
progress, and the 12-month results report published twice (so version 1 has a newer version)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile

from measures.models import EvidenceFile, Measure, Plan, ProgressEntry
from reports.models import PublishedReport
from tests import factories
from tests.dashboards_fixtures import SCORES_2567, SCORES_2568, assess


def png_bytes(width: int = 24, height: int = 16) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Scenario:
    plan: Plan
    measure: Measure
    image: EvidenceFile
    first: PublishedReport
    second: PublishedReport


def build(unit, admin_user) -> Scenario:
    from reports import publishing

    assess(unit, 2567, SCORES_2567)
    assess(unit, 2568, SCORES_2568)
    plan = factories.plan(unit, 2568, measures=3, approved_round="FY")
    measure = plan.measures.order_by("sort_key").first()
    h1 = ProgressEntry.objects.create(
        measure=measure, round="H1", status="in_progress", percent=40, result="จัดประชุมชี้แจงแล้ว",
        review_state=ProgressEntry.Review.SUBMITTED,
    )  # fmt: skip
    fy = measure.entries.get(round="FY")
    image = EvidenceFile(entry=fy, original_name="ภาพกิจกรรม.png", content_type="image/png", size=0, uploaded_by=admin_user)
    content = png_bytes()
    image.size = len(content)
    image.file.save("activity.png", ContentFile(content), save=True)
    assert h1.pk
    first = publishing.publish(unit, "results", 2568, "FY", admin_user)
    second = publishing.publish(unit, "results", 2568, "FY", admin_user)
    return Scenario(plan=plan, measure=measure, image=image, first=first, second=second)
