"""Measure plans, their steps and owners, and the progress reported on them per round.

Status rules live in measures/status.py and fiscal rounds in measures/rounds.py (pure modules).
Each editable model keeps a `version` number for optimistic locking and a history (django-simple-history).
"""

import hashlib
import os
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.rounds import Round  # noqa: F401 - the rounds' one home; imported here for the models' choices
from measures.status import OitStatus, ReviewState, Status

__all__ = ["Status", "ReviewState", "OitStatus", "Round"]  # re-exported: measures.status and measures.rounds are their homes




class Plan(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="plans")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    based_on_assessment = models.PositiveIntegerField(_("assessment year it answers"), null=True, blank=True)
    framework = models.ForeignKey(
        "assessments.Framework", on_delete=models.PROTECT, related_name="plans", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["unit", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["unit", "fiscal_year"], name="plan_unique_unit_year")]

    def __str__(self):
        return f"{self.unit} {self.fiscal_year}"


class Measure(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    number = models.CharField(_("number"), max_length=20)
    # Sort key derived from `number` ("2.10" after "2.9"), kept so lists order in the database.
    sort_key = models.CharField(max_length=60, editable=False, db_index=True, default="")
    title = models.TextField(_("measure"))
    issue = models.TextField(_("issue to improve"), blank=True)
    indicators = models.ManyToManyField(
        "assessments.Indicator", blank=True, related_name="measures", verbose_name=_("indicators")
    )
    oit_items = models.ManyToManyField(
        "assessments.OitItem", blank=True, related_name="measures", verbose_name=_("OIT items")
    )
    owners = models.ManyToManyField(
        "units.Department", blank=True, related_name="measures", verbose_name=_("responsible departments")
    )
    owner_text = models.TextField(_("responsible (as printed)"), blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    period_text = models.CharField(_("period (as printed)"), max_length=200, blank=True)
    expected_outcome = models.TextField(_("expected outcome"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[owners, indicators, oit_items])

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True) | models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="measure_end_not_before_start",
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title[:60]}"

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("measures:detail", args=[self.plan.unit.slug, self.pk])


def number_sort_key(number: str) -> str:
    """"2.10" → "00002.00010": measure numbers sort as numbers, part by part."""
    parts = []
    for part in (number or "").strip().split("."):
        parts.append(part.zfill(5) if part.isdigit() else part[:10].ljust(5))
    return ".".join(parts)[:60]


class MeasureStep(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("step"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["measure", "order", "id"]


class RoundDue(models.Model):
    """A unit's due date for a reporting round of a fiscal year (defaults in measures/rounds.py)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="round_dues")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    round = models.CharField(_("round"), max_length=2, choices=Round.choices)
    due_date = models.DateField(_("due date"))

    class Meta:
        verbose_name = _("round due date")
        verbose_name_plural = _("round due dates")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year", "round"], name="rounddue_unique")
        ]


class ProgressEntry(models.Model):
    Review = ReviewState

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="entries")
    round = models.CharField(_("round"), max_length=2, choices=Round.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(
        _("percent done"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    result = models.TextField(_("result"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_state = models.CharField(
        _("review"), max_length=20, choices=Review.choices, default=Review.DRAFT, db_index=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["measure", "round"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "round"], name="entry_unique_measure_round"),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) | models.Q(percent__lte=100), name="entry_percent_max_100"
            ),
        ]


class ReviewEvent(models.Model):
    """One transition of an entry's review (measures/review.py writes them; nothing else does)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned")
        # The actions of the unit-year v1.1 contract, no others: an edit that sends a submitted entry back
        # to draft is a reopen by its reporter (measures.services.save_entry).
        REOPEN = "reopen", _("Reopened")
        IMPORT = "import", _("Set by an import")

    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="review_events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=ReviewState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ReviewState.choices, blank=True)
    # The entry's version the person acted on: for an approval, the exact text that was approved.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The person's name as an imported history gave it (unit-year v1.1), kept when no account here has it.
    by_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["entry", "at", "id"]


class EvidenceLink(models.Model):
    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("link"), max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["entry", "order", "id"]


def evidence_upload_to(instance, filename):
    """A generated name (the person's file name is kept in `original_name` for display and download):
    no Thai, spaces or path tricks reach the storage, and two uploads of "scan.pdf" never collide."""
    suffix = os.path.splitext(filename)[1].lower()
    suffix = suffix if len(suffix) <= 10 and suffix[1:].isalnum() else ""
    return f"evidence/{instance.entry.measure.plan.unit_id}/{instance.entry_id}/{uuid.uuid4().hex}{suffix}"


def content_sha256(file) -> str:
    """The SHA-256 of a file's content, read in chunks: an upload (kept at upload) or a stored file."""
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


class EvidenceFile(models.Model):
    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Content address (unit-year v1.1 bundles), kept at upload; files uploaded before it was are given it the
    # first time an export or import reads them (interchange.evidence.fill_sha256).
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "uploaded_at", "id"]


class OitProgress(models.Model):
    """Progress on one OIT item of the plan year's framework (seed 004)."""

    ItemStatus = OitStatus

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="oit_progress")
    item = models.ForeignKey("assessments.OitItem", on_delete=models.PROTECT, related_name="progress")
    owners = models.ManyToManyField("units.Department", blank=True, related_name="oit_progress")
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    note = models.TextField(_("progress note"), blank=True)
    url = models.URLField(_("published at URL"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[owners])

    class Meta:
        verbose_name = _("OIT item progress")
        verbose_name_plural = _("OIT item progress")
        ordering = ["plan", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "item"], name="oitprogress_unique_item")]


class UnitYearProgress(models.Model):
    """A per unit and fiscal year summary of reporting progress, so that the national overview joins one
    row per unit instead of counting measures and entries for 7,852 units on every request.

    Derived data, recomputed by measures/progress.py: the service functions that write plans, measures,
    entries and due dates call it explicitly; bulk writers call `refresh_years` (or the
    refresh_dashboard_progress command). The table keeps its first name (it began in the dashboards app).
    """

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="year_progress", verbose_name=_("unit")
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    measure_count = models.PositiveIntegerField(_("measures"), default=0)
    h1_approved = models.PositiveIntegerField(_("6-month entries approved"), default=0)
    fy_approved = models.PositiveIntegerField(_("12-month entries approved"), default=0)
    h1_reported = models.PositiveIntegerField(_("6-month entries submitted or approved"), default=0)
    fy_reported = models.PositiveIntegerField(_("12-month entries submitted or approved"), default=0)
    # The unit's own due dates when it has set them (RoundDue); null means the default date.
    h1_due = models.DateField(_("6-month due date"), null=True, blank=True)
    fy_due = models.DateField(_("12-month due date"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True)

    class Meta:
        db_table = "dashboards_unityearprogress"
        verbose_name = _("unit reporting progress")
        verbose_name_plural = _("unit reporting progress")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="unityearprogress_unique"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "unit"], name="unityearprogress_year_unit")]

    def __str__(self):
        return f"{self.unit_id} {self.fiscal_year}: {self.measure_count}"
