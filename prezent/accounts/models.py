"""Users, their roles and the scope each role assignment gives."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.core.validators import refuse_control_characters


class Role(models.TextChoices):
    COUNTY_COORDINATOR = "county_coordinator", _("Coordonator județean")
    CASE_WORKER = "case_worker", _("Asistent social / psiholog (ONG)")
    SCHOOL_COORDINATOR = "school_coordinator", _("Coordonator școlar")
    CLASS_TEACHER = "class_teacher", _("Profesor / învățător")
    SCHOOL_MEDIATOR = "school_mediator", _("Mediator școlar")
    TRAINER = "trainer", _("Formator")
    ME_VIEWER = "me_viewer", _("Evaluator / finanțator")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A person who signs in. Language is their own choice of interface language."""

    first_name = models.CharField(
        AbstractUser._meta.get_field("first_name").verbose_name,
        max_length=150,
        blank=True,
        validators=[refuse_control_characters],
    )
    last_name = models.CharField(
        AbstractUser._meta.get_field("last_name").verbose_name,
        max_length=150,
        blank=True,
        validators=[refuse_control_characters],
    )
    language = models.CharField(
        _("limba interfeței"), max_length=5, choices=[("ro", "Română"), ("en", "English")], default="ro"
    )
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    invited_at = models.DateTimeField(_("invitat la"), null=True, blank=True)

    class Meta:
        verbose_name = _("utilizator")
        verbose_name_plural = _("utilizatori")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def invitation_pending(self) -> bool:
        """Invited and not yet set a password (an account without a usable password)."""
        return self.invited_at is not None and not self.has_usable_password()


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, on: datetime.date | None = None) -> "RoleAssignmentQuerySet":
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day), pending=False)


class RoleAssignment(models.Model):
    """A role held over a scope: a whole county, or a list of schools. It can expire."""

    class ScopeKind(models.TextChoices):
        COUNTY = "county", _("județ")
        SCHOOLS = "schools", _("școli")
        NONE = "none", _("fără date despre copii")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    scope_kind = models.CharField(_("domeniu"), max_length=16, choices=ScopeKind.choices)
    county_code = models.CharField(_("județ"), max_length=2, blank=True)
    schools = models.ManyToManyField("schools.School", blank=True, related_name="role_assignments")
    valid_from = models.DateField(_("valabil de la"), default=datetime.date(2000, 1, 1))
    valid_until = models.DateField(_("valabil până la"), null=True, blank=True)
    # A role that sees children given by someone who holds the administrator role waits, with no effect, until a
    # second administrator or the county's coordinator confirms it (decision 45).
    pending = models.BooleanField(_("așteaptă confirmare"), default=False)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("cerut de")
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol atribuit")
        verbose_name_plural = _("roluri atribuite")
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope_kind="county") | ~Q(county_code=""), name="county_scope_has_county"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="role_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.get_scope_kind_display()})"
