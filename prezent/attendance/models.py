"""The class register: one entry per class and school day saying it was taken, and the absences.

Presence is never stored: a day with an entry and no absence row is a present day; a day without an entry is
"not recorded".
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegisterEntry(models.Model):
    """The register of one class for one school day, with that day's scheduled class hours."""

    class_group = models.ForeignKey("schools.ClassGroup", on_delete=models.PROTECT, related_name="register_entries")
    date = models.DateField(_("data"))
    hours = models.PositiveSmallIntegerField(_("ore programate"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("completat la"), auto_now=True)

    class Meta:
        verbose_name = _("condică")
        verbose_name_plural = _("condici")
        constraints = [
            models.UniqueConstraint(fields=["class_group", "date"], name="register_entry_unique"),
            models.CheckConstraint(condition=Q(hours__gte=1, hours__lte=8), name="register_hours_range"),
        ]
        indexes = [models.Index(fields=["date", "class_group"], name="register_date_class_idx")]

    def __str__(self) -> str:
        return f"{self.class_group_id} {self.date}"


class ExcuseReason(models.TextChoices):
    MEDICAL = "medical", _("certificat medical")
    PARENT_REQUEST = "parent_request", _("cererea părintelui aprobată de director")
    OTHER_DOCUMENT = "other_document", _("alt document oficial")


class Absence(models.Model):
    """Hours a child missed on one register day. Unexcused until excused; excusing may come weeks later."""

    register_entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="absences")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="absences")
    date = models.DateField(_("data"))  # copied from the entry: child-and-period queries need no join
    hours = models.PositiveSmallIntegerField(_("ore"))
    excused = models.BooleanField(_("motivată"), default=False)
    excuse_reason = models.CharField(_("motiv"), max_length=16, choices=ExcuseReason.choices, blank=True)
    document_date = models.DateField(_("data documentului"), null=True, blank=True)
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excused_at = models.DateTimeField(_("motivată la"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("absență")
        verbose_name_plural = _("absențe")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["register_entry", "child"], name="absence_unique"),
            models.CheckConstraint(condition=Q(hours__gte=1, hours__lte=8), name="absence_hours_range"),
            models.CheckConstraint(
                condition=Q(excused=False, excuse_reason="") | Q(excused=True) & ~Q(excuse_reason=""),
                name="absence_excuse_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["child", "date"], name="absence_child_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.hours}h"


CONDUCT_SUBJECT = "Purtare"


class Qualifier(models.TextChoices):
    """The marks of primary school (preparatory class to grade IV): calificative, not numbers."""

    VERY_GOOD = "FB", _("Foarte bine")
    GOOD = "B", _("Bine")
    SUFFICIENT = "S", _("Suficient")
    INSUFFICIENT = "I", _("Insuficient")


class ModuleResult(models.Model):
    """A pupil's mark in one subject at the end of a module, as written in the catalogue: an average from 1 to 10
    (gimnaziu) or a calificativ FB / B / S / I (primary school). The conduct grade is the subject "Purtare"."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="module_results")
    class_group = models.ForeignKey("schools.ClassGroup", on_delete=models.PROTECT, related_name="module_results")
    module = models.PositiveSmallIntegerField(_("modul"))
    subject = models.CharField(_("disciplina"), max_length=80)
    average = models.DecimalField(_("media"), max_digits=4, decimal_places=2, null=True, blank=True)
    qualifier = models.CharField(_("calificativ"), max_length=2, choices=Qualifier.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("medie pe modul")
        verbose_name_plural = _("medii pe module")
        ordering = ["class_group", "module", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["child", "class_group", "module", "subject"], name="module_result_unique"),
            models.CheckConstraint(condition=Q(average__gte=1, average__lte=10), name="module_result_range"),
            models.CheckConstraint(
                condition=Q(average__isnull=False, qualifier="") | Q(average__isnull=True) & ~Q(qualifier=""),
                name="module_result_average_or_qualifier",
            ),
            models.CheckConstraint(condition=Q(module__gte=1, module__lte=5), name="module_result_module_range"),
        ]
        indexes = [models.Index(fields=["class_group", "module"], name="module_result_class_idx")]

    def __str__(self) -> str:
        return f"{self.subject} M{self.module}: {self.mark}"

    @property
    def mark(self) -> "Decimal | str":
        """The average, or the calificativ's code when the pupil is in primary school."""
        return self.average if self.average is not None else self.qualifier


class AbsenceTotal(models.Model):
    """A pupil's absence hours in one month or one module of a school year, imported from a spreadsheet when no
    register was kept in Prezent for it (a county that starts mid-way brings last year's figures). Exactly one of
    `month` (its first day) and `module` names the period. The register, where there is one, takes precedence."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="absence_totals")
    school_year = models.ForeignKey("schools.SchoolYear", on_delete=models.PROTECT, related_name="absence_totals")
    month = models.DateField(_("luna"), null=True, blank=True)
    module = models.PositiveSmallIntegerField(_("modul"), null=True, blank=True)
    excused_hours = models.PositiveIntegerField(_("absențe motivate"))
    unexcused_hours = models.PositiveIntegerField(_("absențe nemotivate"))
    scheduled_hours = models.PositiveIntegerField(_("ore programate"), null=True, blank=True)
    source = models.CharField(_("fișier"), max_length=200, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("importat la"))

    class Meta:
        verbose_name = _("total de absențe importat")
        verbose_name_plural = _("totaluri de absențe importate")
        ordering = ["school_year", "month", "module"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "school_year", "month"], condition=Q(month__isnull=False), name="absence_total_month"
            ),
            models.UniqueConstraint(
                fields=["child", "school_year", "module"],
                condition=Q(module__isnull=False),
                name="absence_total_module",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=False, module__isnull=True) | Q(month__isnull=True, module__isnull=False),
                name="absence_total_one_period",
            ),
            models.CheckConstraint(
                condition=Q(module__isnull=True) | Q(module__gte=1, module__lte=5), name="absence_total_module_range"
            ),
        ]
        indexes = [models.Index(fields=["school_year", "child"], name="absence_total_year_child_idx")]

    def __str__(self) -> str:
        period = f"M{self.module}" if self.module else f"{self.month:%Y-%m}"
        return f"{period}: {self.excused_hours}+{self.unexcused_hours}h"

    @property
    def total_hours(self) -> int:
        return self.excused_hours + self.unexcused_hours
