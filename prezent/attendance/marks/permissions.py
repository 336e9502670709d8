"""Who may write module averages. Reading follows the class: whoever may open the class (its teacher, the
school coordinator, the mediator, the county coordinator) sees its averages, through class_get_for_user_or_404."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.schools.models import ClassGroup

RESULT_WRITERS = (Role.SCHOOL_COORDINATOR,)


def can_record_results(*, user: User, class_group: ClassGroup) -> bool:
    """The averages are copied from the catalogue by the class's own teacher or by the school coordinator
    (the same people who excuse absences); mediators and county coordinators only read them."""
    scope = scope_for(user)
    if class_group.teacher_id == user.pk and scope.has(Role.CLASS_TEACHER):
        return True
    school = class_group.school
    return school.pk in scope.school_ids(*RESULT_WRITERS) or school.county_code in scope.counties(*RESULT_WRITERS)
