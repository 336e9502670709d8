"""A programme (name, funder, dates, schools, targets) and its target group, whose members move
screened → proposed → included → exited, each step with date, reason and who did it; and the screenings that
score the enrolled children of chosen schools and propose those at risk for the target group."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from prezent.risk.models import Level


class Programme(models.Model):
    code = models.CharField(_("cod"), max_length=40, unique=True)
    name = models.CharField(_("denumire"), max_length=200)
    funder = models.CharField(_("finanțator"), max_length=200, blank=True)
    county_code = models.CharField(_("județ"), max_length=2)
    start = models.DateField(_("început"))
    end = models.DateField(_("sfârșit"))
    schools = models.ManyToManyField("schools.School", related_name="programmes", blank=True)
    budget_eur = models.DecimalField(
        _("buget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # What the programme's documents for participants carry (certificates): who issues them, who signs, the
    # funder's mention and logo.
    issuers = models.TextField(_("instituțiile emitente"), blank=True)
    signatories = models.TextField(_("semnatarii"), blank=True)
    funder_mention = models.TextField(_("mențiunea finanțatorului"), blank=True)
    logo = models.ImageField(_("sigla finanțatorului"), upload_to="programme/", blank=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programe")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="programme_dates"),
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0), name="programme_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def issuer_lines(self) -> list[str]:
        return [line.strip() for line in self.issuers.splitlines() if line.strip()]

    @property
    def signatory_lines(self) -> list[str]:
        return [line.strip() for line in self.signatories.splitlines() if line.strip()]


INDICATOR_LABELS = {
    "children": _("copii în grupul țintă"),
    "children_roma": _("copii romi în grupul țintă"),
    "parents": _("părinți sprijiniți"),
    "parents_roma": _("părinți romi sprijiniți"),
    "teachers": _("cadre didactice formate"),
}


class ProgrammeTarget(models.Model):
    """A target and its revisions: the newest `set_on` is in force; older ones stay as history."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=64)
    value = models.PositiveIntegerField(_("țintă"))
    set_on = models.DateField(_("stabilită la"))
    reason = models.CharField(_("motiv"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("țintă")
        verbose_name_plural = _("ținte")
        ordering = ["indicator", "-set_on"]

    def __str__(self) -> str:
        return f"{self.indicator}={self.value}"

    @property
    def label(self) -> str:
        return str(INDICATOR_LABELS.get(self.indicator, self.indicator))


class MembershipStatus(models.TextChoices):
    SCREENED = "screened", _("evaluat")
    PROPOSED = "proposed", _("propus")
    INCLUDED = "included", _("inclus")
    EXITED = "exited", _("ieșit")


MEMBERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    MembershipStatus.SCREENED: frozenset({MembershipStatus.PROPOSED}),
    MembershipStatus.PROPOSED: frozenset({MembershipStatus.INCLUDED, MembershipStatus.SCREENED}),
    MembershipStatus.INCLUDED: frozenset({MembershipStatus.EXITED}),
    MembershipStatus.EXITED: frozenset({MembershipStatus.INCLUDED}),
}


class TargetGroupMembership(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="memberships")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="target_memberships")
    status = models.CharField(_("stare"), max_length=16, choices=MembershipStatus.choices)
    since = models.DateField(_("din"))

    class Meta:
        verbose_name = _("membru al grupului țintă")
        verbose_name_plural = _("grupul țintă")
        constraints = [models.UniqueConstraint(fields=["programme", "child"], name="membership_unique")]
        indexes = [models.Index(fields=["programme", "status"], name="membership_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_status_display()}"


class MembershipStep(models.Model):
    """One step of a child's path through the target group."""

    membership = models.ForeignKey(TargetGroupMembership, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=16, choices=MembershipStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MembershipStatus.choices)
    date = models.DateField(_("data"))
    reason = models.CharField(_("motiv"), max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"


class ScreeningLevel(models.TextChoices):
    """The levels a screening may use as its threshold (the risk levels above "no risk")."""

    LOW = "low", _("risc scăzut")
    MEDIUM = "medium", _("risc mediu")
    HIGH = "high", _("risc ridicat")


class ScreeningStatus(models.TextChoices):
    RUNNING = "running", _("în curs")
    DONE = "done", _("gata")
    FAILED = "failed", _("întreruptă de o eroare")


class Screening(models.Model):
    """A screening of the enrolled children of chosen schools on a date, under one rule-set version.

    Every child is scored; those at or above the threshold level are proposed for the target group, and the
    coordinator (or, when delegated, the school coordinator) confirms or dismisses each with a reason. The
    screening keeps its results, so a later one can be compared with it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="screenings")
    run_on = models.DateField(_("evaluare la data"))
    rule_set = models.ForeignKey("risk.RuleSet", on_delete=models.PROTECT, related_name="+")
    schools = models.ManyToManyField("schools.School", related_name="screenings")
    threshold_level = models.CharField(
        _("propuși de la nivelul"), max_length=8, choices=ScreeningLevel.choices, default=ScreeningLevel.MEDIUM
    )
    delegate_to_schools = models.BooleanField(_("coordonatorii școlari pot decide pentru școala lor"), default=True)
    status = models.CharField(_("stare"), max_length=8, choices=ScreeningStatus.choices, default=ScreeningStatus.DONE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("rulată la"), auto_now_add=True)
    children_total = models.PositiveIntegerField(_("copii înscriși"), default=0)
    children_scored = models.PositiveIntegerField(_("copii evaluați"), default=0)
    children_flagged = models.PositiveIntegerField(_("copii peste prag"), default=0)
    children_proposed = models.PositiveIntegerField(_("copii propuși"), default=0)
    children_in_group = models.PositiveIntegerField(_("copii deja incluși"), default=0)
    duration_ms = models.PositiveIntegerField(_("durata (ms)"), default=0)

    class Meta:
        verbose_name = _("evaluare")
        verbose_name_plural = _("evaluări")
        ordering = ["-run_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.run_on}"

    def get_absolute_url(self) -> str:
        return reverse("programme:screening_detail", args=[self.pk])


class ScreeningDecision(models.TextChoices):
    PROPOSED = "proposed", _("propus, de decis")
    CONFIRMED = "confirmed", _("confirmat")
    DISMISSED = "dismissed", _("respins")
    IN_GROUP = "in_group", _("deja inclus în grupul țintă")
    NOT_PROPOSED = "not_proposed", _("sub prag")


class ScreeningResult(models.Model):
    """One child's score in a screening, with the reasons in words and the decision taken on the proposal."""

    # The screening's and the school's lookups use the composite indexes below; fewer indexes keep a county's
    # run (~18,000 rows) fast to insert.
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="results", db_index=False)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="screening_results")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+", db_index=False)
    class_group = models.ForeignKey(
        "schools.ClassGroup", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    points = models.PositiveIntegerField(_("puncte"))
    level = models.CharField(_("nivel"), max_length=8, choices=Level.choices)
    reasons = models.JSONField(_("motive"), default=list)
    status_before = models.CharField(
        _("în grupul țintă la evaluare"), max_length=16, choices=MembershipStatus.choices, blank=True
    )
    decision = models.CharField(_("decizie"), max_length=16, choices=ScreeningDecision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    decided_on = models.DateField(_("decis la"), null=True, blank=True)
    decision_reason = models.CharField(_("motivul deciziei"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rezultat al evaluării")
        verbose_name_plural = _("rezultatele evaluării")
        constraints = [models.UniqueConstraint(fields=["screening", "child"], name="screening_result_unique")]
        indexes = [
            models.Index(fields=["screening", "decision", "school"], name="screening_result_decision_idx"),
            models.Index(fields=["screening", "school", "points"], name="screening_result_school_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.level} ({self.points})"

    @property
    def reason_texts(self) -> list[str]:
        return [r.get("text", "") if isinstance(r, dict) else str(r) for r in self.reasons]
