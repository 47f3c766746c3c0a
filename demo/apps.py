from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a fresh clone (`manage.py load_demo`): above every other app, imported by none."""

    name = "demo"
    verbose_name = "Demo"
