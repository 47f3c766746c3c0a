from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm as BaseAdminPasswordChangeForm
from django.contrib.auth.forms import SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from units.models import Department, Membership, ProvinceGrant, Unit
from units.provinces import province_choices, validate_province

admin.site.site_header = _("ITA Portal administration")
admin.site.site_title = _("ITA Portal")
admin.site.index_title = _("Administration")


class ProvinceFormMixin:
    """The province is chosen from the country's list; a value stored before the list stays valid."""

    def _province_field(self):
        current = self.instance.province if self.instance and self.instance.pk else ""
        self.fields["province"] = forms.ChoiceField(
            label=self.fields["province"].label,
            choices=province_choices(current),
            required=self.fields["province"].required,
        )
        self._old_province = current

    def clean_province(self):
        value = self.cleaned_data.get("province", "")
        validate_province(value, allowed_old=self._old_province)
        return value


class UnitForm(ProvinceFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")  # Django 6's default

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "slug",
            "is_active",
            "district",
            "province",
            "address",
            "website",
            "phone",
            "email",
            "logo",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._province_field()


class ProvinceGrantForm(ProvinceFormMixin, forms.ModelForm):
    class Meta:
        model = ProvinceGrant
        fields = ["user", "province"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._province_field()


class MembershipForm(forms.ModelForm):
    """A membership's departments are the unit's own: the choices are limited to them when the unit is
    known, and a department of another unit is refused whatever the form was sent with."""

    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "position", "departments"]
        widgets = {"departments": forms.CheckboxSelectMultiple}

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        unit = unit or (self.instance.unit if self.instance.unit_id else None)
        if "departments" in self.fields:
            departments = self.fields["departments"]
            departments.queryset = (
                unit.departments.order_by("order", "name") if unit is not None else Department.objects.none()
            )
            if unit is None:
                departments.help_text = _(
                    "Save the membership first: then the unit's departments can be chosen."
                )

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit") or (self.instance.unit if self.instance.unit_id else None)
        others = [d for d in cleaned.get("departments") or [] if unit is not None and d.unit_id != unit.pk]
        if others:
            self.add_error(
                "departments",
                _("Departments: choose only departments of the unit %(unit)s.") % {"unit": unit},
            )
        return cleaned


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 1
    fields = ["name", "order"]


class UnitMembershipInlineFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["unit"] = self.instance if self.instance.pk else None
        return kwargs


class MembershipInline(admin.StackedInline):
    """Stacked: a row per person with the unit's departments as ticks fits a laptop screen (the tabular
    inline with a two-list department picker was 1,699 px wide)."""

    model = Membership
    form = MembershipForm
    formset = UnitMembershipInlineFormSet
    extra = 0
    fields = [("user", "role"), "position", "departments"]
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ["name", "kind", "district", "province", "slug", "active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["name", "short_name", "slug", "district", "province"]
    prepopulated_fields = {}
    inlines = [DepartmentInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "slug", "is_active"]}),
        (_("Location"), {"fields": ["district", "province", "address"]}),
        (_("Contact"), {"fields": ["website", "phone", "email", "logo"]}),
    ]


    @admin.display(description=_("active"), ordering="is_active")
    def active(self, unit):
        return _("Yes") if unit.is_active else _("No")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "order"]
    list_filter = ["unit__province"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "unit", "role", "position"]
    list_filter = ["role", "unit__province"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(ProvinceGrant)
class ProvinceGrantAdmin(admin.ModelAdmin):
    form = ProvinceGrantForm
    list_display = ["user", "province"]
    list_filter = ["province"]
    search_fields = ["user__username", "province"]
    autocomplete_fields = ["user"]


User = get_user_model()


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["unit", "role", "position"]
    autocomplete_fields = ["unit"]


class ProvinceGrantInline(admin.TabularInline):
    model = ProvinceGrant
    form = ProvinceGrantForm
    extra = 0


class AdminPasswordChangeForm(BaseAdminPasswordChangeForm):
    # Django writes this warning outside its catalog; the portal's says it in Thai.
    usable_password_help_text = SetUnusablePasswordMixin.usable_password_help_text + (
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
        + str(_("If disabled, the current password for this user will be lost."))
        + "</li></ul>"
    )


admin.site.unregister(User)
admin.site.unregister(Group)  # access comes from memberships and province grants, not from groups


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Access in the portal comes from memberships and province grants (the inlines), not from Django's
    groups and permissions, which are left out of the form."""

    inlines = [UserMembershipInline, ProvinceGrantInline]
    list_display = ["username", "email", "first_name", "last_name", "staff"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__role"]
    change_password_form = AdminPasswordChangeForm
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.display(description=_("staff status"), ordering="is_staff")
    def staff(self, user):
        return _("Yes") if user.is_staff else _("No")
