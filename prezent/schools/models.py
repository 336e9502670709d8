"""Localities (SIRUTA), schools (SIIIR), school years with their modules and days off, and classes."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from prezent.core.text import fold

SEARCH_NAME_LENGTH = 430


def school_search_name(name: str, short_name: str = "") -> str:
    """What the school list searches: the name and the short name folded (no case, no diacritics, ş and ș alike),
    so "garbesti", "Gârbești" and "GÂRBEȘTI" all find "ȘCOALA GIMNAZIALĂ, GÂRBEȘTI"."""
    return fold(f"{name} {short_name}")[:SEARCH_NAME_LENGTH]


class Environment(models.TextChoices):
    RURAL = "rural", _("rural")
    URBAN = "urban", _("urban")


class Locality(models.Model):
    """A SIRUTA unit: a county, a UAT (municipality, town, commune) or a village. Codes are text."""

    class Level(models.TextChoices):
        COUNTY = "county", _("județ")
        UAT = "uat", _("UAT")
        VILLAGE = "village", _("localitate")

    siruta = models.CharField(_("cod SIRUTA"), max_length=10, unique=True)
    name = models.CharField(_("denumire"), max_length=200)
    level = models.CharField(_("nivel"), max_length=10, choices=Level.choices)
    county_code = models.CharField(_("județ"), max_length=2, db_index=True)
    uat = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="villages", verbose_name=_("UAT")
    )
    environment = models.CharField(_("mediu"), max_length=10, choices=Environment.choices, blank=True)
    postal_code = models.CharField(_("cod poștal"), max_length=10, blank=True)
    latitude = models.FloatField(_("latitudine"), null=True, blank=True)
    longitude = models.FloatField(_("longitudine"), null=True, blank=True)
    population = models.PositiveIntegerField(_("populație (2011)"), null=True, blank=True)

    class Meta:
        verbose_name = _("localitate")
        verbose_name_plural = _("localități")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def commune(self) -> "Locality":
        """The UAT (commune, town or municipality) a village belongs to; a UAT is its own."""
        return self.uat if self.uat is not None else self


class School(models.Model):
    """A unit of the school network: a legal entity (PJ) or one of its satellite structures (AR)."""

    class Kind(models.TextChoices):
        PJ = "PJ", _("unitate cu personalitate juridică (PJ)")
        AR = "AR", _("structură arondată (AR)")

    siiir_code = models.CharField(_("cod SIIIR"), max_length=12, unique=True)
    kind = models.CharField(_("statut"), max_length=2, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="structures", verbose_name=_("PJ")
    )
    name = models.CharField(_("denumire"), max_length=300)
    short_name = models.CharField(_("denumire scurtă"), max_length=120, blank=True)
    unit_type = models.CharField(_("tip unitate"), max_length=120, blank=True)
    county_code = models.CharField(_("județ"), max_length=2, db_index=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, related_name="schools", verbose_name=_("localitate")
    )
    environment = models.CharField(_("mediu"), max_length=10, choices=Environment.choices)
    sirues_code = models.CharField(_("cod SIRUES"), max_length=12, blank=True)
    fiscal_code = models.CharField(_("cod fiscal"), max_length=16, blank=True)
    street = models.CharField(_("strada"), max_length=200, blank=True)
    street_number = models.CharField(_("număr"), max_length=40, blank=True)
    postal_code = models.CharField(_("cod poștal"), max_length=10, blank=True)
    school_year_label = models.CharField(_("an școlar al exportului"), max_length=9, blank=True)
    # Filled from the name and the short name on every save and by the network import (bulk writes skip save()).
    search_name = models.CharField(max_length=SEARCH_NAME_LENGTH, blank=True, db_default="", editable=False)

    class Meta:
        verbose_name = _("școală")
        verbose_name_plural = _("școli")
        ordering = ["name"]
        indexes = [models.Index(fields=["county_code", "environment"], name="school_county_env_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = school_search_name(self.name, self.short_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "short_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("schools:detail", args=[self.pk])


class SchoolYear(models.Model):
    """A county's school year. The February holiday week is chosen by each county, so years are per county."""

    county_code = models.CharField(_("județ"), max_length=2)
    name = models.CharField(_("an școlar"), max_length=9)
    start = models.DateField(_("început"))
    end = models.DateField(_("sfârșit"))
    parent_excuse_quota_hours = models.PositiveSmallIntegerField(
        _("plafon ore motivate la cererea părintelui"), default=40
    )
    assumptions = models.TextField(
        _("date presupuse, de confirmat"),
        blank=True,
        db_default="",
        help_text=_("Ce nu este încă publicat oficial în acest calendar. Goliți câmpul după ce l-ați verificat."),
    )

    class Meta:
        verbose_name = _("an școlar")
        verbose_name_plural = _("ani școlari")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["county_code", "name"], name="school_year_unique_per_county"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="school_year_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.county_code})"


class Module(models.Model):
    """One of the five learning modules of a school year."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="modules")
    number = models.PositiveSmallIntegerField(_("modul"))
    start = models.DateField(_("început"))
    end = models.DateField(_("sfârșit"))

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("module")
        ordering = ["school_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="module_unique_number"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="module_end_after_start"),
        ]

    def __str__(self) -> str:
        return _("Modulul %(n)s") % {"n": self.number}


class NonSchoolDay(models.Model):
    """A weekday inside a module with no classes (a public holiday, a day off decided by the ministry)."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="non_school_days")
    date = models.DateField(_("data"))
    reason = models.CharField(_("motiv"), max_length=200)

    class Meta:
        verbose_name = _("zi liberă")
        verbose_name_plural = _("zile libere")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["school_year", "date"], name="non_school_day_unique")]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.reason}"


class Level(models.TextChoices):
    PRESCHOOL = "preschool", _("preșcolar")
    PRIMARY = "primary", _("primar")
    LOWER_SECONDARY = "lower_secondary", _("gimnazial")


# Grade 0 is "clasa pregătitoare"; preschool groups have grade -1.
GRADE_LABELS = {
    -1: "grupa",
    0: "pregătitoare",
    1: "I",
    2: "II",
    3: "III",
    4: "IV",
    5: "V",
    6: "VI",
    7: "VII",
    8: "VIII",
    9: "IX",
    10: "X",
    11: "XI",
    12: "XII",
}


def level_for_grade(grade: int) -> str:
    if grade < 0:
        return Level.PRESCHOOL
    return Level.PRIMARY if grade <= 4 else Level.LOWER_SECONDARY


class ClassGroup(models.Model):
    """A class (clasă) or preschool group of one school in one school year, with its form teacher."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classes", verbose_name=_("școală"))
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="classes")
    level = models.CharField(_("nivel"), max_length=20, choices=Level.choices)
    grade = models.SmallIntegerField(_("clasa"))
    letter = models.CharField(_("litera"), max_length=3, blank=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="classes_taught",
        verbose_name=_("diriginte / învățător"),
    )
    hours_per_day = models.PositiveSmallIntegerField(_("ore pe zi"), default=5)

    class Meta:
        verbose_name = _("clasă")
        verbose_name_plural = _("clase")
        ordering = ["school", "grade", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "grade", "letter"], name="class_unique"),
            models.CheckConstraint(condition=Q(grade__gte=-1, grade__lte=12), name="class_grade_range"),
            models.CheckConstraint(condition=Q(hours_per_day__gte=1, hours_per_day__lte=8), name="class_hours_range"),
        ]
        indexes = [models.Index(fields=["school_year", "school"], name="class_year_school_idx")]

    def __str__(self) -> str:
        """As Romanian writes it: "Clasa pregătitoare A", "Clasa I A", "Clasa a V-a B" (the ordinal from II on)."""
        if self.grade == 0:
            return f"Clasa pregătitoare {self.letter}".strip()
        if self.grade < 0:
            return f"Grupa {self.letter}".strip()
        grade = GRADE_LABELS.get(self.grade, str(self.grade))
        ordinal = grade if self.grade == 1 else f"a {grade}-a"
        return f"Clasa {ordinal} {self.letter}".strip()

    def get_absolute_url(self) -> str:
        return reverse("attendance:class", args=[self.pk])


def default_hours_per_day(grade: int) -> int:
    """Typical daily class hours: 4 in preschool and primary, 6 in lower secondary (≈720 h / 1,000 h a year)."""
    return 4 if grade <= 4 else 6
