"""The demo's programme "Împreună pentru copii!": its schools, its targets and its target group.

The schools are drawn with the seed from Iași's public rural schools with both primary and lower-secondary
pupils. The target group is screened in October 2025 (the children at highest risk, with the programme's Roma
share), confirmed with the parents' consent, and changes after: families that move away and parents who withdraw
their consent leave it, and a few dozen children are newly proposed. Each membership is written with its steps,
its consents and the ethnicity declared by the family.
"""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from prezent.accounts.models import Role, User
from prezent.children.models import Consent, EthnicityDeclaration, ParentsAbroad
from prezent.demo.exceptions import DemoError
from prezent.demo.plan import COUNTY, FULL_SCHOOLS, ChildPlan, D, DemoPlan, HouseholdPlan, SchoolPlan
from prezent.demo.rows import db_date, rows_insert
from prezent.programme.models import (
    MembershipStatus,
    MembershipStep,
    Programme,
    ProgrammeTarget,
    TargetGroupMembership,
)
from prezent.programme.services import programme_create, programme_schools_add
from prezent.schools.models import Environment, Locality, School
from prezent.schools.network_import import IASI_SCHOOL_NETWORK_FILE

ENROLMENT_FILE = Path(__file__).resolve().parent / "data" / "iasi_school_enrolment_2024_2025.csv"

PROGRAMME_CODE = "RO10-0070"
PROGRAMME_NAME = "Împreună pentru copii!"
PROGRAMME_FUNDER = "Granturile SEE — programul RO10 «Copii și tineri în situații de risc»"
PROGRAMME_START = D(2025, 9, 1)
PROGRAMME_END = D(2027, 7, 31)

# The programme's real figures (DOMAIN.md): 80 schools, 1,445 children of whom 350 Roma, 268 Roma parents.
FULL_TARGET_GROUP = 1445
FULL_ROMA_CHILDREN = 350
FULL_ROMA_GUARDIANS = 268
FULL_PROPOSED = 36
FULL_EXITED = 12

# (indicator, value, set on, reason), oldest first: the newest row of an indicator is the one in force.
PROGRAMME_TARGETS: tuple[tuple[str, int, datetime.date, str], ...] = (
    ("children", 1070, D(2025, 9, 1), "Cererea de finanțare aprobată (proiectul RO10-0070)"),
    ("children_roma", 268, D(2025, 9, 1), "Cererea de finanțare aprobată (proiectul RO10-0070)"),
    ("parents", 1070, D(2025, 9, 1), "Cererea de finanțare aprobată (proiectul RO10-0070)"),
    ("parents_roma", 268, D(2025, 9, 1), "Cererea de finanțare aprobată (proiectul RO10-0070)"),
    ("teachers", 1023, D(2025, 9, 1), "Cererea de finanțare aprobată (proiectul RO10-0070)"),
    ("children", 1445, D(2025, 11, 14), "Revizuită după identificarea copiilor în cele 80 de școli participante"),
    ("children_roma", 350, D(2025, 11, 14), "Revizuită după identificarea copiilor în cele 80 de școli participante"),
)

# Schools with more pupils than this are the big peri-urban schools next to Iași city, not the programme's.
MAX_SCHOOL_PUPILS = 800
MIN_LEVEL_PUPILS = 30
LEVELS = ("Primar", "Gimnazial")

SCREENING_REASON = "Fișa de identificare a riscului completată în școală"
INCLUSION_REASON = "Confirmat în grupul țintă: criteriile de eligibilitate verificate, acordul părintelui semnat"

# A membership step before it is written: (from status, to status, date, reason, actor).
Step = tuple[str, str, datetime.date, str, User]


# ---------------------------------------------------------------------------------------------------------------
# The schools


def schools_pick(plan: DemoPlan) -> None:
    """Public rural PJ schools with primary and lower-secondary pupils, drawn with the seed."""
    enrolment = _enrolment_by_school()
    candidates = _candidate_schools(enrolment)
    if not candidates:
        raise DemoError(_("Registrul nu are școli rurale potrivite: verificați `load_registry`."))
    chosen = plan.rng.sample(candidates, min(plan.n_schools, len(candidates)))
    plan.n_schools = len(chosen)
    # The demo school (`scoala`, `profesor`): the first school drawn of middle size (150–350 pupils, so it
    # has a few classes with two letters), else the first drawn. It always has a Roma community.
    middle = [s for s in chosen if 150 <= sum(enrolment[s.siiir_code].get(k, 0) for k in LEVELS) <= 350]
    demo_school_code = (middle or chosen)[0].siiir_code
    chosen.sort(key=lambda s: s.siiir_code)
    villages_by_uat = _villages_by_uat(chosen)
    for index, school in enumerate(chosen):
        villages = villages_by_uat.get(school.locality.uat_id or school.locality_id, []) or [school.locality]
        if school.locality not in villages:
            villages = [school.locality, *villages]
        has_roma = school.siiir_code == demo_school_code or plan.rng.random() < 0.35
        plan.school_plans.append(_school_plan(plan, index, school, enrolment[school.siiir_code], villages, has_roma))
    plan.demo_school = next(p for p in plan.school_plans if p.school.siiir_code == demo_school_code)


def _enrolment_by_school() -> dict[str, dict[str, int]]:
    """Pupils per school (SIIIR code) and level in 2024-2025."""
    enrolment: dict[str, dict[str, int]] = {}
    with ENROLMENT_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            enrolment.setdefault(row["cod_siiir_unitate"], {})[row["nivel"]] = int(row["numar_elevi"])
    return enrolment


def _candidate_schools(enrolment: dict[str, dict[str, int]]) -> list[School]:
    """The county's public rural PJ schools with at least 30 pupils in each level and at most 800 in all, in
    SIIIR order."""
    public: list[str] = []
    with IASI_SCHOOL_NETWORK_FILE.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["Forma proprietate"].startswith("Publică"):
                public.append(row["Cod SIIIR unitate"])
    public_codes = frozenset(public)
    candidates: list[School] = []
    for school in (
        School.objects.filter(county_code=COUNTY, kind=School.Kind.PJ, environment=Environment.RURAL)
        .select_related("locality")
        .order_by("siiir_code")
    ):
        pupils = enrolment.get(school.siiir_code, {})
        primary, lower = pupils.get("Primar", 0), pupils.get("Gimnazial", 0)
        if school.siiir_code not in public_codes:
            continue
        if primary < MIN_LEVEL_PUPILS or lower < MIN_LEVEL_PUPILS or primary + lower > MAX_SCHOOL_PUPILS:
            continue
        candidates.append(school)
    return candidates


def _villages_by_uat(schools: list[School]) -> dict[int, list[Locality]]:
    """The villages of the schools' communes (UATs), in SIRUTA order: where their pupils live."""
    uat_ids = sorted({s.locality.uat_id or s.locality_id for s in schools})
    villages_by_uat: dict[int, list[Locality]] = {}
    for village in Locality.objects.filter(uat_id__in=uat_ids).order_by("siruta"):
        assert village.uat_id is not None
        villages_by_uat.setdefault(village.uat_id, []).append(village)
    return villages_by_uat


def _school_plan(
    plan: DemoPlan, index: int, school: School, pupils: dict[str, int], villages: list[Locality], has_roma: bool
) -> SchoolPlan:
    """A school of the programme: a school with a Roma community has 12–30 % Roma families, most of them in
    one of its villages."""
    roma_share = plan.rng.uniform(0.12, 0.30) if has_roma else 0.0
    roma_village = plan.rng.choice(villages) if has_roma else None
    locality = school.locality
    return SchoolPlan(
        index=index,
        school=school,
        primary=pupils["Primar"],
        lower_secondary=pupils["Gimnazial"],
        villages=villages,
        roma_share=roma_share,
        roma_village=roma_village,
        lat=locality.latitude if locality.latitude is not None else 47.16,
        lon=locality.longitude if locality.longitude is not None else 27.58,
    )


# ---------------------------------------------------------------------------------------------------------------
# The target group


def _scaled(plan: DemoPlan, full: int, minimum: int = 1) -> int:
    return max(minimum, round(full * plan.n_schools / FULL_SCHOOLS))


def target_group_select(plan: DemoPlan) -> None:
    """Screened in October 2025: the children at highest risk in grades 0–VII (VIII would leave in June).

    Exactly the programme's 1,445 (350 Roma) end up "included"; families that moved away since are
    "exited", as are a few whose parents withdrew their consent.
    """
    total = _scaled(plan, FULL_TARGET_GROUP)
    roma_total = round(total * FULL_ROMA_CHILDREN / FULL_TARGET_GROUP)
    exits_wanted = _scaled(plan, FULL_EXITED)
    candidates = [c for c in plan.children if c.segments[0].klass.grade <= 7]
    candidates.sort(key=lambda c: (-c.risk, c.index))
    exited = _include(plan, [c for c in candidates if c.household.roma], roma_total, exits_wanted)
    exited += _include(plan, [c for c in candidates if not c.household.roma], total - roma_total, exits_wanted - exited)
    _withdraw(plan, candidates, exits_wanted - exited)
    _ethnicity_declare(plan)


def _include(plan: DemoPlan, pool: list[ChildPlan], wanted: int, exits_left: int) -> int:
    """The first `wanted` children of the pool who are still in their school are included. Those before them
    who moved away exited the group (up to `exits_left`), some days after they left. Returns how many exited."""
    included = exited = 0
    for child in pool:
        if included >= wanted:
            break
        left = child.left_in(0)
        if left is not None and left.end_reason != "dropped_out":
            if exited < exits_left:
                child.membership = MembershipStatus.EXITED
                child.exit_reason = (
                    "Familia a plecat în străinătate"
                    if left.end_reason == "moved_abroad"
                    else "Transferat la o școală din afara programului"
                )
                assert left.end is not None
                child.exit_date = min(plan.today, left.end + datetime.timedelta(days=plan.rng.randint(2, 12)))
                exited += 1
            continue
        child.membership = MembershipStatus.INCLUDED
        included += 1
    return exited


def _withdraw(plan: DemoPlan, candidates: list[ChildPlan], exits_left: int) -> None:
    """The remaining exits: the parents of children at highest risk not in the group and still in school
    withdraw their consent between February and May 2026."""
    exited = 0
    for child in candidates:
        if exited >= exits_left:
            break
        if child.membership or child.left_in(0) is not None:
            continue
        child.membership = MembershipStatus.EXITED
        child.exit_reason = "Părinții și-au retras acordul de participare"
        child.exit_date = min(
            plan.last_recorded_day, D(2026, 2, 2) + datetime.timedelta(days=plan.rng.randrange(0, 120))
        )
        exited += 1


def _ethnicity_declare(plan: DemoPlan) -> None:
    """The group's Roma children declare it; 40 % of the others declare themselves Romanian."""
    for child in plan.children:
        if child.membership and child.household.roma:
            child.ethnicity = EthnicityDeclaration.Ethnicity.ROMA
        elif child.membership and plan.rng.random() < 0.4:
            child.ethnicity = EthnicityDeclaration.Ethnicity.ROMANIAN


def proposed_select(plan: DemoPlan) -> None:
    """A few dozen children proposed by their schools this year and not yet confirmed."""
    wanted = _scaled(plan, FULL_PROPOSED, minimum=2)
    reference = plan.last_recorded_day
    pool = [c for c in plan.children if not c.membership and c.segment_on(reference) is not None]
    pool.sort(key=lambda c: (-c.risk, c.index))
    for child in pool[:wanted]:
        child.membership = MembershipStatus.PROPOSED


# ---------------------------------------------------------------------------------------------------------------
# Writing


@dataclass
class _Records:
    """The target group's rows, collected in the order they are written."""

    memberships: list[TargetGroupMembership] = field(default_factory=list)
    steps: list[tuple[int, str, str, datetime.date, str, User]] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    declarations: list[EthnicityDeclaration] = field(default_factory=list)
    roma_households: list[HouseholdPlan] = field(default_factory=list)


def programme_write(plan: DemoPlan) -> Programme:
    """The programme with its schools and targets, then its target group: every membership with its steps,
    the consents, and the ethnicity declared by the children and by the parents of the Roma children."""
    programme = _programme_create(plan)
    coordinators = [plan.user(0), plan.user(1)]
    records = _Records()
    for n, child in enumerate(c for c in plan.children if c.membership):
        if child.membership == MembershipStatus.PROPOSED:
            path = _proposal_path(plan, child)
        else:
            path = _inclusion_path(plan, child, coordinators[n % 2], records)
        records.memberships.append(
            TargetGroupMembership(programme=programme, child_id=child.pk, status=child.membership, since=path[-1][2])
        )
        records.steps.extend((len(records.memberships) - 1, *step) for step in path)
    TargetGroupMembership.objects.bulk_create(records.memberships, batch_size=1000)
    rows_insert(
        MembershipStep,
        ("membership", "from_status", "to_status", "date", "reason", "actor"),
        (
            (records.memberships[i].pk, a, b, db_date(day), reason, actor.pk)
            for i, a, b, day, reason, actor in records.steps
        ),
    )
    _roma_parents_declare(plan, records)
    Consent.objects.bulk_create(records.consents, batch_size=1000)
    EthnicityDeclaration.objects.bulk_create(records.declarations, batch_size=1000)
    plan.out(
        _("Programul %(code)s: %(n)d copii în grupul țintă (toate stările).")
        % {"code": PROGRAMME_CODE, "n": len(records.memberships)}
    )
    return programme


def _programme_create(plan: DemoPlan) -> Programme:
    """Through the services a real county's coordinator uses on the set-up pages (audited as theirs)."""
    coordinator = next(s.obj for s in plan.staff if s.role == Role.COUNTY_COORDINATOR and s.obj is not None)
    programme = programme_create(
        county_code=COUNTY,
        code=PROGRAMME_CODE,
        name=PROGRAMME_NAME,
        funder=PROGRAMME_FUNDER,
        start=PROGRAMME_START,
        end=PROGRAMME_END,
        actor=coordinator,
    )
    programme_schools_add(programme=programme, school_ids=[s.school.pk for s in plan.school_plans], actor=coordinator)
    ProgrammeTarget.objects.bulk_create(
        [
            ProgrammeTarget(programme=programme, indicator=indicator, value=value, set_on=set_on, reason=reason)
            for indicator, value, set_on, reason in PROGRAMME_TARGETS
        ]
    )
    return programme


def _proposal_path(plan: DemoPlan, child: ChildPlan) -> list[Step]:
    """A child proposed in the last weeks: screened by the school coordinator 3–12 days before the proposal."""
    rng = plan.rng
    proposed = max(D(2025, 11, 3), plan.last_recorded_day - datetime.timedelta(days=rng.randint(2, 40)))
    screened = proposed - datetime.timedelta(days=rng.randint(3, 12))
    actor = plan.user(child.segments[0].klass.school.coordinator)
    return [
        ("", MembershipStatus.SCREENED, screened, SCREENING_REASON, actor),
        (MembershipStatus.SCREENED, MembershipStatus.PROPOSED, proposed, _reason(child), actor),
    ]


def _inclusion_path(plan: DemoPlan, child: ChildPlan, coordinator: User, records: _Records) -> list[Step]:
    """A child of the October screening: screened, proposed, the parent's consent, included by a county
    coordinator from 20 October 2025; exited for some. Adds the consents and the declared ethnicity."""
    rng = plan.rng
    school = child.segments[0].klass.school
    screened = D(2025, 10, 1) + datetime.timedelta(days=rng.randint(0, 9))
    proposed = screened + datetime.timedelta(days=rng.randint(3, 8))
    consent_day = proposed + datetime.timedelta(days=rng.randint(1, 4))
    included = max(consent_day, D(2025, 10, 20)) + datetime.timedelta(days=rng.randint(0, 10))
    path: list[Step] = [
        ("", MembershipStatus.SCREENED, screened, SCREENING_REASON, coordinator),
        (MembershipStatus.SCREENED, MembershipStatus.PROPOSED, proposed, _reason(child), coordinator),
        (MembershipStatus.PROPOSED, MembershipStatus.INCLUDED, included, INCLUSION_REASON, coordinator),
    ]
    withdrawn = child.exit_reason.startswith("Părinții")
    guardian = child.household.guardians[0].pk
    records.consents.append(
        Consent(
            child_id=child.pk,
            guardian_id=guardian,
            purpose=Consent.Purpose.PROGRAMME,
            legal_basis=Consent.LegalBasis.CONSENT,
            given_on=consent_day,
            recorded_by=plan.user(school.coordinator),
            withdrawn_on=child.exit_date if withdrawn else None,
        )
    )
    if child.membership == MembershipStatus.EXITED:
        assert child.exit_date is not None
        path.append(
            (MembershipStatus.INCLUDED, MembershipStatus.EXITED, child.exit_date, child.exit_reason, coordinator)
        )
    if child.ethnicity:
        _ethnicity_record(plan, child, school, guardian, consent_day, records)
    return path


def _ethnicity_record(
    plan: DemoPlan,
    child: ChildPlan,
    school: SchoolPlan,
    guardian: int,
    consent_day: datetime.date,
    records: _Records,
) -> None:
    """The child's declared ethnicity, with its own consent, recorded by the school's mediator on the day of the
    programme consent."""
    recorder = plan.user(school.mediator)
    records.consents.append(
        Consent(
            child_id=child.pk,
            guardian_id=guardian,
            purpose=Consent.Purpose.ETHNICITY,
            legal_basis=Consent.LegalBasis.CONSENT,
            given_on=consent_day,
            recorded_by=recorder,
        )
    )
    records.declarations.append(
        EthnicityDeclaration(
            child_id=child.pk,
            ethnicity=child.ethnicity,
            declared_on=consent_day,
            legal_basis=Consent.LegalBasis.CONSENT,
            recorded_by=recorder,
        )
    )
    if child.ethnicity == EthnicityDeclaration.Ethnicity.ROMA and child.household not in records.roma_households:
        records.roma_households.append(child.household)


def _roma_parents_declare(plan: DemoPlan, records: _Records) -> None:
    """The parents of the Roma children declare their ethnicity too (the programme reports Roma parents)."""
    for household in records.roma_households:
        declared_on = D(2025, 10, 15) + datetime.timedelta(days=plan.rng.randint(0, 15))
        recorder = plan.user(household.school.mediator)
        for g in household.guardians:
            records.declarations.append(
                EthnicityDeclaration(
                    guardian_id=g.pk,
                    ethnicity=EthnicityDeclaration.Ethnicity.ROMA,
                    declared_on=declared_on,
                    legal_basis=Consent.LegalBasis.CONSENT,
                    recorded_by=recorder,
                )
            )


def _reason(child: ChildPlan) -> str:
    """The school's reason for proposing the child: the family's circumstances that put it at risk."""
    h = child.household
    parts = []
    if h.social_benefit:
        parts.append("familie cu ajutor social")
    if h.parents_abroad in (ParentsAbroad.BOTH, ParentsAbroad.ONLY_PARENT):
        parts.append("părinți plecați în străinătate")
    if h.single_parent:
        parts.append("familie monoparentală")
    if child.over_age:
        parts.append("repetenție / vârstă peste clasă")
    if h.distance_km > 4:
        parts.append("distanță mare până la școală")
    if h.no_papers:
        parts.append("fără acte de identitate")
    if not parts:
        parts.append("absențe frecvente și situație materială precară")
    return "Propus de școală: " + "; ".join(parts)
