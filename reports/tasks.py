"""Celery tasks of reports: rendering and publishing a version."""

from __future__ import annotations

import logging

from celery import shared_task

from reports import jobs

logger = logging.getLogger(__name__)
MAX_RETRIES = 3
RETRY_SECONDS = 10.0  # the first retry's delay; doubled each time


@shared_task(bind=True, max_retries=MAX_RETRIES)
def publish_report(self, job_id: int) -> str:
    try:
        job = jobs.run(job_id)
    except jobs.Transient as exc:
        if self.request.is_eager or self.request.retries >= MAX_RETRIES:
            jobs.fail(job_id)
            return "failed"
        raise self.retry(exc=exc, countdown=RETRY_SECONDS * 2**self.request.retries) from exc
    except Exception:
        # Anything else (a template or WeasyPrint error) will fail again: stop, tell the person.
        logger.exception("publishing job %s failed", job_id)
        jobs.fail(job_id)
        return "failed"
    return job.state if job else "skipped"
