"""ITA frameworks (the rules of each fiscal year, as data) and each unit's assessment results.

Scoring itself lives in assessments/scoring.py (pure, no ORM); these models only store.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


class Framework(models.Model):
    """The ITA rules of one fiscal year (B.E.)."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"), unique=True)
    pass_mark = score_field(_("pass mark"), default=Decimal("85"))
    needs_verification = models.BooleanField(
        _("to be checked against the NACC manual of the year"), default=False
    )
    oit_items_complete = models.BooleanField(_("OIT item list is complete"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("ITA framework")
        verbose_name_plural = _("ITA frameworks")
        ordering = ["-fiscal_year"]

    def __str__(self):
        return f"ITA {self.fiscal_year}"


class Tool(models.Model):
    class Code(models.TextChoices):
        IIT = "IIT", "IIT"
        EIT = "EIT", "EIT"
        OIT = "OIT", "OIT"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tools")
    code = models.CharField(_("code"), max_length=10, choices=Code.choices)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("assessment tool")
        verbose_name_plural = _("assessment tools")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="tool_unique_code")]

    def __str__(self):
        return f"{self.code} {self.framework.fiscal_year}"


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="indicator_unique_number")
        ]

    def __str__(self):
        return f"{self.number} {self.name} ({self.framework.fiscal_year})"


class SubIndicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sub_indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sub_indicators")
    code = models.CharField(_("code"), max_length=10)  # "9.1"
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sub-indicator")
        verbose_name_plural = _("sub-indicators")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="subindicator_unique_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class OitItem(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="oit_items")
    sub_indicator = models.ForeignKey(
        SubIndicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="oit_items"
    )
    code = models.CharField(_("code"), max_length=10)  # "O1"
    title = models.CharField(_("title"), max_length=300)
    components = models.TextField(
        _("information components"), blank=True,
        help_text=_("What the item must show, as the NACC's form of the year words it; printed in the OIT report."),
    )  # fmt: skip
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("OIT item")
        verbose_name_plural = _("OIT items")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="oititem_unique_code")]

    def __str__(self):
        return f"{self.code} {self.title}"


class LevelBand(models.Model):
    """One level of a year's scheme: the highest band whose conditions hold is the level."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="level_bands")
    label = models.CharField(_("label"), max_length=50)
    lower_bound = score_field(_("lowest total"))
    min_tool_score = score_field(_("lowest score every tool must reach"), null=True, blank=True)
    passes = models.BooleanField(_("passes"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("level band")
        verbose_name_plural = _("level bands")
        ordering = ["framework", "order"]

    def __str__(self):
        return f"{self.label} ≥ {self.lower_bound}"


class Assessment(models.Model):
    """A unit's ITA result for one fiscal year."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="assessments")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    official_total = score_field(_("official total"), null=True, blank=True)
    official_level = models.CharField(_("official level"), max_length=50, blank=True)
    # Computed by assessments/scoring.py and stored whenever scores change (assessments/services.py), so
    # that dashboards filter and aggregate in the database. Null means "no data", never 0.
    iit_total = score_field(_("IIT total"), null=True, blank=True, editable=False)
    eit_total = score_field(_("EIT total"), null=True, blank=True, editable=False)
    oit_total = score_field(_("OIT total"), null=True, blank=True, editable=False)
    total = score_field(_("total"), null=True, blank=True, editable=False)
    level = models.CharField(_("level"), max_length=50, blank=True, editable=False)
    passes = models.BooleanField(_("passes"), null=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["unit", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="assessment_unique_unit_year")
        ]
        indexes = [models.Index(fields=["fiscal_year", "level"]), models.Index(fields=["fiscal_year", "total"])]

    def __str__(self):
        return f"{self.unit} ITA {self.fiscal_year}"


class IndicatorScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    score = score_field(_("score"))

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_unique_indicator")
        ]


class ToolTotal(models.Model):
    """A tool total as announced, for years where the indicator scores are not known."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tool_totals")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="announced_totals")
    score = score_field(_("score"))

    class Meta:
        verbose_name = _("announced tool total")
        verbose_name_plural = _("announced tool totals")
        constraints = [models.UniqueConstraint(fields=["assessment", "tool"], name="tooltotal_unique_tool")]


class Recommendation(models.Model):
    """ข้อเสนอแนะ written by staff for a tool or an indicator of one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="recommendations")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, null=True, blank=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, null=True, blank=True)
    text = models.TextField(_("recommendation"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
