"""The deterministic Iași demo: real schools and enrolment figures, generated people and absences.

`demo_seed` builds the whole demo for one seed: the real Iași localities and school network (`load_registry`),
the programme "Împreună pentru copii!" with its targets and their revisions, the pupils of the participating
schools in 2025-2026 and 2026-2027 (moving up a grade, repeating, moving away, dropping out), their households
and guardians, the target group (with the Roma share and the consents), the staff with their roles, and one
register entry per class and school day with the absences of that day.

Everything is planned in memory first (random.Random(seed) and Faker("ro_RO") seeded with the seed, lists in a
fixed order, never a set or a dict whose order depends on hashing), then written with bulk inserts. The same
seed and the same `today` give the same rows. The assumptions behind every number are in docs/demo.md.

Nothing here prints a child's name: progress lines and the audit event hold counts only.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import hashlib
import io
import math
import random
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from faker import Faker

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.attendance.marks.values import default_subjects, uses_qualifiers
from prezent.attendance.models import CONDUCT_SUBJECT, Absence, ExcuseReason, ModuleResult, RegisterEntry
from prezent.children.cnp import cnp_make
from prezent.children.models import (
    Child,
    Consent,
    Enrolment,
    EthnicityDeclaration,
    Guardian,
    Guardianship,
    Household,
    ParentsAbroad,
    Sex,
)
from prezent.core.services import audit_record
from prezent.programme.models import (
    MembershipStatus,
    MembershipStep,
    Programme,
    ProgrammeTarget,
    TargetGroupMembership,
)
from prezent.schools.calendar import Calendar
from prezent.schools.models import (
    ClassGroup,
    Environment,
    Locality,
    Module,
    School,
    SchoolYear,
    default_hours_per_day,
    level_for_grade,
)
from prezent.schools.network_import import IASI_SCHOOL_NETWORK_FILE
from prezent.schools.selectors import calendar_for

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

DEMO_PASSWORD = "prezent-demo"  # noqa: S105 - the published password of the demo logins
COUNTY = "IS"
CNP_COUNTY_IASI = 22
ENROLMENT_FILE = Path(__file__).resolve().parent / "data" / "iasi_school_enrolment_2024_2025.csv"

PROGRAMME_CODE = "RO10-0070"
PROGRAMME_NAME = "Împreună pentru copii!"
PROGRAMME_FUNDER = "Granturile SEE — programul RO10 «Copii și tineri în situații de risc»"
PROGRAMME_START = D(2025, 9, 1)
PROGRAMME_END = D(2027, 7, 31)
EARLIEST_TODAY = D(2025, 11, 3)

# The programme's real figures (DOMAIN.md): 80 schools, 1,445 children of whom 350 Roma, 268 Roma parents.
FULL_SCHOOLS = 80
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

# Class sizes: a class holds at most 28 pupils; two classes of a grade are made only if each keeps at least 10.
MAX_CLASS_SIZE = 28
MIN_CLASS_SIZE = 10
LETTERS = "ABCDEFGH"

# Schools with more pupils than this are the big peri-urban schools next to Iași city, not the programme's.
MAX_SCHOOL_PUPILS = 800
MIN_LEVEL_PUPILS = 30
LEVELS = ("Primar", "Gimnazial")

# Absence episode kinds.
ILLNESS, FARM, SKIP, PARTIAL, DROPPING = "illness", "farm", "skip", "partial", "dropping"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str | Promise


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "coordonator",
        Role.COUNTY_COORDINATOR,
        gettext_lazy("toate școlile județului; confirmă grupul țintă, stabilește ținte, raportează"),
    ),
    DemoLogin(
        "asistent",
        Role.CASE_WORKER,
        gettext_lazy("copiii propuși și incluși din cele ~10 școli ale sale (printre ele școala demo)"),
    ),
    DemoLogin("scoala", Role.SCHOOL_COORDINATOR, gettext_lazy("școala demo: clase, liste, alerte, absențe")),
    DemoLogin("profesor", Role.CLASS_TEACHER, gettext_lazy("clasa sa (a III-a) din școala demo: condica")),
    DemoLogin("mediator", Role.SCHOOL_MEDIATOR, gettext_lazy("cele ~4 școli ale sale, printre ele școala demo")),
    DemoLogin("formator", Role.TRAINER, gettext_lazy("doar cursurile sale: sesiuni, prezență, certificate")),
    DemoLogin("evaluator", Role.ME_VIEWER, gettext_lazy("doar indicatori agregați, niciun nume de copil")),
    DemoLogin("admin", Role.ADMINISTRATOR, gettext_lazy("conturi, roluri și setări; fără date despre copii")),
)


class DemoError(Exception):
    """The demo cannot be built (production settings, data already there, a wrong option)."""


def production_refusal() -> str:
    return _("Demo-ul nu se poate genera cu setările de producție (PREZENT_PRODUCTION).")


def demo_allowed() -> bool:
    """The demo writes invented people: never in production."""
    return not getattr(settings, "PREZENT_PRODUCTION", False)


def demo_exists() -> bool:
    return Programme.objects.exists()


def demo_school() -> School | None:
    """The school of the `scoala` and `profesor` logins, once the demo is built."""
    assignment = RoleAssignment.objects.filter(user__username="scoala", role=Role.SCHOOL_COORDINATOR).first()
    return assignment.schools.order_by("pk").first() if assignment else None


INSERT_CHUNK = 20000


def rows_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert plain rows with one prepared statement (`executemany`), for the demo's big tables.

    `bulk_create` spends far more time turning model instances into parameters than the database spends
    inserting them (≈20× on SQLite); rows here are already plain values, dates adapted by `db_date` and
    `db_datetime`. Table and column names come from the model's meta and are quoted.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(cast(models.Field, meta.get_field(name)).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    total = 0
    chunk: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= INSERT_CHUNK:
                cursor.executemany(sql, chunk)
                total += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total


def rows_insert_ids(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """`rows_insert`, then the new ids in insertion order (ids grow with each insert inside the transaction;
    the demo runs alone on its database)."""
    before = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    rows_insert(model, fields, rows)
    ids = list(model._default_manager.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(rows):
        raise DemoError(
            _("%(model)s: %(written)d rânduri scrise, %(read)d citite înapoi.")
            % {"model": model._meta.label, "written": len(rows), "read": len(ids)}
        )
    return ids


def db_date(day: datetime.date | None) -> object:
    return connection.ops.adapt_datefield_value(day)


def db_datetime(moment: datetime.datetime | None) -> object:
    return connection.ops.adapt_datetimefield_value(moment)


# ---------------------------------------------------------------------------------------------------------------
# The plan: plain objects, filled in memory, written at the end.


@dataclass(eq=False)
class SchoolPlan:
    index: int
    school: School
    primary: int
    lower_secondary: int
    villages: list[Locality]
    roma_share: float
    roma_village: Locality | None
    lat: float
    lon: float
    # grade -> letters, per school year (0: 2025-2026, 1: 2026-2027)
    letters: list[dict[int, list[str]]] = field(default_factory=lambda: [{}, {}])
    coordinator: int = -1  # indexes into the staff list
    mediator: int = -1
    case_worker: int = -1
    households: list[HouseholdPlan] = field(default_factory=list)


@dataclass(eq=False)
class ClassPlan:
    index: int
    year: int
    school: SchoolPlan
    grade: int
    letter: str
    teacher: int = -1
    obj: ClassGroup | None = None

    @property
    def hours_per_day(self) -> int:
        return default_hours_per_day(self.grade)


@dataclass(eq=False)
class GuardianPlan:
    first_name: str
    last_name: str
    sex: str
    relationship: str
    primary: bool
    phone: str
    phone_verified: bool
    works_abroad: bool
    pk: int = 0


@dataclass(eq=False)
class HouseholdPlan:
    index: int
    school: SchoolPlan
    village: Locality
    last_name: str
    roma: bool
    poverty: float
    social_benefit: bool
    parents_abroad: str
    parents_abroad_since: datetime.date | None
    single_parent: bool
    distance_km: float
    no_papers: bool
    number: int
    children: list[ChildPlan] = field(default_factory=list)
    guardians: list[GuardianPlan] = field(default_factory=list)
    pk: int = 0


@dataclass(eq=False)
class Segment:
    """An enrolment: a child in a class from `start` to `end` (None: still enrolled)."""

    klass: ClassPlan
    start: datetime.date
    end: datetime.date | None = None
    end_reason: str = ""
    repeating: bool = False


@dataclass(eq=False)
class ChildPlan:
    index: int
    household: HouseholdPlan
    sex: str
    first_name: str
    birth_date: datetime.date
    over_age: bool
    risk: float = 0.0
    cnp: str = ""
    segments: list[Segment] = field(default_factory=list)
    chronic: bool = False
    rate: float = 0.03
    farm_work: bool = False
    membership: str = ""  # included / exited / proposed
    exit_reason: str = ""
    exit_date: datetime.date | None = None
    roma_declared: bool = False
    ethnicity: str = ""
    pk: int = 0

    def segment_on(self, day: datetime.date) -> Segment | None:
        for segment in self.segments:
            if segment.start <= day and (segment.end is None or day <= segment.end):
                return segment
        return None


@dataclass(eq=False)
class StaffPlan:
    username: str
    first_name: str
    last_name: str
    role: str
    scope_kind: str
    schools: list[SchoolPlan] = field(default_factory=list)
    superuser: bool = False
    demo_login: bool = False
    obj: User | None = None


@dataclass
class DemoReport:
    counts: dict[str, int]
    seconds: float


# ---------------------------------------------------------------------------------------------------------------


def demo_seed(
    *,
    seed: int = 2026,
    schools: int = FULL_SCHOOLS,
    today: datetime.date | None = None,
    out: Callable[[str], None] | None = None,
) -> DemoReport:
    """Build the whole demo in an empty database. Raises DemoError if it may not or cannot."""
    if not demo_allowed():
        raise DemoError(production_refusal())
    if demo_exists() or User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).exists():
        raise DemoError(_("Baza de date are deja un program sau conturile demo; demo-ul se generează o singură dată."))
    if schools < 1:
        raise DemoError(_("Numărul de școli trebuie să fie cel puțin 1."))
    day = today or timezone.localdate()
    if day < EARLIEST_TODAY:
        raise DemoError(_("Data de referință (--today) trebuie să fie cel puțin 3.11.2025."))
    return DemoBuilder(seed=seed, schools=schools, today=day, out=out or (lambda _line: None)).run()


class DemoBuilder:
    def __init__(self, *, seed: int, schools: int, today: datetime.date, out: Callable[[str], None]) -> None:
        self.seed = seed
        self.n_schools = schools
        self.today = today
        self.out = out
        self.rng = random.Random(seed)
        self.fake = Faker("ro_RO")
        self.fake.seed_instance(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.school_plans: list[SchoolPlan] = []
        self.classes: list[ClassPlan] = []
        self.class_by_key: dict[tuple[int, int, int, str], ClassPlan] = {}
        self.households: list[HouseholdPlan] = []
        self.children: list[ChildPlan] = []
        self.staff: list[StaffPlan] = []
        self.cnp_serials: dict[tuple[datetime.date, str], int] = {}
        self.counts: dict[str, int] = {}
        self.moments: dict[tuple[datetime.date, int, int], object] = {}
        self.days_cache: dict[datetime.date, object] = {}

    # -- orchestration -----------------------------------------------------------------------------------------------

    def run(self) -> DemoReport:
        started = time.monotonic()
        self.out(_("Registrul: localitățile, rețeaua școlară și anii școlari oficiali…"))
        call_command("load_registry", stdout=io.StringIO(), stderr=io.StringIO())
        self.years = [
            SchoolYear.objects.get(county_code=COUNTY, name="2025-2026"),
            SchoolYear.objects.get(county_code=COUNTY, name="2026-2027"),
        ]
        self.calendars: list[Calendar] = [calendar_for(year) for year in self.years]
        self.year_days: list[list[datetime.date]] = [
            list(cal.school_days(year.start, year.end)) for cal, year in zip(self.calendars, self.years, strict=True)
        ]
        self.last_day: list[datetime.date | None] = [self._last_data_day(y) for y in range(2)]
        # Farm work in autumn (Sep–Oct) and spring (Apr–May); illness peaks in winter (Dec–Feb).
        self.farm_days = [[i for i, d in enumerate(days) if d.month in (9, 10, 4, 5)] for days in self.year_days]
        self.winter_days = [[i for i, d in enumerate(days) if d.month in (12, 1, 2)] for days in self.year_days]

        self._pick_schools()
        self._plan_year_one()
        self._plan_moves(0)
        self._select_target_group()
        for child in self.children:
            self._assign_propensity(child)
        self._plan_dropouts(0)
        self._plan_year_two()
        self._plan_moves(1)
        self._plan_dropouts(1)
        self._select_proposed()
        self._plan_staff()
        self.out(
            _("Plan: %(schools)d școli, %(classes)d clase, %(children)d copii, %(households)d gospodării.")
            % {
                "schools": len(self.school_plans),
                "classes": len(self.classes),
                "children": len(self.children),
                "households": len(self.households),
            }
        )
        with transaction.atomic():
            self._write_staff()
            self._write_classes()
            self._write_people()
            programme = self._write_programme()
            for year in range(2):
                self._write_register(year)
            self._write_results(1)
            self.counts = demo_stats()
            audit_record(
                actor=None,
                action="demo.seed",
                target=programme,
                details={"seed": self.seed, "schools": self.n_schools, "today": self.today.isoformat(), **self.counts},
            )
        seconds = time.monotonic() - started
        self.out(_("Gata în %(seconds).1f s.") % {"seconds": seconds})
        return DemoReport(counts=self.counts, seconds=seconds)

    def _last_data_day(self, year: int) -> datetime.date | None:
        """The last school day of the year up to `today` (None when the year has not started)."""
        days = self.year_days[year]
        index = bisect.bisect_right(days, self.today)
        return days[index - 1] if index else None

    # -- schools and classes -----------------------------------------------------------------------------------------

    def _pick_schools(self) -> None:
        """Public rural PJ schools with primary and lower-secondary pupils, drawn with the seed."""
        enrolment: dict[str, dict[str, int]] = {}
        with ENROLMENT_FILE.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                enrolment.setdefault(row["cod_siiir_unitate"], {})[row["nivel"]] = int(row["numar_elevi"])
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
        if not candidates:
            raise DemoError(_("Registrul nu are școli rurale potrivite: verificați `load_registry`."))
        chosen = self.rng.sample(candidates, min(self.n_schools, len(candidates)))
        self.n_schools = len(chosen)
        # The demo school (`scoala`, `profesor`): the first school drawn of middle size (150–350 pupils, so it
        # has a few classes with two letters), else the first drawn. It always has a Roma community.
        middle = [s for s in chosen if 150 <= sum(enrolment[s.siiir_code].get(k, 0) for k in LEVELS) <= 350]
        self.demo_school_code = (middle or chosen)[0].siiir_code
        chosen.sort(key=lambda s: s.siiir_code)

        uat_ids = sorted({s.locality.uat_id or s.locality_id for s in chosen})
        villages_by_uat: dict[int, list[Locality]] = {}
        for village in Locality.objects.filter(uat_id__in=uat_ids).order_by("siruta"):
            assert village.uat_id is not None
            villages_by_uat.setdefault(village.uat_id, []).append(village)

        for index, school in enumerate(chosen):
            pupils = enrolment[school.siiir_code]
            villages = villages_by_uat.get(school.locality.uat_id or school.locality_id, []) or [school.locality]
            if school.locality not in villages:
                villages = [school.locality, *villages]
            has_roma = school.siiir_code == self.demo_school_code or self.rng.random() < 0.35
            roma_share = self.rng.uniform(0.12, 0.30) if has_roma else 0.0
            roma_village = self.rng.choice(villages) if has_roma else None
            locality = school.locality
            self.school_plans.append(
                SchoolPlan(
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
            )
        self.demo_school = next(p for p in self.school_plans if p.school.siiir_code == self.demo_school_code)

    def _split(self, total: int, parts: int) -> list[int]:
        """`total` pupils over `parts` grades, each grade within ±15 % of the mean (largest remainder)."""
        weights = [self.rng.uniform(0.85, 1.15) for _ in range(parts)]
        scale = total / sum(weights)
        raw = [w * scale for w in weights]
        sizes = [int(x) for x in raw]
        order = sorted(range(parts), key=lambda i: (-(raw[i] - sizes[i]), i))
        for i in order[: total - sum(sizes)]:
            sizes[i] += 1
        return sizes

    @staticmethod
    def class_count(pupils: int) -> int:
        """Classes of a grade: as few as keep each under 28 pupils, never two of fewer than 10."""
        count = max(1, math.ceil(pupils / MAX_CLASS_SIZE))
        while count > 1 and pupils / count < MIN_CLASS_SIZE:
            count -= 1
        return count

    def _class(self, year: int, school: SchoolPlan, grade: int, letter: str) -> ClassPlan:
        key = (year, school.index, grade, letter)
        klass = self.class_by_key.get(key)
        if klass is None:
            klass = ClassPlan(index=len(self.classes), year=year, school=school, grade=grade, letter=letter)
            self.classes.append(klass)
            self.class_by_key[key] = klass
            letters = school.letters[year].setdefault(grade, [])
            if letter not in letters:
                letters.append(letter)
        return klass

    def _class_end(self, klass: ClassPlan) -> datetime.date:
        """Grade VIII ends a week before the others (DOMAIN.md)."""
        end = self.years[klass.year].end
        return end - datetime.timedelta(days=7) if klass.grade == 8 else end

    # -- people ------------------------------------------------------------------------------------------------------

    def _new_household(self, school: SchoolPlan) -> HouseholdPlan:
        rng = self.rng
        roma = rng.random() < school.roma_share
        if roma and school.roma_village is not None and rng.random() < 0.85:
            village = school.roma_village
        elif rng.random() < 0.55:
            village = school.school.locality
        else:
            village = rng.choice(school.villages)
        poverty = rng.random() ** 1.8
        if roma:
            poverty = min(1.0, poverty * 0.6 + 0.35)
        draw = rng.random()
        if draw < 0.035:
            abroad = ParentsAbroad.BOTH
        elif draw < 0.12:
            abroad = ParentsAbroad.ONE
        elif draw < 0.135:
            abroad = ParentsAbroad.ONLY_PARENT
        elif draw < 0.16:
            abroad = ParentsAbroad.RETURNED
        else:
            abroad = ParentsAbroad.NONE
        since = None
        if abroad == ParentsAbroad.RETURNED:
            since = D(2023, 1, 1) + datetime.timedelta(days=rng.randrange(0, 900))
        elif abroad != ParentsAbroad.NONE:
            since = D(2017, 1, 1) + datetime.timedelta(days=rng.randrange(0, 3150))
        single = abroad == ParentsAbroad.ONLY_PARENT or rng.random() < 0.09 + 0.10 * poverty
        near = village == school.school.locality
        distance = rng.uniform(0.2, 2.5) if near else rng.uniform(2.0, 9.5)
        household = HouseholdPlan(
            index=len(self.households),
            school=school,
            village=village,
            last_name=self.fake.last_name(),
            roma=roma,
            poverty=poverty,
            social_benefit=rng.random() < 0.04 + 0.75 * poverty**1.5,
            parents_abroad=abroad,
            parents_abroad_since=since,
            single_parent=single,
            distance_km=round(distance, 1),
            no_papers=rng.random() < (0.005 + (0.08 if roma and poverty > 0.6 else 0.0)),
            number=rng.randint(1, 480),
        )
        self.households.append(household)
        school.households.append(household)
        return household

    def _birth_date(self, school_year: int, grade: int, extra_years: int) -> datetime.date:
        """Pregătitoare takes children who turn 6 by 31 August; each repeated or late year adds one."""
        first_year = self.years[school_year].start.year - 7 - grade - extra_years
        start = D(first_year, 9, 1)
        return start + datetime.timedelta(days=self.rng.randrange(0, 365))

    def _new_child(self, household: HouseholdPlan, birth_date: datetime.date, over_age: bool) -> ChildPlan:
        sex = Sex.FEMALE if self.rng.random() < 0.49 else Sex.MALE
        first = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        child = ChildPlan(
            index=len(self.children),
            household=household,
            sex=sex,
            first_name=first,
            birth_date=birth_date,
            over_age=over_age,
        )
        if not household.no_papers and self.rng.random() < 0.6:
            key = (birth_date, sex)
            serial = self.cnp_serials.get(key, self.rng.randint(1, 400))
            self.cnp_serials[key] = serial + 1
            child.cnp = cnp_make(sex=sex, birth_date=birth_date, county=CNP_COUNTY_IASI, serial=serial % 1000 or 1)
        self.children.append(child)
        household.children.append(child)
        return child

    def _risk(self, child: ChildPlan) -> float:
        """A latent risk that drives the school's proposal and, with it, the absences."""
        h = child.household
        risk = 0.45 * h.poverty + (0.15 if h.roma else 0.0)
        if h.parents_abroad in (ParentsAbroad.BOTH, ParentsAbroad.ONLY_PARENT):
            risk += 0.15
        elif h.parents_abroad == ParentsAbroad.ONE:
            risk += 0.05
        risk += 0.08 * h.single_parent + 0.25 * child.over_age + 0.06 * (h.distance_km > 4) + 0.1 * h.no_papers
        return risk + self.rng.gauss(0, 0.1)

    def _plan_year_one(self) -> None:
        """2025-2026: the real pupil numbers (2024-2025 file) spread over the grades, in households."""
        rng = self.rng
        year_start = self.years[0].start
        for school in self.school_plans:
            sizes = self._split(school.primary, 5) + self._split(school.lower_secondary, 4)
            slots: list[tuple[int, str]] = []
            for grade, size in enumerate(sizes):
                count = self.class_count(size)
                for k in range(count):
                    klass = self._class(0, school, grade, LETTERS[k])
                    share = size // count + (1 if k < size % count else 0)
                    slots.extend((klass.grade, klass.letter) for _ in range(share))
            rng.shuffle(slots)
            taken = [False] * len(slots)
            for i, (grade, letter) in enumerate(slots):
                if taken[i]:
                    continue
                household = self._new_household(school)
                draw = rng.random()
                siblings = 0 if draw < 0.62 else 1 if draw < 0.90 else 2
                members = [(i, grade, letter)]
                grades = {grade}
                j = i + 1
                while siblings and j < min(len(slots), i + 80):
                    if not taken[j] and slots[j][0] not in grades:
                        members.append((j, *slots[j]))
                        grades.add(slots[j][0])
                        siblings -= 1
                    j += 1
                for slot, g, letter_ in members:
                    taken[slot] = True
                    repeating = g >= 1 and rng.random() < 0.02 + 0.04 * household.poverty
                    late = not repeating and household.no_papers and rng.random() < 0.5
                    child = self._new_child(
                        household, self._birth_date(0, g, int(repeating or late)), repeating or late
                    )
                    klass = self.class_by_key[(0, school.index, g, letter_)]
                    child.segments.append(
                        Segment(klass=klass, start=year_start, end=self._class_end(klass), end_reason="year_end")
                    )
                    child.segments[-1].repeating = repeating
                    child.risk = self._risk(child)
                self._add_guardians(household)

    def _add_guardians(self, household: HouseholdPlan) -> None:
        rng, fake = self.rng, self.fake
        name = household.last_name

        def phone() -> str:
            return f"07{rng.randint(20000000, 99999999)}"

        def person(sex: str, relationship: str, primary: bool, works_abroad: bool = False) -> GuardianPlan:
            has_phone = rng.random() < (0.92 - 0.25 * household.poverty)
            return GuardianPlan(
                first_name=fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male(),
                last_name=name,
                sex=sex,
                relationship=relationship,
                primary=primary,
                phone=phone() if has_phone else "",
                phone_verified=has_phone and rng.random() < 0.35,
                works_abroad=works_abroad,
            )

        mother, father = Guardianship.Relationship.MOTHER, Guardianship.Relationship.FATHER
        grand = Guardianship.Relationship.GRANDPARENT
        abroad = household.parents_abroad
        if abroad == ParentsAbroad.BOTH or abroad == ParentsAbroad.ONLY_PARENT:
            household.guardians = [person(Sex.FEMALE, grand, True), person(Sex.FEMALE, mother, False, True)]
        elif abroad == ParentsAbroad.ONE:
            household.guardians = [person(Sex.FEMALE, mother, True), person(Sex.MALE, father, False, True)]
        elif household.single_parent:
            if rng.random() < 0.85:
                household.guardians = [person(Sex.FEMALE, mother, True)]
            else:
                household.guardians = [person(Sex.MALE, father, True)]
        elif rng.random() < 0.8:
            household.guardians = [person(Sex.FEMALE, mother, True), person(Sex.MALE, father, False)]
        else:
            household.guardians = [person(Sex.FEMALE, mother, True)]

    # -- movements ---------------------------------------------------------------------------------------------------

    def _random_day(self, year: int, first: datetime.date, last: datetime.date) -> datetime.date | None:
        days = self.year_days[year]
        lo, hi = bisect.bisect_left(days, first), bisect.bisect_right(days, last)
        return days[self.rng.randrange(lo, hi)] if hi > lo else None

    def _next_school_day(self, year: int, day: datetime.date) -> datetime.date | None:
        days = self.year_days[year]
        index = bisect.bisect_right(days, day)
        return days[index] if index < len(days) else None

    def _plan_moves(self, year: int) -> None:
        """About 1 % of families move in a year: to another programme school, another school, or abroad."""
        last = self.last_day[year]
        if last is None:
            return
        start = self.years[year].start
        first = D(2025, 11, 3) if year == 0 else start + datetime.timedelta(days=14)
        window_end = min(last, self.years[year].end - datetime.timedelta(days=21))
        if window_end < first:
            return
        full = (self.years[year].end - first).days
        probability = 0.011 * (window_end - first).days / full
        for household in list(self.households):
            if self.rng.random() >= probability:
                continue
            if year == 1 and any(c.membership for c in household.children):
                continue  # the target group stays as confirmed; its families are followed, not moved
            day = self._random_day(year, first, window_end)
            if day is None:
                continue
            active = [(c, c.segment_on(day)) for c in household.children]
            moving = [
                (c, s) for c, s in active if s is not None and s.klass.year == year and s.end_reason != "dropped_out"
            ]
            if not moving:
                continue
            inside = self.rng.random() < 0.35 and len(self.school_plans) > 1
            abroad_family = household.parents_abroad in (
                ParentsAbroad.BOTH,
                ParentsAbroad.ONE,
                ParentsAbroad.ONLY_PARENT,
            )
            reason = "moved_school"
            if not inside and self.rng.random() < (0.5 if abroad_family else 0.25):
                reason = "moved_abroad"
            destination: SchoolPlan | None = None
            if inside:
                destination = self.rng.choice([s for s in self.school_plans if s is not household.school])
            next_day = self._next_school_day(year, day)
            for child, segment in moving:
                assert segment is not None
                old_end, old_reason = segment.end, segment.end_reason
                segment.end, segment.end_reason = day, reason
                if destination is None or next_day is None:
                    continue
                letters = destination.letters[year].get(segment.klass.grade)
                if not letters:
                    continue
                klass = self.class_by_key[(year, destination.index, segment.klass.grade, self.rng.choice(letters))]
                child.segments.append(
                    Segment(
                        klass=klass,
                        start=next_day,
                        end=old_end if old_reason == "year_end" else None,
                        end_reason=old_reason if old_reason == "year_end" else "",
                        repeating=segment.repeating,
                    )
                )
            if destination is not None:
                household.school.households.remove(household)
                household.school = destination
                destination.households.append(household)
                household.village = destination.school.locality
                household.distance_km = round(self.rng.uniform(0.2, 2.5), 1)

    def _left(self, child: ChildPlan, year: int) -> Segment | None:
        """The child's last segment of the year if it ended by leaving (moved away or dropped out)."""
        segments = [s for s in child.segments if s.klass.year == year]
        if segments and segments[-1].end_reason in ("moved_school", "moved_abroad", "dropped_out"):
            return segments[-1]
        return None

    # -- target group ------------------------------------------------------------------------------------------------

    def _scaled(self, full: int, minimum: int = 1) -> int:
        return max(minimum, round(full * self.n_schools / FULL_SCHOOLS))

    def _select_target_group(self) -> None:
        """Screened in October 2025: the children at highest risk in grades 0–VII (VIII would leave in June).

        Exactly the programme's 1,445 (350 Roma) end up "included"; families that moved away since are
        "exited", as are a few whose parents withdrew their consent.
        """
        total = self._scaled(FULL_TARGET_GROUP)
        roma_total = round(total * FULL_ROMA_CHILDREN / FULL_TARGET_GROUP)
        exits_wanted = self._scaled(FULL_EXITED)
        candidates = [c for c in self.children if c.segments[0].klass.grade <= 7]
        candidates.sort(key=lambda c: (-c.risk, c.index))
        exited = 0

        def take(pool: list[ChildPlan], wanted: int) -> None:
            nonlocal exited
            included = 0
            for child in pool:
                if included >= wanted:
                    break
                left = self._left(child, 0)
                if left is not None and left.end_reason != "dropped_out":
                    if exited < exits_wanted:
                        child.membership = MembershipStatus.EXITED
                        child.exit_reason = (
                            "Familia a plecat în străinătate"
                            if left.end_reason == "moved_abroad"
                            else "Transferat la o școală din afara programului"
                        )
                        assert left.end is not None
                        child.exit_date = min(self.today, left.end + datetime.timedelta(days=self.rng.randint(2, 12)))
                        exited += 1
                    continue
                child.membership = MembershipStatus.INCLUDED
                included += 1

        take([c for c in candidates if c.household.roma], roma_total)
        take([c for c in candidates if not c.household.roma], total - roma_total)
        last = max(d for d in self.last_day if d is not None)
        for child in candidates:
            if exited >= exits_wanted:
                break
            if child.membership or self._left(child, 0) is not None:
                continue
            child.membership = MembershipStatus.EXITED
            child.exit_reason = "Părinții și-au retras acordul de participare"
            child.exit_date = min(last, D(2026, 2, 2) + datetime.timedelta(days=self.rng.randrange(0, 120)))
            exited += 1
        for child in self.children:
            if child.membership and child.household.roma:
                child.ethnicity = EthnicityDeclaration.Ethnicity.ROMA
            elif child.membership and self.rng.random() < 0.4:
                child.ethnicity = EthnicityDeclaration.Ethnicity.ROMANIAN

    def _select_proposed(self) -> None:
        """A few dozen children proposed by their schools this year and not yet confirmed."""
        wanted = self._scaled(FULL_PROPOSED, minimum=2)
        reference = max(d for d in self.last_day if d is not None)
        pool = [c for c in self.children if not c.membership and c.segment_on(reference) is not None]
        pool.sort(key=lambda c: (-c.risk, c.index))
        for child in pool[:wanted]:
            child.membership = MembershipStatus.PROPOSED

    # -- absence propensity, dropping out, repeating -----------------------------------------------------------------

    def _assign_propensity(self, child: ChildPlan) -> None:
        """Most pupils miss 1–6 % of their hours; a minority (more in the target group) 10 % or more."""
        rng = self.rng
        in_group = child.membership in (MembershipStatus.INCLUDED, MembershipStatus.EXITED)
        chronic_probability = 0.33 if in_group else 0.02 + 0.10 * min(1.0, max(0.0, child.risk))
        child.chronic = rng.random() < chronic_probability
        if child.chronic:
            child.rate = rng.uniform(0.10, 0.22) if rng.random() < 0.85 else rng.uniform(0.22, 0.40)
        elif in_group:
            child.rate = rng.uniform(0.04, 0.09)
        else:
            child.rate = rng.triangular(0.005, 0.065, 0.028)
        h = child.household
        child.farm_work = h.poverty >= 0.45 or h.social_benefit

    def _plan_dropouts(self, year: int) -> None:
        """A few pupils, mostly chronic absentees from grade IV up, stop coming and are written off."""
        last = self.last_day[year]
        if last is None:
            return
        start = self.years[year].start
        first = D(2026, 1, 12) if year == 0 else start + datetime.timedelta(days=35)
        window_end = min(last, self.years[year].end - datetime.timedelta(days=21))
        if window_end < first:
            return
        fraction = (window_end - first).days / max(1, (self.years[year].end - datetime.timedelta(days=21) - first).days)
        for child in self.children:
            segments = [s for s in child.segments if s.klass.year == year]
            if not segments or segments[-1].end_reason not in ("year_end", ""):
                continue
            grade = segments[-1].klass.grade
            probability = 0.001 + (0.06 if child.chronic and grade >= 4 else 0.0) + (0.005 if grade >= 6 else 0.0)
            if self.rng.random() >= probability * fraction:
                continue
            day = self._random_day(year, max(first, segments[-1].start + datetime.timedelta(days=40)), window_end)
            if day is None:
                continue
            segment = segments[-1]
            segment.end, segment.end_reason = day, "dropped_out"

    def _plan_year_two(self) -> None:
        """2026-2027: everyone moves up a grade; VIII leaves, a new pregătitoare arrives; a few repeat."""
        rng = self.rng
        start = self.years[1].start
        # The classes of 2026-2027 continue the 2025-2026 cohorts, letter by letter.
        for school in self.school_plans:
            for grade in range(0, 8):
                for letter in school.letters[0].get(grade, []):
                    self._class(1, school, grade + 1, letter)
        for child in list(self.children):
            segments = [s for s in child.segments if s.klass.year == 0]
            if not segments:
                continue
            last = segments[-1]
            if last.end_reason != "year_end":
                continue
            grade = last.klass.grade
            repeat_probability = 0.006 + (0.08 if child.chronic else 0.0) + (0.06 if child.rate > 0.22 else 0.0)
            repeats = grade >= 1 and rng.random() < repeat_probability
            if grade == 8 and not repeats:
                continue
            new_grade = grade if repeats else grade + 1
            letters = last.klass.school.letters[1].get(new_grade) or ["A"]
            letter = last.klass.letter if last.klass.letter in letters else letters[0]
            klass = self._class(1, last.klass.school, new_grade, letter)
            child.segments.append(Segment(klass=klass, start=start, repeating=repeats))
        # The new pregătitoare: about as many as last year's, some of them younger siblings.
        first_graders = [0] * len(self.school_plans)
        for child in self.children:
            klass = child.segments[0].klass
            if klass.year == 0 and klass.grade == 0:
                first_graders[klass.school.index] += 1
        for school in self.school_plans:
            previous = first_graders[school.index]
            size = max(1, round(previous * rng.uniform(0.85, 1.1)))
            count = self.class_count(size)
            families = [h for h in school.households if any(c.segment_on(start) for c in h.children)]
            for k in range(count):
                klass = self._class(1, school, 0, LETTERS[k])
                for _seat in range(size // count + (1 if k < size % count else 0)):
                    if families and rng.random() < 0.3:
                        household = rng.choice(families)
                    else:
                        household = self._new_household(school)
                        self._add_guardians(household)
                    child = self._new_child(household, self._birth_date(1, 0, 0), False)
                    child.segments.append(Segment(klass=klass, start=start))
                    child.risk = self._risk(child)
                    self._assign_propensity(child)

    # -- staff -------------------------------------------------------------------------------------------------------

    def _person_name(self) -> tuple[str, str]:
        if self.rng.random() < 0.75:
            return self.fake.first_name_female(), self.fake.last_name()
        return self.fake.first_name_male(), self.fake.last_name()

    def _add_staff(self, username: str, role: str, scope_kind: str, schools: Sequence[SchoolPlan] = ()) -> int:
        first, last = self._person_name()
        self.staff.append(
            StaffPlan(
                username=username,
                first_name=first,
                last_name=last,
                role=role,
                scope_kind=scope_kind,
                schools=list(schools),
                superuser=role == Role.ADMINISTRATOR,
                demo_login=username in {login.username for login in DEMO_LOGINS},
            )
        )
        return len(self.staff) - 1

    def _groups(self, size: int) -> list[list[SchoolPlan]]:
        """Schools in groups of `size` neighbours: the first school left with its nearest remaining ones."""
        remaining = list(self.school_plans)
        groups: list[list[SchoolPlan]] = []
        while remaining:
            head = remaining.pop(0)
            remaining.sort(key=lambda s: ((s.lat - head.lat) ** 2 + ((s.lon - head.lon) * 0.68) ** 2, s.index))
            group = [head, *remaining[: size - 1]]
            remaining = sorted(remaining[size - 1 :], key=lambda s: s.index)
            groups.append(group)
        return groups

    def _plan_staff(self) -> None:
        """Two county coordinators, case workers (~10 schools each), mediators (~4), school coordinators, teachers."""
        demo = self.demo_school
        self._add_staff("coordonator", Role.COUNTY_COORDINATOR, RoleAssignment.ScopeKind.COUNTY)
        self._add_staff("coord.judet.2", Role.COUNTY_COORDINATOR, RoleAssignment.ScopeKind.COUNTY)
        for n, group in enumerate(self._groups(10), start=1):
            name = "asistent" if demo in group else f"asistent.{n}"
            index = self._add_staff(name, Role.CASE_WORKER, RoleAssignment.ScopeKind.SCHOOLS, group)
            for school in group:
                school.case_worker = index
        for n, group in enumerate(self._groups(4), start=1):
            name = "mediator" if demo in group else f"mediator.{n}"
            index = self._add_staff(name, Role.SCHOOL_MEDIATOR, RoleAssignment.ScopeKind.SCHOOLS, group)
            for school in group:
                school.mediator = index
        for school in self.school_plans:
            name = "scoala" if school is demo else f"coord.{school.index + 1}"
            school.coordinator = self._add_staff(
                name, Role.SCHOOL_COORDINATOR, RoleAssignment.ScopeKind.SCHOOLS, [school]
            )
        self._add_staff("evaluator", Role.ME_VIEWER, RoleAssignment.ScopeKind.NONE)
        self._add_staff("admin", Role.ADMINISTRATOR, RoleAssignment.ScopeKind.NONE)

        # Teachers: a primary teacher keeps a class from pregătitoare to IV; a form teacher (diriginte) from V
        # to VIII. Whoever finished IV takes a new pregătitoare; whoever finished VIII takes a new V.
        demo_class = self.class_by_key.get((1, demo.index, 3, "A"))
        counter = 0

        def teacher(school: SchoolPlan, klass: ClassPlan) -> int:
            nonlocal counter
            if klass is demo_class:
                return self._add_staff("profesor", Role.CLASS_TEACHER, RoleAssignment.ScopeKind.SCHOOLS, [school])
            counter += 1
            return self._add_staff(f"prof.{counter}", Role.CLASS_TEACHER, RoleAssignment.ScopeKind.SCHOOLS, [school])

        for school in self.school_plans:
            year_one = sorted(
                (c for c in self.classes if c.school is school and c.year == 0), key=lambda c: (c.grade, c.letter)
            )
            year_two = sorted(
                (c for c in self.classes if c.school is school and c.year == 1), key=lambda c: (c.grade, c.letter)
            )
            # The teacher of the demo class is created first so that `profesor` teaches it in both years.
            continuing: dict[ClassPlan, ClassPlan] = {}
            for klass in year_two:
                if klass.grade in (0, 5):
                    continue
                before = self.class_by_key.get((0, school.index, klass.grade - 1, klass.letter))
                if before is not None:
                    continuing[before] = klass
            for klass in year_one:
                follows = continuing.get(klass)
                klass.teacher = teacher(school, demo_class if demo_class and follows is demo_class else klass)
                if follows is not None:
                    follows.teacher = klass.teacher
            freed_primary = [c.teacher for c in year_one if c.grade == 4]
            freed_lower = [c.teacher for c in year_one if c.grade == 8]
            for klass in year_two:
                if klass.teacher >= 0:
                    continue
                pool = freed_primary if klass.grade <= 4 else freed_lower
                klass.teacher = pool.pop(0) if pool else teacher(school, klass)

    # -- writing -----------------------------------------------------------------------------------------------------

    def _write_staff(self) -> None:
        demo_hash = make_password(DEMO_PASSWORD)
        locked = make_password(None)
        users = [
            User(
                username=s.username,
                first_name=s.first_name,
                last_name=s.last_name,
                password=demo_hash if s.demo_login else locked,
                is_staff=s.superuser,
                is_superuser=s.superuser,
            )
            for s in self.staff
        ]
        User.objects.bulk_create(users, batch_size=500)
        for plan, user in zip(self.staff, users, strict=True):
            plan.obj = user
        valid_from = D(2025, 9, 1)
        assignments = [
            RoleAssignment(
                user=s.obj,
                role=s.role,
                scope_kind=s.scope_kind,
                county_code=COUNTY if s.scope_kind == RoleAssignment.ScopeKind.COUNTY else "",
                valid_from=valid_from,
            )
            for s in self.staff
        ]
        RoleAssignment.objects.bulk_create(assignments, batch_size=500)
        through = RoleAssignment.schools.through
        links = [
            through(roleassignment_id=a.pk, school_id=school.school.pk)
            for s, a in zip(self.staff, assignments, strict=True)
            for school in s.schools
        ]
        through.objects.bulk_create(links, batch_size=900)
        self.out(_("Personal: %(users)d conturi, %(roles)d roluri.") % {"users": len(users), "roles": len(assignments)})

    def _user(self, index: int) -> User:
        user = self.staff[index].obj
        assert user is not None
        return user

    def _write_classes(self) -> None:
        groups = [
            ClassGroup(
                school=c.school.school,
                school_year=self.years[c.year],
                level=level_for_grade(c.grade),
                grade=c.grade,
                letter=c.letter,
                teacher=self._user(c.teacher),
                hours_per_day=c.hours_per_day,
            )
            for c in self.classes
        ]
        ClassGroup.objects.bulk_create(groups, batch_size=500)
        for plan, group in zip(self.classes, groups, strict=True):
            plan.obj = group
        self.out(_("Clase: %(n)d (2025-2026 și 2026-2027).") % {"n": len(groups)})

    def _write_people(self) -> None:
        """Households, guardians and children, written as plain rows; their ids are read back in order."""
        now = db_datetime(timezone.now())
        household_rows = [
            (
                h.village.pk,
                f"nr. {h.number}",
                h.social_benefit,
                h.parents_abroad,
                db_date(h.parents_abroad_since),
                h.single_parent,
                Decimal(f"{h.distance_km:.1f}"),
                h.no_papers,
                len(h.children) + len(h.guardians) + self.rng.randint(0, 3),
                now,
                now,
            )
            for h in self.households
        ]
        household_fields = (
            "locality",
            "address",
            "social_benefit",
            "parents_abroad",
            "parents_abroad_since",
            "single_parent",
            "distance_to_school_km",
            "no_identity_papers",
            "members",
            "created_at",
            "updated_at",
        )
        for h, pk in zip(self.households, rows_insert_ids(Household, household_fields, household_rows), strict=True):
            h.pk = pk
        guardian_plans = [g for h in self.households for g in h.guardians]
        guardian_rows = [
            (g.first_name, g.last_name, g.sex, h.pk, g.phone, g.phone_verified, "", g.works_abroad, now, now)
            for h in self.households
            for g in h.guardians
        ]
        guardian_fields = (
            "first_name",
            "last_name",
            "sex",
            "household",
            "phone",
            "phone_verified",
            "email",
            "works_abroad",
            "created_at",
            "updated_at",
        )
        for g, pk in zip(guardian_plans, rows_insert_ids(Guardian, guardian_fields, guardian_rows), strict=True):
            g.pk = pk
        child_rows = [
            (
                c.first_name,
                c.household.last_name,
                c.sex,
                db_date(c.birth_date),
                c.cnp,
                c.household.pk,
                c.farm_work and c.chronic and c.segments[0].klass.grade >= 6,
                now,
                now,
            )
            for c in self.children
        ]
        child_fields = (
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "cnp",
            "household",
            "works",
            "created_at",
            "updated_at",
        )
        for c, pk in zip(self.children, rows_insert_ids(Child, child_fields, child_rows), strict=True):
            c.pk = pk
        children, households, guardians = self.children, self.households, guardian_plans
        links = rows_insert(
            Guardianship,
            ("child", "guardian", "relationship", "is_primary_contact"),
            ((c.pk, g.pk, g.relationship, g.primary) for c in self.children for g in c.household.guardians),
        )
        enrolments = rows_insert(
            Enrolment,
            ("child", "class_group", "start", "end", "end_reason", "repeating"),
            (
                (c.pk, s.klass.obj.pk, db_date(s.start), db_date(s.end), s.end_reason, s.repeating)
                for c in self.children
                for s in c.segments
                if s.klass.obj
            ),
        )
        self.out(
            _(
                "Copii: %(children)d, gospodării: %(households)d, părinți / tutori: %(guardians)d "
                "(%(links)d legături), înscrieri: %(enrolments)d."
            )
            % {
                "children": len(children),
                "households": len(households),
                "guardians": len(guardians),
                "links": links,
                "enrolments": enrolments,
            }
        )

    def _write_programme(self) -> Programme:
        rng = self.rng
        programme = Programme.objects.create(
            code=PROGRAMME_CODE,
            name=PROGRAMME_NAME,
            funder=PROGRAMME_FUNDER,
            county_code=COUNTY,
            start=PROGRAMME_START,
            end=PROGRAMME_END,
        )
        programme.schools.set([s.school for s in self.school_plans])
        ProgrammeTarget.objects.bulk_create(
            [
                ProgrammeTarget(programme=programme, indicator=indicator, value=value, set_on=set_on, reason=reason)
                for indicator, value, set_on, reason in PROGRAMME_TARGETS
            ]
        )
        coordinators = [self._user(0), self._user(1)]
        members = [c for c in self.children if c.membership]
        memberships: list[TargetGroupMembership] = []
        steps: list[tuple[int, str, str, datetime.date, str, User]] = []
        consents: list[Consent] = []
        declarations: list[EthnicityDeclaration] = []
        last = max(d for d in self.last_day if d is not None)
        roma_households: list[HouseholdPlan] = []
        for n, child in enumerate(members):
            coordinator = coordinators[n % 2]
            school = child.segments[0].klass.school
            guardian = child.household.guardians[0].pk
            if child.membership == MembershipStatus.PROPOSED:
                proposed = max(D(2025, 11, 3), last - datetime.timedelta(days=rng.randint(2, 40)))
                screened = proposed - datetime.timedelta(days=rng.randint(3, 12))
                actor = self._user(school.coordinator)
                path = [
                    (
                        "",
                        MembershipStatus.SCREENED,
                        screened,
                        "Fișa de identificare a riscului completată în școală",
                        actor,
                    ),
                    (MembershipStatus.SCREENED, MembershipStatus.PROPOSED, proposed, self._reason(child), actor),
                ]
            else:
                screened = D(2025, 10, 1) + datetime.timedelta(days=rng.randint(0, 9))
                proposed = screened + datetime.timedelta(days=rng.randint(3, 8))
                consent_day = proposed + datetime.timedelta(days=rng.randint(1, 4))
                included = max(consent_day, D(2025, 10, 20)) + datetime.timedelta(days=rng.randint(0, 10))
                path = [
                    (
                        "",
                        MembershipStatus.SCREENED,
                        screened,
                        "Fișa de identificare a riscului completată în școală",
                        coordinator,
                    ),
                    (MembershipStatus.SCREENED, MembershipStatus.PROPOSED, proposed, self._reason(child), coordinator),
                    (
                        MembershipStatus.PROPOSED,
                        MembershipStatus.INCLUDED,
                        included,
                        "Confirmat în grupul țintă: criteriile de eligibilitate verificate, acordul părintelui semnat",
                        coordinator,
                    ),
                ]
                withdrawn = child.exit_reason.startswith("Părinții")
                consents.append(
                    Consent(
                        child_id=child.pk,
                        guardian_id=guardian,
                        purpose=Consent.Purpose.PROGRAMME,
                        legal_basis=Consent.LegalBasis.CONSENT,
                        given_on=consent_day,
                        recorded_by=self._user(school.coordinator),
                        withdrawn_on=child.exit_date if withdrawn else None,
                    )
                )
                if child.membership == MembershipStatus.EXITED:
                    assert child.exit_date is not None
                    path.append(
                        (
                            MembershipStatus.INCLUDED,
                            MembershipStatus.EXITED,
                            child.exit_date,
                            child.exit_reason,
                            coordinator,
                        )
                    )
                if child.ethnicity:
                    recorder = self._user(school.mediator)
                    consents.append(
                        Consent(
                            child_id=child.pk,
                            guardian_id=guardian,
                            purpose=Consent.Purpose.ETHNICITY,
                            legal_basis=Consent.LegalBasis.CONSENT,
                            given_on=consent_day,
                            recorded_by=recorder,
                        )
                    )
                    declarations.append(
                        EthnicityDeclaration(
                            child_id=child.pk,
                            ethnicity=child.ethnicity,
                            declared_on=consent_day,
                            legal_basis=Consent.LegalBasis.CONSENT,
                            recorded_by=recorder,
                        )
                    )
                    if (
                        child.ethnicity == EthnicityDeclaration.Ethnicity.ROMA
                        and child.household not in roma_households
                    ):
                        roma_households.append(child.household)
            memberships.append(
                TargetGroupMembership(
                    programme=programme, child_id=child.pk, status=child.membership, since=path[-1][2]
                )
            )
            steps.extend((len(memberships) - 1, *step) for step in path)
        TargetGroupMembership.objects.bulk_create(memberships, batch_size=1000)
        rows_insert(
            MembershipStep,
            ("membership", "from_status", "to_status", "date", "reason", "actor"),
            ((memberships[i].pk, a, b, db_date(day), reason, actor.pk) for i, a, b, day, reason, actor in steps),
        )
        # The parents of the Roma children declare their ethnicity too (the programme reports Roma parents).
        for household in roma_households:
            declared_on = D(2025, 10, 15) + datetime.timedelta(days=rng.randint(0, 15))
            recorder = self._user(household.school.mediator)
            for g in household.guardians:
                declarations.append(
                    EthnicityDeclaration(
                        guardian_id=g.pk,
                        ethnicity=EthnicityDeclaration.Ethnicity.ROMA,
                        declared_on=declared_on,
                        legal_basis=Consent.LegalBasis.CONSENT,
                        recorded_by=recorder,
                    )
                )
        Consent.objects.bulk_create(consents, batch_size=1000)
        EthnicityDeclaration.objects.bulk_create(declarations, batch_size=1000)
        self.out(
            _("Programul %(code)s: %(n)d copii în grupul țintă (toate stările).")
            % {"code": PROGRAMME_CODE, "n": len(memberships)}
        )
        return programme

    def _reason(self, child: ChildPlan) -> str:
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

    # -- register and absences ---------------------------------------------------------------------------------------

    def _write_register(self, year: int) -> None:
        """One entry per class and school day up to today; ~1.5 % of class-days not recorded; this week some
        classes have not taken the register yet. Then the absences of the pupils on the recorded days."""
        last = self.last_day[year]
        name = self.years[year].name
        if last is None:
            self.out(_("absențe %(year)s: anul nu a început.") % {"year": name})
            return
        rng = self.rng
        days = self.year_days[year]
        db_days = [db_date(day) for day in days]
        week_start = last - datetime.timedelta(days=last.weekday())
        current = (self.today - last).days < 7
        this_week = [d for d in days if week_start <= d <= last] if current else []
        today_is_school_day = last == self.today
        rows: list[tuple[object, ...]] = []
        for klass in (c for c in self.classes if c.year == year):
            assert klass.obj is not None
            end = min(self._class_end(klass), last)
            teacher = self._user(klass.teacher).pk
            for index, day in enumerate(days):
                if day > end:
                    break
                if day in this_week:
                    missing = 0.3 if (today_is_school_day and day == last) else 0.08 if day == last else 0.03
                    if rng.random() < missing:
                        continue
                elif rng.random() < 0.015:
                    continue
                taken_at = self._moment(day, rng.randint(8, 13), 5 * rng.randint(0, 11))
                rows.append((klass.obj.pk, db_days[index], klass.hours_per_day, teacher, taken_at))
        written = rows_insert(RegisterEntry, ("class_group", "date", "hours", "taken_by", "taken_at"), rows)
        position = {day: index for index, day in enumerate(days)}
        entry_ids = {
            class_id * 1000 + position[day]: pk
            for class_id, day, pk in RegisterEntry.objects.filter(class_group__school_year=self.years[year])
            .values_list("class_group_id", "date", "pk")
            .iterator(chunk_size=20000)
        }
        self.out(_("condici %(year)s: %(n)d zile de clasă înregistrate.") % {"year": name, "n": written})

        quota = self.years[year].parent_excuse_quota_hours
        children = [c for c in self.children if any(s.klass.year == year for s in c.segments)]
        progress = {len(children) * k // 5: k * 20 for k in range(1, 5)}

        def absences() -> Iterable[tuple[object, ...]]:
            for n, child in enumerate(children, start=1):
                used = 0
                for segment in (s for s in child.segments if s.klass.year == year):
                    used = yield from self._absences(child, segment, year, last, quota, used, entry_ids, db_days)
                if n in progress:
                    self.out(_("absențe %(year)s: %(percent)d %%…") % {"year": name, "percent": progress[n]})

        fields = (
            "register_entry",
            "child",
            "date",
            "hours",
            "excused",
            "excuse_reason",
            "document_date",
            "excused_by",
            "excused_at",
            "recorded_by",
        )
        written = rows_insert(Absence, fields, absences())
        self.out(_("absențe %(year)s: 100 %% (%(n)d rânduri).") % {"year": name, "n": written})

    def _absences(
        self,
        child: ChildPlan,
        segment: Segment,
        year: int,
        last: datetime.date,
        quota: int,
        used: int,
        entry_ids: dict[int, int],
        db_days: list[object],
    ) -> Generator[tuple[object, ...], None, int]:
        """The absence rows of one enrolment, as episodes (illness, farm work, skipped days, partial days).
        Returns the parent-request hours used in the year so far."""
        rng = self.rng
        klass = segment.klass
        days = self.year_days[year]
        planned_end = min(segment.end or self._class_end(klass), self._class_end(klass))
        end = min(planned_end, last)
        lo, hi = bisect.bisect_left(days, segment.start), bisect.bisect_right(days, end)
        if hi <= lo:
            return used
        # Episodes are drawn over the whole enrolment, as if the year had run to its end, and only those up to the
        # last recorded day are kept: a year in progress then has the season's absences (few in autumn, more in
        # winter), not the whole year's share squeezed into its first months.
        full = max(hi, bisect.bisect_right(days, planned_end))
        hours_per_day = klass.hours_per_day
        absent: dict[int, int] = {}
        episodes: list[tuple[str, list[int], int]] = []

        if segment.end_reason == "dropped_out":
            streak = rng.randint(15, 30)
            run = [i for i in range(max(lo, hi - streak), hi) if rng.random() < 0.9]
            for i in run:
                absent[i] = hours_per_day
            if run:
                episodes.append((DROPPING, run, hours_per_day))

        target = child.rate * (full - lo) * hours_per_day * rng.uniform(0.75, 1.25)
        if year == 1 and child.membership == MembershipStatus.INCLUDED:
            # The programme works, somewhat: in its second year its children miss a quarter fewer hours (more for
            # some, none for others), so the dashboard's baseline comparison and the case pages have a story.
            target *= rng.uniform(0.45, 1.0)
        total = sum(absent.values())
        farm = self._window(self.farm_days[year], lo, full) if child.farm_work and klass.grade >= 5 else []
        winter = self._window(self.winter_days[year], lo, full)
        weights = (
            0.42,
            0.18 * (2.5 if child.chronic else 1.0),
            0.25,
            (0.2 * (2 if child.chronic else 1)) if farm else 0,
        )
        kinds = (ILLNESS, SKIP, PARTIAL, FARM)
        attempts = 0
        while total < target and attempts < 300:
            attempts += 1
            kind = rng.choices(kinds, weights)[0]
            hours = hours_per_day
            if kind == ILLNESS:
                first = rng.choice(winter) if winter and rng.random() < 0.55 else rng.randrange(lo, full)
                length = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
            elif kind == FARM:
                first = rng.choice(farm)
                length = rng.randint(1, 8 if child.chronic else 4)
            elif kind == SKIP:
                first = rng.randrange(lo, full)
                length = 1 if rng.random() < 0.7 else 2
            else:
                first = rng.randrange(lo, full)
                length = 1
                hours = rng.randint(1, min(3, hours_per_day - 1))
            run = [i for i in range(first, min(first + length, full)) if i not in absent]
            if not run:
                continue
            for i in run:
                absent[i] = hours
            total += hours * len(run)
            episodes.append((kind, run, hours))
        episodes = [(kind, kept, hours) for kind, run, hours in episodes if (kept := [i for i in run if i < hi])]

        assert klass.obj is not None
        child_id, teacher_id, class_key = child.pk, self._user(klass.teacher).pk, klass.obj.pk * 1000
        for kind, run, hours in episodes:
            first_day, last_day = days[run[0]], days[run[-1]]
            reason, document, excused_on = self._excuse(kind, len(run) * hours, first_day, last_day, quota - used)
            if reason == ExcuseReason.PARENT_REQUEST:
                used += len(run) * hours
            excused_at = None
            if excused_on is not None:
                excused_at = self._moment(excused_on, rng.randint(8, 15), 5 * rng.randint(0, 11))
            document_date = self._day(document)
            excused_by = teacher_id if reason else None
            for i in run:
                entry_id = entry_ids.get(class_key + i)
                if entry_id is None:
                    continue
                yield (
                    entry_id,
                    child_id,
                    db_days[i],
                    hours,
                    bool(reason),
                    reason,
                    document_date,
                    excused_by,
                    excused_at,
                    teacher_id,
                )
        return used

    # -- module results ----------------------------------------------------------------------------------------------

    def _write_results(self, year: int) -> None:
        """The marks of the modules of the year that have ended by `today`: averages in gimnaziu, calificative in
        primary school, conduct last. Lower for pupils at risk and for chronic absentees; a few under 5 (or
        "Insuficient"). A random generator of its own, so the rest of the demo does not change with it."""
        rng = random.Random(self.seed * 31 + year)
        modules = list(Module.objects.filter(school_year=self.years[year]).order_by("number"))
        ended = [m for m in modules if m.end <= self.today]
        fields = ["child", "class_group", "module", "subject", "average", "qualifier", "recorded_by", "recorded_at"]

        def qualifier(score: float) -> str:
            return "FB" if score >= 8.8 else "B" if score >= 7.0 else "S" if score >= 5.0 else "I"

        def rows() -> Iterable[tuple[object, ...]]:
            for module in ended:
                recorded_at = self._moment(module.end, 14, 0)
                for child in self.children:
                    segment = child.segment_on(module.end)
                    group = segment.klass.obj if segment is not None and segment.klass.year == year else None
                    if segment is None or group is None:
                        continue
                    klass = segment.klass
                    primary = uses_qualifiers(klass.grade)
                    subjects = default_subjects(level=group.level, grade=klass.grade)
                    if not subjects:
                        continue
                    base = 8.7 - 3.2 * child.risk - (1.3 if child.chronic else 0.0) + rng.gauss(0, 0.7)
                    teacher = self._user(klass.teacher).pk
                    for subject in subjects:
                        if subject == CONDUCT_SUBJECT:
                            low = child.chronic and rng.random() < 0.5
                            score = rng.choice((8.0, 9.0)) if low else (10.0 if rng.random() < 0.93 else 9.0)
                        else:
                            score = min(10.0, max(2.0, base + rng.gauss(0, 0.8)))
                        if primary:
                            mark: tuple[object, str] = (None, qualifier(score))
                        else:
                            mark = (Decimal(str(round(score, 2))), "")
                        yield (child.pk, group.pk, module.number, subject, *mark, teacher, recorded_at)

        written = rows_insert(ModuleResult, fields, rows())
        self.out(
            _("medii și calificative %(year)s: %(n)d (modulele încheiate: %(modules)s).")
            % {"year": self.years[year].name, "n": written, "modules": ", ".join(str(m.number) for m in ended) or "–"}
        )

    def _moment(self, day: datetime.date, hour: int, minute: int) -> object:
        """A local time on `day`, adapted for the database (cached: adapting is the slow part)."""
        key = (day, hour, minute)
        value = self.moments.get(key)
        if value is None:
            value = self.moments[key] = db_datetime(
                datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)
            )
        return value

    def _day(self, day: datetime.date | None) -> object:
        if day is None:
            return None
        value = self.days_cache.get(day)
        if value is None:
            value = self.days_cache[day] = db_date(day)
        return value

    @staticmethod
    def _window(indexes: list[int], lo: int, hi: int) -> list[int]:
        return indexes[bisect.bisect_left(indexes, lo) : bisect.bisect_left(indexes, hi)]

    def _excuse(
        self, kind: str, hours: int, first: datetime.date, last: datetime.date, quota_left: int
    ) -> tuple[str, datetime.date | None, datetime.date | None]:
        """Whether an episode gets excused, on which document and when. Excuses come 3–20 days late; the ones
        not yet due by `today` are still unexcused; parents' requests stop at the yearly quota."""
        rng = self.rng
        draw = rng.random()
        route: str
        if kind == ILLNESS:
            if hours <= 8 and draw < 0.35:
                route = ExcuseReason.PARENT_REQUEST
            elif draw < 0.85:
                route = ExcuseReason.MEDICAL
            else:
                return "", None, None
        elif kind == PARTIAL:
            route = ExcuseReason.PARENT_REQUEST if draw < 0.4 else ExcuseReason.MEDICAL if draw < 0.5 else ""
        elif kind == SKIP:
            route = ExcuseReason.PARENT_REQUEST if draw < 0.25 else ExcuseReason.OTHER_DOCUMENT if draw < 0.28 else ""
        elif kind == FARM:
            route = ExcuseReason.PARENT_REQUEST if draw < 0.08 else ""
        else:
            route = ""
        if not route:
            return "", None, None
        if route == ExcuseReason.PARENT_REQUEST:
            if hours > quota_left:
                return "", None, None
            document = first - datetime.timedelta(days=rng.randint(0, 2)) if rng.random() < 0.4 else last + ONE_DAY
            excused_on = last + datetime.timedelta(days=rng.randint(1, 10))
        else:
            document = last + datetime.timedelta(days=rng.randint(1, 5))
            excused_on = max(document, last + datetime.timedelta(days=rng.randint(3, 20)))
        if excused_on > self.today:
            return "", None, None
        return route, document, excused_on


# ---------------------------------------------------------------------------------------------------------------
# Counts and fingerprints: no personal data.


def demo_stats() -> dict[str, int]:
    """The counts of the main records, for `manage.py stats` and the audit event. Nothing personal."""
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    memberships = TargetGroupMembership.objects.filter(programme=programme) if programme else None
    roma = EthnicityDeclaration.Ethnicity.ROMA

    def members(status: str) -> int:
        return memberships.filter(status=status).count() if memberships is not None else 0

    absences = Absence.objects.aggregate(total=Sum("hours"))
    excused = Absence.objects.filter(excused=True).aggregate(total=Sum("hours"))
    return {
        "schools_in_programme": programme.schools.count() if programme else 0,
        "children": Child.objects.count(),
        "target_group_included": members(MembershipStatus.INCLUDED),
        "target_group_roma": (
            memberships.filter(status=MembershipStatus.INCLUDED, child__ethnicity_declaration__ethnicity=roma).count()
            if memberships is not None
            else 0
        ),
        "target_group_proposed": members(MembershipStatus.PROPOSED),
        "target_group_exited": members(MembershipStatus.EXITED),
        "guardians": Guardian.objects.count(),
        "roma_guardians": EthnicityDeclaration.objects.filter(guardian__isnull=False, ethnicity=roma).count(),
        "households": Household.objects.count(),
        "classes": ClassGroup.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "staff_users": User.objects.count(),
        "register_entries": RegisterEntry.objects.count(),
        "absences": Absence.objects.count(),
        "absence_hours": absences["total"] or 0,
        "absence_hours_excused": excused["total"] or 0,
    }


STATS_LABELS: dict[str, str | Promise] = {
    "schools_in_programme": gettext_lazy("școli în program"),
    "children": gettext_lazy("copii (elevi evaluați)"),
    "target_group_included": gettext_lazy("grup țintă (incluși)"),
    "target_group_roma": gettext_lazy("romi în grupul țintă"),
    "target_group_proposed": gettext_lazy("propuși (neconfirmați)"),
    "target_group_exited": gettext_lazy("ieșiți din grupul țintă"),
    "guardians": gettext_lazy("părinți / tutori"),
    "roma_guardians": gettext_lazy("părinți romi (declarați)"),
    "households": gettext_lazy("gospodării"),
    "classes": gettext_lazy("clase"),
    "enrolments": gettext_lazy("înscrieri"),
    "staff_users": gettext_lazy("conturi de utilizator"),
    "register_entries": gettext_lazy("zile de condică înregistrate"),
    "absences": gettext_lazy("absențe (rânduri copil-zi)"),
    "absence_hours": gettext_lazy("ore de absență"),
    "absence_hours_excused": gettext_lazy("ore de absență motivate"),
}


def absence_fingerprint() -> str:
    """A hash of every absence by natural keys (school, class, birth date, sex, day, hours, excused): equal for
    two runs with the same seed, whatever the database ids."""
    digest = hashlib.sha256()
    fields = (
        "register_entry__class_group__school__siiir_code",
        "register_entry__class_group__grade",
        "register_entry__class_group__letter",
        "child__birth_date",
        "child__sex",
        "date",
        "hours",
        "excused",
        "excuse_reason",
    )
    rows = Absence.objects.order_by(*fields).values_list(*fields)
    for row in rows.iterator(chunk_size=5000):
        digest.update(repr(row).encode())
    return digest.hexdigest()
