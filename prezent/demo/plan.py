"""The demo's plan: plain objects filled in memory, written to the database at the end.

`DemoPlan` holds what every part of the demo shares: the seed's random generators (one `random.Random` and one
`Faker("ro_RO")`, drawn from in a fixed order by the steps in `generator.py`), the two school years with their
school days, and the lists of planned schools, classes, households, children and staff. The other demo modules
add to it (`people`, `staff`, `programme`) and write it out (`registers`, `marks`).
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from faker import Faker

from prezent.accounts.models import User
from prezent.demo.rows import db_date, db_datetime
from prezent.schools.calendar import Calendar
from prezent.schools.models import ClassGroup, Locality, School, SchoolYear, default_hours_per_day
from prezent.schools.selectors import calendar_for

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
COUNTY = "IS"

# The programme's real number of schools (DOMAIN.md); the target group and its parts are scaled to the demo's.
FULL_SCHOOLS = 80


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
    repeats_next_year: bool = False  # the school decided at the year's end that the pupil repeats the grade


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
    # The pupil's path, drawn once (prezent.demo.people.path_assign): the level their marks vary around and
    # whether their conduct marks fall under 8. Outcomes (leaving school, repeating) are drawn from it.
    level: float = 8.7
    conduct_low: bool = False
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

    def left_in(self, year: int) -> Segment | None:
        """The child's last segment of the year if it ended by leaving (moved away or dropped out)."""
        segments = [s for s in self.segments if s.klass.year == year]
        if segments and segments[-1].end_reason in ("moved_school", "moved_abroad", "dropped_out"):
            return segments[-1]
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


class DemoPlan:
    """The demo being built for one seed and one `today`: its random generators, its two school years (index 0:
    2025-2026, 1: 2026-2027) and everything planned so far."""

    def __init__(
        self,
        *,
        seed: int,
        schools: int,
        today: datetime.date,
        out: Callable[[str], None],
        years: list[SchoolYear],
    ) -> None:
        self.seed = seed
        self.n_schools = schools
        self.today = today
        self.out = out
        self.rng = random.Random(seed)
        # The pupils' paths (mark level, conduct) draw from a generator of their own, so adding them did not
        # change the schools, classes and target group every other part of the demo draws.
        self.path_rng = random.Random(seed * 17 + 3)
        self.fake = Faker("ro_RO")
        self.fake.seed_instance(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.years = years
        self.calendars: list[Calendar] = [calendar_for(year) for year in years]
        self.year_days: list[list[datetime.date]] = [
            list(cal.school_days(year.start, year.end)) for cal, year in zip(self.calendars, years, strict=True)
        ]
        self.last_day: list[datetime.date | None] = [self._last_data_day(y) for y in range(len(years))]
        self.school_plans: list[SchoolPlan] = []
        self.demo_school: SchoolPlan | None = None
        self.classes: list[ClassPlan] = []
        self.class_by_key: dict[tuple[int, int, int, str], ClassPlan] = {}
        self.households: list[HouseholdPlan] = []
        self.children: list[ChildPlan] = []
        self.staff: list[StaffPlan] = []
        self.cnp_serials: dict[tuple[datetime.date, str], int] = {}
        self.moments: dict[tuple[datetime.date, int, int], object] = {}
        self.days_cache: dict[datetime.date, object] = {}

    def _last_data_day(self, year: int) -> datetime.date | None:
        """The last school day of the year up to `today` (None when the year has not started)."""
        days = self.year_days[year]
        index = bisect.bisect_right(days, self.today)
        return days[index - 1] if index else None

    @property
    def last_recorded_day(self) -> datetime.date:
        """The last school day up to `today` in either year: the demo's "now" for proposals and withdrawals."""
        return max(d for d in self.last_day if d is not None)

    def class_end(self, klass: ClassPlan) -> datetime.date:
        """Grade VIII ends a week before the others (DOMAIN.md)."""
        end = self.years[klass.year].end
        return end - datetime.timedelta(days=7) if klass.grade == 8 else end

    def user(self, index: int) -> User:
        """The written user of the staff member at `index` in `staff`."""
        user = self.staff[index].obj
        assert user is not None
        return user

    def moment(self, day: datetime.date, hour: int, minute: int) -> object:
        """A local time on `day`, adapted for the database (cached: adapting is the slow part)."""
        key = (day, hour, minute)
        value = self.moments.get(key)
        if value is None:
            value = self.moments[key] = db_datetime(
                datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)
            )
        return value

    def day(self, day: datetime.date | None) -> object:
        """A date adapted for the database (cached)."""
        if day is None:
            return None
        value = self.days_cache.get(day)
        if value is None:
            value = self.days_cache[day] = db_date(day)
        return value
