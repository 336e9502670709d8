"""A programme's results framework: outcomes, outputs and indicators (each with its definition, baseline and the
history of its target), the reporting periods, and the figures of a period frozen when it is approved and locked.

The targets here supersede `programme.ProgrammeTarget` for reporting: each indicator keeps every revision with its
date and reason (the real programme's targets changed after the children were identified), the newest in force.
An indicator's `code` names its computation in `prezent/results/indicators.py`; an indicator whose data is not
recorded in Prezent yet has no computation and shows no figure (never an invented one).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """The results settings of a programme: the school year the figures are compared with (the baseline)."""

    programme = models.OneToOneField("programme.Programme", on_delete=models.CASCADE, related_name="framework")
    baseline_year = models.ForeignKey(
        "schools.SchoolYear",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("anul școlar de referință"),
    )

    class Meta:
        verbose_name = _("cadrul de rezultate")
        verbose_name_plural = _("cadre de rezultate")

    def __str__(self) -> str:
        return str(self.programme)


class Outcome(models.Model):
    """A change the programme wants to see (e.g. "children at risk attend school more")."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(_("cod"), max_length=20)
    title = models.CharField(_("rezultat urmărit"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordinea"), default=0)

    class Meta:
        verbose_name = _("rezultat")
        verbose_name_plural = _("rezultate")
        ordering = ["programme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="outcome_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Output(models.Model):
    """What the programme delivers towards an outcome (e.g. "children at risk identified and supported")."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="outputs")
    code = models.CharField(_("cod"), max_length=20)
    title = models.CharField(_("realizare"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordinea"), default=0)

    class Meta:
        verbose_name = _("realizare")
        verbose_name_plural = _("realizări")
        ordering = ["outcome", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["outcome", "code"], name="output_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Unit(models.TextChoices):
    CHILDREN = "children", _("copii")
    PEOPLE = "people", _("persoane")
    SCHOOLS = "schools", _("școli")
    HOURS = "hours", _("ore pe copil")
    POINTS = "points", _("puncte procentuale")
    LOCALITIES = "localities", _("localități")
    KINDS = "kinds", _("tipuri")
    EUR = "eur", _("EUR")


class Indicator(models.Model):
    """An indicator of the framework: what is counted, from which records, over which period."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.CASCADE, related_name="indicators")
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators")
    output = models.ForeignKey(Output, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators")
    code = models.SlugField(_("cod"), max_length=64)
    name = models.CharField(_("indicator"), max_length=200)
    definition = models.TextField(_("definiție"), max_length=2000)
    unit = models.CharField(_("unitate"), max_length=16, choices=Unit.choices, default=Unit.CHILDREN)
    baseline_value = models.DecimalField(
        _("valoare de referință"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    baseline_note = models.CharField(_("sursa valorii de referință"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ordinea"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatori")
        ordering = ["programme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return self.name


class TargetRevision(models.Model):
    """A target and its revisions: the newest `set_on` is in force; the older ones stay as history."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("țintă"), max_digits=10, decimal_places=2)
    set_on = models.DateField(_("stabilită la"))
    reason = models.CharField(_("motiv"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("revizie a țintei")
        verbose_name_plural = _("revizii ale țintelor")
        ordering = ["indicator", "-set_on", "-pk"]
        indexes = [models.Index(fields=["indicator", "set_on"], name="target_revision_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value} ({self.set_on})"


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("deschisă")
    LOCKED = "locked", _("aprobată și blocată")


class ReportingPeriod(models.Model):
    """A reporting period. Once the county coordinator approves and locks it, its figures are frozen in
    `PeriodActual`; data recorded later for it appears, marked as late, in the next period."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.CASCADE, related_name="periods")
    name = models.CharField(_("denumire"), max_length=120)
    start = models.DateField(_("început"))
    end = models.DateField(_("sfârșit"))
    status = models.CharField(_("stare"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    locked_at = models.DateTimeField(_("blocată la"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The target group's attendance per month, frozen with the figures: [{"month", "rate", "baseline_rate"}].
    frozen_trend = models.JSONField(_("prezența pe luni la blocare"), default=list, blank=True)

    class Meta:
        verbose_name = _("perioadă de raportare")
        verbose_name_plural = _("perioade de raportare")
        ordering = ["programme", "end"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "end"], name="period_end_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        """The month the period ends in, "YYYY-MM": how scripts name a period."""
        return f"{self.end:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == PeriodStatus.LOCKED


class PeriodActual(models.Model):
    """An indicator's figure for a locked period, as it was when locked: the value, the computed baseline
    comparison, the breakdown (counts per cell, suppressed only when shown) and the late data found for the
    previous period at that moment. Never recomputed."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="actuals")
    code = models.SlugField(_("cod"), max_length=64)
    value = models.DecimalField(_("valoare"), max_digits=12, decimal_places=2, null=True)
    baseline = models.DecimalField(_("referință calculată"), max_digits=12, decimal_places=2, null=True)
    count = models.PositiveIntegerField(_("copii numărați"), default=0)
    breakdown = models.JSONField(_("dezagregare"), default=dict)
    late_previous = models.DecimalField(
        _("date întârziate pentru perioada anterioară"), max_digits=12, decimal_places=2, null=True
    )
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("valoare raportată")
        verbose_name_plural = _("valori raportate")
        constraints = [models.UniqueConstraint(fields=["period", "code"], name="period_actual_unique")]

    def __str__(self) -> str:
        return f"{self.code}={self.value}"


# The budget (prezent/results/budget/) is a concept of this app: its models are registered with it here.
from prezent.results.budget.models import (  # noqa: E402, F401
    Budget,
    BudgetLine,
    BudgetPlan,
    Cost,
    Invoice,
    LineKind,
    PeriodSpent,
    UnitCost,
)
