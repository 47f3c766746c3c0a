"""Reports' notices (registered with notifications when the apps load)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import kinds
from notifications.services import notify
from reports.models import Kind

PUBLISH_FAILED = kinds.register("publish_failed", gettext_lazy("A report I asked to publish could not be published")).code


def publish_url(job) -> str:
    args = [job.unit.slug, job.kind, job.fiscal_year] + ([job.round] if job.round else [])
    return reverse("reports:publish", args=args)


def publish_failed(job) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        facts = {"kind": Kind(job.kind).label, "year": job.fiscal_year, "unit": job.unit.name}
        subject = _("Not published: %(kind)s, fiscal year %(year)s") % facts
        text = f"{facts['unit']}: {subject}\n\n{job.error}"
    notify(job.requested_by, PUBLISH_FAILED, subject, text, format_html("<p>{}</p><p>{}</p>", subject, job.error), publish_url(job))
