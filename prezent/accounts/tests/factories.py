import factory

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.core.testing import distinct_last_name


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="ro_RO")
    last_name = factory.LazyFunction(distinct_last_name)
    password = factory.django.Password("parola-test-123")


def assign(user: User, role: str, *, schools=(), county: str = "") -> RoleAssignment:
    """Give `user` a role over a county (county='IS') or over schools."""
    if county:
        kind = RoleAssignment.ScopeKind.COUNTY
    elif schools:
        kind = RoleAssignment.ScopeKind.SCHOOLS
    else:
        kind = RoleAssignment.ScopeKind.NONE
    assignment = RoleAssignment.objects.create(user=user, role=role, scope_kind=kind, county_code=county)
    assignment.schools.set(schools)
    return assignment


__all__ = ["Role", "UserFactory", "assign"]
