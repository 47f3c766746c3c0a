"""Report options per unit, kind, year and round, and the immutable published versions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RESULTS = "results", _("Results of the measures")
    PLAN = "plan", _("Measures plan")
    ANALYSIS = "analysis", _("Analysis of the ITA results")
    OIT = "oit", _("OIT item progress")
    MEMO = "memo", _("Cover memo")


# Kinds reported per round; the others are per fiscal year (round stored as "").
KINDS_WITH_ROUND = {Kind.RESULTS, Kind.OIT, Kind.MEMO}


MARGIN = [MinValueValidator(5), MaxValueValidator(60)]


class ReportSettings(models.Model):
    """What an administrator chose for one report before publishing: options, intro, signatory, memo."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="report_settings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    round = models.CharField(_("round"), max_length=2, blank=True)
    thai_digits = models.BooleanField(_("Thai digits"), default=True)
    abbreviated_dates = models.BooleanField(_("abbreviated dates"), default=False)
    landscape = models.BooleanField(_("A4 landscape"), default=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    signatory_rank = models.CharField(_("signatory rank"), max_length=100, blank=True)
    signatory_name = models.CharField(_("signatory name"), max_length=200, blank=True)
    signatory_position = models.CharField(_("signatory position"), max_length=300, blank=True)
    # บันทึกข้อความ (memo) fields
    memo_office = models.CharField(_("office (ส่วนราชการ)"), max_length=300, blank=True)
    memo_reference = models.CharField(_("reference number (ที่)"), max_length=100, blank=True)
    memo_date = models.DateField(_("memo date"), null=True, blank=True)
    memo_subject = models.CharField(_("subject (เรื่อง)"), max_length=300, blank=True)
    memo_to = models.CharField(_("to (เรียน)"), max_length=300, blank=True)
    memo_body = models.TextField(_("memo body"), blank=True)
    # [{"heading": "ความเห็นของหัวหน้าสำนักปลัด", "name": "…", "position": "…"}, …]
    memo_comment_chain = models.JSONField(_("chain of comments"), default=list, blank=True)
    # Layout (issue 12): the column preset, the office's order and headings, sizes and margins.
    preset = models.CharField(_("column preset"), max_length=30, blank=True)
    headings = models.JSONField(_("column headings"), default=dict, blank=True)
    keep_columns = models.JSONField(_("columns kept when empty"), default=list, blank=True)
    table_font_size = models.PositiveSmallIntegerField(
        _("table font size (pt)"), default=16, validators=[MinValueValidator(14), MaxValueValidator(16)]
    )
    margin_top = models.PositiveSmallIntegerField(_("top margin (mm)"), null=True, blank=True, validators=MARGIN)
    margin_right = models.PositiveSmallIntegerField(_("right margin (mm)"), null=True, blank=True, validators=MARGIN)
    margin_bottom = models.PositiveSmallIntegerField(_("bottom margin (mm)"), null=True, blank=True, validators=MARGIN)
    margin_left = models.PositiveSmallIntegerField(_("left margin (mm)"), null=True, blank=True, validators=MARGIN)
    # [{"label": "ผู้รายงาน", "source": "reporter", "rank": "", "name": "", "position": ""}, …]; a name or
    # position typed here overrides what the review record gives.
    signatures = models.JSONField(_("signature blocks"), default=list, blank=True)
    footnote = models.TextField(_("footnote (หมายเหตุ), printed below the table"), blank=True)
    title_note = models.CharField(_("title note, e.g. (ครึ่งปีแรก)"), max_length=100, blank=True)
    # {"IIT": "…", "EIT": "…", "OIT": "…"}: the analysis' recommendations per tool, seeded from the generated text.
    recommendations = models.JSONField(_("recommendations per tool"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "fiscal_year", "round"], name="reportsettings_unique")
        ]


def published_upload_to(instance, filename):
    return (
        f"published/{instance.unit_id}/{instance.fiscal_year}/{instance.kind}-{instance.round or 'year'}"
        f"-v{instance.version}/{filename}"
    )


class PublishedReport(models.Model):
    """A frozen version: its HTML, PDF and JSON never change after publishing."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="published_reports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    round = models.CharField(_("round"), max_length=2, blank=True)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=500)
    html = models.FileField(upload_to=published_upload_to, max_length=300)
    pdf = models.FileField(upload_to=published_upload_to, max_length=300, blank=True)
    json = models.FileField(upload_to=published_upload_to, max_length=300)
    checksum = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["unit", "-fiscal_year", "kind", "round", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "fiscal_year", "round", "version"], name="publishedreport_unique_version"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "kind", "round"])]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse("public:version", args=[self.unit.slug, self.pk])


class PublishJob(models.Model):
    """A request to publish, rendered in the background (reports.tasks.publish_report)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done: published")
        FAILED = "failed", _("Failed")

    PENDING = (State.QUEUED, State.RENDERING)

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="publish_jobs")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    round = models.CharField(_("round"), max_length=2, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    report = models.ForeignKey(PublishedReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField(_("error"), blank=True)  # in Thai, for the person who asked

    class Meta:
        verbose_name = _("publishing job")
        verbose_name_plural = _("publishing jobs")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["unit", "kind", "fiscal_year", "round"])]

    @property
    def pending(self) -> bool:
        return self.state in self.PENDING
