"""The programme's own work in the schools: non-formal activities with their participants, training courses for
parents and teachers (sessions, enrolments, attendance, completion, certificates) and the information campaign
(events, materials, people reached, evidence files).

Activity types and campaign event kinds are data the county coordinator maintains (the programme had ten types of
non-formal activity); Romanian defaults are loaded by a data migration.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    CHILDREN = "children", _("copii")
    PARENTS = "parents", _("părinți")
    TEACHERS = "teachers", _("cadre didactice")
    MIXED = "mixed", _("grup mixt")


class ActivityType(models.Model):
    """A type of non-formal education activity (configurable; the programme had ten). Each county has its own
    catalogue, copied from the shared defaults (decision 45)."""

    county_code = models.CharField(_("județ"), max_length=2, db_index=True)
    code = models.SlugField(_("cod"), max_length=40)
    name = models.CharField(_("denumire"), max_length=150)
    audience = models.CharField(_("public obișnuit"), max_length=10, choices=Audience.choices, default=Audience.MIXED)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    active = models.BooleanField(_("în uz"), default=True)

    class Meta:
        verbose_name = _("tip de activitate")
        verbose_name_plural = _("tipuri de activitate")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["county_code", "code"], name="activity_type_code_per_county")]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """One activity held in one school on one day."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="activities", verbose_name=_("școala")
    )
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="activities", verbose_name=_("tipul"))
    title = models.CharField(_("titlu"), max_length=200)
    date = models.DateField(_("data"))
    start_time = models.TimeField(_("ora"), null=True, blank=True)
    place = models.CharField(_("locul"), max_length=200, blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=200)
    audience = models.CharField(_("participanți"), max_length=10, choices=Audience.choices)
    notes = models.TextField(_("observații"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activitate")
        verbose_name_plural = _("activități")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["school", "date"], name="activity_school_date_idx"),
            models.Index(fields=["date", "type"], name="activity_date_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])


class ParticipantKind(models.TextChoices):
    CHILD = "child", _("copil")
    GUARDIAN = "guardian", _("părinte / tutore")
    TEACHER = "teacher", _("cadru didactic")
    OTHER = "other", _("persoană din afara listelor")


class Participation(models.Model):
    """A person who took part: a child, a guardian or a teacher from the school's lists, or someone named."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    kind = models.CharField(_("categorie"), max_length=10, choices=ParticipantKind.choices)
    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey(
        "children.Guardian", null=True, blank=True, on_delete=models.PROTECT, related_name="activity_participations"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nume"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participare")
        verbose_name_plural = _("participări")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="child", child__isnull=False, guardian__isnull=True, teacher__isnull=True)
                    | Q(kind="guardian", child__isnull=True, guardian__isnull=False, teacher__isnull=True)
                    | Q(kind="teacher", child__isnull=True, guardian__isnull=True, teacher__isnull=False)
                    | (Q(kind="other", child__isnull=True, guardian__isnull=True, teacher__isnull=True) & ~Q(name=""))
                ),
                name="participation_one_person",
            ),
            models.UniqueConstraint(
                fields=["activity", "child"], condition=Q(child__isnull=False), name="participation_child_once"
            ),
            models.UniqueConstraint(
                fields=["activity", "guardian"], condition=Q(guardian__isnull=False), name="participation_guardian_once"
            ),
            models.UniqueConstraint(
                fields=["activity", "teacher"], condition=Q(teacher__isnull=False), name="participation_teacher_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class CourseKind(models.TextChoices):
    PARENTS = "parents", _("curs pentru părinți")
    TEACHERS = "teachers", _("curs pentru cadre didactice")


class Course(models.Model):
    """A training course with sessions. A participant completes it by attending at least `completion_percent` %
    of its sessions (default 80 %, set per course)."""

    kind = models.CharField(_("tipul cursului"), max_length=10, choices=CourseKind.choices)
    title = models.CharField(_("titlu"), max_length=200)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="courses_trained",
        verbose_name=_("formator"),
    )
    schools = models.ManyToManyField("schools.School", related_name="courses", verbose_name=_("școli"))
    county_code = models.CharField(_("județ"), max_length=2, db_index=True)
    start = models.DateField(_("început"))
    end = models.DateField(_("sfârșit"))
    place = models.CharField(_("locul"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(_("număr de ore"), default=0)
    completion_percent = models.PositiveSmallIntegerField(_("prag de absolvire (% din sesiuni)"), default=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("curs")
        verbose_name_plural = _("cursuri")
        ordering = ["-start", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="course_end_after_start"),
            models.CheckConstraint(
                condition=Q(completion_percent__gte=1, completion_percent__lte=100), name="course_completion_range"
            ),
        ]
        indexes = [models.Index(fields=["kind", "end"], name="course_kind_end_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:course_detail", args=[self.pk])


class CourseSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("data"))
    topic = models.CharField(_("tema"), max_length=200)

    class Meta:
        verbose_name = _("sesiune")
        verbose_name_plural = _("sesiuni")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["date"], name="session_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.topic}"


class CourseEnrolment(models.Model):
    """A participant of a course: a guardian (parent course), a teacher (teacher course) or someone named."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    guardian = models.ForeignKey(
        "children.Guardian", null=True, blank=True, on_delete=models.PROTECT, related_name="course_enrolments"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="course_enrolments"
    )
    name = models.CharField(_("nume"), max_length=200)
    # The school of someone on a trainee list without an account (a teacher named in a course's list): with the
    # name, it tells people apart, so a teacher trained in two courses counts once.
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("școala")
    )
    pre_score = models.DecimalField(_("scor inițial"), max_digits=5, decimal_places=1, null=True, blank=True)
    post_score = models.DecimalField(_("scor final"), max_digits=5, decimal_places=1, null=True, blank=True)
    enrolled_on = models.DateField(_("înscris la"))

    class Meta:
        verbose_name = _("participant la curs")
        verbose_name_plural = _("participanți la curs")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(guardian__isnull=True) | Q(teacher__isnull=True), name="course_enrolment_one_person"
            ),
            models.UniqueConstraint(
                fields=["course", "guardian"], condition=Q(guardian__isnull=False), name="course_guardian_once"
            ),
            models.UniqueConstraint(
                fields=["course", "teacher"], condition=Q(teacher__isnull=False), name="course_teacher_once"
            ),
            models.CheckConstraint(
                condition=Q(pre_score__isnull=True) | Q(pre_score__gte=0, pre_score__lte=100),
                name="course_pre_score_range",
            ),
            models.CheckConstraint(
                condition=Q(post_score__isnull=True) | Q(post_score__gte=0, post_score__lte=100),
                name="course_post_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SessionAttendance(models.Model):
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(CourseEnrolment, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="session_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}"


class CampaignEventKind(models.Model):
    """A kind of campaign event (meeting, leaflet distribution, poster, local media; configurable), per county like
    the activity types."""

    county_code = models.CharField(_("județ"), max_length=2, db_index=True)
    code = models.SlugField(_("cod"), max_length=40)
    name = models.CharField(_("denumire"), max_length=150)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    active = models.BooleanField(_("în uz"), default=True)

    class Meta:
        verbose_name = _("tip de acțiune de informare")
        verbose_name_plural = _("tipuri de acțiuni de informare")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["county_code", "code"], name="campaign_kind_code_per_county")]

    def __str__(self) -> str:
        return self.name


class CampaignEvent(models.Model):
    """An information campaign event in one school, with the people reached per group."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="campaign_events", verbose_name=_("școala")
    )
    kind = models.ForeignKey(
        CampaignEventKind, on_delete=models.PROTECT, related_name="events", verbose_name=_("tipul")
    )
    date = models.DateField(_("data"))
    description = models.CharField(_("descriere"), max_length=300, blank=True)
    reached_children = models.PositiveIntegerField(_("copii informați"), default=0)
    reached_parents = models.PositiveIntegerField(_("părinți informați"), default=0)
    reached_teachers = models.PositiveIntegerField(_("cadre didactice informate"), default=0)
    reached_others = models.PositiveIntegerField(_("alte persoane informate"), default=0)
    guardians = models.ManyToManyField(
        "children.Guardian", blank=True, related_name="campaign_events", verbose_name=_("părinți prezenți (nominal)")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acțiune de informare")
        verbose_name_plural = _("acțiuni de informare")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["school", "date"], name="campaign_school_date_idx"),
            models.Index(fields=["date"], name="campaign_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.kind_id}"

    def get_absolute_url(self) -> str:
        return reverse("activities:campaign_detail", args=[self.pk])

    @property
    def reached_total(self) -> int:
        return self.reached_children + self.reached_parents + self.reached_teachers + self.reached_others


class CampaignMaterial(models.Model):
    event = models.ForeignKey(CampaignEvent, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=150)
    quantity = models.PositiveIntegerField(_("cantitate"))

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materiale")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class CampaignEvidence(models.Model):
    """A photo or a scanned attendance sheet. The file lives in private storage (never under a public URL) and is
    served only through an authorised view; its type was checked from its content, not its name."""

    event = models.ForeignKey(CampaignEvent, on_delete=models.CASCADE, related_name="evidence")
    storage_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("fișier"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dovadă")
        verbose_name_plural = _("dovezi")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
