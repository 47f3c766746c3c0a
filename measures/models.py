"""Measure plans, their steps and owners, and the progress reported on them per round.

Status rules live in measures/status.py and fiscal rounds in measures/rounds.py (pure modules).
Each editable model keeps a `version` number for optimistic locking and a history (django-simple-history).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.rounds import Round  # noqa: F401 - the rounds' one home; imported here for the models' choices


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


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
    class Review(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

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
    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned")

    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="review_events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["entry", "at", "id"]


class EvidenceLink(models.Model):
    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("link"), max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["entry", "order", "id"]


def evidence_upload_to(instance, filename):
    return f"evidence/{instance.entry.measure.plan.unit_id}/{instance.entry_id}/{filename}"


class EvidenceFile(models.Model):
    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "uploaded_at", "id"]


class OitProgress(models.Model):
    """Progress on one OIT item of the plan year's framework (seed 004)."""

    class ItemStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

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
