"""Opening a new school year with its pupils: every class up a grade (same letter), the last grade graduates,
repeaters stay, ended enrolments are left alone; idempotent, a dry run writes nothing, no query per pupil."""

import datetime
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.children.models import Child, Enrolment
from prezent.children.promotion.selectors import school_year_opening_preview
from prezent.children.promotion.services import enrolment_repeaters_mark, school_year_promote, school_year_start
from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.schools.models import ClassGroup, SchoolYear
from prezent.schools.services import school_year_open
from prezent.schools.tests.factories import ClassGroupFactory, SchoolFactory

D = datetime.date
SUMMER = datetime.datetime(2027, 8, 25, 10, 0, tzinfo=ZoneInfo("Europe/Bucharest"))
OLD_END, NEW_START = D(2027, 6, 18), D(2027, 9, 6)


@pytest.fixture
def summer():
    with time_machine.travel(SUMMER, tick=True):
        yield


@pytest.fixture
def county(db):
    """A primary school (P–IV) and a gimnaziu (P–VIII) of Iași in 2026–2027, and a school of another county."""
    teacher = UserFactory(username="invatatoare")
    primary, gimnaziu, elsewhere = SchoolFactory(), SchoolFactory(), SchoolFactory(county_code="VS")
    classes = SimpleNamespace(
        p_a=ClassGroupFactory(school=primary, grade=0, letter="A"),
        ii_a=ClassGroupFactory(school=primary, grade=2, letter="A"),
        iii_a=ClassGroupFactory(school=primary, grade=3, letter="A", teacher=teacher),
        iv_a=ClassGroupFactory(school=primary, grade=4, letter="A", teacher=teacher),
        group=ClassGroupFactory(school=primary, grade=-1, letter="", level="preschool"),
        g_iv_b=ClassGroupFactory(school=gimnaziu, grade=4, letter="B", teacher=teacher),
        g_viii_a=ClassGroupFactory(school=gimnaziu, grade=8, letter="A", level="lower_secondary", hours_per_day=6),
    )
    vs_year = SchoolYear.objects.create(county_code="VS", name="2026-2027", start=D(2026, 9, 7), end=OLD_END)
    vs_class = ClassGroupFactory(school=elsewhere, grade=3, letter="A", school_year=vs_year)
    pupils = SimpleNamespace(
        p_a=enrol(classes.p_a, 2),
        ii_a=enrol(classes.ii_a, 3),
        iii_a=enrol(classes.iii_a, 4),
        iv_a=enrol(classes.iv_a, 2),
        group=enrol(classes.group, 2),
        g_iv_b=enrol(classes.g_iv_b, 2),
        g_viii_a=enrol(classes.g_viii_a, 3),
        vs=enrol(vs_class, 2),
    )
    repeater = pupils.iii_a[0]
    Enrolment.objects.filter(child=repeater).update(repeats_next_year=True)
    moved = pupils.iii_a[1]
    Enrolment.objects.filter(child=moved).update(end=D(2027, 3, 1), end_reason=Enrolment.EndReason.MOVED_ABROAD)
    dropped = pupils.iv_a[1]
    Enrolment.objects.filter(child=dropped).update(end=D(2027, 2, 1), end_reason=Enrolment.EndReason.DROPPED_OUT)
    return SimpleNamespace(
        primary=primary,
        gimnaziu=gimnaziu,
        classes=classes,
        pupils=pupils,
        repeater=repeater,
        moved=moved,
        dropped=dropped,
        teacher=teacher,
        old_year=classes.p_a.school_year,
        vs_class=vs_class,
    )


def _open_enrolment(child: Child) -> Enrolment | None:
    return Enrolment.objects.filter(child=child, end__isnull=True).select_related("class_group").first()


def _snapshot() -> tuple:
    return (
        sorted(Enrolment.objects.values_list("pk", "child_id", "class_group_id", "start", "end", "end_reason")),
        sorted(ClassGroup.objects.values_list("pk", "school_id", "school_year_id", "grade", "letter")),
        SchoolYear.objects.count(),
        AuditEvent.objects.count(),
    )


def _new_year() -> SchoolYear:
    year, _created = school_year_open(county_code="IS", name="2027-2028", actor=None)
    return year


def test_every_class_moves_up_a_grade_with_the_same_letter_and_keeps_its_history(county, summer):
    new_year = _new_year()
    plan = school_year_promote(new_year=new_year, actor=None)
    for child in county.pupils.ii_a:
        enrolment = _open_enrolment(child)
        assert enrolment is not None
        group = enrolment.class_group
        assert (group.school_year, group.school, group.grade, group.letter) == (new_year, county.primary, 3, "A")
        assert (enrolment.start, enrolment.repeating) == (NEW_START, False)
        old = Enrolment.objects.get(child=child, class_group=county.classes.ii_a)
        assert (old.end, old.end_reason) == (OLD_END, Enrolment.EndReason.YEAR_END)
    promoted_p = _open_enrolment(county.pupils.p_a[0])
    assert promoted_p is not None and promoted_p.class_group.grade == 1
    new_iv = ClassGroup.objects.get(school_year=new_year, school=county.primary, grade=4, letter="A")
    assert new_iv.teacher == county.teacher  # the învățător follows the class inside primary school
    new_v = ClassGroup.objects.get(school_year=new_year, school=county.gimnaziu, grade=5, letter="B")
    assert (new_v.teacher, new_v.level, new_v.hours_per_day) == (None, "lower_secondary", 6)
    assert plan.promoted == 2 + 3 + 2 + 2  # P A, II A, the two III A still there, IV B of the gimnaziu


def test_the_last_grade_of_each_school_graduates(county, summer):
    plan = school_year_promote(new_year=_new_year(), actor=None)
    graduates = [county.pupils.iv_a[0], *county.pupils.g_viii_a]
    for child in graduates:
        assert _open_enrolment(child) is None
        last = Enrolment.objects.get(child=child)
        assert (last.end, last.end_reason) == (OLD_END, Enrolment.EndReason.GRADUATED)
    assert plan.graduating == 4
    by_school = {s.school_id: s for s in plan.schools}
    assert by_school[county.primary.pk].last_grade == 4
    assert by_school[county.gimnaziu.pk].last_grade == 8
    assert not ClassGroup.objects.filter(school=county.primary, grade=5).exists()


def test_a_repeater_stays_in_the_grade_with_the_cohort_below(county, summer):
    new_year = _new_year()
    school_year_promote(new_year=new_year, actor=None)
    enrolment = _open_enrolment(county.repeater)
    assert enrolment is not None
    assert (enrolment.class_group.grade, enrolment.class_group.letter, enrolment.repeating) == (3, "A", True)
    cohort = _open_enrolment(county.pupils.ii_a[0])
    assert cohort is not None and cohort.class_group == enrolment.class_group


def test_ended_enrolments_preschool_groups_and_other_counties_are_untouched(county, summer):
    untouched = [county.moved, county.dropped, *county.pupils.group, *county.pupils.vs]
    before = {c.pk: list(Enrolment.objects.filter(child=c).values_list("pk", "end", "end_reason")) for c in untouched}
    plan = school_year_promote(new_year=_new_year(), actor=None)
    after = {c.pk: list(Enrolment.objects.filter(child=c).values_list("pk", "end", "end_reason")) for c in untouched}
    assert after == before
    assert plan.preschool == 2


def test_a_second_run_changes_nothing(county, summer):
    new_year = _new_year()
    school_year_promote(new_year=new_year, actor=None)
    before = _snapshot()
    again = school_year_start(county_code="IS", name="2027-2028", promote=True, actor=None)
    assert (again.created, again.plan.promoted, again.plan.graduating, again.plan.new_classes) == (False, 0, 0, [])
    assert _snapshot()[:3] == before[:3]


def test_the_dry_run_writes_nothing_and_says_what_will_happen(county, summer):
    before = _snapshot()
    opening = school_year_opening_preview(county_code="IS", name="2027-2028", february_monday=None, promote=True)
    assert _snapshot() == before
    assert opening.created and opening.refusal == ""
    assert (opening.plan.promoted, opening.plan.graduating, opening.plan.repeating) == (9, 4, 1)
    by_school = {s.school_id: s for s in opening.plan.schools}
    assert [(c.grade, c.letter) for c in by_school[county.primary.pk].classes_to_create] == [
        (1, "A"),
        (3, "A"),
        (4, "A"),
    ]


def test_promotion_waits_for_the_end_of_the_year_and_writes_nothing_before(county):
    before = _snapshot()
    with pytest.raises(ValidationError, match=r"se încheie pe 18\.06\.2027"):
        school_year_start(county_code="IS", name="2027-2028", promote=True, actor=None)
    assert _snapshot() == before


def test_the_audit_holds_counts_only(county, summer):
    school_year_promote(new_year=_new_year(), actor=None)
    event = AuditEvent.objects.get(action="school_year.promote")
    assert event.details["promoted"] == 9 and event.details["graduated"] == 4 and event.details["repeating"] == 1
    assert all(isinstance(value, int) or value == "IS" for value in event.details.values())


def _promotion_queries(pupils_per_class: int) -> int:
    school = SchoolFactory()
    for grade in (0, 1, 2, 3, 4):
        group = ClassGroupFactory(school=school, grade=grade, letter="A")
        children = enrol(group, pupils_per_class)
        Enrolment.objects.filter(child=children[0]).update(repeats_next_year=True)
    new_year = _new_year()
    with CaptureQueriesContext(connection) as queries:
        plan = school_year_promote(new_year=new_year, actor=None)
    assert plan.promoted + plan.graduating + plan.repeating == 5 * pupils_per_class
    return len(queries)


@pytest.mark.django_db
def test_promotion_queries_do_not_grow_with_pupils(summer):
    few = _promotion_queries(2)
    Enrolment.objects.all().delete()
    ClassGroup.objects.all().delete()
    SchoolYear.objects.filter(name="2027-2028").delete()
    assert _promotion_queries(30) == few


def test_the_command_opens_and_promotes_with_counts_per_school_and_no_names(county, summer):
    out = StringIO()
    call_command("open_school_year", "--county", "IS", "--year", "2027-2028", "--promote", "--dry-run", stdout=out)
    dry = out.getvalue()
    assert "Simulare" in dry and "promovați 7; absolvenți 1; repetenți 1" in dry
    assert not SchoolYear.objects.filter(name="2027-2028").exists()
    out = StringIO()
    call_command("open_school_year", "--county", "IS", "--year", "2027-2028", "--promote", stdout=out)
    text = out.getvalue()
    assert "2027-2028 (IS): creat" in text
    assert f"{county.primary.siiir_code} {county.primary.name}: ultima clasă IV; clase noi 3" in text
    assert "Total: 2 școli; clase noi 4; promovați 9; absolvenți 4; repetenți 1." in text
    for child in Child.objects.all():
        assert child.last_name not in dry + text
    out = StringIO()
    call_command("open_school_year", "--county", "IS", "--year", "2027-2028", "--promote", stdout=out)
    assert "există deja" in out.getvalue()
    assert "Total: 2 școli; clase noi 0; promovați 0; absolvenți 0; repetenți 0." in out.getvalue()


@pytest.mark.django_db
def test_the_command_opens_a_county_that_ships_nothing():
    out = StringIO()
    arguments = ["--county", "VS", "--year", "2027-2028", "--february-week", "2028-02-28"]
    call_command("open_school_year", *arguments, stdout=out)
    year = SchoolYear.objects.get(county_code="VS", name="2027-2028")
    assert year.modules.get(number=4).start == D(2028, 3, 6)
    assert "Modulul 3: 10.01.2028 – 25.02.2028" in out.getvalue()
    assert "De confirmat" in out.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_a_week_outside_the_window_and_writes_nothing():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="zi de luni"):
        call_command("open_school_year", "--county", "VS", "--year", "2027-2028", "--february-week", "2028-03-13")
    assert not SchoolYear.objects.exists()


def test_the_page_previews_school_by_school_then_promotes(client, county, summer):
    coordinator = UserFactory()
    assign(coordinator, Role.COUNTY_COORDINATOR, county="IS")
    client.force_login(coordinator)
    url = reverse("children:year_open")
    data = {"county_code": "IS", "name": "2027-2028", "february_monday": "", "promote": "on"}
    preview = client.post(url, data)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert county.primary.name in page and "Presupus, de confirmat" in page and "Ultima clasă" in page
    assert not SchoolYear.objects.filter(name="2027-2028").exists()
    done = client.post(url, data | {"confirm": "1"})
    assert done.status_code == 302
    enrolment = _open_enrolment(county.pupils.ii_a[0])
    assert enrolment is not None and enrolment.class_group.school_year.name == "2027-2028"
    assert AuditEvent.objects.get(action="school_year.promote").actor == coordinator


def test_the_page_does_not_promote_before_the_year_ends(client, county):
    coordinator = UserFactory()
    assign(coordinator, Role.COUNTY_COORDINATOR, county="IS")
    client.force_login(coordinator)
    data = {"county_code": "IS", "name": "2027-2028", "february_monday": "", "promote": "on", "confirm": "1"}
    response = client.post(reverse("children:year_open"), data)
    assert response.status_code == 200
    assert "se încheie pe 18.06.2027" in response.content.decode()
    assert not SchoolYear.objects.filter(name="2027-2028").exists()


def test_a_county_that_starts_is_offered_the_year_in_progress_without_promotion(client, db):
    """On a county's first day (no school year yet, 2026-2027 in progress) the page proposes 2026-2027 and leaves
    promotion unticked: ticked, it would be refused (nobody to promote) and the confirmation hidden."""
    coordinator = UserFactory()
    assign(coordinator, Role.COUNTY_COORDINATOR, county="VS")
    client.force_login(coordinator)
    response = client.get(reverse("children:year_open"))
    form = response.context["form"]
    assert (form["name"].value(), form["promote"].value()) == ("2026-2027", False)
    assert 'name="promote"' in response.content.decode() and "checked" not in response.content.decode()
    refused = client.post(
        reverse("children:year_open"),
        {"county_code": "VS", "name": "2026-2027", "february_monday": "", "promote": "on"},
    )
    assert "nu are elevi de trecut" in refused.content.decode()
    assert "debifați „Trece elevii în clasa următoare”" in refused.content.decode()


def test_a_county_with_its_year_open_is_offered_the_next_one_with_promotion(client, county):
    coordinator = UserFactory()
    assign(coordinator, Role.COUNTY_COORDINATOR, county="VS")
    client.force_login(coordinator)
    form = client.get(reverse("children:year_open")).context["form"]
    assert (form["name"].value(), form["promote"].value()) == ("2027-2028", True)


def test_a_coordinator_of_another_county_cannot_open_this_one(client, county):
    coordinator = UserFactory()
    assign(coordinator, Role.COUNTY_COORDINATOR, county="VS")
    client.force_login(coordinator)
    data = {"county_code": "IS", "name": "2027-2028", "february_monday": "", "confirm": "1"}
    assert client.post(reverse("children:year_open"), data).status_code == 400
    assert not SchoolYear.objects.filter(name="2027-2028").exists()


def test_the_school_coordinator_marks_repeaters_on_the_class_page(client, county):
    coordinator = UserFactory()
    assign(coordinator, Role.SCHOOL_COORDINATOR, schools=[county.primary])
    client.force_login(coordinator)
    group = county.classes.ii_a
    url = reverse("children:repeaters", kwargs={"pk": group.pk})
    assert "Repetenți" in client.get(group.get_absolute_url()).content.decode()
    chosen = county.pupils.ii_a[1]
    assert client.post(url, {"repeaters": [chosen.pk]}).status_code == 302
    flags = dict(Enrolment.objects.filter(class_group=group).values_list("child_id", "repeats_next_year"))
    assert flags == {c.pk: c == chosen for c in county.pupils.ii_a}
    event = AuditEvent.objects.get(action="enrolment.repeaters_mark")
    assert event.details == {"marked": 1, "added": 1, "removed": 0}
    assert client.post(url, {}).status_code == 302
    assert not Enrolment.objects.filter(class_group=group, repeats_next_year=True).exists()


def test_a_pupil_of_another_class_cannot_be_marked_through_this_one(client, county):
    coordinator = UserFactory()
    assign(coordinator, Role.SCHOOL_COORDINATOR, schools=[county.primary])
    client.force_login(coordinator)
    stranger = county.pupils.p_a[0]
    url = reverse("children:repeaters", kwargs={"pk": county.classes.ii_a.pk})
    assert client.post(url, {"repeaters": [stranger.pk]}).status_code == 400
    assert not Enrolment.objects.filter(child=stranger, repeats_next_year=True).exists()


def test_the_repeaters_service_refuses_a_teacher(county):
    from django.core.exceptions import PermissionDenied

    assign(county.teacher, Role.CLASS_TEACHER, schools=[county.primary])
    with pytest.raises(PermissionDenied):
        enrolment_repeaters_mark(
            class_group=county.classes.iii_a, child_ids={county.pupils.iii_a[2].pk}, actor=county.teacher
        )
    assert not Enrolment.objects.filter(child=county.pupils.iii_a[2], repeats_next_year=True).exists()
