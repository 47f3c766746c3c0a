"""Publishing in the background: a PublishJob is queued by the publish page and run by a Celery worker
(reports.tasks.publish_report), or in the request itself when no broker is configured.

A job that fails leaves no version (publishing.publish writes the version and its files all or nothing)
and keeps a Thai message for the person who asked.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ita_portal.celery import dispatch
from reports import publishing
from reports.models import PublishJob

logger = logging.getLogger(__name__)


class Transient(Exception):
    """A failure worth retrying (the database or storage was unreachable)."""


def queue(unit, kind: str, fiscal_year: int, round_code: str, user) -> tuple[PublishJob, bool]:
    """The pending job for this report if there is one (a second click does not publish twice), else a
    new one, queued once the transaction commits. Returns (job, created)."""
    from reports import tasks

    with transaction.atomic():
        type(unit).objects.select_for_update().get(pk=unit.pk)
        pending = PublishJob.objects.filter(
            unit=unit, kind=kind, fiscal_year=fiscal_year, round=round_code, state__in=PublishJob.PENDING
        ).first()
        if pending is not None:
            return pending, False
        job = PublishJob.objects.create(unit=unit, kind=kind, fiscal_year=fiscal_year, round=round_code, requested_by=user)
    dispatch(tasks.publish_report, job.pk)
    job.refresh_from_db()
    return job, True


def run(job_id: int) -> PublishJob | None:
    """Render and publish. Idempotent: a job that is done or failed is left as it is; a job found
    'rendering' (its worker died) is rendered again, since nothing of it was saved."""
    with translation.override(settings.LANGUAGE_CODE):  # the completeness messages, in Thai
        return _run(job_id)


def _run(job_id: int) -> PublishJob | None:
    started = PublishJob.objects.filter(pk=job_id, state__in=PublishJob.PENDING).update(
        state=PublishJob.State.RENDERING, attempts=F("attempts") + 1
    )
    if not started:
        return None
    try:
        with transaction.atomic():
            job = PublishJob.objects.select_for_update(of=("self",)).select_related("unit", "requested_by").get(pk=job_id)
            if job.state != PublishJob.State.RENDERING:
                return job
            report = publishing.publish(job.unit, job.kind, job.fiscal_year, job.round, job.requested_by)
            job.state, job.report, job.finished_at, job.error = PublishJob.State.DONE, report, timezone.now(), ""
            job.save(update_fields=["state", "report", "finished_at", "error"])
        return job
    except ValueError as exc:  # the completeness check found blockers (the data changed since the click)
        return fail(job_id, problems=str(exc))
    except (OSError, OperationalError, InterfaceError) as exc:
        raise Transient(str(exc)) from exc


def fail(job_id: int, problems: str = "") -> PublishJob:
    """Mark the job failed with a Thai message (and tell the person who asked in their inbox)."""
    with translation.override(settings.LANGUAGE_CODE):
        if problems:
            message = _("The report cannot be published yet: %(problems)s") % {"problems": problems}
        else:
            message = _("Publishing failed and nothing was published. Try again; if it fails again, tell the portal's administrator.")
    changed = PublishJob.objects.filter(pk=job_id).exclude(state__in=[PublishJob.State.DONE, PublishJob.State.FAILED]).update(
        state=PublishJob.State.FAILED, error=message, finished_at=timezone.now()
    )
    job = PublishJob.objects.select_related("unit", "requested_by").get(pk=job_id)
    if changed and job.requested_by is not None:
        from reports import notices

        notices.publish_failed(job)
    return job
