"""A programme's money: budget lines planned per reporting period in EUR, the exchange rate the funder uses, the
unit cost of each kind of service delivered, the costs of activities, courses, campaign events and anything else
(with invoices as evidence files), and each line's spending frozen with a period when it is locked.

The models belong to the `results` app (imported by `prezent/results/models.py`); spending is computed in
`budget/selectors.py`, never stored except when a period is locked.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Budget(models.Model):
    """The programme's budget settings: the exchange rate the funder uses (RON for one EUR)."""

    programme = models.OneToOneField("programme.Programme", on_delete=models.CASCADE, related_name="budget")
    ron_per_eur = models.DecimalField(
        _("curs de schimb (lei pentru 1 EUR)"),
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("buget")
        verbose_name_plural = _("bugete")
        constraints = [models.CheckConstraint(condition=Q(ron_per_eur__gt=0), name="budget_rate_positive")]

    def __str__(self) -> str:
        return str(self.programme)


class LineKind(models.TextChoices):
    SERVICE = "service", _("un tip de serviciu")
    ACTIVITIES = "activities", _("activități nonformale")
    COURSES = "courses", _("cursuri")
    CAMPAIGN = "campaign", _("campania de informare")
    OTHER = "other", _("alte cheltuieli")


class BudgetLine(models.Model):
    """A line of the programme's budget: a type of service (its spending comes from the services delivered and
    their unit costs), an activity type (or all activities), the courses, the campaign, or anything else."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.CASCADE, related_name="budget_lines")
    code = models.CharField(_("cod"), max_length=20)
    name = models.CharField(_("denumire"), max_length=200)
    kind = models.CharField(_("tip"), max_length=12, choices=LineKind.choices)
    intervention_type = models.ForeignKey(
        "cases.InterventionType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tipul de serviciu"),
    )
    activity_type = models.ForeignKey(
        "activities.ActivityType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tipul de activitate"),
    )
    order = models.PositiveSmallIntegerField(_("ordinea"), default=0)

    class Meta:
        verbose_name = _("linie de buget")
        verbose_name_plural = _("linii de buget")
        ordering = ["programme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="budget_line_code_unique"),
            models.UniqueConstraint(
                fields=["programme", "intervention_type"],
                condition=Q(intervention_type__isnull=False),
                name="budget_line_service_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind="service", intervention_type__isnull=False)
                | (~Q(kind="service") & Q(intervention_type__isnull=True)),
                name="budget_line_service_type",
            ),
            models.CheckConstraint(
                condition=Q(activity_type__isnull=True) | Q(kind="activities"), name="budget_line_activity_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetPlan(models.Model):
    """What a line plans to spend in one reporting period, in EUR."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="plans")
    period = models.ForeignKey("results.ReportingPeriod", on_delete=models.CASCADE, related_name="budget_plans")
    amount_eur = models.DecimalField(_("planificat (EUR)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("sumă planificată")
        verbose_name_plural = _("sume planificate")
        constraints = [
            models.UniqueConstraint(fields=["line", "period"], name="budget_plan_unique"),
            models.CheckConstraint(condition=Q(amount_eur__gte=0), name="budget_plan_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}/{self.period_id}={self.amount_eur}"


class UnitCost(models.Model):
    """What one delivery (or one unit of a material delivery: a meal, a kit) of a type of service costs, from a
    day on; the newest one valid on a delivery's day prices it."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.CASCADE, related_name="unit_costs")
    intervention_type = models.ForeignKey(
        "cases.InterventionType", on_delete=models.PROTECT, related_name="+", verbose_name=_("tipul de serviciu")
    )
    amount_eur = models.DecimalField(_("cost unitar (EUR)"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("valabil de la"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cost unitar")
        verbose_name_plural = _("costuri unitare")
        ordering = ["programme", "intervention_type", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "intervention_type", "valid_from"], name="unit_cost_unique_day"
            ),
            models.CheckConstraint(condition=Q(amount_eur__gte=0), name="unit_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention_type_id} {self.amount_eur} ({self.valid_from})"


class Cost(models.Model):
    """A cost paid from a budget line on a day: of one activity, one course, one campaign event, or other."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="costs", verbose_name=_("linia"))
    date = models.DateField(_("data"))
    amount_eur = models.DecimalField(_("suma (EUR)"), max_digits=14, decimal_places=2)
    description = models.CharField(_("descriere"), max_length=300)
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey("activities.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    campaign_event = models.ForeignKey(
        "activities.CampaignEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cheltuială")
        verbose_name_plural = _("cheltuieli")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="cost_positive"),
            models.CheckConstraint(
                condition=(
                    Q(activity__isnull=True, course__isnull=True)
                    | Q(activity__isnull=True, campaign_event__isnull=True)
                    | Q(course__isnull=True, campaign_event__isnull=True)
                ),
                name="cost_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["line", "date"], name="cost_line_date_idx")]

    def __str__(self) -> str:
        return f"{self.line_id} {self.date} {self.amount_eur}"


class Invoice(models.Model):
    """An invoice (a scan or a PDF) as the evidence of a cost, in private storage, served only through an
    authorised view; its type was checked from its content."""

    cost = models.ForeignKey(Cost, on_delete=models.CASCADE, related_name="invoices")
    storage_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("fișier"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("factură")
        verbose_name_plural = _("facturi")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class PeriodSpent(models.Model):
    """A line's spending in a locked period, as it was when the period was locked; never recomputed. The spending
    on services whose type has no line of its own is stored with no line."""

    period = models.ForeignKey("results.ReportingPeriod", on_delete=models.CASCADE, related_name="budget_spent")
    line = models.ForeignKey(BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    spent_eur = models.DecimalField(_("cheltuit (EUR)"), max_digits=14, decimal_places=2)
    ron_per_eur = models.DecimalField(_("cursul la blocare"), max_digits=8, decimal_places=4, null=True)

    class Meta:
        verbose_name = _("cheltuială raportată")
        verbose_name_plural = _("cheltuieli raportate")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "line"], condition=Q(line__isnull=False), name="period_spent_unique"
            ),
            models.UniqueConstraint(
                fields=["period"], condition=Q(line__isnull=True), name="period_spent_unassigned_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.line_id}={self.spent_eur}"
