from django.contrib import admin

from notifications.models import EmailPreference, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "subject", "mail", "mailed_at", "read_at"]
    list_filter = ["kind", "mail"]
    search_fields = ["user__username", "subject"]
    raw_id_fields = ["user"]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled"]
    raw_id_fields = ["user"]
