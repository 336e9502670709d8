"""Audit events (every change) and the access log (every read of a child's record)."""

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
