"""Audit events (every change), the access log (every read of a child's record) and the remembered columns of
imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("creat la"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificat la"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who changed what. Details hold ids and codes only, never a person's name."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class AccessLog(models.Model):
    """A read of a child's record: who, which child (by id), when, from where."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child_id = models.BigIntegerField(db_index=True)
    view = models.CharField(max_length=100)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} user#{self.user_id} child#{self.child_id}"


class ImportMapping(models.Model):
    """The columns a county's last import of one kind used (field → the column's header, by `header_key`), offered
    again for the next upload of that kind. It holds header names only, never data."""

    county_code = models.CharField(_("județ"), max_length=2)
    kind = models.CharField(_("tip de import"), max_length=32)
    columns = models.JSONField(_("coloane"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("modificat la"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("coloanele unui import")
        verbose_name_plural = _("coloanele importurilor")
        constraints = [models.UniqueConstraint(fields=["county_code", "kind"], name="import_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.county_code})"
