import datetime

import factory

from prezent.children.models import Child, Enrolment, Guardian, Household, Sex
from prezent.core.testing import distinct_last_name
from prezent.schools.tests.factories import ClassGroupFactory


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    first_name = factory.Faker("first_name", locale="ro_RO")
    last_name = factory.LazyFunction(distinct_last_name)
    sex = factory.Iterator([Sex.FEMALE, Sex.MALE])
    birth_date = datetime.date(2016, 5, 17)
    household = factory.SubFactory(HouseholdFactory)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    first_name = factory.Faker("first_name", locale="ro_RO")
    last_name = factory.LazyFunction(distinct_last_name)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    child = factory.SubFactory(ChildFactory)
    class_group = factory.SubFactory(ClassGroupFactory)
    start = datetime.date(2026, 9, 7)


def enrol(class_group, n: int = 3, **child_kwargs) -> list[Child]:
    """n children enrolled in `class_group` since the start of its school year."""
    children = ChildFactory.create_batch(n, **child_kwargs)
    for child in children:
        EnrolmentFactory(child=child, class_group=class_group, start=class_group.school_year.start)
    return children
