"""Early warning: versioned rule sets, risk scores with their reasons, the escalation ladder, alerts that become
follow-up tasks, contact notes and notices to parents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    """Indicators computed per child for a date (prezent/risk/indicators.py). Percentages are 0–100."""

    ATTENDANCE_30 = "attendance_30", _("prezență în ultimele 30 de zile de școală (%)")
    ATTENDANCE_MODULE = "attendance_module", _("prezență în modulul curent (%)")
    ATTENDANCE_YEAR = "attendance_year", _("prezență în anul școlar (%)")
    ABSENT_SHARE_YEAR = "absent_share_year", _("ore absente din orele programate în anul școlar (%)")
    UNEXCUSED_SHARE_YEAR = "unexcused_share_year", _("ore nemotivate din orele programate în anul școlar (%)")
    UNEXCUSED_MODULE = "unexcused_module", _("ore nemotivate în modulul curent")
    UNEXCUSED_YEAR = "unexcused_year", _("ore nemotivate în anul școlar")
    STREAK_DAYS = "streak_days", _("zile consecutive de absență totală (acum)")
    TREND = "trend", _("creșterea absențelor față de luna trecută (puncte procentuale)")
    REPEATED_GRADE = "repeated_grade", _("repetent (ani repetați)")
    OVER_AGE = "over_age", _("ani peste vârsta clasei")
    FAILED_SUBJECTS = "failed_subjects", _("discipline cu medie sub 5 sau calificativ „Insuficient” în ultimul modul")
    MODULE_AVERAGE = "module_average", _("media generală în ultimul modul")
    CONDUCT = "conduct", _("nota la purtare în ultimul modul")
    SOCIAL_BENEFIT = "social_benefit", _("familia primește ajutor social")
    PARENTS_ABROAD = "parents_abroad", _("părinți plecați în străinătate")
    SINGLE_PARENT = "single_parent", _("familie monoparentală")
    DISTANCE_KM = "distance_km", _("distanța până la școală (km)")
    NO_PAPERS = "no_papers", _("fără acte de identitate")
    CHILD_WORKS = "child_works", _("copilul muncește")


class Operator(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", ">"
    LTE = "<=", "≤"
    LT = "<", "<"
    EQ = "==", "="


class Level(models.TextChoices):
    NONE = "none", _("fără risc")
    LOW = "low", _("risc scăzut")
    MEDIUM = "medium", _("risc mediu")
    HIGH = "high", _("risc ridicat")


class RuleSet(models.Model):
    """A county's scoring rules. Editing never changes a rule set: it makes the next version. The version in force
    is the latest one that is not `proposed`."""

    county_code = models.CharField(_("județ"), max_length=2)
    version = models.PositiveIntegerField(_("versiunea"))
    name = models.CharField(_("denumire"), max_length=200)
    low_from = models.PositiveIntegerField(_("risc scăzut de la (puncte)"), default=1)
    medium_from = models.PositiveIntegerField(_("risc mediu de la (puncte)"), default=4)
    high_from = models.PositiveIntegerField(_("risc ridicat de la (puncte)"), default=8)
    note = models.CharField(_("ce s-a schimbat"), max_length=300, blank=True)
    # A version proposed by a backtest's fitted weights: kept, never in force, until the coordinator adopts it
    # (adopting saves it again as the next version, so the versions in force stay a line).
    proposed = models.BooleanField(_("propusă, neadoptată"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("set de reguli")
        verbose_name_plural = _("seturi de reguli")
        ordering = ["county_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["county_code", "version"], name="rule_set_version_unique"),
            models.CheckConstraint(
                condition=Q(low_from__lte=models.F("medium_from")) & Q(medium_from__lte=models.F("high_from")),
                name="rule_set_bands_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class RuleCriterion(models.Model):
    """One additive criterion: when `indicator operator threshold` holds, add `points`."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="criteria")
    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator.choices)
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices)
    threshold = models.DecimalField(_("prag"), max_digits=7, decimal_places=2)
    points = models.PositiveSmallIntegerField(_("puncte"))

    class Meta:
        verbose_name = _("criteriu")
        verbose_name_plural = _("criterii")
        ordering = ["rule_set", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.operator} {self.threshold} → {self.points}"


class RiskScore(models.Model):
    """A child's score on a date under one rule-set version, with its reasons in words."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="risk_scores")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    computed_on = models.DateField(_("calculat pentru"))
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="scores")
    points = models.PositiveIntegerField(_("puncte"))
    level = models.CharField(_("nivel"), max_length=8, choices=Level.choices)
    reasons = models.JSONField(_("motive"), default=list)
    indicators = models.JSONField(_("indicatori"), default=dict)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scor de risc")
        verbose_name_plural = _("scoruri de risc")
        ordering = ["-computed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(is_current=True), name="one_current_score"),
        ]
        indexes = [
            models.Index(fields=["child", "computed_on"], name="risk_child_date_idx"),
            models.Index(fields=["school", "is_current", "level"], name="risk_school_level_idx"),
            # the results dashboard's "risk levels over time": counts per school, day and level
            models.Index(fields=["school", "computed_on", "level"], name="risk_school_day_level_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.computed_on} {self.level} ({self.points})"


class EscalationStep(models.Model):
    """One step of a county's escalation ladder: its trigger (any of its conditions, or a risk level), who acts,
    and in how many days. The ladder acts long before the law's 75 % threshold."""

    county_code = models.CharField(_("județ"), max_length=2)
    order = models.PositiveSmallIntegerField(_("ordinea"))
    code = models.SlugField(_("cod"), max_length=40)
    name = models.CharField(_("pas"), max_length=200)
    conditions = models.JSONField(
        _("declanșatori"), default=list, help_text="[[indicator, operator, threshold], …]; any one triggers"
    )
    trigger_level = models.CharField(_("sau nivel de risc"), max_length=8, choices=Level.choices, blank=True)
    assignee_role = models.CharField(_("cine acționează"), max_length=32)
    due_days = models.PositiveSmallIntegerField(_("termen (zile)"), default=5)
    is_active = models.BooleanField(_("activ"), default=True)

    class Meta:
        verbose_name = _("pas de escaladare")
        verbose_name_plural = _("scara de escaladare")
        ordering = ["county_code", "order"]
        constraints = [
            models.UniqueConstraint(fields=["county_code", "code"], name="escalation_code_unique"),
            models.UniqueConstraint(fields=["county_code", "order"], name="escalation_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AlertStatus(models.TextChoices):
    OPEN = "open", _("deschisă")
    IN_PROGRESS = "in_progress", _("în lucru")
    CLOSED = "closed", _("închisă")


class CloseReason(models.TextChoices):
    FOLLOWED_UP = "followed_up", _("urmărită (contact înregistrat)")
    CAUSE_GONE = "cause_gone", _("cauza a dispărut (absențe motivate)")
    ESCALATED = "escalated", _("escaladată la pasul următor")
    DISMISSED = "dismissed", _("închisă de coordonator")
    CASE_OPENED = "case_opened", _("pasul este făcut: dosarul de caz al copilului este deschis")
    REFERRAL_SENT = "referral_sent", _("pasul este făcut: sesizarea către SPAS / DGASPC este înregistrată")


class Alert(models.Model):
    """A follow-up task for one child and one ladder step. The same cause never has two open alerts."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="alerts")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="alerts")
    step = models.ForeignKey(EscalationStep, on_delete=models.PROTECT, related_name="alerts")
    cause = models.CharField(_("cauza"), max_length=300)
    status = models.CharField(_("stare"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    opened_on = models.DateField(_("deschisă la"))
    due_on = models.DateField(_("termen"))
    assignee_role = models.CharField(_("rol responsabil"), max_length=32)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    closed_on = models.DateField(_("închisă la"), null=True, blank=True)
    close_reason = models.CharField(_("motivul închiderii"), max_length=16, choices=CloseReason.choices, blank=True)
    escalated_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("alertă")
        verbose_name_plural = _("alerte")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "step"], condition=~Q(status="closed"), name="one_open_alert_per_cause"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status", "due_on"], name="alert_school_status_idx"),
            models.Index(fields=["assigned_to", "status"], name="alert_assignee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.step} ({self.get_status_display()})"


class ContactNote(models.Model):
    """Any contact with the family or the child: a call, a meeting, a home visit. Every kind counts as follow-up."""

    class Kind(models.TextChoices):
        CALL = "call", _("telefon")
        MEETING = "meeting", _("întâlnire la școală")
        HOME_VISIT = "home_visit", _("vizită la domiciliu")
        LETTER = "letter", _("scrisoare / notificare")
        OTHER = "other", _("alt contact")

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="contact_notes")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(_("tip"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("data"))
    outcome = models.TextField(_("rezultat"), max_length=2000)
    parent_reached = models.BooleanField(_("părintele a fost contactat"), default=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notă de contact")
        verbose_name_plural = _("note de contact")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Notice(models.Model):
    """A notice to a guardian: the written letter (PDF) or an SMS / e-mail through the messaging backend."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("scrisoare")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")

    class Status(models.TextChoices):
        CREATED = "created", _("creată")
        SENT = "sent", _("trimisă")
        REFUSED = "refused", _("netrimisă (fără consimțământ sau număr verificat)")

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="notices")
    guardian = models.ForeignKey("children.Guardian", null=True, blank=True, on_delete=models.PROTECT)
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("stare"), max_length=8, choices=Status.choices, default=Status.CREATED)
    unexcused_hours = models.PositiveIntegerField(_("ore nemotivate la data notificării"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("notificare")
        verbose_name_plural = _("notificări")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.created_at:%Y-%m-%d}"


class BacktestStatus(models.TextChoices):
    PENDING = "pending", _("în lucru")
    DONE = "done", _("gata")
    FAILED = "failed", _("eșuată")


class BacktestRun(models.Model):
    """A backtest asked for on the county coordinator's page, computed in the background (prezent/risk/tasks.py):
    the county's rules in force (`rule_set`; none: the defaults) scored on `on`, against what was recorded until
    `until`. `result` holds the figures the page shows (counts, rates, AUC, the fitted proposal's points): never a
    child's name or id."""

    county_code = models.CharField(_("județ"), max_length=2)
    on = models.DateField(_("scorurile la data"))
    until = models.DateField(_("rezultatele citite până la"))
    rule_set = models.ForeignKey(RuleSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("stare"), max_length=10, choices=BacktestStatus.choices, default=BacktestStatus.PENDING)
    result = models.JSONField(_("rezultat"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verificare pe date din trecut")
        verbose_name_plural = _("verificări pe date din trecut")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["county_code", "on", "until"], name="backtest_run_lookup")]

    def __str__(self) -> str:
        return f"{self.county_code} {self.on.isoformat()} ({self.status})"
