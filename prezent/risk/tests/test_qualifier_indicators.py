"""Primary school's calificative in the risk indicators: an "Insuficient" is a failed subject."""

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.marks.services import module_results_save
from prezent.children.tests.factories import ChildFactory, EnrolmentFactory
from prezent.risk.indicators import indicators_for_children
from prezent.schools.tests.factories import ClassGroupFactory

MODULE = 2


def test_an_insuficient_counts_as_a_failed_subject_for_the_risk_score(db):
    teacher = UserFactory()
    group = ClassGroupFactory(teacher=teacher, level="primary", grade=2, letter="B")
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    ana = ChildFactory()
    EnrolmentFactory(child=ana, class_group=group, start=group.school_year.start)
    grid = {(ana.pk, "Matematică și explorarea mediului"): "I", (ana.pk, "Comunicare în limba română"): "S"}
    module_results_save(class_group=group, module=MODULE, grid=grid, actor=teacher)
    today = group.school_year.start.replace(month=11, day=27)
    values = indicators_for_children(child_ids=[ana.pk], on=today)[ana.pk]
    assert values["failed_subjects"] == 1
    assert values["module_average"] is None  # calificative have no average
