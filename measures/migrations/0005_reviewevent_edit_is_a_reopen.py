"""The review log speaks the unit-year v1.1 contract's actions only: an edit that sent a submitted entry back
to draft, recorded until now as "edit", is a reopen by its reporter, with the note the portal now writes."""

from django.db import migrations, models

# measures.review.record_withdrawal's note, in the portal's language.
NOTE = "แก้ไขหลังส่งตรวจ จึงกลับเป็นฉบับร่าง"


def edit_to_reopen(apps, schema_editor):
    ReviewEvent = apps.get_model("measures", "ReviewEvent")
    ReviewEvent.objects.filter(action="edit", comment="").update(action="reopen", comment=NOTE)
    ReviewEvent.objects.filter(action="edit").update(action="reopen")


class Migration(migrations.Migration):
    dependencies = [("measures", "0004_evidence_sha256_imported_names")]
    operations = [
        migrations.RunPython(edit_to_reopen, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reviewevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "Submitted"), ("approve", "Approved"), ("return", "Returned"), ("reopen", "Reopened"),
                    ("import", "Set by an import"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
    ]
