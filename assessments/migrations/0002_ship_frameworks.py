from django.db import migrations


def ship_frameworks(apps, schema_editor):
    from assessments.framework_data import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(ship_frameworks, migrations.RunPython.noop)]
