"""Frameworks for the fiscal years units work in now (2569, 2570), copied from 2568's structure and marked
"to be checked", so that a plan of those years (and copying a plan to the next year) never blocks."""

from django.db import migrations


def ship(apps, schema_editor):
    from assessments.services import copy_framework

    Framework = apps.get_model("assessments", "Framework")
    for source, year in ((2568, 2569), (2569, 2570)):
        if Framework.objects.filter(fiscal_year=source).exists() and not Framework.objects.filter(fiscal_year=year).exists():
            copy_framework(source, year, apps)


def unship(apps, schema_editor):
    Framework = apps.get_model("assessments", "Framework")
    # Only while no assessment or plan uses them (PROTECT would refuse otherwise).
    Framework.objects.filter(fiscal_year__in=(2569, 2570), assessments__isnull=True, plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_ship_frameworks"), ("measures", "0001_initial")]
    operations = [migrations.RunPython(ship, unship)]
