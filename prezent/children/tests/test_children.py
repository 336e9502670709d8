import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.children.cnp import cnp_birth_date, cnp_is_valid, cnp_make
from prezent.children.models import Child, Consent, EthnicityDeclaration
from prezent.children.selectors import child_list_visible_to, ethnicity_for_child
from prezent.children.services import DuplicateChildWarning, child_create, consent_withdraw, ethnicity_declare
from prezent.core.models import AccessLog, AuditEvent
from prezent.core.text import fold

BIRTH = datetime.date(2016, 5, 17)


def test_a_known_valid_cnp_passes_and_a_changed_digit_fails():
    cnp = cnp_make(sex="F", birth_date=BIRTH, county=22, serial=7)
    assert cnp_is_valid(cnp)
    assert cnp_birth_date(cnp) == BIRTH
    broken = cnp[:-1] + str((int(cnp[-1]) + 1) % 10)
    assert not cnp_is_valid(broken)
    assert not cnp_is_valid("1234")


@given(
    birth=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2025, 12, 31)),
    sex=st.sampled_from(["F", "M"]),
    county=st.integers(min_value=1, max_value=52),
    serial=st.integers(min_value=1, max_value=999),
    position=st.integers(min_value=0, max_value=11),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_change_of_a_made_cnp_is_caught(birth, sex, county, serial, position, delta):
    cnp = cnp_make(sex=sex, birth_date=birth, county=county, serial=serial)
    assert cnp_is_valid(cnp)
    digit = (int(cnp[position]) + delta) % 10
    changed = cnp[:position] + str(digit) + cnp[position + 1 :]
    # The weights are all non-zero mod 11, so a single changed digit always changes the remainder, except
    # when the remainder maps onto the same check digit (10 → 1); the CNP may then still be valid elsewhere.
    if cnp_is_valid(changed):
        assert changed[-1] == cnp[-1]


@pytest.mark.django_db
def test_adding_a_child_warns_about_a_likely_duplicate_before_creating(world):
    actor = world.users.school_coord
    existing = world.child_a1
    with pytest.raises(DuplicateChildWarning) as warning:
        child_create(
            first_name=existing.first_name.upper(),
            last_name=existing.last_name,
            sex=existing.sex,
            birth_date=existing.birth_date,
            class_group=world.class_a1,
            start=world.monday,
            actor=actor,
        )
    assert existing in warning.value.duplicates
    count = Child.objects.count()
    child_create(
        first_name=existing.first_name,
        last_name=existing.last_name,
        sex=existing.sex,
        birth_date=existing.birth_date,
        class_group=world.class_a1,
        start=world.monday,
        confirm_not_duplicate=True,
        actor=actor,
    )
    assert Child.objects.count() == count + 1


@pytest.mark.django_db
def test_a_wrong_or_repeated_cnp_is_refused_and_nothing_is_created(world):
    actor = world.users.school_coord
    count = Child.objects.count()
    with pytest.raises(ValidationError, match="CNP"):
        child_create(
            first_name="Ioana",
            last_name="Țurcanu",
            sex="F",
            birth_date=BIRTH,
            cnp="6160517221234",
            class_group=world.class_a1,
            start=world.monday,
            actor=actor,
        )
    good = cnp_make(sex="F", birth_date=BIRTH, county=22, serial=11)
    child_create(
        first_name="Ioana",
        last_name="Țurcanu",
        sex="F",
        birth_date=BIRTH,
        cnp=good,
        class_group=world.class_a1,
        start=world.monday,
        actor=actor,
    )
    with pytest.raises(ValidationError, match="CNP"):
        child_create(
            first_name="Alta",
            last_name="Persoană",
            sex="F",
            birth_date=BIRTH,
            cnp=good,
            class_group=world.class_a1,
            start=world.monday,
            confirm_not_duplicate=True,
            actor=actor,
        )
    assert Child.objects.count() == count + 1
    event = AuditEvent.objects.get(action="child.create")
    assert "Țurcanu" not in str(event.details)


@pytest.mark.django_db
def test_create_form_keeps_what_the_user_typed_on_error(client, world):
    client.force_login(world.users.school_coord)
    response = client.post(
        reverse("children:create"),
        {
            "last_name": "Ștefănescu",
            "first_name": "Mărioara",
            "sex": "F",
            "birth_date": "2016-05-17",
            "cnp": "123",
            "class_group": world.class_a1.pk,
            "start": "2026-11-23",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Ștefănescu" in content and "Mărioara" in content
    assert "CNP-ul nu este valid" in content
    assert not Child.objects.filter(last_name="Ștefănescu").exists()


@pytest.mark.django_db
def test_teacher_sees_only_the_children_of_their_classes(world):
    visible = set(child_list_visible_to(user=world.users.teacher))
    assert visible == {world.child_a1, world.child_a1_other}


@pytest.mark.django_db
def test_case_worker_sees_only_target_group_children_of_their_schools(world):
    assert set(child_list_visible_to(user=world.users.caseworker)) == {world.child_a1}


@pytest.mark.django_db
def test_evaluator_and_administrator_see_no_child(world):
    assert not child_list_visible_to(user=world.users.me_viewer).exists()
    assert not child_list_visible_to(user=world.users.admin).exists()


@pytest.mark.django_db
def test_expired_role_gives_no_access(world):
    assignment = world.users.school_coord.role_assignments.get()
    assignment.valid_from = datetime.date(2020, 1, 1)
    assignment.valid_until = datetime.date(2021, 1, 1)
    assignment.save()
    assert not child_list_visible_to(user=world.users.school_coord).exists()


@pytest.mark.django_db
def test_ethnicity_is_shown_only_to_roles_that_need_it(client, world):
    ethnicity_declare(
        child=world.child_a1,
        ethnicity=EthnicityDeclaration.Ethnicity.ROMA,
        declared_on=world.monday,
        legal_basis="consent",
        actor=world.users.mediator,
    )
    assert ethnicity_for_child(user=world.users.mediator, child=world.child_a1) is not None
    assert ethnicity_for_child(user=world.users.teacher, child=world.child_a1) is None
    assert ethnicity_for_child(user=world.users.school_coord, child=world.child_a1) is None
    client.force_login(world.users.teacher)
    page = client.get(world.child_a1.get_absolute_url()).content.decode()
    assert "Etnie" not in page and "romă" not in page
    client.force_login(world.users.mediator)
    assert "romă" in client.get(world.child_a1.get_absolute_url()).content.decode()
    event = AuditEvent.objects.get(action="ethnicity.declare")
    assert "roma" not in str(event.details)


@pytest.mark.django_db
def test_every_read_of_a_child_is_logged(client, world):
    client.force_login(world.users.teacher)
    client.get(world.child_a1.get_absolute_url())
    log = AccessLog.objects.get()
    assert (log.user, log.child_id, log.view) == (world.users.teacher, world.child_a1.pk, "child_detail")


@pytest.mark.django_db
def test_cnp_is_hidden_until_revealed_and_the_reveal_is_logged(client, world):
    cnp = cnp_make(sex="M", birth_date=world.child_a1.birth_date, county=22, serial=5)
    Child.objects.filter(pk=world.child_a1.pk).update(cnp=cnp)
    client.force_login(world.users.school_coord)
    page = client.get(world.child_a1.get_absolute_url()).content.decode()
    assert cnp not in page and cnp[-4:] in page
    revealed = client.post(reverse("children:cnp", kwargs={"pk": world.child_a1.pk})).content.decode()
    assert cnp in revealed
    assert AccessLog.objects.filter(view="child_cnp").count() == 1
    assert AuditEvent.objects.filter(action="child.reveal_cnp").count() == 1


@pytest.mark.django_db
def test_moving_a_child_keeps_the_enrolment_history(client, world):
    client.force_login(world.users.school_coord)
    url = reverse("children:move", kwargs={"pk": world.child_a1.pk})
    client.post(url, {"class_group": world.class_a2.pk, "on": "2026-11-24", "reason": "moved_class"})
    history = list(world.child_a1.enrolments.order_by("start").values_list("class_group_id", "end", "end_reason"))
    assert history == [
        (world.class_a1.pk, datetime.date(2026, 11, 23), "moved_class"),
        (world.class_a2.pk, None, ""),
    ]


@pytest.mark.django_db
def test_a_consent_in_the_future_is_refused_and_nothing_is_recorded(client, world):
    client.force_login(world.users.mediator)
    url = reverse("children:consent_record", kwargs={"pk": world.child_a1.pk})
    response = client.post(
        url, {"purpose": "programme", "legal_basis": "consent", "given_on": "2030-01-01"}, follow=True
    )
    assert "nu poate fi în viitor" in response.content.decode()
    assert not world.child_a1.consents.exists()
    client.post(url, {"purpose": "programme", "legal_basis": "consent", "given_on": "2026-11-20"})
    consent = world.child_a1.consents.get()
    assert (consent.purpose, consent.recorded_by) == ("programme", world.users.mediator)


@pytest.mark.django_db
def test_adding_a_parent_links_them_to_the_childs_household(client, world):
    client.force_login(world.users.school_coord)
    url = reverse("children:guardian_add", kwargs={"pk": world.child_a1.pk})
    client.post(url, {"last_name": "Căpraru", "first_name": "Elena", "relationship": "mother", "phone": "0740000000"})
    guardian = world.child_a1.guardians.get()
    assert guardian.household_id == world.child_a1.household_id


def test_name_key_ignores_case_diacritics_and_spaces():

    assert fold("  Ștefănescu   ANA ") == fold("stefanescu ana") == "stefanescu ana"
    assert fold("Țîrîie") == "tiriie"


@pytest.mark.django_db
def test_household_circumstances_are_edited_and_audited_without_values(client, world):
    client.force_login(world.users.school_coord)
    url = reverse("children:household", kwargs={"pk": world.child_a1.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"parents_abroad": "both", "social_benefit": "on", "members": 5})
    assert response.status_code == 400
    assert "de când sunt plecați" in response.content.decode()
    household = world.child_a1.household
    household.refresh_from_db()
    assert household.parents_abroad == "none"
    client.post(
        url, {"parents_abroad": "both", "parents_abroad_since": "2024-03-01", "social_benefit": "on", "members": 5}
    )
    household.refresh_from_db()
    assert (household.parents_abroad, household.social_benefit, household.members) == ("both", True, 5)
    event = AuditEvent.objects.get(action="household.update")
    assert "both" not in str(event.details) and "parents_abroad" in event.details["fields"]


@pytest.mark.django_db
def test_only_roles_that_see_ethnicity_may_record_it(client, world):
    url = reverse("children:ethnicity", kwargs={"pk": world.child_a1.pk})
    data = {"ethnicity": "roma", "declared_on": "2026-11-20", "legal_basis": "consent"}
    client.force_login(world.users.teacher)
    assert client.post(url, data).status_code == 404
    client.force_login(world.users.mediator)
    assert client.post(url, data).status_code == 302
    assert EthnicityDeclaration.objects.get(child=world.child_a1).ethnicity == "roma"


@pytest.mark.django_db
def test_a_role_held_in_another_school_gives_no_right_to_write_for_a_child(client, world):
    """Rights are decided per school for each role: the teacher of a class in school A who is also the mediator of
    school B sees the pupils of their class but writes only for the children of school B."""
    both = UserFactory()
    assign(both, Role.CLASS_TEACHER, schools=[world.school_a])
    assign(both, Role.SCHOOL_MEDIATOR, schools=[world.school_b])
    world.class_a1.teacher = both
    world.class_a1.save()
    client.force_login(both)
    child = world.child_a1
    assert client.get(child.get_absolute_url()).status_code == 200
    assert client.get(reverse("children:household", kwargs={"pk": child.pk})).status_code == 404
    url = reverse("children:consent_record", kwargs={"pk": child.pk})
    assert client.post(url, {"purpose": "data", "legal_basis": "consent", "given_on": "2026-11-20"}).status_code == 404
    assert not child.consents.exists()
    move = reverse("children:move", kwargs={"pk": world.child_b1.pk})
    client.post(move, {"class_group": world.class_a1.pk, "on": "2026-11-24", "reason": "moved_school"})
    assert world.child_b1.enrolments.get().class_group == world.class_b1  # not into a class of school A
    assert client.get(reverse("children:household", kwargs={"pk": world.child_b1.pk})).status_code == 200


@pytest.mark.django_db
def test_a_withdrawal_records_who_recorded_it_and_a_future_date_changes_nothing(world):
    consent = Consent.objects.create(
        child=world.child_a1,
        purpose="contact",
        legal_basis="consent",
        given_on=world.monday,
        recorded_by=world.users.county,
    )
    with pytest.raises(ValidationError, match="în viitor"):
        consent_withdraw(consent=consent, on=datetime.date(2026, 12, 1), actor=world.users.mediator)
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (None, None)
    consent_withdraw(consent=consent, on=datetime.date(2026, 11, 27), actor=world.users.mediator)
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (datetime.date(2026, 11, 27), world.users.mediator)
    assert AuditEvent.objects.get(action="consent.withdraw").details == {
        "child": world.child_a1.pk,
        "purpose": "contact",
    }


@pytest.mark.django_db
def test_a_name_with_a_control_character_is_refused_and_nothing_is_created(client, world):
    client.force_login(world.users.school_coord)
    count = Child.objects.count()
    response = client.post(
        reverse("children:create"),
        {
            "last_name": "Ștefănescu",
            "first_name": "Mări\x07oara",
            "sex": "F",
            "birth_date": "2016-05-17",
            "class_group": world.class_a1.pk,
            "start": "2026-11-23",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Textul conține un caracter invizibil sau de control (poziția 5)" in content
    assert 'value="Ștefănescu"' in content and "Mări\x07oara" in content
    assert Child.objects.count() == count
    assert not AuditEvent.objects.filter(action="child.create").exists()


@pytest.mark.django_db
def test_a_parent_named_with_a_direction_override_is_refused(client, world):
    client.force_login(world.users.school_coord)
    url = reverse("children:guardian_add", kwargs={"pk": world.child_a1.pk})
    count = world.child_a1.guardians.count()
    response = client.post(
        url, {"last_name": "Căpraru\u202e", "first_name": "Elena", "relationship": "mother", "phone": ""}
    )
    assert response.status_code == 302  # the errors are shown on the child's page
    page = client.get(response["Location"]).content.decode()
    assert "caracter invizibil sau de control" in page
    assert world.child_a1.guardians.count() == count
