from django.contrib import admin

from prezent.core.models import AccessLog, AuditEvent


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """The audit trail and the access log are written by Prezent only: nobody adds, edits or deletes a row by hand,
    not even a superuser (a hand-made row would make the trail worthless as evidence)."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "user", "child_id", "view", "ip_address"]
