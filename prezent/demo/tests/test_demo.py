"""The demo generator: it runs, it is deterministic, its logins work, and it prints nothing personal."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.urls import reverse

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.attendance.models import Absence, RegisterEntry
from prezent.children.cnp import cnp_is_valid
from prezent.children.models import Child, Consent, EthnicityDeclaration, Guardian
from prezent.core.models import AuditEvent
from prezent.demo.generator import absence_fingerprint, demo_stats
from prezent.demo.programme import PROGRAMME_CODE
from prezent.demo.staff import DEMO_LOGINS, DEMO_PASSWORD
from prezent.programme.models import MembershipStatus, Programme, ProgrammeTarget, TargetGroupMembership
from prezent.schools.models import ClassGroup, School

SEED_ARGS = ("--seed", "7", "--schools", "2", "--today", "2026-11-27")


def class_fingerprint() -> list[tuple[str, str, int, str, int, int]]:
    """Every class by natural keys (school, year, grade, letter, hours a day) with its number of enrolments."""
    return sorted(
        (c.school.siiir_code, c.school_year.name, c.grade, c.letter, c.hours_per_day, c.enrolments.count())
        for c in ClassGroup.objects.select_related("school", "school_year")
    )


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", *SEED_ARGS, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, built twice from an empty database with the same seed; the second one stays."""
    with django_db_blocker.unblock():
        seed()
        first = (demo_stats(), absence_fingerprint(), class_fingerprint())
        call_command("flush", "--no-input", verbosity=0)
        output = seed()
        second = (demo_stats(), absence_fingerprint(), class_fingerprint())
        yield {"first": first, "second": second, "output": output}
        call_command("flush", "--no-input", verbosity=0)


@pytest.mark.django_db
def test_small_demo_builds_the_programme_schools_and_absences(demo):
    stats = demo["second"][0]
    assert stats["schools_in_programme"] == 2
    assert stats["children"] > 100
    assert stats["classes"] >= 18  # grades 0–VIII in two school years, in two schools
    assert stats["register_entries"] > 0
    assert stats["absences"] > 0
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    assert programme.name == "Împreună pentru copii!"
    assert all(s.environment == "rural" and s.kind == School.Kind.PJ for s in programme.schools.all())


@pytest.mark.django_db
def test_same_seed_gives_the_same_demo(demo):
    assert demo["first"] == demo["second"]


@pytest.mark.django_db
def test_target_group_is_scaled_with_its_roma_share_and_consents(demo):
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    included = TargetGroupMembership.objects.filter(programme=programme, status=MembershipStatus.INCLUDED)
    assert included.count() == round(1445 * 2 / 80)
    roma = included.filter(child__ethnicity_declaration__ethnicity=EthnicityDeclaration.Ethnicity.ROMA)
    assert roma.count() == round(included.count() * 350 / 1445)
    assert TargetGroupMembership.objects.filter(status=MembershipStatus.PROPOSED).exists()
    assert TargetGroupMembership.objects.filter(status=MembershipStatus.EXITED).exists()
    roma_guardians = EthnicityDeclaration.objects.filter(guardian__isnull=False, ethnicity="roma").count()
    assert roma_guardians >= round(268 * 2 / 80)
    for membership in included.prefetch_related("steps"):
        assert [s.to_status for s in membership.steps.all()] == ["screened", "proposed", "included"]
    assert Consent.objects.filter(
        purpose=Consent.Purpose.PROGRAMME, child__target_memberships__in=included
    ).count() == (included.count())
    assert set(ProgrammeTarget.objects.filter(indicator="children").values_list("value", flat=True)) == {1070, 1445}


@pytest.mark.django_db
def test_children_have_valid_cnps_and_households(demo):
    children = Child.objects.count()
    cnps = list(Child.objects.exclude(cnp="").values_list("cnp", flat=True))
    assert 0.4 < len(cnps) / children < 0.8
    assert all(cnp_is_valid(cnp) and cnp[7:9] == "22" for cnp in cnps)
    assert Child.objects.filter(household__isnull=True).count() == 0
    assert Guardian.objects.count() >= Child.objects.values("household").distinct().count()


@pytest.mark.django_db
def test_absences_fall_on_recorded_days_and_respect_the_parent_quota(demo):
    assert not Absence.objects.exclude(date=F("register_entry__date")).exists()
    assert not Absence.objects.filter(hours__gt=F("register_entry__hours")).exists()
    per_child: dict[tuple[int, str], int] = {}
    for child_id, year, hours in Absence.objects.filter(excuse_reason="parent_request").values_list(
        "child_id", "register_entry__class_group__school_year__name", "hours"
    ):
        per_child[(child_id, year)] = per_child.get((child_id, year), 0) + hours
    assert max(per_child.values(), default=0) <= 40
    assert Absence.objects.filter(excused=False).exists()
    assert Absence.objects.filter(excuse_reason="medical").exists()
    assert RegisterEntry.objects.filter(date__gt="2026-11-27").count() == 0


@pytest.mark.django_db
def test_demo_logins_exist_and_can_sign_in(demo, client):
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.role_assignments.filter(role=login.role).exists()
        response = client.post(reverse("login"), {"username": login.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login.username
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="prof.1").has_usable_password()


@pytest.mark.django_db
def test_teacher_and_school_coordinator_share_the_demo_school(demo):
    school = RoleAssignment.objects.get(user__username="scoala", role=Role.SCHOOL_COORDINATOR).schools.get()
    taught = ClassGroup.objects.filter(teacher__username="profesor", school_year__name="2026-2027").get()
    assert taught.school == school
    assert taught.grade in (3, 4)
    teacher_role = RoleAssignment.objects.get(user__username="profesor", role=Role.CLASS_TEACHER)
    assert list(teacher_role.schools.all()) == [school]
    for username in ("asistent", "mediator"):
        assert RoleAssignment.objects.get(user__username=username).schools.filter(pk=school.pk).exists()


@pytest.mark.django_db
def test_stats_json_has_the_counts_and_nothing_personal(demo):
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    for key in (
        "schools_in_programme",
        "children",
        "target_group_included",
        "target_group_roma",
        "guardians",
        "classes",
        "register_entries",
        "absences",
    ):
        assert isinstance(stats[key], int)
    assert all(isinstance(value, int) for value in stats.values())
    printed = out.getvalue() + demo["output"]
    for child in Child.objects.all()[:50]:
        assert child.last_name not in printed
        assert child.first_name not in printed
    event = AuditEvent.objects.get(action="demo.seed")
    assert event.details["children"] == stats["children"]


@pytest.mark.django_db
def test_demo_logins_command_prints_the_table(demo):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    assert all(login.username in text for login in DEMO_LOGINS)


@pytest.mark.django_db
def test_if_empty_does_nothing_when_a_programme_exists(demo):
    before = Child.objects.count()
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", *SEED_ARGS, stdout=out)
    assert Child.objects.count() == before


@pytest.mark.django_db
def test_a_second_seed_is_refused(demo):
    before = Child.objects.count()
    with pytest.raises(CommandError):
        call_command("seed_demo", *SEED_ARGS, stdout=io.StringIO())
    assert Child.objects.count() == before


@pytest.mark.django_db
def test_refuses_under_production_settings(settings):
    before = (Programme.objects.count(), School.objects.count(), Child.objects.count(), User.objects.count())
    settings.PREZENT_PRODUCTION = True
    with pytest.raises(CommandError, match="producție"):
        call_command("seed_demo", "--schools", "1", stdout=io.StringIO())
    assert (Programme.objects.count(), School.objects.count(), Child.objects.count(), User.objects.count()) == before


@pytest.mark.django_db
def test_ended_modules_have_marks_calificative_in_primary_and_averages_in_gimnaziu(demo):
    from prezent.attendance.models import CONDUCT_SUBJECT, ModuleResult

    results = ModuleResult.objects.select_related("class_group")
    assert results.filter(module=1).exists()
    primary = results.filter(class_group__grade__lte=4)
    gimnaziu = results.filter(class_group__grade__gte=5)
    assert primary.exists() and gimnaziu.exists()
    assert not primary.filter(average__isnull=False).exists()
    assert set(primary.values_list("qualifier", flat=True)) <= {"FB", "B", "S", "I"}
    assert not gimnaziu.exclude(qualifier="").exists()
    assert gimnaziu.filter(subject=CONDUCT_SUBJECT).exists()
    # a marked pupil has every subject of the grade, and the module had ended by the demo's "today"
    assert not results.filter(module__gt=1, class_group__school_year__name="2026-2027").exists()


def test_demo_cases_have_assessments_plans_interventions_and_visits(demo, client):
    from prezent.cases.models import Assessment, Case, HomeVisit, Intervention, InterventionPlan
    from prezent.risk.models import ContactNote

    included = TargetGroupMembership.objects.filter(status=MembershipStatus.INCLUDED).count()
    cases = Case.objects.count()
    assert 0 < cases <= included
    assert Assessment.objects.values("case").distinct().count() == cases
    assert InterventionPlan.objects.filter(is_current=True).count() == cases
    assert Intervention.objects.values("case").distinct().count() == cases
    assert Intervention.objects.filter(type__code="hot-meal", quantity__gt=0).exists()
    done = HomeVisit.objects.filter(status="done")
    assert done.count() >= cases and ContactNote.objects.filter(kind="home_visit").count() == done.count()
    assert "Cazuri: " in demo["output"]
    client.force_login(User.objects.get(username="asistent"))
    assert client.get(reverse("cases:work")).status_code == 200
    own = Case.objects.filter(case_worker__username="asistent").order_by("pk").first()
    assert own is not None
    assert client.get(reverse("cases:detail", args=[own.pk])).status_code == 200


@pytest.mark.django_db
def test_drop_outs_miss_more_and_more_before_they_leave_and_outcomes_follow_the_path(demo):
    """A drop-out's absences rise over the weeks before the leaving day (on top of their usual ones); some
    conduct marks are under 8, more often among the target group but not only there; repeating the year is
    recorded on the year's enrolment."""
    import datetime

    from prezent.attendance.models import CONDUCT_SUBJECT, ModuleResult
    from prezent.children.models import Enrolment

    leavers = list(Enrolment.objects.filter(end_reason=Enrolment.EndReason.DROPPED_OUT))
    assert leavers
    last_weeks = earlier = 0
    for enrolment in leavers:
        absences = Absence.objects.filter(child_id=enrolment.child_id, date__lte=enrolment.end)
        last_weeks += absences.filter(date__gt=enrolment.end - datetime.timedelta(days=21)).count()
        earlier += absences.filter(
            date__gt=enrolment.end - datetime.timedelta(days=84), date__lte=enrolment.end - datetime.timedelta(days=63)
        ).count()
    assert last_weeks > 2 * earlier  # three weeks before leaving against three weeks two months earlier

    conduct = ModuleResult.objects.filter(subject=CONDUCT_SUBJECT, average__isnull=False)
    pupils = conduct.values("child").distinct().count()
    low = set(conduct.filter(average__lt=8).values_list("child_id", flat=True))
    assert 0 < len(low) < 0.1 * pupils
    in_group = set(
        TargetGroupMembership.objects.filter(status=MembershipStatus.INCLUDED).values_list("child_id", flat=True)
    )
    assert low - in_group  # not only the target group

    repeaters = Enrolment.objects.filter(repeats_next_year=True, class_group__school_year__name="2025-2026")
    assert repeaters.exists()
    for enrolment in repeaters:
        following = Enrolment.objects.get(child_id=enrolment.child_id, class_group__school_year__name="2026-2027")
        assert following.repeating


@pytest.mark.django_db
def test_no_open_alert_asks_for_what_the_casework_already_did(demo):
    """The casework is written after the scores; the seed settles the alerts it already did, as a night would."""
    from prezent.risk.alerts.services import CASE_FILE_STEP, OPEN_STATUSES, REFERRAL_STEP
    from prezent.risk.alerts.steps import done_checks
    from prezent.risk.models import Alert

    checks = done_checks()
    assert {CASE_FILE_STEP, REFERRAL_STEP} <= set(checks)
    for code, work in checks.items():
        assert work.done is not None
        open_children = set(
            Alert.objects.filter(step__code=code, status__in=OPEN_STATUSES).values_list("child_id", flat=True)
        )
        assert not work.done(open_children), code
    assert "Alerte închise pentru pași deja făcuți în dosare:" in demo["output"]
