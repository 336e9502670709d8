"""The national structure of a school year, opened for any county with its February week."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.core.models import AuditEvent
from prezent.schools.calendar import february_mondays, modules_around_february
from prezent.schools.defaults import IASI_CALENDARS, NATIONAL_YEARS
from prezent.schools.models import Module, NonSchoolDay, SchoolYear
from prezent.schools.selectors import school_year_draft
from prezent.schools.services import school_year_open

D = datetime.date


def test_the_national_2026_2027_with_the_iasi_week_is_the_shipped_iasi_calendar():
    draft = school_year_draft(county_code="IS", name="2026-2027", february_monday=D(2027, 2, 22))
    iasi = IASI_CALENDARS[1]
    assert (draft.start, draft.end, draft.modules, draft.days_off) == (
        iasi["start"],
        iasi["end"],
        iasi["modules"],
        iasi["days_off"],
    )
    assert not draft.structure_assumed


def test_the_february_week_moves_the_end_of_the_third_module_and_the_start_of_the_fourth():
    modules = modules_around_february(NATIONAL_YEARS["2026-2027"]["modules"], D(2027, 3, 1))
    assert modules[2] == (D(2027, 1, 11), D(2027, 2, 26))
    assert modules[3] == (D(2027, 3, 8), D(2027, 4, 23))
    assert february_mondays(NATIONAL_YEARS["2026-2027"]["february_window"]) == [
        D(2027, 2, 15),
        D(2027, 2, 22),
        D(2027, 3, 1),
    ]


def test_2027_2028_is_an_assumption_with_whole_weeks_and_holidays_on_school_days():
    structure = NATIONAL_YEARS["2027-2028"]
    assert structure["assumption"] and structure["note"]
    draft = school_year_draft(county_code="VS", name="2027-2028")
    assert draft.structure_assumed and draft.february_assumed
    assert len(draft.assumptions) == 2
    for start, end in draft.modules:
        assert start.weekday() in (0, 2) and end.weekday() in (1, 4)
    for day, _reason in draft.days_off:
        assert day.weekday() < 5
        assert any(start <= day <= end for start, end in draft.modules)


def test_a_monday_outside_the_window_and_an_unknown_year_are_refused():
    with pytest.raises(ValidationError, match="zi de luni"):
        school_year_draft(county_code="VS", name="2027-2028", february_monday=D(2028, 3, 6))
    with pytest.raises(ValidationError, match="2030-2031"):
        school_year_draft(county_code="VS", name="2030-2031")
    with pytest.raises(ValidationError, match="Codul județului"):
        school_year_draft(county_code="vaslui", name="2027-2028")


@pytest.mark.django_db
def test_a_county_that_ships_nothing_gets_the_national_year_once(django_user_model):
    year, created = school_year_open(county_code="VS", name="2027-2028", february_monday=D(2028, 2, 14), actor=None)
    assert created
    assert list(year.modules.order_by("number").values_list("start", "end"))[2:4] == [
        (D(2028, 1, 10), D(2028, 2, 11)),
        (D(2028, 2, 21), D(2028, 4, 7)),
    ]
    assert year.non_school_days.count() == 6
    assert "nu a fost încă publicată" in year.assumptions
    assert "Săptămâna de vacanță" not in year.assumptions  # the week was given: only the structure is assumed
    counts = (SchoolYear.objects.count(), Module.objects.count(), NonSchoolDay.objects.count())
    events = AuditEvent.objects.count()

    again, created_again = school_year_open(county_code="VS", name="2027-2028", actor=None)
    assert (again.pk, created_again) == (year.pk, False)
    assert (SchoolYear.objects.count(), Module.objects.count(), NonSchoolDay.objects.count()) == counts
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.filter(action="school_year.open", target_id=str(year.pk)).count() == 1


@pytest.mark.django_db
def test_iasi_gets_the_assumed_february_week_marked_and_an_existing_year_is_left_alone(world):
    year, created = school_year_open(county_code="IS", name="2027-2028", actor=world.users.county)
    assert created
    assert "Săptămâna de vacanță din februarie este presupusă (21.02.2028 – 25.02.2028)" in year.assumptions
    assert year.modules.get(number=3).end == D(2028, 2, 18)
    existing = world.school_year
    before = list(existing.modules.values_list("start", "end"))
    same, created = school_year_open(county_code="IS", name="2026-2027", february_monday=D(2027, 3, 1), actor=None)
    assert (same.pk, created) == (existing.pk, False)
    assert list(existing.modules.values_list("start", "end")) == before


@pytest.mark.django_db
def test_the_year_page_shows_what_is_assumed_and_the_coordinator_confirms_it(client, world):
    year, _created = school_year_open(county_code="IS", name="2027-2028", actor=None)
    client.force_login(world.users.county)
    assert "Calendar presupus, de confirmat" in client.get(reverse("schools:years")).content.decode()
    url = reverse("schools:year_edit", kwargs={"pk": year.pk})
    assert "nu a fost încă publicată" in client.get(url).content.decode()
    data = {"m-TOTAL_FORMS": 5, "m-INITIAL_FORMS": 5, "m-MIN_NUM_FORMS": 5, "m-MAX_NUM_FORMS": 5}
    for i, module in enumerate(year.modules.order_by("number")):
        data |= {f"m-{i}-id": module.pk, f"m-{i}-number": module.number}
        data |= {f"m-{i}-start": module.start.isoformat(), f"m-{i}-end": module.end.isoformat()}
    data |= {"d-TOTAL_FORMS": 0, "d-INITIAL_FORMS": 0, "d-MIN_NUM_FORMS": 0, "d-MAX_NUM_FORMS": 1000}
    assert client.post(url, data | {"a-assumptions": ""}).status_code == 302
    year.refresh_from_db()
    assert year.assumptions == ""
