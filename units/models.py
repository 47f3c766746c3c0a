from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Top-level URL segments that a unit's public slug must not take.
RESERVED_SLUGS = frozenset(
    {"admin", "accounts", "u", "overview", "static", "media", "api", "open-data", "i18n", "healthz"}
)


def validate_slug_not_reserved(value):
    from django.core.exceptions import ValidationError

    if value in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved by the portal."), code="reserved")


slug_validator = RegexValidator(
    r"^[a-z0-9-]{2,50}$", _("Use 2–50 lowercase Latin letters, digits or hyphens."), code="invalid_slug"
)


class Unit(models.Model):
    class Kind(models.TextChoices):
        SAO = "sao", _("Subdistrict Administrative Organization")
        SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("Subdistrict municipality")
        TOWN_MUNICIPALITY = "town_municipality", _("Town municipality")
        CITY_MUNICIPALITY = "city_municipality", _("City municipality")
        PAO = "pao", _("Provincial Administrative Organization")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.SAO)
    district = models.CharField(_("district"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True, db_index=True)
    slug = models.SlugField(
        _("slug"),
        max_length=50,
        unique=True,
        validators=[slug_validator, validate_slug_not_reserved],
        help_text=_("Used in the unit's public web address."),
    )
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["province", "name"]
        indexes = [models.Index(fields=["province", "district"]), models.Index(fields=["kind"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:detail", args=[self.slug])

    @property
    def place(self) -> str:
        """"อำเภอดอนเจดีย์ จังหวัดสุพรรณบุรี", as report headings print it."""
        parts = []
        if self.district:
            parts.append(f"อำเภอ{self.district}")
        if self.province:
            parts.append(f"จังหวัด{self.province}")
        return " ".join(parts)


class Department(models.Model):
    """A ส่วนราชการ of a unit: สำนักปลัด, กองคลัง, กองช่าง …"""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="departments", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["unit", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="department_unique_name_per_unit")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in one unit. Permissions are decided in units/permissions.py only."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Unit administrator")
        EDITOR = "editor", _("Reporter")
        EXECUTIVE = "executive", _("Executive (read-only)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    departments = models.ManyToManyField(
        Department,
        blank=True,
        verbose_name=_("limited to departments"),
        help_text=_("For reporters only: leave empty to allow every department of the unit."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit")]

    def __str__(self):
        return f"{self.user} – {self.unit} ({self.get_role_display()})"


class ProvinceGrant(models.Model):
    """Read-only access to every unit of a province, for executives who oversee many units."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="province_grants",
        verbose_name=_("user"),
    )
    province = models.CharField(_("province"), max_length=100)

    class Meta:
        verbose_name = _("province grant")
        verbose_name_plural = _("province grants")
        constraints = [models.UniqueConstraint(fields=["user", "province"], name="province_grant_unique")]

    def __str__(self):
        return f"{self.user} – {self.province}"
