# UnitYearProgress moves here from the dashboards app; its table (dashboards_unityearprogress) stays.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("measures", "0001_initial"),
        ("dashboards", "0002_unityearprogress_moves_to_measures"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="UnitYearProgress",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("fiscal_year", models.PositiveIntegerField(verbose_name="fiscal year (B.E.)")),
                        ("measure_count", models.PositiveIntegerField(default=0, verbose_name="measures")),
                        ("h1_approved", models.PositiveIntegerField(default=0, verbose_name="6-month entries approved")),
                        ("fy_approved", models.PositiveIntegerField(default=0, verbose_name="12-month entries approved")),
                        ("h1_reported", models.PositiveIntegerField(default=0, verbose_name="6-month entries submitted or approved")),
                        ("fy_reported", models.PositiveIntegerField(default=0, verbose_name="12-month entries submitted or approved")),
                        ("h1_due", models.DateField(blank=True, null=True, verbose_name="6-month due date")),
                        ("fy_due", models.DateField(blank=True, null=True, verbose_name="12-month due date")),
                        ("refreshed_at", models.DateTimeField(auto_now=True, verbose_name="refreshed at")),
                        ("unit", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="year_progress", to="units.unit", verbose_name="unit")),
                    ],
                    options={
                        "verbose_name": "unit reporting progress",
                        "verbose_name_plural": "unit reporting progress",
                        "db_table": "dashboards_unityearprogress",
                        "indexes": [models.Index(fields=["fiscal_year", "unit"], name="unityearprogress_year_unit")],
                        "constraints": [models.UniqueConstraint(fields=("unit", "fiscal_year"), name="unityearprogress_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
