"""A closed school year's register (absences, excuses, averages and conduct) is read-only, except for the school
coordinator of the class's school, who writes with a reason kept in the audit event."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.marks.forms import ResultsGridForm
from prezent.attendance.marks.services import ResultsImportError, module_results_import, module_results_save
from prezent.attendance.models import Absence, ModuleResult
from prezent.attendance.permissions import register_closed, register_writable
from prezent.attendance.services import absences_excuse, register_save
from prezent.children.tests.factories import ChildFactory, EnrolmentFactory
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_TODAY
from prezent.schools.tests.factories import (
    ClassGroupFactory,
    SchoolFactory,
    school_year_2025_2026,
    school_year_2026_2027,
)

pytestmark = pytest.mark.django_db

PAST_DAY = datetime.date(2025, 11, 24)  # a Monday of module 2 of 2025–2026
NOW_DAY = datetime.date(2026, 11, 23)  # a Monday of the year under way
MODULE = 2
READ_ONLY = "Anul școlar 2025–2026 s-a încheiat: catalogul se poate doar citi."
NEEDS_REASON = "fiecare modificare are nevoie de un motiv"
REASON = "Corectură după catalogul tipărit, pagina 12"


@pytest.fixture
def w():
    school = SchoolFactory()
    people = {name: UserFactory(username=name) for name in ("teacher", "coordinator", "mediator", "elsewhere")}
    assign(people["teacher"], Role.CLASS_TEACHER, schools=[school])
    assign(people["coordinator"], Role.SCHOOL_COORDINATOR, schools=[school])
    assign(people["mediator"], Role.SCHOOL_MEDIATOR, schools=[school])
    assign(people["elsewhere"], Role.SCHOOL_COORDINATOR, schools=[SchoolFactory()])
    past = ClassGroupFactory(
        school=school,
        teacher=people["teacher"],
        school_year=school_year_2025_2026(),
        level="lower_secondary",
        grade=6,
    )
    ana = ChildFactory(last_name="Popescu", first_name="Ana")
    mihai = ChildFactory(last_name="Rusu", first_name="Mihai")
    for child in (ana, mihai):
        EnrolmentFactory(child=child, class_group=past, start=past.school_year.start)
    # Last year's history, written as the demo generator and imports of history write it: with no person acting.
    register_save(class_group=past, day=PAST_DAY, absences={ana.pk: 2}, actor=None)
    module_results_save(class_group=past, module=MODULE, grid={(ana.pk, "Matematică"): Decimal("7.00")}, actor=None)
    return type("World", (), {"school": school, "past": past, "ana": ana, "mihai": mihai, **people})


def _absences(group):
    return sorted(Absence.objects.filter(register_entry__class_group=group).values_list("child_id", "hours", "excused"))


def _averages(group):
    return {(r.child_id, r.subject): r.average for r in ModuleResult.objects.filter(class_group=group, module=MODULE)}


def _register_url(group, day=PAST_DAY):
    return reverse("risk:register", kwargs={"pk": group.pk, "day": day.isoformat()})


def _results_url(name, group):
    return reverse(f"attendance:{name}", kwargs={"pk": group.pk, "module": MODULE})


# The predicate --------------------------------------------------------------------------------------------------


def test_a_year_is_closed_the_day_after_its_last_day():
    past, current = school_year_2025_2026(), school_year_2026_2027()
    assert register_closed(school_year=past)  # today is TEST_TODAY, in November 2026
    assert not register_closed(school_year=current)
    assert not register_closed(school_year=past, today=past.end)
    assert register_closed(school_year=past, today=past.end + datetime.timedelta(days=1))
    assert not register_closed(school_year=current, today=current.start - datetime.timedelta(days=30))
    assert past.end < TEST_TODAY


def test_only_the_school_coordinator_of_the_school_writes_a_closed_year(w):
    assert register_writable(user=w.coordinator, class_group=w.past)
    for user in (w.teacher, w.mediator, w.elsewhere):
        assert not register_writable(user=user, class_group=w.past)


# The register of a day ------------------------------------------------------------------------------------------


def test_the_teacher_reads_a_closed_year_register_with_the_notice_and_no_save(client, w):
    client.force_login(w.teacher)
    response = client.get(_register_url(w.past))
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html
    assert "Salvează condica" not in html
    assert "disabled" in html
    assert 'name="change_reason"' not in html
    # A read-only hours box of a pupil who was not absent is empty: no grey "4" that reads as 4 absent hours.
    box = html[html.index(f'name="hours_{w.mihai.pk}"') :]
    box = box[: box.index(">")]
    assert "disabled" in box and "placeholder" not in box
    client.force_login(w.coordinator)
    html = client.get(_register_url(w.past)).content.decode()
    box = html[html.index(f'name="hours_{w.mihai.pk}"') :]
    assert 'placeholder="4"' in box[: box.index(">")]  # where it can be typed, the day's hours are the default


def test_a_teacher_posting_to_a_closed_year_register_is_refused_and_nothing_changes(client, w):
    before = _absences(w.past)
    events = AuditEvent.objects.filter(action="register.save").count()
    for user in (w.teacher, w.mediator):
        client.force_login(user)
        response = client.post(
            _register_url(w.past),
            {"day_hours": 4, f"absent_{w.mihai.pk}": "on", f"hours_{w.mihai.pk}": "3", "change_reason": REASON},
        )
        assert response.status_code == 403
        assert READ_ONLY in response.content.decode()
    assert _absences(w.past) == before
    assert AuditEvent.objects.filter(action="register.save").count() == events


def test_the_coordinator_must_give_a_reason_and_keeps_what_was_typed(client, w):
    before = _absences(w.past)
    client.force_login(w.coordinator)
    page = client.get(_register_url(w.past)).content.decode()
    assert NEEDS_REASON in page and 'name="change_reason"' in page and "Salvează condica" in page
    for reason, message in (
        ("", "scrieți motivul modificării"),
        ("ab", "cel puțin 5 caractere"),
        ("corectură\x07 de tipar", "caractere nepermise"),
        ("x" * 501, "500"),
    ):
        response = client.post(
            _register_url(w.past),
            {"day_hours": 4, f"absent_{w.mihai.pk}": "on", f"hours_{w.mihai.pk}": "3", "change_reason": reason},
        )
        assert response.status_code == 400, reason
        html = response.content.decode()
        assert message in html, reason
        assert f'name="hours_{w.mihai.pk}" id="id_hours_{w.mihai.pk}" min="1" max="8" value="3"' in html
    assert _absences(w.past) == before


def test_a_refused_register_save_says_so_at_the_top_with_a_link_to_the_reason(client, w):
    client.force_login(w.coordinator)
    response = client.post(
        _register_url(w.past), {"day_hours": 4, f"absent_{w.mihai.pk}": "on", f"hours_{w.mihai.pk}": "9"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.index('data-testid="error-summary"')
    assert 'role="alert"' in html[summary - 80 : summary]
    assert summary < html.index('id="register-form"')  # above the form, where the page reloads
    assert "Condica nu a fost salvată:" in html[summary:]
    assert '<a href="#id_change_reason">Motivul modificării: Anul școlar s-a încheiat: scrieți motivul' in html
    assert f'<a href="#id_hours_{w.mihai.pk}">Ore absente: {w.mihai}: ' in html
    # A page that was not posted, or a teacher's refused post, has no summary.
    assert 'data-testid="error-summary"' not in client.get(_register_url(w.past)).content.decode()
    client.force_login(w.teacher)
    refused = client.post(_register_url(w.past), {"day_hours": 4}).content.decode()
    assert 'data-testid="error-summary"' not in refused and READ_ONLY in refused


def test_a_refused_averages_save_says_so_at_the_top(client, w):
    client.force_login(w.coordinator)
    response = client.post(_results_url("results", w.past), {_cell(w.ana, "Matematică"): "9,50"})
    html = response.content.decode()
    summary = html.index('data-testid="error-summary"')
    assert summary < html.index('name="change_reason"')
    assert "Mediile nu au fost salvate:" in html and 'href="#id_change_reason"' in html


def test_the_coordinator_changes_a_closed_year_register_with_a_reason_in_the_audit(client, w):
    client.force_login(w.coordinator)
    response = client.post(
        _register_url(w.past),
        {"day_hours": 4, f"absent_{w.mihai.pk}": "on", f"hours_{w.mihai.pk}": "3", "change_reason": f"  {REASON} "},
    )
    assert response.status_code == 302
    assert _absences(w.past) == sorted([(w.mihai.pk, 3, False)])
    event = AuditEvent.objects.filter(action="register.save", actor=w.coordinator).get()
    assert event.details["closed_year_reason"] == REASON
    assert "Popescu" not in str(event.details) and "Rusu" not in str(event.details)


def test_the_register_service_refuses_people_but_not_the_system_path(w):
    before = _absences(w.past)
    for user, reason in ((w.teacher, REASON), (w.mediator, REASON), (w.elsewhere, REASON), (w.coordinator, "")):
        with pytest.raises(ValidationError):
            register_save(class_group=w.past, day=PAST_DAY, absences={}, actor=user, change_reason=reason)
    assert _absences(w.past) == before
    register_save(class_group=w.past, day=PAST_DAY, absences={}, actor=None)
    assert _absences(w.past) == []
    assert "closed_year_reason" not in AuditEvent.objects.filter(action="register.save").latest("pk").details


def test_the_current_year_register_is_written_as_before(client, w):
    current = ClassGroupFactory(school=w.school, teacher=w.teacher, grade=4)
    child = ChildFactory()
    EnrolmentFactory(child=child, class_group=current, start=current.school_year.start)
    client.force_login(w.teacher)
    page = client.get(_register_url(current, NOW_DAY)).content.decode()
    assert "s-a încheiat" not in page and "Salvează condica" in page and 'name="change_reason"' not in page
    response = client.post(
        _register_url(current, NOW_DAY), {"day_hours": 4, f"absent_{child.pk}": "on", f"hours_{child.pk}": "2"}
    )
    assert response.status_code == 302
    assert _absences(current) == [(child.pk, 2, False)]
    assert "closed_year_reason" not in AuditEvent.objects.filter(action="register.save").latest("pk").details


def test_the_class_page_of_a_closed_year_says_so(client, w):
    client.force_login(w.teacher)
    html = client.get(reverse("attendance:class", kwargs={"pk": w.past.pk})).content.decode()
    assert READ_ONLY in html
    # Its last month, named, not "this month"; the year written as the banner writes it.
    last_month = w.past.school_year.end
    assert last_month.month == 6 and f"prezență în iunie {last_month.year}" in html
    assert f"Prezență în iunie {last_month.year}" in html
    assert "luna aceasta" not in html and "an școlar 2025–2026" in html
    client.force_login(w.coordinator)
    assert NEEDS_REASON in client.get(reverse("attendance:class", kwargs={"pk": w.past.pk})).content.decode()
    current = ClassGroupFactory(school=w.school, teacher=w.teacher, grade=4)
    html = client.get(reverse("attendance:class", kwargs={"pk": current.pk})).content.decode()
    assert "prezență luna aceasta" in html and "an școlar 2026–2027" in html


# Excusing absences later ----------------------------------------------------------------------------------------


def _past_absence(w):
    return Absence.objects.select_related("register_entry__class_group__school_year").get(
        register_entry__class_group=w.past, child=w.ana
    )


def test_excusing_a_closed_year_absence_is_refused_to_the_teacher_and_asks_the_coordinator_for_a_reason(w):
    for user, reason in ((w.teacher, REASON), (w.elsewhere, REASON), (w.coordinator, ""), (w.coordinator, "abc")):
        with pytest.raises(ValidationError):
            absences_excuse(
                absences=[_past_absence(w)],
                reason="medical",
                document_date=PAST_DAY,
                actor=user,
                change_reason=reason,
            )
    assert not _past_absence(w).excused
    hours = absences_excuse(
        absences=[_past_absence(w)], reason="medical", document_date=PAST_DAY, actor=w.coordinator, change_reason=REASON
    )
    assert hours == 2 and _past_absence(w).excused
    event = AuditEvent.objects.get(action="absence.excuse")
    assert event.details["closed_year_reason"] == REASON and event.details["reason"] == "medical"


def test_the_excuse_page_of_a_closed_year(client, w):
    url = reverse("risk:excuse", kwargs={"child_id": w.ana.pk})
    detail = reverse("reports:child_detail", kwargs={"pk": w.ana.pk})
    absence = _past_absence(w)
    post = {"absence_ids": [absence.pk], "reason": "medical", "document_date": "2025-11-25", "change_reason": REASON}
    client.force_login(w.teacher)
    html = client.get(detail).content.decode()
    assert READ_ONLY in html and reverse("risk:excuse", kwargs={"child_id": w.ana.pk}) not in html
    client.post(url, post)
    assert not _past_absence(w).excused
    client.force_login(w.coordinator)
    html = client.get(detail).content.decode()
    assert NEEDS_REASON in html and 'name="change_reason"' in html
    client.post(url, {**post, "change_reason": ""})
    assert not _past_absence(w).excused
    response = client.post(url, post)
    assert response.status_code == 302
    assert _past_absence(w).excused
    assert AuditEvent.objects.get(action="absence.excuse").details["closed_year_reason"] == REASON


def test_a_pupil_who_left_at_the_end_of_a_closed_year_is_excused_by_the_coordinator_only(client, w):
    # The pupil's only enrolment ended with the year: no class today, the page offers the box from the last one.
    ended = ChildFactory()
    EnrolmentFactory(child=ended, class_group=w.past, start=w.past.school_year.start, end=w.past.school_year.end)
    register_save(class_group=w.past, day=PAST_DAY, absences={w.ana.pk: 2, ended.pk: 1}, actor=None)
    absence = Absence.objects.get(child=ended)
    url = reverse("risk:excuse", kwargs={"child_id": ended.pk})
    detail = reverse("reports:child_detail", kwargs={"pk": ended.pk})
    post = {"absence_ids": [absence.pk], "reason": "medical", "document_date": "2025-11-25", "change_reason": REASON}
    client.force_login(w.teacher)
    # The form teacher no longer sees a pupil who left; one still enrolled in the closed class is refused with
    # the closed year's message, whatever reason is given.
    assert client.post(url, post).status_code == 404
    still = _past_absence(w)
    response = client.post(
        reverse("risk:excuse", kwargs={"child_id": w.ana.pk}), {**post, "absence_ids": [still.pk]}, follow=True
    )
    assert response.redirect_chain[0][1] == 302 and READ_ONLY in response.content.decode()
    absence.refresh_from_db()
    assert not absence.excused and not _past_absence(w).excused
    client.force_login(w.coordinator)
    html = client.get(detail).content.decode()
    assert NEEDS_REASON in html and url in html and 'name="change_reason"' in html
    assert "· 1 oră</label>" in html  # not "1 ore"
    assert client.post(url, {**post, "change_reason": ""}).status_code == 302
    absence.refresh_from_db()
    assert not absence.excused
    assert client.post(url, {**post, "absence_ids": []}).status_code == 302
    response = client.post(url, post)
    assert response.status_code == 302
    absence.refresh_from_db()
    assert absence.excused and absence.excused_by == w.coordinator
    event = AuditEvent.objects.get(action="absence.excuse")
    assert event.details["closed_year_reason"] == REASON and event.details["child"] == ended.pk
    client.force_login(w.elsewhere)
    assert client.post(url, post).status_code == 404


def test_excusing_in_the_current_year_needs_no_reason(w):
    current = ClassGroupFactory(school=w.school, teacher=w.teacher, grade=4)
    child = ChildFactory()
    EnrolmentFactory(child=child, class_group=current, start=current.school_year.start)
    register_save(class_group=current, day=NOW_DAY, absences={child.pk: 3}, actor=w.teacher)
    absence = Absence.objects.get(child=child)
    assert absences_excuse(absences=[absence], reason="medical", document_date=NOW_DAY, actor=w.teacher) == 3
    assert "closed_year_reason" not in AuditEvent.objects.get(action="absence.excuse").details


# Averages and conduct ---------------------------------------------------------------------------------------------


def _cell(child, subject):
    return ResultsGridForm.cell_name(child.pk, subject)


def test_the_averages_of_a_closed_year_are_read_only_for_the_teacher(client, w):
    before = _averages(w.past)
    client.force_login(w.teacher)
    page = client.get(_results_url("results", w.past))
    html = page.content.decode()
    assert page.status_code == 200 and READ_ONLY in html and "Salvează mediile" not in html
    response = client.post(
        _results_url("results", w.past), {_cell(w.ana, "Matematică"): "9", _cell(w.mihai, "Purtare"): "8"}
    )
    assert response.status_code == 403 and READ_ONLY in response.content.decode()
    upload = SimpleUploadedFile("medii.csv", b"Nume,Prenume,Matematica\nPopescu,Ana,9\n")
    response = client.post(_results_url("results_import", w.past), {"file": upload, "change_reason": REASON})
    assert response.status_code == 403
    assert _averages(w.past) == before
    with pytest.raises(ValidationError):
        module_results_save(
            class_group=w.past, module=MODULE, grid={(w.ana.pk, "Purtare"): Decimal(8)}, actor=w.teacher
        )
    assert _averages(w.past) == before


def test_the_coordinator_changes_a_closed_year_average_with_a_reason(client, w):
    client.force_login(w.coordinator)
    html = client.get(_results_url("results", w.past)).content.decode()
    assert NEEDS_REASON in html and 'name="change_reason"' in html
    grid = {_cell(w.ana, "Matematică"): "9,50", _cell(w.mihai, "Purtare"): "8"}
    response = client.post(_results_url("results", w.past), grid)
    assert response.status_code == 400
    html = response.content.decode()
    assert "scrieți motivul modificării" in html and 'value="9,50"' in html
    assert _averages(w.past) == {(w.ana.pk, "Matematică"): Decimal("7.00")}
    response = client.post(_results_url("results", w.past), {**grid, "change_reason": REASON})
    assert response.status_code == 302
    assert _averages(w.past) == {(w.ana.pk, "Matematică"): Decimal("9.50"), (w.mihai.pk, "Purtare"): Decimal("8.00")}
    event = AuditEvent.objects.get(action="module_results.save", actor=w.coordinator)
    assert event.details["closed_year_reason"] == REASON and "Popescu" not in str(event.details)


def test_importing_averages_into_a_closed_year(client, w):
    content = b"Nume,Prenume,Matematica\nPopescu,Ana,10\n"
    for user, reason in ((w.teacher, REASON), (w.coordinator, "")):
        with pytest.raises(ResultsImportError) as refused:
            module_results_import(
                class_group=w.past,
                module=MODULE,
                file=io.BytesIO(content),
                filename="m.csv",
                actor=user,
                change_reason=reason,
            )
        assert "2025–2026 s-a încheiat" in str(refused.value.errors[0])
    assert _averages(w.past) == {(w.ana.pk, "Matematică"): Decimal("7.00")}
    client.force_login(w.coordinator)
    upload = SimpleUploadedFile("medii.csv", content)
    response = client.post(_results_url("results_import", w.past), {"file": upload})
    assert response.status_code == 400
    assert _averages(w.past) == {(w.ana.pk, "Matematică"): Decimal("7.00")}
    upload = SimpleUploadedFile("medii.csv", content)
    response = client.post(_results_url("results_import", w.past), {"file": upload, "change_reason": REASON})
    assert response.status_code == 302
    assert _averages(w.past) == {(w.ana.pk, "Matematică"): Decimal("10.00")}
    event = AuditEvent.objects.get(action="module_results.import")
    assert event.details["closed_year_reason"] == REASON


def test_adding_a_column_to_a_closed_year_grid_asks_no_reason_yet(client, w):
    client.force_login(w.coordinator)
    response = client.post(_results_url("results", w.past), {"add": "1", "new_subject": "Religie"})
    assert response.status_code == 200
    assert "Religie" in response.context["subjects"]
    assert "scrieți motivul modificării" not in response.content.decode()
    assert _averages(w.past) == {(w.ana.pk, "Matematică"): Decimal("7.00")}


# Moving between register days -------------------------------------------------------------------------------------


def test_a_register_day_links_to_the_previous_and_the_next_school_day_up_to_today(client, w):
    client.force_login(w.teacher)
    html = client.get(_register_url(w.past)).content.decode()
    assert f'href="{_register_url(w.past, datetime.date(2025, 11, 21))}" rel="prev"' in html  # the Friday before
    assert f'href="{_register_url(w.past, datetime.date(2025, 11, 25))}" rel="next"' in html
    assert "marți, 25 noiembrie →" in html
    # The year's last school day has no next day, nor has the last day before today (a future day cannot be taken).
    last = w.past.school_year.end
    while last.weekday() >= 5:
        last -= datetime.timedelta(days=1)
    assert 'data-testid="next-day"' not in client.get(_register_url(w.past, last)).content.decode()
    current = ClassGroupFactory(school=w.school, teacher=w.teacher, grade=4)
    friday = TEST_TODAY - datetime.timedelta(days=2)
    assert friday.weekday() == 4
    assert 'data-testid="next-day"' not in client.get(_register_url(current, friday)).content.decode()
    html = client.get(_register_url(current, NOW_DAY)).content.decode()
    assert f'href="{_register_url(current, NOW_DAY + datetime.timedelta(days=1))}" rel="next"' in html
