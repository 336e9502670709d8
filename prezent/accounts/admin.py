from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.models import RoleAssignment, User
from prezent.accounts.services import invitation_send

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


class AccountAddForm(forms.ModelForm):
    """A new account in the admin has no password: the person sets it from an invitation or "Am uitat parola"."""

    class Meta:
        model = User
        fields = ("username", "email", "first_name", "last_name")
        field_classes = {"username": UsernameField}

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Nobody sets a person's password here, not even a superuser their own: a person chooses theirs on Prezent's
    "Schimbă parola" page, a new or forgotten one from an e-mailed link (the invitation, "Am uitat parola"). The
    admin's password page is refused, the password field is not on the form, a new account has none, and the
    action "Trimite invitația" e-mails the link (audited)."""

    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("username",)}),
        *(BaseUserAdmin.fieldsets or ())[1:],
        ("Prezent", {"fields": ("language", "phone", "invited_at")}),
    )
    readonly_fields = ("invited_at",)
    add_form = AccountAddForm
    add_form_template = None
    add_fieldsets = ((None, {"fields": ("username", "email", "first_name", "last_name")}),)
    actions = ["send_invitation"]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        raise PermissionDenied

    @admin.action(description=_("Trimite invitația (persoanelor care nu și-au setat parola)"))
    def send_invitation(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        base_url = request.build_absolute_uri("/")
        sent = 0
        for user in queryset:
            try:
                invitation_send(user=user, actor=request.user, base_url=base_url)  # type: ignore[arg-type]
            except ValidationError:
                continue
            sent += 1
        self.message_user(
            request,
            _("Invitații trimise: %(sent)s. Cine și-a setat deja parola folosește „Am uitat parola”.") % {"sent": sent},
            messages.INFO,
        )
