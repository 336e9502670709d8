"""Who may run, read and decide a screening.

- county coordinator: runs screenings for the programme schools of their county, reads them, decides every
  proposal;
- school coordinator: reads the results of their schools and, when the screening was delegated to the schools,
  confirms or dismisses the proposals of their schools;
- school mediator: reads the results of their schools (they keep the list of children at risk);
- everybody else (class teachers, case workers, trainers, M&E, administrators): nothing. A class teacher sees a
  risk flag only once the child is confirmed in the target group (`risk_flag_for_user`).
"""

from django.db.models import Q

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.programme.models import ScreeningResult
from prezent.schools.selectors import school_scope_q

RUN_ROLES = (Role.COUNTY_COORDINATOR,)
READ_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)
DELEGATE_ROLES = (Role.SCHOOL_COORDINATOR,)
# Roles that see a child's current risk level whether or not anyone reviewed it.
RISK_READER_ROLES = (Role.COUNTY_COORDINATOR, Role.CASE_WORKER, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)


def can_view_screenings(*, user: User) -> bool:
    return scope_for(user).has(*READ_ROLES)


def readable_school_q(user: User, *, prefix: str = "") -> Q:
    """A filter on School (or through `prefix` on a relation to it) for the schools whose results `user` reads."""
    return school_scope_q(user, *READ_ROLES, prefix=prefix)


def can_decide_screening_result(*, user: User, result: ScreeningResult) -> bool:
    """Confirming or dismissing a proposal: the county coordinator decides everywhere in scope; a school
    coordinator only for their school and only when the screening was delegated to the schools. `result` comes
    with its school and screening (`screening_result_get_for_user_or_404`, `screening_results_visible_to`)."""
    scope = scope_for(user)
    school_id, county_code = result.school_id, result.school.county_code
    if county_code in scope.counties(*RUN_ROLES) or school_id in scope.school_ids(*RUN_ROLES):
        return True
    if county_code not in scope.counties(*DELEGATE_ROLES) and school_id not in scope.school_ids(*DELEGATE_ROLES):
        return False
    return result.screening.delegate_to_schools
