from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from prezent.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    filter_horizontal = ["schools"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Prezent", {"fields": ("language", "phone")}))
