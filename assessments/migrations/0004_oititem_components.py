"""OIT items carry what they must show (องค์ประกอบด้านข้อมูล), which until now lived in reports' code; the
shipped 2567 wording is filled in (items that have some keep theirs)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from assessments import oit_components

    oit_components.fill(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_frameworks_2569_2570")]
    operations = [
        migrations.AddField(
            model_name="oititem",
            name="components",
            field=models.TextField(
                blank=True,
                help_text="What the item must show, as the NACC's form of the year words it; printed in the OIT report.",
                verbose_name="information components",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
