"""Children, their guardians and households, enrolments (with history), consent, and the restricted
special-category record of ethnicity."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from prezent.core.models import TimeStampedModel
from prezent.core.validators import refuse_control_characters


class Sex(models.TextChoices):
    FEMALE = "F", _("feminin")
    MALE = "M", _("masculin")


class ParentsAbroad(models.TextChoices):
    """The four situations schools report to social services each autumn (HG 691/2015)."""

    NONE = "none", _("niciun părinte plecat")
    ONE = "one", _("un părinte plecat în străinătate")
    BOTH = "both", _("ambii părinți plecați în străinătate")
    ONLY_PARENT = "only_parent", _("părintele unic plecat în străinătate")
    RETURNED = "returned", _("părinte întors după cel puțin 12 luni")


class RectificationReason(models.TextChoices):
    """Why a child's or a guardian's identity was corrected (GDPR art. 16). A code, never free text, so the audit
    that keeps it can hold no name."""

    TYPING = "typing", _("greșeală la introducere")
    DOCUMENTS = "documents", _("corectat după actele de identitate / certificatul de naștere")
    SUBJECT_REQUEST = "subject_request", _("la cererea persoanei vizate (dreptul la rectificare)")
    CHANGED = "changed", _("datele s-au schimbat (nume nou, alt telefon)")
    OTHER = "other", _("alt motiv")


class Household(TimeStampedModel):
    """A family living together; siblings share one. Its circumstances feed the early-warning rules."""

    locality = models.ForeignKey(
        "schools.Locality", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("localitate")
    )
    address = models.CharField(_("adresă"), max_length=300, blank=True)
    social_benefit = models.BooleanField(_("beneficiază de ajutor social / alocație de susținere"), default=False)
    parents_abroad = models.CharField(
        _("părinți plecați în străinătate"), max_length=16, choices=ParentsAbroad.choices, default=ParentsAbroad.NONE
    )
    parents_abroad_since = models.DateField(_("plecați / întorși din"), null=True, blank=True)
    single_parent = models.BooleanField(_("familie monoparentală"), default=False)
    distance_to_school_km = models.DecimalField(
        _("distanța până la școală (km)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    no_identity_papers = models.BooleanField(_("fără acte de identitate"), default=False)
    members = models.PositiveSmallIntegerField(_("membri"), null=True, blank=True)

    class Meta:
        verbose_name = _("gospodărie")
        verbose_name_plural = _("gospodării")
        indexes = [models.Index(fields=["parents_abroad"], name="household_abroad_idx")]

    def __str__(self) -> str:
        return _("Gospodăria #%(id)s") % {"id": self.pk}


class Guardian(TimeStampedModel):
    """A parent or legal guardian."""

    first_name = models.CharField(_("prenume"), max_length=100, validators=[refuse_control_characters])
    last_name = models.CharField(_("nume"), max_length=100, validators=[refuse_control_characters])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="guardians")
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    phone_verified = models.BooleanField(_("telefon verificat"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    works_abroad = models.BooleanField(_("lucrează în străinătate"), default=False)

    class Meta:
        verbose_name = _("părinte / tutore")
        verbose_name_plural = _("părinți / tutori")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"


class Child(TimeStampedModel):
    """A pupil. The CNP is optional, validated by its checksum and hidden unless revealed (logged)."""

    first_name = models.CharField(_("prenume"), max_length=100, validators=[refuse_control_characters])
    last_name = models.CharField(_("nume"), max_length=100, validators=[refuse_control_characters])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("data nașterii"))
    cnp = models.CharField(_("CNP"), max_length=13, blank=True)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    guardians: "models.ManyToManyField[Guardian, Guardianship]" = models.ManyToManyField(
        Guardian, through="Guardianship", related_name="children"
    )
    works = models.BooleanField(_("copilul muncește"), default=False)
    # Set when the retention schedule anonymised the record (prezent/reports/privacy/retention.py): the names are
    # replaced, the CNP removed, the birth date kept to its year; the rows that count for statistics stay.
    anonymised_on = models.DateField(_("anonimizat la"), null=True, blank=True)

    class Meta:
        verbose_name = _("copil")
        verbose_name_plural = _("copii")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["cnp"], condition=~Q(cnp=""), name="child_cnp_unique"),
        ]
        indexes = [models.Index(fields=["last_name", "first_name", "birth_date"], name="child_name_birth_idx")]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    def get_absolute_url(self) -> str:
        return reverse("reports:child_detail", args=[self.pk])

    @property
    def masked_cnp(self) -> str:
        return "•" * 9 + self.cnp[-4:] if self.cnp else ""


class Guardianship(models.Model):
    class Relationship(models.TextChoices):
        MOTHER = "mother", _("mamă")
        FATHER = "father", _("tată")
        GRANDPARENT = "grandparent", _("bunic / bunică")
        RELATIVE = "relative", _("altă rudă")
        LEGAL_GUARDIAN = "legal_guardian", _("tutore legal")

    child = models.ForeignKey(Child, on_delete=models.CASCADE)
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT)
    relationship = models.CharField(_("relație"), max_length=16, choices=Relationship.choices)
    is_primary_contact = models.BooleanField(_("contact principal"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "guardian"], name="guardianship_unique")]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()}"


class Enrolment(models.Model):
    """A child in a class from `start` until `end` (open while end is empty). Moves keep the history."""

    class EndReason(models.TextChoices):
        MOVED_CLASS = "moved_class", _("mutat în altă clasă")
        MOVED_SCHOOL = "moved_school", _("transferat la altă școală")
        MOVED_ABROAD = "moved_abroad", _("plecat în străinătate")
        YEAR_END = "year_end", _("sfârșit de an școlar")
        DROPPED_OUT = "dropped_out", _("abandon școlar")
        GRADUATED = "graduated", _("absolvent")
        OTHER = "other", _("alt motiv")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="enrolments")
    class_group = models.ForeignKey("schools.ClassGroup", on_delete=models.PROTECT, related_name="enrolments")
    start = models.DateField(_("de la"))
    end = models.DateField(_("până la"), null=True, blank=True)
    end_reason = models.CharField(_("motiv"), max_length=16, choices=EndReason.choices, blank=True)
    # `repeating`: this enrolment repeats a grade the child already did (history; the risk indicators count it).
    # `repeats_next_year`: the school decided the child repeats this grade next year; promotion reads it.
    repeating = models.BooleanField(_("repetent"), default=False)
    repeats_next_year = models.BooleanField(_("rămâne repetent anul viitor"), default=False, db_default=False)

    class Meta:
        verbose_name = _("înscriere")
        verbose_name_plural = _("înscrieri")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(end__isnull=True), name="one_open_enrolment"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="enrolment_dates"
            ),
        ]
        indexes = [models.Index(fields=["class_group", "start", "end"], name="enrolment_class_idx")]

    def __str__(self) -> str:
        return f"{self.class_group} {self.start}"

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Consent(models.Model):
    """A consent given by a guardian (what, when, who recorded it, on what legal basis), and its withdrawal."""

    class Purpose(models.TextChoices):
        PROGRAMME = "programme", _("participare în program")
        DATA = "data", _("prelucrarea datelor personale")
        ETHNICITY = "ethnicity", _("prelucrarea etniei declarate")
        CONTACT = "contact", _("contact prin SMS / e-mail")
        PHOTOS = "photos", _("fotografii")

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("consimțământ (GDPR art. 6(1)(a) / 9(2)(a))")
        PUBLIC_TASK = "public_task", _("interes public (GDPR art. 6(1)(e))")
        LEGAL_OBLIGATION = "legal_obligation", _("obligație legală (GDPR art. 6(1)(c))")
        VITAL_INTEREST = "vital_interest", _("interes vital (GDPR art. 6(1)(d))")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="consents")
    guardian = models.ForeignKey(Guardian, null=True, blank=True, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("scop"), max_length=16, choices=Purpose.choices)
    legal_basis = models.CharField(_("temei legal"), max_length=20, choices=LegalBasis.choices)
    given_on = models.DateField(_("data"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(_("retras la"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("retragere înregistrată de"),
    )

    class Meta:
        verbose_name = _("consimțământ")
        verbose_name_plural = _("consimțăminte")
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_by__isnull=True) | Q(withdrawn_on__isnull=False),
                name="consent_withdrawn_by_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.given_on}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class EthnicityDeclaration(models.Model):
    """Special-category data (GDPR art. 9): self-declared, optional, kept apart with its legal basis.

    Read only through `ethnicity_*` selectors that check the role; aggregates suppress cells under 5.
    """

    class Ethnicity(models.TextChoices):
        ROMA = "roma", _("romă")
        ROMANIAN = "romanian", _("română")
        HUNGARIAN = "hungarian", _("maghiară")
        OTHER = "other", _("alta")

    child = models.OneToOneField(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="ethnicity_declaration"
    )
    guardian = models.OneToOneField(
        Guardian, null=True, blank=True, on_delete=models.CASCADE, related_name="ethnicity_declaration"
    )
    ethnicity = models.CharField(_("etnie declarată"), max_length=16, choices=Ethnicity.choices)
    declared_on = models.DateField(_("declarată la"))
    legal_basis = models.CharField(
        _("temei legal"), max_length=20, choices=Consent.LegalBasis.choices, default=Consent.LegalBasis.CONSENT
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("etnie declarată")
        verbose_name_plural = _("etnii declarate")
        constraints = [
            models.CheckConstraint(
                condition=(Q(child__isnull=False) & Q(guardian__isnull=True))
                | (Q(child__isnull=True) & Q(guardian__isnull=False)),
                name="ethnicity_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_ethnicity_display())


class OutOfSchool(TimeStampedModel):
    """A child of compulsory-school age who is not enrolled: never enrolled, or left school. The mediator records
    them with their locality and household so the programme can bring them back; the record is closed, never
    deleted ("back in school" with the new enrolment, "moved away" or "above school age"), so the story stays."""

    class Reason(models.TextChoices):
        POVERTY = "poverty", _("sărăcie")
        WORK = "work", _("muncă")
        MIGRATION = "migration", _("migrație / familie plecată")
        NO_PAPERS = "no_papers", _("fără acte")
        DISABILITY = "disability", _("dizabilitate")
        MARRIAGE = "marriage", _("căsătorie / uniune timpurie")
        OTHER = "other", _("alt motiv")

    class Status(models.TextChoices):
        OUTSIDE = "outside", _("în afara școlii")
        BACK = "back", _("înapoi la școală")
        MOVED_AWAY = "moved_away", _("plecat din localitate")
        ABOVE_AGE = "above_age", _("a depășit vârsta școlară")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="out_of_school")
    county_code = models.CharField(_("județ"), max_length=2)
    locality = models.ForeignKey(
        "schools.Locality", on_delete=models.PROTECT, related_name="+", verbose_name=_("localitate")
    )
    never_enrolled = models.BooleanField(_("nu a fost înscris niciodată"), default=False)
    since = models.DateField(_("în afara școlii din"), null=True, blank=True)
    last_school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ultima școală"),
    )
    reason = models.CharField(_("motiv"), max_length=16, choices=Reason.choices)
    found_by = models.CharField(_("găsit de"), max_length=150, blank=True, validators=[refuse_control_characters])
    note = models.TextField(_("observații"), blank=True)
    recorded_on = models.DateField(_("înregistrat la"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("situație"), max_length=16, choices=Status.choices, default=Status.OUTSIDE)
    closed_on = models.DateField(_("încheiat la"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("reînscriere")
    )

    class Meta:
        verbose_name = _("copil în afara școlii")
        verbose_name_plural = _("copii în afara școlii")
        ordering = ["-recorded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="outside"), name="out_of_school_one_open_per_child"
            ),
            models.CheckConstraint(
                condition=(Q(status="outside") & Q(closed_on__isnull=True))
                | (~Q(status="outside") & Q(closed_on__isnull=False)),
                name="out_of_school_closed_on_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(never_enrolled=True) | Q(since__isnull=False), name="out_of_school_since_or_never"
            ),
        ]
        indexes = [models.Index(fields=["county_code", "status"], name="out_of_school_county_idx")]

    def __str__(self) -> str:
        return _("În afara școlii #%(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("children:outside_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OUTSIDE
