# The Celery app is loaded with Django, so that @shared_task uses it (and its eager mode without a broker).
from ita_portal.celery import app as celery_app

__all__ = ("celery_app",)
