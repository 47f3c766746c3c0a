"""The dashboards keep no tables of their own: their per unit-year progress summary is
measures.models.UnitYearProgress (refreshed by measures/progress.py)."""
