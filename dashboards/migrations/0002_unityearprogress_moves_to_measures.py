# UnitYearProgress belongs to the measures app (which refreshes it); its table stays where it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("dashboards", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="UnitYearProgress")],
            database_operations=[],
        ),
    ]
