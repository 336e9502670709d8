"""Everything Prezent holds about one child and their family, for the data-protection officer (GDPR art. 15).

Each section is one model's rows for the child, read by one query (the related rows a section names are joined in
it), so an export costs a fixed number of queries whatever the number of absences, scores or notes; the attendance
summary adds two per school year the child was enrolled in. A section keeps its model's own fields — what is stored
is what is exported — with the raw values for the machine-readable file; the PDF puts them into words
(`documents.py`). Every read is scoped as on the child's pages: the cases the reader sees, the case notes by their
confidentiality (`case_notes_visible_to`), the ethnicity and the CNP only through the per-school predicates."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.activities.models import CampaignEvent, CourseEnrolment, Participation
from prezent.attendance.models import Absence, AbsenceTotal, ModuleResult
from prezent.attendance.selectors import attendance_by_child
from prezent.cases.models import (
    Assessment,
    AssessmentNeed,
    Case,
    CaseAssignment,
    CaseStep,
    HomeVisit,
    Intervention,
    InterventionPlan,
    PlannedService,
    PlanReview,
    Referral,
)
from prezent.cases.selectors import case_list_visible_to, case_notes_visible_to
from prezent.children.models import (
    Child,
    Enrolment,
    EthnicityDeclaration,
    Guardian,
    Guardianship,
    OutOfSchool,
)
from prezent.children.permissions import can_reveal_child_cnp, can_view_child_ethnicity
from prezent.children.selectors import consents_of
from prezent.core.models import AccessLog, AuditEvent
from prezent.core.validators import control_character_position, refuse_control_characters
from prezent.programme.models import MembershipStep, ScreeningResult, TargetGroupMembership
from prezent.risk.models import Alert, ContactNote, Notice, RiskScore
from prezent.schools.models import SchoolYear


@dataclass
class Section:
    """One kind of record: its columns (field name, label), each row's stored values, and the model's fields
    (to put a value into words)."""

    key: str
    title: str
    fields: list[models.Field]
    rows: list[dict[str, Any]]
    related: list[dict[str, str]] = field(default_factory=list)  # per row: field name → the related row in words
    note: str = ""

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(f.name, str(f.verbose_name)) for f in self.fields]


@dataclass
class SubjectExport:
    child: Child
    reader: User
    generated_at: datetime.datetime
    sections: list[Section]
    user_names: dict[int, str]

    def counts(self) -> dict[str, int]:
        return {section.key: len(section.rows) for section in self.sections}


def _fields(model: type[models.Model], exclude: Iterable[str] = ()) -> list[models.Field]:
    skip = set(exclude)
    return [f for f in model._meta.concrete_fields if f.name not in skip]  # type: ignore[misc]


def _section(
    key: str,
    title: str,
    queryset: QuerySet | Iterable[models.Model],
    *,
    exclude: Iterable[str] = (),
    model: type[models.Model] | None = None,
    note: str = "",
) -> Section:
    objects = list(queryset)
    model = model or (queryset.model if isinstance(queryset, QuerySet) else type(objects[0]))
    fields = _fields(model, exclude)
    rows: list[dict[str, Any]] = []
    related: list[dict[str, str]] = []
    for obj in objects:
        row: dict[str, Any] = {}
        words: dict[str, str] = {}
        for f in fields:
            row[f.name] = getattr(obj, f.attname)
            # a related row read in the same query (select_related) is named; any other stays an id
            if f.is_relation and f.is_cached(obj) and getattr(obj, f.name) is not None:  # type: ignore[attr-defined]
                words[f.name] = str(getattr(obj, f.name))
        rows.append(row)
        related.append(words)
    return Section(key=key, title=title, fields=fields, rows=rows, related=related, note=note)


def _attendance_summary(child: Child, years: list[SchoolYear], today: datetime.date) -> Section:
    """Per school year the child was enrolled in: scheduled hours on days with a register and hours missed."""
    rows = []
    for year in years:
        end = min(today, year.end)
        if end < year.start:
            continue
        totals = attendance_by_child(child_ids=[child.pk], start=year.start, end=end)[child.pk]
        rows.append(
            {
                "school_year": year.name,
                "scheduled_hours": totals.scheduled_hours,
                "absent_hours": totals.absent_hours,
                "excused_hours": totals.excused_hours,
                "unexcused_hours": totals.unexcused_hours,
                "rate": round(totals.rate, 4) if totals.rate is not None else None,
            }
        )
    labels = [
        ("school_year", _("an școlar")),
        ("scheduled_hours", _("ore programate (zile cu condică)")),
        ("absent_hours", _("ore absente")),
        ("excused_hours", _("ore motivate")),
        ("unexcused_hours", _("ore nemotivate")),
        ("rate", _("rata de prezență")),
    ]
    fields: list[models.Field] = []
    for name, label in labels:
        plain: models.Field = models.CharField(label)
        plain.name = plain.attname = name
        fields.append(plain)
    return Section(
        key="attendance_summary",
        title=_("Prezența pe ani școlari"),
        fields=fields,
        rows=rows,
        related=[{} for _row in rows],
    )


def subject_export(*, user: User, child: Child, today: datetime.date, now: datetime.datetime) -> SubjectExport:
    """Everything about `child` and their family that `user` (allowed by `can_export_child_data`) may read."""
    child = Child.objects.select_related("household", "household__locality").get(pk=child.pk)
    may_see_cnp = can_reveal_child_cnp(user=user, child=child)
    may_see_ethnicity = can_view_child_ethnicity(user=user, child=child)
    sections: list[Section] = []

    identity = _section("child", _("Identitatea copilului"), [child], exclude=() if may_see_cnp else ("cnp",))
    sections.append(identity)
    if child.household is not None:
        sections.append(_section("household", _("Gospodăria"), [child.household]))
    guardianships = list(Guardianship.objects.filter(child=child).select_related("guardian").order_by("pk"))
    guardian_ids = [g.guardian_id for g in guardianships]
    sections.append(
        _section("guardianships", _("Părinți și tutori (relația cu copilul)"), guardianships, model=Guardianship)
    )
    sections.append(_section("guardians", _("Părinți și tutori"), Guardian.objects.filter(pk__in=guardian_ids)))

    enrolments = list(
        child.enrolments.select_related("class_group", "class_group__school", "class_group__school_year").order_by(
            "start", "pk"
        )
    )
    sections.append(_section("enrolments", _("Înscrieri"), enrolments, model=Enrolment))
    years = sorted({e.class_group.school_year for e in enrolments}, key=lambda y: y.start)
    sections.append(_attendance_summary(child, years, today))
    sections.append(
        _section(
            "absences",
            _("Absențe"),
            Absence.objects.filter(child=child).order_by("date", "pk"),
            exclude=("register_entry",),
        )
    )
    sections.append(
        _section(
            "absence_totals",
            _("Absențe importate (totaluri)"),
            AbsenceTotal.objects.filter(child=child).select_related("school_year").order_by("pk"),
        )
    )
    sections.append(
        _section("module_results", _("Medii și calificative"), ModuleResult.objects.filter(child=child).order_by("pk"))
    )
    sections.append(
        _section(
            "out_of_school",
            _("În afara școlii"),
            OutOfSchool.objects.filter(child=child)
            .select_related("locality", "last_school")
            .order_by("recorded_on", "pk"),
        )
    )

    sections.append(
        _section(
            "risk_scores",
            _("Scoruri de risc și motivele lor"),
            RiskScore.objects.filter(child=child).select_related("rule_set").order_by("computed_on", "pk"),
        )
    )
    sections.append(
        _section("alerts", _("Alerte"), Alert.objects.filter(child=child).select_related("step").order_by("pk"))
    )
    sections.append(
        _section("contact_notes", _("Contacte cu familia"), ContactNote.objects.filter(child=child).order_by("pk"))
    )
    sections.append(
        _section(
            "notices",
            _("Înștiințări către părinți"),
            Notice.objects.filter(child=child).select_related("guardian").order_by("pk"),
        )
    )
    sections.append(
        _section(
            "target_group",
            _("Grupul țintă"),
            TargetGroupMembership.objects.filter(child=child).select_related("programme").order_by("pk"),
        )
    )
    sections.append(
        _section(
            "target_group_steps",
            _("Grupul țintă: pașii"),
            MembershipStep.objects.filter(membership__child=child).order_by("pk"),
        )
    )
    sections.append(
        _section(
            "screening_results",
            _("Rezultate la evaluările de risc"),
            ScreeningResult.objects.filter(child=child).order_by("pk"),
        )
    )

    cases = list(
        case_list_visible_to(user=user)
        .filter(child=child)
        .select_related("school", "programme")
        .order_by("opened_on", "pk")
    )
    case_ids = [c.pk for c in cases]
    in_cases = Q(case_id__in=case_ids)
    sections.append(_section("cases", _("Cazuri"), cases, model=Case))
    sections.append(_section("case_steps", _("Cazuri: stări"), CaseStep.objects.filter(in_cases).order_by("pk")))
    sections.append(
        _section("case_assignments", _("Cazuri: responsabili"), CaseAssignment.objects.filter(in_cases).order_by("pk"))
    )
    sections.append(
        _section("assessments", _("Evaluări ale nevoilor"), Assessment.objects.filter(in_cases).order_by("pk"))
    )
    sections.append(
        _section(
            "assessment_needs",
            _("Evaluări: nevoi pe domenii"),
            AssessmentNeed.objects.filter(assessment__case_id__in=case_ids).order_by("pk"),
        )
    )
    sections.append(
        _section("plans", _("Planuri de intervenție"), InterventionPlan.objects.filter(in_cases).order_by("pk"))
    )
    sections.append(
        _section(
            "planned_services",
            _("Planuri: servicii planificate"),
            PlannedService.objects.filter(plan__case_id__in=case_ids).select_related("type").order_by("pk"),
        )
    )
    sections.append(
        _section(
            "plan_reviews",
            _("Planuri: revizuiri"),
            PlanReview.objects.filter(plan__case_id__in=case_ids).order_by("pk"),
        )
    )
    sections.append(
        _section(
            "interventions",
            _("Intervenții"),
            Intervention.objects.filter(in_cases).select_related("type").order_by("pk"),
        )
    )
    sections.append(_section("visits", _("Vizite la domiciliu"), HomeVisit.objects.filter(in_cases).order_by("pk")))
    sections.append(_section("referrals", _("Sesizări și predări"), Referral.objects.filter(in_cases).order_by("pk")))
    sections.append(
        _section(
            "case_notes",
            _("Note de caz"),
            case_notes_visible_to(user=user).filter(case_id__in=case_ids).order_by("pk"),
            note=_("Notele confidențiale sunt incluse doar dacă rolul dumneavoastră le poate citi."),
        )
    )

    participations = Participation.objects.filter(Q(child=child) | Q(guardian_id__in=guardian_ids))
    sections.append(
        _section(
            "activities",
            _("Participări la activități"),
            participations.select_related("activity", "guardian").order_by("pk"),
        )
    )
    sections.append(
        _section(
            "courses",
            _("Participări ale părinților la cursuri"),
            CourseEnrolment.objects.filter(guardian_id__in=guardian_ids)
            .select_related("course", "guardian")
            .order_by("pk"),
        )
    )
    campaign = CampaignEvent.guardians.through.objects.filter(guardian_id__in=guardian_ids)
    sections.append(
        _section(
            "campaign",
            _("Prezențe nominale la campania de informare"),
            campaign.select_related("campaignevent", "guardian").order_by("pk"),
        )
    )

    sections.append(_section("consents", _("Consimțăminte"), consents_of(user=user, child=child).order_by("pk")))
    if may_see_ethnicity:
        declarations = EthnicityDeclaration.objects.filter(Q(child=child) | Q(guardian_id__in=guardian_ids))
        sections.append(_section("ethnicity", _("Etnia declarată"), declarations.order_by("pk")))

    sections.append(
        _section(
            "access_log",
            _("Cine a citit fișa copilului"),
            AccessLog.objects.filter(child_id=child.pk).order_by("at", "pk"),
        )
    )
    audit = AuditEvent.objects.filter(target_type="children.child", target_id=str(child.pk)).order_by("at", "pk")
    sections.append(_section("audit", _("Modificări ale fișei copilului"), audit))

    user_ids = {
        row[f.name]
        for section in sections
        for f in section.fields
        if f.is_relation and f.related_model is get_user_model()
        for row in section.rows
        if row[f.name] is not None
    }
    user_names = {
        u.pk: (f"{u.last_name} {u.first_name}".strip() or u.username)
        for u in User.objects.filter(pk__in=user_ids).only("pk", "first_name", "last_name", "username")
    }
    return SubjectExport(child=child, reader=user, generated_at=now, sections=sections, user_names=user_names)


def names_with_control_characters() -> dict[str, list[int]]:
    """The records whose name fields hold a control or direction character, stored before names refused them
    (decision 52): every field of the project's models that carries `refuse_control_characters` is read, by
    model label the ids found, in order. One query per such model, read in chunks; the names never leave here."""
    found: dict[str, list[int]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("prezent."):
            continue
        names = [
            f.name for f in model._meta.concrete_fields if refuse_control_characters in getattr(f, "validators", ())
        ]
        if not names:
            continue
        rows = model._default_manager.order_by("pk").values_list("pk", *names).iterator(chunk_size=5000)
        ids = [row[0] for row in rows if any(control_character_position(value or "") for value in row[1:])]
        if ids:
            found[model._meta.label] = ids
    return found
