"""The Celery app: `celery -A ita_portal worker` (and `beat`) runs the portal's background work.

Configured from Django's settings (the CELERY_* block, read from the environment). Without
CELERY_BROKER_URL every task runs eagerly inside the process that queues it, so `./dev.sh start` needs
no broker and no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

app = Celery("ita_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def dispatch(task, *args, countdown: float = 0) -> None:
    """Queue `task(*args)` for a worker once the current transaction commits (the worker must see what
    the caller wrote). Eager (no broker): run it now, in this process, on this connection."""
    if app.conf.task_always_eager:
        task.apply(args=args)
        return
    from django.db import transaction

    transaction.on_commit(lambda: task.apply_async(args=args, countdown=countdown))
