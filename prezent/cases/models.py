"""Casework for a child in the target group: the case and its states, needs assessments by domain, the
intervention plan with its reviews, the catalogue of intervention types and each intervention delivered, home
visits, referrals to outside institutions and case notes with a confidentiality level."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from prezent.children.models import Consent


class CaseStatus(models.TextChoices):
    OPEN = "open", _("deschis")
    ACTIVE = "active", _("în intervenție")
    MONITORING = "monitoring", _("în monitorizare")
    CLOSED = "closed", _("închis")


# The one table of allowed moves (STYLE.md 7). Closing goes through the coordinator's approval; a closed case
# reopens as active.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.MONITORING, CaseStatus.CLOSED}),
    CaseStatus.MONITORING: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.ACTIVE}),
}
OPEN_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.ACTIVE, CaseStatus.MONITORING)


class ClosureReason(models.TextChoices):
    REGULAR_ATTENDANCE = "regular_attendance", _("frecventează din nou regulat")
    MOVED_SCHOOL = "moved_school", _("s-a transferat la altă școală")
    MOVED_ABROAD = "moved_abroad", _("a plecat în străinătate")
    DROPPED_OUT = "dropped_out", _("a abandonat școala")
    HANDED_TO_SCHOOL = "handed_school", _("predat școlii")
    HANDED_TO_SPAS = "handed_spas", _("predat SPAS")
    OTHER = "other", _("alt motiv")


# The closures by which the case goes on with someone else when the project's work ends (`case_hand_over`).
HANDOVER_REASONS = (ClosureReason.HANDED_TO_SCHOOL, ClosureReason.HANDED_TO_SPAS)
REFERRAL_DUE_DAYS = 30


class Case(models.Model):
    """A child's case file (dosar de caz). One open case per child; siblings' cases share the household."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="cases")
    household = models.ForeignKey(
        "children.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="cases")
    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="cases")
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("responsabil de caz"),
    )
    status = models.CharField(_("stare"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("deschis la"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source_alert = models.ForeignKey(
        "risk.Alert", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(_("temei legal"), max_length=20, choices=Consent.LegalBasis.choices)
    legal_basis_note = models.CharField(_("temeiul legal, pe scurt"), max_length=300, blank=True)
    closure_reason = models.CharField(_("motivul închiderii"), max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = models.CharField(_("detalii despre închidere"), max_length=500, blank=True)
    closure_requested_on = models.DateField(_("închidere cerută la"), null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("închis la"), null=True, blank=True)

    class Meta:
        verbose_name = _("caz")
        verbose_name_plural = _("cazuri")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=~Q(status="closed"), name="one_open_case_per_child"),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False, closure_reason__gt="") | ~Q(status="closed"),
                name="closed_case_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["case_worker", "status"], name="case_worker_status_idx"),
            models.Index(fields=["school", "status"], name="case_school_status_idx"),
        ]

    def __str__(self) -> str:
        return _("Cazul #%(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def closure_pending(self) -> bool:
        return self.closure_requested_on is not None and not self.is_closed


class CaseStep(models.Model):
    """One move of a case between states, with who, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CaseStatus.choices)
    date = models.DateField(_("data"))
    reason = models.CharField(_("motiv"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"


class CaseAssignment(models.Model):
    """One move of a case from a case worker to another, with who decided, when and why. The case's
    `case_worker` is the last one; these rows are the history the case page shows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("data"))
    reason = models.CharField(_("motiv"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("schimbare a responsabilului de caz")
        verbose_name_plural = _("schimbări ale responsabilului de caz")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_worker_id}→{self.to_worker_id} {self.date}"


class Domain(models.TextChoices):
    """The domains of a needs assessment."""

    EDUCATION = "education", _("educație")
    FAMILY = "family", _("familie")
    HEALTH = "health", _("sănătate")
    ECONOMIC = "economic", _("situație economică")
    HOUSING = "housing", _("locuință")
    SOCIAL = "social", _("relații sociale")


class NeedLevel(models.IntegerChoices):
    NONE = 0, _("fără nevoi")
    LOW = 1, _("nevoi reduse")
    MEDIUM = 2, _("nevoi medii")
    HIGH = 3, _("nevoi mari")


class RiskFactor(models.TextChoices):
    """Risk factors of dropping out (DOMAIN.md "Early warning", "Attendance rules")."""

    POVERTY = "poverty", _("sărăcie / familia primește ajutor social")
    PARENTS_ABROAD = "parents_abroad", _("părinți plecați în străinătate")
    SINGLE_PARENT = "single_parent", _("familie monoparentală")
    DISTANCE = "distance", _("distanță mare până la școală / fără transport")
    NO_PAPERS = "no_papers", _("fără acte de identitate")
    CHILD_WORKS = "child_works", _("copilul muncește")
    ABSENTEEISM = "absenteeism", _("absenteism cronic")
    REPEATED_GRADE = "repeated_grade", _("repetenție / peste vârsta clasei")
    LOW_RESULTS = "low_results", _("rezultate școlare slabe")
    BEHAVIOUR = "behaviour", _("probleme de comportament")
    HEALTH = "health", _("probleme de sănătate / dizabilitate")
    HOUSING = "housing", _("locuință precară")
    FAMILY_CONFLICT = "family_conflict", _("conflicte / violență în familie")
    PARENTS_EDUCATION = "parents_education", _("părinți cu școlarizare redusă")
    BENEFIT_CUT = "benefit_cut", _("alocația familiei tăiată pentru absențe")


class Assessment(models.Model):
    """An intake or a reassessment of the child's and the family's needs, domain by domain."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("evaluare inițială")
        REASSESSMENT = "reassessment", _("reevaluare")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(_("tip"), max_length=16, choices=Kind.choices)
    assessed_on = models.DateField(_("data evaluării"))
    risk_factors = models.JSONField(_("factori de risc"), default=list, blank=True)
    summary = models.TextField(_("concluzii"), max_length=3000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluare a nevoilor")
        verbose_name_plural = _("evaluări ale nevoilor")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on}"

    @property
    def risk_factor_labels(self) -> list[str]:
        labels = dict(RiskFactor.choices)
        return [str(labels.get(code, code)) for code in self.risk_factors]


class AssessmentNeed(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    domain = models.CharField(_("domeniu"), max_length=16, choices=Domain.choices)
    level = models.PositiveSmallIntegerField(_("nivel"), choices=NeedLevel.choices)
    note = models.CharField(_("observații"), max_length=1000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_need_unique")]

    def __str__(self) -> str:
        return f"{self.domain}={self.level}"


# The intervention type a home visit is recorded as (a family service), whether or not anyone was home.
HOME_VISIT_CODE = "home-visit"


class InterventionType(models.Model):
    """A service of the catalogue the county coordinator maintains (DOMAIN.md "Services"). Each county has its own
    catalogue (the shared defaults are copied into it): switching a type off or adding one changes that county's
    only, and a case is offered its school's county's types."""

    class Recipient(models.TextChoices):
        CHILD = "child", _("copilului")
        FAMILY = "family", _("familiei")
        BOTH = "both", _("copilului sau familiei")

    county_code = models.CharField(_("județ"), max_length=2, db_index=True)
    code = models.SlugField(_("cod"), max_length=40)
    label = models.CharField(_("denumire"), max_length=150)
    recipient = models.CharField(_("se acordă"), max_length=8, choices=Recipient.choices, default=Recipient.CHILD)
    is_material = models.BooleanField(_("ajutor material (se înregistrează cantitatea)"), default=False)
    unit = models.CharField(_("unitate"), max_length=30, blank=True)
    is_active = models.BooleanField(_("activ"), default=True)
    order = models.PositiveSmallIntegerField(_("ordinea"), default=100)

    class Meta:
        verbose_name = _("tip de intervenție")
        verbose_name_plural = _("catalogul intervențiilor")
        ordering = ["order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["county_code", "code"], name="intervention_type_code_per_county"),
        ]

    def __str__(self) -> str:
        return self.label


class Recipient(models.TextChoices):
    CHILD = "child", _("copilul")
    FAMILY = "family", _("familia")


class RemovalReason(models.TextChoices):
    """Why an intervention recorded by mistake is removed (codes only go to the audit, never free text)."""

    DUPLICATE = "duplicate", _("a fost înregistrată de două ori")
    WRONG_CHILD = "wrong_child", _("a fost înregistrată la alt copil")
    WRONG_DETAILS = "wrong_details", _("are date greșite (se înregistrează din nou, corect)")
    NOT_DELIVERED = "not_delivered", _("nu a avut loc")


class DeliveryList(models.Model):
    """A distribution list: one kind of delivery (hot meal, school kit, clothes, transport…) at one school on one day,
    ticked from the programme's children of the school. Each tick is an `Intervention` of the list (no case)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="delivery_lists")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="delivery_lists")
    day = models.DateField(_("data"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("listă de distribuție")
        verbose_name_plural = _("liste de distribuție")
        ordering = ["-day", "-pk"]
        constraints = [models.UniqueConstraint(fields=["school", "type", "day"], name="delivery_list_unique")]

    def __str__(self) -> str:
        return f"{self.type_id} {self.day}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("luni")
    TUESDAY = 1, _("marți")
    WEDNESDAY = 2, _("miercuri")
    THURSDAY = 3, _("joi")
    FRIDAY = 4, _("vineri")
    SATURDAY = 5, _("sâmbătă")
    SUNDAY = 6, _("duminică")


class ServiceGroup(models.Model):
    """A recurring group (after-school, summer school, remedial classes) at a school, on some weekdays between two
    dates, with its enrolled children; each day a child attends is an `Intervention` of the group's type."""

    class Kind(models.TextChoices):
        AFTER_SCHOOL = "after_school", _("after-school")
        SUMMER_SCHOOL = "summer_school", _("școală de vară")
        REMEDIAL = "remedial", _("lecții remediale")

    name = models.CharField(_("denumire"), max_length=150)
    kind = models.CharField(_("fel"), max_length=16, choices=Kind.choices)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="service_groups")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="service_groups")
    weekdays = models.JSONField(_("zilele săptămânii"), default=list)
    start = models.DateField(_("de la"))
    end = models.DateField(_("până la"))
    children = models.ManyToManyField("children.Child", blank=True, related_name="service_groups")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grupă")
        verbose_name_plural = _("grupe")
        ordering = ["school_id", "name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="service_group_dates")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cases:group_detail", kwargs={"pk": self.pk})

    def meets_on(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end and day.weekday() in self.weekdays

    def weekday_labels(self) -> list[str]:
        return [str(Weekday(d).label) for d in sorted(self.weekdays)]


class Intervention(models.Model):
    """One delivery of a service: when, by whom, to the child or the family, how much (material help). Recorded in
    the child's case, or ticked on a distribution list (`delivery_list`) or a group's attendance (`group`), which
    need no case."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions")
    delivery_list = models.ForeignKey(
        DeliveryList, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions"
    )
    group = models.ForeignKey(
        ServiceGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions"
    )
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="interventions")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="interventions")
    delivered_on = models.DateField(_("data"))
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("beneficiar"), max_length=8, choices=Recipient.choices, default=Recipient.CHILD)
    quantity = models.PositiveIntegerField(_("cantitate"), null=True, blank=True)
    notes = models.CharField(_("observații"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intervenție")
        verbose_name_plural = _("intervenții")
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="intervention_qty"),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(delivery_list__isnull=False) | Q(group__isnull=False),
                name="intervention_has_source",
            ),
            models.UniqueConstraint(
                fields=["delivery_list", "child"],
                condition=Q(delivery_list__isnull=False),
                name="intervention_one_tick_per_list",
            ),
            models.UniqueConstraint(
                fields=["group", "child", "delivered_on"],
                condition=Q(group__isnull=False),
                name="intervention_one_tick_per_group_day",
            ),
        ]
        indexes = [
            models.Index(fields=["delivered_on", "type"], name="intervention_date_type_idx"),
            models.Index(fields=["child", "delivered_on"], name="intervention_child_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type_id} {self.delivered_on}"


class InterventionPlan(models.Model):
    """The plan: goals, planned services with who is responsible and by when; reviewed on a schedule."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    drawn_up_on = models.DateField(_("întocmit la"))
    goals = models.TextField(_("obiective"), max_length=3000)
    review_every_months = models.PositiveSmallIntegerField(_("revizuire la fiecare (luni)"), default=3)
    next_review_on = models.DateField(_("următoarea revizuire"))
    is_current = models.BooleanField(default=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("plan de intervenție")
        verbose_name_plural = _("planuri de intervenție")
        ordering = ["-drawn_up_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(is_current=True), name="one_current_plan"),
            models.CheckConstraint(condition=Q(next_review_on__gt=models.F("drawn_up_on")), name="plan_review_after"),
        ]
        indexes = [models.Index(fields=["is_current", "next_review_on"], name="plan_review_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.drawn_up_on}"


class PlannedService(models.Model):
    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="services")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="+")
    responsible = models.CharField(_("responsabil"), max_length=150)
    target_date = models.DateField(_("termen"))
    note = models.CharField(_("observații"), max_length=500, blank=True)

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return f"{self.type_id} {self.target_date}"


class PlanReview(models.Model):
    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("revizuit la"))
    notes = models.TextField(_("concluziile revizuirii"), max_length=3000)
    next_review_on = models.DateField(_("următoarea revizuire"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=models.F("reviewed_on")), name="plan_review_next_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.reviewed_on}"


class HomeVisit(models.Model):
    """A home visit, planned and then done with its outcome. The done visit is also a contact note of the early
    warning (risk.ContactNote), so it counts as follow-up and closes the alert it answers."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planificată")
        DONE = "done", _("efectuată")
        CANCELLED = "cancelled", _("anulată")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(_("stare"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField(_("planificată pentru"), null=True, blank=True)
    visited_on = models.DateField(_("efectuată la"), null=True, blank=True)
    outcome = models.TextField(_("rezultatul vizitei"), max_length=3000, blank=True)
    parent_reached = models.BooleanField(_("părintele a fost găsit acasă"), default=True)
    alert = models.ForeignKey("risk.Alert", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    contact_note = models.OneToOneField(
        "risk.ContactNote", null=True, blank=True, on_delete=models.PROTECT, related_name="home_visit"
    )
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("vizită la domiciliu")
        verbose_name_plural = _("vizite la domiciliu")
        ordering = ["-planned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(visited_on__isnull=False), name="done_visit_has_date"
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_on"], name="visit_planned_idx")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.visited_on or self.planned_on}"


class Referral(models.Model):
    """A referral to a named outside institution, its status and its answer."""

    class Institution(models.TextChoices):
        SPAS = "spas", _("SPAS (serviciul public de asistență socială)")
        DGASPC = "dgaspc", _("DGASPC")
        HEALTH = "health", _("sănătate (medic de familie, spital, DSP)")
        POLICE = "police", _("poliție")
        SCHOOL = "school", _("școala (la predarea cazului)")
        OTHER = "other", _("altă instituție")

    class Status(models.TextChoices):
        SENT = "sent", _("trimisă, fără răspuns")
        ANSWERED = "answered", _("cu răspuns")
        CLOSED = "closed", _("încheiată")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    institution = models.CharField(_("instituția"), max_length=8, choices=Institution.choices)
    institution_name = models.CharField(_("denumirea instituției"), max_length=200)
    sent_on = models.DateField(_("trimisă la"))
    due_on = models.DateField(_("termen de răspuns"), null=True, blank=True)
    reason = models.TextField(_("motivul sesizării"), max_length=2000)
    is_handover = models.BooleanField(_("predarea cazului"), default=False)
    status = models.CharField(_("stare"), max_length=10, choices=Status.choices, default=Status.SENT)
    answered_on = models.DateField(_("răspuns la"), null=True, blank=True)
    answer = models.TextField(_("răspunsul"), max_length=2000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("sesizare")
        verbose_name_plural = _("sesizări")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("sent_on")),
                name="referral_answer_after_sent",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="referral_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.institution} {self.sent_on}"

    def is_overdue(self, on: datetime.date) -> bool:
        return self.status == self.Status.SENT and self.due_on is not None and self.due_on < on


# A referral to these does the early warning's step "referral to SPAS / DGASPC" (while the case is open).
SOCIAL_ASSISTANCE = (Referral.Institution.SPAS, Referral.Institution.DGASPC)


class Confidentiality(models.TextChoices):
    TEAM = "team", _("echipa cazului")
    CONFIDENTIAL = "confidential", _("confidențială (doar asistentul social și coordonatorii)")


class CaseNote(models.Model):
    """A note in the case file. Confidential notes reach only the roles in permissions.CONFIDENTIAL_ROLES; every
    selector that lists notes filters them out for everybody else."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    written_on = models.DateField(_("data"))
    text = models.TextField(_("nota"), max_length=5000)
    confidentiality = models.CharField(
        _("confidențialitate"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.TEAM
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notă de caz")
        verbose_name_plural = _("note de caz")
        ordering = ["-written_on", "-pk"]
        indexes = [models.Index(fields=["case", "confidentiality"], name="case_note_conf_idx")]

    def __str__(self) -> str:
        return f"{self.written_on} {self.confidentiality}"
