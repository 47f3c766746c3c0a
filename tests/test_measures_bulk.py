"""measures.bulk.delete_plans: everything under the plans goes, with "deleted" history, in a few queries."""

from django.core.files.base import ContentFile

from measures import bulk
from measures.models import (
    EvidenceFile,
    EvidenceLink,
    Measure,
    MeasureStep,
    OitProgress,
    Plan,
    ProgressEntry,
    ReviewEvent,
)
from tests import factories


def test_every_table_under_a_plan_is_known():
    # Fails when a new model refers to a plan, measure or entry: add it to bulk.REFERRERS and delete_plans.
    assert bulk.plan_tables_known()


def test_delete_plans_removes_everything_under_them_and_records_history(
    unit_a, unit_b, alice, settings, tmp_path, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    doomed = [factories.plan(unit_a, 2567, measures=3), factories.plan(unit_a, 2568, measures=4)]
    kept = factories.plan(unit_b, 2568, measures=2)
    entry = ProgressEntry.objects.filter(measure__plan=doomed[1]).first()
    EvidenceLink.objects.create(entry=entry, url="https://example.go.th/a")
    ReviewEvent.objects.create(entry=entry, action="approve", by=alice)
    evidence = EvidenceFile(entry=entry, original_name="a.pdf", content_type="application/pdf", size=4)
    evidence.file.save("a.pdf", ContentFile(b"%PDF"), save=True)
    stored = tmp_path / evidence.file.name
    assert stored.exists()
    doomed_measures = list(Measure.objects.filter(plan__in=doomed).values_list("pk", flat=True))

    # A fixed number of queries whatever the rows (the collector took 194 for these seven measures).
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(30):
        bulk.delete_plans(Plan.objects.filter(unit=unit_a), user=alice)

    assert not Plan.objects.filter(unit=unit_a).exists()
    assert not Measure.objects.filter(pk__in=doomed_measures).exists()
    assert not MeasureStep.objects.filter(measure_id__in=doomed_measures).exists()
    assert not ProgressEntry.objects.filter(measure_id__in=doomed_measures).exists()
    assert not EvidenceLink.objects.exists() and not ReviewEvent.objects.exists() and not EvidenceFile.objects.exists()
    assert not Measure.owners.through.objects.filter(measure_id__in=doomed_measures).exists()
    assert not stored.exists()  # the stored file went once the transaction committed
    # The other unit's plan is untouched.
    assert kept.measures.count() == 2 and OitProgress.objects.filter(plan=kept).count() == 1
    # Each deleted measure has its "deleted" history row, naming who deleted it.
    deletions = Measure.history.filter(id__in=doomed_measures, history_type="-")
    assert deletions.count() == 7 and {h.history_user for h in deletions} == {alice}
    assert Plan.history.filter(unit=unit_a, history_type="-").count() == 2
