"""The demo's casework: a case for every child included in the target group (with the parent's consent) in a
school that has a case worker, each with an intake assessment, a plan reviewed every three months (some reviews
overdue), a term of interventions, a home visit (some planned for this week), a few referrals and notes.

Deterministic for a seed, written with bulk inserts (a few seconds for the full demo), built after the demo's
registers and risk scores. Notes and outcomes are short stock phrases: no invented personal details.
"""

import datetime
import random
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from prezent.accounts.models import Role, RoleAssignment
from prezent.cases.models import (
    REFERRAL_DUE_DAYS,
    Assessment,
    AssessmentNeed,
    Case,
    CaseNote,
    CaseStatus,
    CaseStep,
    ClosureReason,
    Confidentiality,
    Domain,
    HomeVisit,
    Intervention,
    InterventionPlan,
    InterventionType,
    PlannedService,
    PlanReview,
    Recipient,
    Referral,
    RiskFactor,
)
from prezent.cases.services import add_months, intervention_types_load_defaults
from prezent.children.models import Consent, Enrolment
from prezent.core.services import audit_record
from prezent.demo.rows import db_date, rows_insert
from prezent.programme.models import MembershipStatus, TargetGroupMembership
from prezent.risk.models import ContactNote

ONE_DAY = datetime.timedelta(days=1)
TERM_WEEKS = 12

# Services by the need they answer: (type code, needs a quantity per delivery (min, max), every n weeks).
CHILD_SERVICES: tuple[tuple[str, tuple[int, int] | None, int], ...] = (
    ("hot-meal", (4, 5), 1),
    ("after-school", None, 1),
    ("remedial", None, 2),
    ("counselling", None, 2),
    ("non-formal", None, 3),
)
FAMILY_SERVICES: tuple[tuple[str, tuple[int, int] | None, int], ...] = (
    ("family-counselling", None, 4),
    ("parent-session", None, 4),
    ("documents", None, 6),
)
VISIT_OUTCOMES = (
    "Mama a fost acasă; s-a stabilit ca fata să vină zilnic la școală și la masa caldă.",
    "Tatăl lucrează cu ziua; bunica se ocupă de copii. S-a discutat despre teme și after-school.",
    "Familia nu a fost găsită acasă; vecinii spun că sunt la muncă la câmp.",
    "Locuința are o singură cameră încălzită; s-a propus sprijin cu lemne prin primărie.",
    "Părinții au semnat acordul pentru consiliere și au promis că vin la sesiunea pentru părinți.",
)
TEAM_NOTES = (
    "A venit la școală toată săptămâna; dirigintele confirmă că își face temele la after-school.",
    "Discuție cu dirigintele: lipsește mai ales lunea; se urmărește în săptămânile următoare.",
    "Mama a participat la sesiunea pentru părinți.",
)
CONFIDENTIAL_NOTES = (
    "Tensiuni în familie semnalate de mamă; se urmărește la consilierea familială.",
    "Situație medicală a unui părinte care afectează veniturile familiei; discutat doar cu coordonatorul.",
)
REFERRALS = (
    ("spas", "SPAS {place}", "Sprijin pentru alocația de susținere a familiei și ajutor pentru lemne de foc."),
    ("dgaspc", "DGASPC Iași", "Evaluarea situației copilului lăsat în grija bunicilor (părinți plecați)."),
    ("health", "Cabinetul medicului de familie {place}", "Evaluare medicală: absențe dese pe motiv de boală."),
)


@dataclass
class DemoCasesReport:
    cases: int = 0
    interventions: int = 0
    visits: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return _("Cazuri: %(cases)d · intervenții: %(interventions)d · vizite: %(visits)d (%(seconds).1f s).") % {
            "cases": self.cases,
            "interventions": self.interventions,
            "visits": self.visits,
            "seconds": self.seconds,
        }


def _weekdays_from(start: datetime.date, end: datetime.date, every_weeks: int) -> list[datetime.date]:
    """The same weekday every `every_weeks` weeks from the first weekday on or after `start`, up to `end`."""
    day = start
    while day.weekday() >= 5:
        day += ONE_DAY
    days = []
    while day <= end:
        days.append(day)
        day += datetime.timedelta(weeks=every_weeks)
    return days


def _case_workers_by_school() -> dict[int, int]:
    rows = RoleAssignment.objects.filter(role=Role.CASE_WORKER).values_list("schools", "user_id").order_by("pk")
    found: dict[int, int] = {}
    for school_id, user_id in rows:
        if school_id is not None:
            found.setdefault(school_id, user_id)
    return found


DEMO_COUNTY = "IS"  # the demo is Iași's: its catalogue of interventions is the county's own


@transaction.atomic
def demo_cases_seed(*, seed: int, today: datetime.date) -> DemoCasesReport:
    """Build the demo cases (idempotent: nothing happens when cases exist)."""
    started = time.monotonic()
    report = DemoCasesReport()
    if Case.objects.exists():
        return report
    rng = random.Random(seed * 7919 + 4)
    intervention_types_load_defaults(county_code=DEMO_COUNTY)
    types = {t.code: t for t in InterventionType.objects.filter(county_code=DEMO_COUNTY)}
    workers = _case_workers_by_school()
    coordinator_id = (
        RoleAssignment.objects.filter(role=Role.COUNTY_COORDINATOR)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )
    if coordinator_id is None or not workers:
        return report
    consents = {
        c.child_id: c
        for c in Consent.objects.filter(
            purpose=Consent.Purpose.PROGRAMME, guardian__isnull=False, withdrawn_on__isnull=True, given_on__lte=today
        ).order_by("given_on", "pk")
    }
    members = list(
        TargetGroupMembership.objects.filter(status=MembershipStatus.INCLUDED, since__lte=today)
        .select_related("child")
        .order_by("pk")
    )
    enrolments: dict[int, Enrolment] = {}
    for enrolment in (
        Enrolment.objects.filter(Q(end__isnull=True) | Q(end__gte=today - datetime.timedelta(days=200)))
        .filter(child_id__in=[m.child_id for m in members])
        .select_related("class_group__school__locality")
        .order_by("start", "pk")
    ):
        enrolments[enrolment.child_id] = enrolment

    cases: list[Case] = []
    for membership in members:
        child = membership.child
        current = enrolments.get(child.pk)
        consent = consents.get(child.pk)
        if current is None or consent is None:
            continue
        school = current.class_group.school
        worker = workers.get(school.pk)
        if worker is None:
            continue
        opened = min(today, max(membership.since, consent.given_on) + datetime.timedelta(days=rng.randint(3, 20)))
        case = Case(
            child_id=child.pk,
            household_id=child.household_id,
            school=school,
            programme_id=membership.programme_id,
            case_worker_id=worker,
            status=CaseStatus.ACTIVE,
            opened_on=opened,
            opened_by_id=worker,
            consent_id=consent.pk,
            legal_basis=Consent.LegalBasis.CONSENT,
        )
        assessed = min(today, opened + datetime.timedelta(days=rng.randint(0, 6)))
        drawn = min(today, assessed + datetime.timedelta(days=rng.randint(2, 8)))
        roll = rng.random()
        if roll < 0.06 and (today - drawn).days > 120:
            closed_on = today - datetime.timedelta(days=rng.randint(5, 40))
            case.status = CaseStatus.CLOSED
            case.closure_reason = rng.choice(
                [ClosureReason.REGULAR_ATTENDANCE] * 3 + [ClosureReason.MOVED_SCHOOL, ClosureReason.MOVED_ABROAD]
            )
            case.closure_requested_on = closed_on - datetime.timedelta(days=rng.randint(1, 5))
            case.closure_requested_by_id = worker
            case.closure_approved_by_id = coordinator_id
            case.closed_on = closed_on
        elif roll < 0.2 and (today - drawn).days > 60:
            case.status = CaseStatus.MONITORING
        case.demo_dates = (assessed, drawn)  # type: ignore[attr-defined]
        cases.append(case)
    Case.objects.bulk_create(cases, batch_size=1000)

    steps: list[CaseStep] = []
    assessments: list[Assessment] = []
    plans: list[InterventionPlan] = []
    visits: list[HomeVisit] = []
    referrals: list[Referral] = []
    notes: list[CaseNote] = []
    needs_by_case: dict[int, dict[str, int]] = {}
    closing: dict[int, datetime.date] = {}
    week_start = today - datetime.timedelta(days=today.weekday())
    for case in cases:
        worker = case.case_worker_id
        assert worker is not None
        place = case.school.locality.name.title() if case.school.locality else ""
        assessed, drawn = case.demo_dates  # type: ignore[attr-defined]
        needs = {d: rng.choices([0, 1, 2, 3], weights=[2, 3, 4, 2])[0] for d in Domain.values}
        needs[Domain.EDUCATION] = max(needs[Domain.EDUCATION], 2)
        needs_by_case[case.pk] = needs
        factors: list[str] = [RiskFactor.POVERTY.value, RiskFactor.ABSENTEEISM.value]
        factors += rng.sample([f for f in RiskFactor.values if f not in factors], rng.randint(1, 3))
        assessments.append(
            Assessment(
                case_id=case.pk,
                kind=Assessment.Kind.INTAKE,
                assessed_on=assessed,
                risk_factors=sorted(set(factors), key=RiskFactor.values.index),
                summary="Evaluare inițială la domiciliu și la școală; nevoile principale: "
                + ", ".join(str(Domain(d).label) for d, level in needs.items() if level >= 2)
                + ".",
                author_id=worker,
            )
        )
        next_review = add_months(drawn, 3)
        reviews_due = []
        while next_review <= today:
            reviews_due.append(next_review)
            next_review = add_months(next_review, 3)
        overdue = bool(reviews_due) and rng.random() < 0.15
        if overdue:
            next_review = reviews_due.pop()
        plan = InterventionPlan(
            case_id=case.pk,
            drawn_up_on=drawn,
            goals="Prezență regulată la școală (peste 90 % din ore); sprijin la teme; familia informată și "
            "implicată; acces la beneficiile sociale la care are dreptul.",
            next_review_on=next_review if next_review > drawn else add_months(drawn, 3),
            author_id=worker,
        )
        plan.reviews_due = reviews_due  # type: ignore[attr-defined]
        plans.append(plan)
        steps.append(CaseStep(case_id=case.pk, to_status=CaseStatus.OPEN, date=case.opened_on, actor_id=worker))
        steps.append(
            CaseStep(
                case_id=case.pk,
                from_status=CaseStatus.OPEN,
                to_status=CaseStatus.ACTIVE,
                date=drawn,
                reason="plan de intervenție întocmit",
                actor_id=worker,
            )
        )
        if case.status == CaseStatus.CLOSED:
            assert case.closed_on is not None
            closing[case.pk] = case.closed_on
            steps.append(
                CaseStep(
                    case_id=case.pk,
                    from_status=CaseStatus.ACTIVE,
                    to_status=CaseStatus.CLOSED,
                    date=case.closed_on,
                    reason=str(ClosureReason(case.closure_reason).label),
                    actor_id=coordinator_id,
                )
            )
        elif case.status == CaseStatus.MONITORING:
            steps.append(
                CaseStep(
                    case_id=case.pk,
                    from_status=CaseStatus.ACTIVE,
                    to_status=CaseStatus.MONITORING,
                    date=today - datetime.timedelta(days=rng.randint(3, 30)),
                    reason="prezență regulată în ultima lună; se urmărește",
                    actor_id=worker,
                )
            )
        visit_day = min(today, assessed + datetime.timedelta(days=rng.randint(0, 10)))
        reached = rng.random() > 0.15
        visits.append(
            HomeVisit(
                case_id=case.pk,
                status=HomeVisit.Status.DONE,
                planned_on=visit_day,
                visited_on=visit_day,
                outcome=rng.choice(VISIT_OUTCOMES[:2] + VISIT_OUTCOMES[3:]) if reached else VISIT_OUTCOMES[2],
                parent_reached=reached,
                visitor_id=worker,
            )
        )
        if case.status != CaseStatus.CLOSED and rng.random() < 0.12:
            visits.append(
                HomeVisit(
                    case_id=case.pk,
                    status=HomeVisit.Status.PLANNED,
                    planned_on=week_start + datetime.timedelta(days=rng.randint(0, 4)),
                    visitor_id=worker,
                )
            )
        if rng.random() < 0.12:
            institution, name, reason = rng.choice(REFERRALS)
            sent = min(today, drawn + datetime.timedelta(days=rng.randint(5, 40)))
            answered = rng.random() < 0.6 and sent + datetime.timedelta(days=10) <= today
            referrals.append(
                Referral(
                    case_id=case.pk,
                    institution=institution,
                    institution_name=name.format(place=place),
                    sent_on=sent,
                    due_on=sent + datetime.timedelta(days=REFERRAL_DUE_DAYS),
                    reason=reason,
                    status=Referral.Status.ANSWERED if answered else Referral.Status.SENT,
                    answered_on=sent + datetime.timedelta(days=rng.randint(7, 25)) if answered else None,
                    answer="Cererea a fost înregistrată; familia a fost programată la evaluare." if answered else "",
                    author_id=worker,
                )
            )
        notes.append(
            CaseNote(
                case_id=case.pk,
                written_on=min(today, drawn + datetime.timedelta(days=rng.randint(7, 30))),
                text=rng.choice(TEAM_NOTES),
                author_id=worker,
            )
        )
        if rng.random() < 0.25:
            notes.append(
                CaseNote(
                    case_id=case.pk,
                    written_on=min(today, drawn + datetime.timedelta(days=rng.randint(7, 30))),
                    text=rng.choice(CONFIDENTIAL_NOTES),
                    confidentiality=Confidentiality.CONFIDENTIAL,
                    author_id=worker,
                )
            )

    CaseStep.objects.bulk_create(steps, batch_size=2000)
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    AssessmentNeed.objects.bulk_create(
        [
            AssessmentNeed(assessment_id=a.pk, domain=d, level=needs_by_case[a.case_id][d])
            for a in Assessment.objects.order_by("pk")
            for d in Domain.values
        ],
        batch_size=2000,
    )
    InterventionPlan.objects.bulk_create(plans, batch_size=1000)
    services: list[PlannedService] = []
    reviews: list[PlanReview] = []
    for plan in plans:
        needs = needs_by_case[plan.case_id]
        codes = ["hot-meal", "after-school"] + (["family-counselling"] if needs[Domain.FAMILY] >= 2 else [])
        for code in codes:
            services.append(
                PlannedService(
                    plan_id=plan.pk,
                    type=types[code],
                    responsible="asistentul social" if code != "after-school" else "coordonatorul școlar",
                    target_date=plan.drawn_up_on + datetime.timedelta(days=14),
                )
            )
        for due in plan.reviews_due:  # type: ignore[attr-defined]
            reviews.append(
                PlanReview(
                    plan_id=plan.pk,
                    reviewed_on=due,
                    notes="Planul se continuă; prezența s-a îmbunătățit, sprijinul la teme rămâne necesar.",
                    next_review_on=add_months(due, 3),
                    author_id=plan.author_id,
                )
            )
    PlannedService.objects.bulk_create(services, batch_size=2000)
    PlanReview.objects.bulk_create(reviews, batch_size=2000)
    Referral.objects.bulk_create(referrals, batch_size=1000)
    CaseNote.objects.bulk_create(notes, batch_size=2000)

    # Done visits are also the early warning's contact notes (kind "home visit"), as `visit_record` writes them.
    done = [v for v in visits if v.status == HomeVisit.Status.DONE]
    child_by_case = {c.pk: c.child_id for c in cases}
    contact_notes = ContactNote.objects.bulk_create(
        [
            ContactNote(
                child_id=child_by_case[v.case_id],
                kind=ContactNote.Kind.HOME_VISIT,
                date=v.visited_on or today,
                outcome=v.outcome,
                parent_reached=v.parent_reached,
                author_id=v.visitor_id,
            )
            for v in done
        ],
        batch_size=2000,
    )
    for visit, note in zip(done, contact_notes, strict=True):
        visit.contact_note_id = note.pk
    HomeVisit.objects.bulk_create(visits, batch_size=2000)

    rows = _intervention_rows(cases, plans, done, needs_by_case, closing, types, today, rng)
    report.interventions = rows_insert(
        Intervention,
        ["case", "child", "type", "delivered_on", "delivered_by", "recipient", "quantity", "notes", "created_at"],
        rows,
    )
    report.cases = len(cases)
    report.visits = len(visits)
    audit_record(
        actor=None,
        action="demo.cases",
        target_type="cases.case",
        details={"cases": report.cases, "interventions": report.interventions, "visits": report.visits},
    )
    report.seconds = time.monotonic() - started
    return report


def _intervention_rows(
    cases: list[Case],
    plans: list[InterventionPlan],
    done_visits: list[HomeVisit],
    needs_by_case: dict[int, dict[str, int]],
    closing: dict[int, datetime.date],
    types: dict[str, InterventionType],
    today: datetime.date,
    rng: random.Random,
) -> list[tuple[object, ...]]:
    """A term of deliveries per case: the services its needs call for, from the plan until today (or closure)."""
    from django.db import connection

    now = connection.ops.adapt_datetimefield_value(
        datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)
    )
    drawn = {p.case_id: p.drawn_up_on for p in plans}
    visit_by_case: dict[int, list[HomeVisit]] = defaultdict(list)
    for visit in done_visits:
        visit_by_case[visit.case_id].append(visit)
    rows: list[tuple[object, ...]] = []
    for case in cases:
        worker = case.case_worker_id
        needs = needs_by_case[case.pk]
        end = closing.get(case.pk, today)
        start = max(drawn[case.pk] + ONE_DAY, today - datetime.timedelta(weeks=TERM_WEEKS))
        chosen = list(CHILD_SERVICES[:2])
        chosen += rng.sample(CHILD_SERVICES[2:], 1)
        family = [s for s in FAMILY_SERVICES if needs[Domain.FAMILY] >= 2 or needs[Domain.ECONOMIC] >= 3]
        for code, quantity, every in chosen + family[: rng.randint(0, len(family))]:
            kind = types[code]
            first = start + datetime.timedelta(days=rng.randint(0, 10))
            recipient = Recipient.FAMILY if kind.recipient == InterventionType.Recipient.FAMILY else Recipient.CHILD
            for day in _weekdays_from(first, end, every):
                qty = rng.randint(*quantity) if quantity else None
                rows.append((case.pk, case.child_id, kind.pk, db_date(day), worker, recipient, qty, "", now))
        if start <= end:
            rows.append(
                (
                    case.pk,
                    case.child_id,
                    types["school-kit"].pk,
                    db_date(min(end, start + ONE_DAY)),
                    worker,
                    Recipient.CHILD,
                    1,
                    "",
                    now,
                )
            )
        for visit in visit_by_case[case.pk]:
            rows.append(
                (
                    case.pk,
                    case.child_id,
                    types["home-visit"].pk,
                    db_date(visit.visited_on),
                    worker,
                    Recipient.FAMILY,
                    None,
                    "",
                    now,
                )
            )
    return rows
