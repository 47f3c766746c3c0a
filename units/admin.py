from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from units.models import Department, Membership, ProvinceGrant, Unit

admin.site.site_header = _("ITA Portal administration")
admin.site.site_title = _("ITA Portal")
admin.site.index_title = _("Administration")


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 1
    fields = ["name", "order"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["user", "role", "position", "departments"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["departments"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "province", "slug", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["name", "short_name", "slug", "district", "province"]
    prepopulated_fields = {}
    inlines = [DepartmentInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "slug", "is_active"]}),
        (_("Location"), {"fields": ["district", "province", "address"]}),
        (_("Contact"), {"fields": ["website", "phone", "email", "logo"]}),
    ]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "order"]
    list_filter = ["unit__province"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "position"]
    list_filter = ["role", "unit__province"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    filter_horizontal = ["departments"]


@admin.register(ProvinceGrant)
class ProvinceGrantAdmin(admin.ModelAdmin):
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
    extra = 0


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserMembershipInline, ProvinceGrantInline]
    list_filter = [*BaseUserAdmin.list_filter, "memberships__role"]
