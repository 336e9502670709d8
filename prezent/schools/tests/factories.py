import datetime

import factory

from prezent.schools.models import ClassGroup, Environment, Locality, School, SchoolYear
from prezent.schools.services import school_year_upsert


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    siruta = factory.Sequence(lambda n: str(900000 + n))
    name = factory.Sequence(lambda n: f"SAT {n}")
    level = Locality.Level.VILLAGE
    county_code = "IS"
    environment = Environment.RURAL
    latitude = 47.2
    longitude = 27.5


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    siiir_code = factory.Sequence(lambda n: f"22611{n:05d}")
    kind = School.Kind.PJ
    name = factory.Sequence(lambda n: f"ȘCOALA GIMNAZIALĂ NR. {n}")
    county_code = "IS"
    locality = factory.SubFactory(LocalityFactory)
    environment = Environment.RURAL


def school_year_2026_2027() -> SchoolYear:
    """The real Iași 2026–2027 calendar."""
    from prezent.schools.defaults import IASI_CALENDARS

    year, _ = school_year_upsert(actor=None, **IASI_CALENDARS[1])
    return year


def school_year_2025_2026() -> SchoolYear:
    from prezent.schools.defaults import IASI_CALENDARS

    year, _ = school_year_upsert(actor=None, **IASI_CALENDARS[0])
    return year


class ClassGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassGroup

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(school_year_2026_2027)
    level = "primary"
    grade = 3
    letter = factory.Sequence(lambda n: "ABCDEFGH"[n % 8])
    hours_per_day = 4


__all__ = ["ClassGroupFactory", "LocalityFactory", "SchoolFactory", "datetime"]
