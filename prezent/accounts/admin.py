from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.models import RoleAssignment, User

# django-otp's own admin pages would let an administrator read a person's authenticator key (its QR code), give
# them a device with a key of the administrator's choosing, or delete one with no audit. A second factor is reset
# only on Prezent's page "Resetează autentificarea în doi pași" (`two_factor_reset`, audited).
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


class RoleAssignmentInline(admin.TabularInline):
    """Roles are shown here, never given: a role decides which children a person sees, so it is given, ended and
    extended on Prezent's own pages by the county coordinator (audited, inside their county), and a county's first
    coordinator by `manage.py add_county_coordinator` on the server. An administrator cannot give themself or
    anyone a role that sees children from the admin."""

    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "scope_kind", "county_code", "valid_from", "valid_until", "pending", "requested_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Prezent", {"fields": ("language", "phone")}))
